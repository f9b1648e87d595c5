"""A simple recurrent neural network with backpropagation through time (slide 43: RNN).

An RNN reads a sequence x_1, ..., x_T one step at a time and loops its hidden state h_t
back into the next step, so h_t can remember earlier inputs (slide 43: データをループさせる
ことで以前の入力を記憶). The layer follows the protocol of ``dlcore.layers``:
``forward(x, train=True)``, ``backward(dout, need_dx=True)``, ``params`` / ``grads``.
The loop over time steps is inherent (h_t needs h_{t-1}); each step is vectorized over the
batch.
"""

import numpy as np

from .checks import as_rng, check_positive_int
from .initializers import get_initializer


class RNN:
    """Simple tanh RNN (slide 43): h_t = tanh(W_x x_t + W_h h_{t-1} + b),  h_0 = 0.

    Input x of shape (n, T, d): n sequences of T steps with d features each.
    Output: the last hidden state h_T, shape (n, H), or with ``return_sequences`` every
    hidden state, shape (n, T, H). Parameters: Wx (H, d), Wh (H, H), b (H,), shaped like
    ``Linear.W`` (out, in); ``init`` ("xavier", "he" or normal(std)) draws Wx and Wh.

    Backward is backpropagation through time (BPTT): the loop is unrolled into a T-layer
    network that shares its weights, and for t = T, ..., 1
        dh_t = dL/dh_t (from the output) + W_h^T da_{t+1}     (through the loop; da_{T+1} = 0)
        da_t = dh_t ⊙ (1 - h_t²)                               (tanh' = 1 - tanh²)
        dWx += da_t^T x_t,  dWh += da_t^T h_{t-1},  db += Σ_n da_t,  dx_t = da_t W_x.
    After backward, ``self.dh`` (n, T, H) holds dL/dh_t of every step: its norm shrinks
    (vanishes) or grows (explodes) going back in time, like the layers of a deep net
    (slides 34-35), because each step multiplies by W_h^T diag(1 - h_t²).
    """

    def __init__(self, input_size, hidden_size, return_sequences=False, init="xavier",
                 seed=None):
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        self.return_sequences = bool(return_sequences)
        rng = as_rng(seed)
        make = get_initializer(init)
        self.params = {
            "Wx": make((self.hidden_size, self.input_size), rng),
            "Wh": make((self.hidden_size, self.hidden_size), rng),
            "b": np.zeros(self.hidden_size),
        }
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def forward(self, x, train=True):
        if not isinstance(x, np.ndarray) or x.ndim != 3 or x.shape[2] != self.input_size:
            shape = getattr(x, "shape", None)
            raise ValueError(
                f"RNN expects sequences of shape (n, T, {self.input_size}) "
                f"(samples, time steps, features), got shape {shape}"
            )
        n, T, _ = x.shape
        Wx, Wh, b = self.params["Wx"], self.params["Wh"], self.params["b"]
        self.x = x
        self.h = np.empty((n, T, self.hidden_size), dtype=np.result_type(x, Wx))
        h = np.zeros((n, self.hidden_size), dtype=self.h.dtype)  # h_0 = 0
        xw = x @ Wx.T  # W_x x_t for every t at once: (n, T, H)
        for t in range(T):
            h = np.tanh(xw[:, t] + h @ Wh.T + b)
            self.h[:, t] = h
        return self.h.copy() if self.return_sequences else h.copy()

    def backward(self, dout, need_dx=True):
        n, T, H = self.h.shape
        expected = (n, T, H) if self.return_sequences else (n, H)
        if dout.shape != expected:
            raise ValueError(f"RNN.backward expects dout of shape {expected}, got {dout.shape}")
        Wx, Wh = self.params["Wx"], self.params["Wh"]
        for g in self.grads.values():
            g[...] = 0.0
        self.dh = np.empty_like(self.h)
        da_all = np.empty_like(self.h)
        dh_next = np.zeros((n, H), dtype=self.h.dtype)  # W_h^T da_{t+1}
        for t in range(T - 1, -1, -1):
            if self.return_sequences:
                dh = dout[:, t] + dh_next
            else:
                dh = dh_next + dout if t == T - 1 else dh_next
            self.dh[:, t] = dh
            da = dh * (1.0 - self.h[:, t] ** 2)
            da_all[:, t] = da
            if t > 0:
                self.grads["Wh"] += da.T @ self.h[:, t - 1]
            dh_next = da @ Wh
        self.grads["Wx"][...] = da_all.reshape(-1, H).T @ self.x.reshape(-1, self.input_size)
        self.grads["b"][...] = da_all.sum(axis=(0, 1))
        return da_all @ Wx if need_dx else None

    def __repr__(self):
        seq = ", return_sequences=True" if self.return_sequences else ""
        return f"RNN({self.input_size} -> {self.hidden_size}{seq})"


__all__ = ["RNN"]
