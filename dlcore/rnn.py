"""A simple recurrent neural network with backpropagation through time (slide 43: RNN).

An RNN reads a sequence x_1, ..., x_T one step at a time and loops its hidden state h_t
back into the next step, so h_t can remember earlier inputs (slide 43: データをループさせる
ことで以前の入力を記憶). The layer follows the protocol of ``dlcore.layers``:
``forward(x, train=True)``, ``backward(dout, need_dx=True)``, ``params`` / ``grads``.
The loop over time steps is inherent (h_t needs h_{t-1}); each step is vectorized over the
batch.
"""

import numpy as np

from . import functions as F
from .checks import as_rng, check_positive_int
from .initializers import get_initializer
from .layers import require_forward


def _check_sequences(x, input_size, layer):
    if not isinstance(x, np.ndarray) or x.ndim != 3 or x.shape[2] != input_size:
        shape = getattr(x, "shape", None)
        raise ValueError(
            f"{layer} expects sequences of shape (n, T, {input_size}) "
            f"(samples, time steps, features), got shape {shape}"
        )


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

    h = None  # the hidden states of every step, kept by forward

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
        _check_sequences(x, self.input_size, "RNN")
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
        require_forward(self, self.h)
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


class GRU:
    """Gated recurrent unit (slide 43: GRU), a gated RNN that keeps long-term memory.

    For t = 1, ..., T, with σ the sigmoid and ⊙ the element-wise product (h_0 = 0):
        z_t = σ(W_z x_t + U_z h_{t-1} + b_z)               update gate
        r_t = σ(W_r x_t + U_r h_{t-1} + b_r)               reset gate
        c_t = tanh(W_c x_t + U_c (r_t ⊙ h_{t-1}) + b_c)    candidate (h̃_t)
        h_t = (1 - z_t) ⊙ h_{t-1} + z_t ⊙ c_t
    With z_t ≈ 0 the state is carried over unchanged, and dh_{t-1} receives dh_t ⊙ (1 - z_t)
    directly, without a product with U (the route by which the tanh RNN's gradient vanishes).
    PyTorch's nn.GRU swaps the roles: h_t = (1 - z_t) ⊙ c_t + z_t ⊙ h_{t-1}, and it applies
    r_t after the product, r_t ⊙ (U_c h_{t-1} + b). Same family, different parameters.

    Parameters (blocks stacked in the order z, r, c): Wx (3H, d), Wh (3H, H), b (3H,);
    each H x d and H x H block is drawn by ``init``. ``b`` starts at 0 except b_z =
    ``update_bias`` (default -1: σ(-1) ≈ 0.27, so at first the state mostly carries over).
    Input (n, T, d); output h_T (n, H), or every h_t (n, T, H) with ``return_sequences``.
    Backward is BPTT (see ``backward``); afterwards ``self.dh`` (n, T, H) holds dL/dh_t.
    """

    gates = None  # z, r, c of every step, kept by forward

    def __init__(self, input_size, hidden_size, return_sequences=False, init="xavier",
                 update_bias=-1.0, seed=None):
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        self.return_sequences = bool(return_sequences)
        rng = as_rng(seed)
        make = get_initializer(init)
        H, d = self.hidden_size, self.input_size
        b = np.zeros(3 * H)
        b[:H] = float(update_bias)
        self.params = {
            "Wx": np.concatenate([make((H, d), rng) for _ in range(3)]),
            "Wh": np.concatenate([make((H, H), rng) for _ in range(3)]),
            "b": b,
        }
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def forward(self, x, train=True):
        _check_sequences(x, self.input_size, "GRU")
        n, T, _ = x.shape
        H = self.hidden_size
        Wh, b = self.params["Wh"], self.params["b"]
        dtype = np.result_type(x, Wh)
        xw = x @ self.params["Wx"].T + b  # W x_t + b for every t at once: (n, T, 3H)
        self.x = x
        self.h_prev = np.empty((n, T, H), dtype=dtype)
        self.gates = np.empty((n, T, 3 * H), dtype=dtype)  # z, r, c of every step
        h = np.zeros((n, H), dtype=dtype)
        for t in range(T):
            self.h_prev[:, t] = h
            zr = F.sigmoid(xw[:, t, :2 * H] + h @ Wh[:2 * H].T)
            z, r = zr[:, :H], zr[:, H:]
            c = np.tanh(xw[:, t, 2 * H:] + (r * h) @ Wh[2 * H:].T)
            self.gates[:, t] = np.concatenate([zr, c], axis=1)
            h = (1.0 - z) * h + z * c
        self.h_last = h
        if self.return_sequences:
            return np.concatenate([self.h_prev[:, 1:], h[:, None]], axis=1)
        return h.copy()

    def backward(self, dout, need_dx=True):
        """BPTT. For t = T, ..., 1, with dh_t = dL/dh_t (output + the step after):
            da_z = dh_t ⊙ (c_t - h_{t-1}) ⊙ z_t (1 - z_t),   da_c = dh_t ⊙ z_t ⊙ (1 - c_t²),
            d(r ⊙ h) = da_c U_c,   da_r = d(r ⊙ h) ⊙ h_{t-1} ⊙ r_t (1 - r_t),
            dh_{t-1} = dh_t ⊙ (1 - z_t) + d(r ⊙ h) ⊙ r_t + da_z U_z + da_r U_r,
        and the weights collect da^T x_t, da_{z,r}^T h_{t-1}, da_c^T (r_t ⊙ h_{t-1}) over t.
        """
        require_forward(self, self.gates)
        n, T, H = self.h_prev.shape
        expected = (n, T, H) if self.return_sequences else (n, H)
        if dout.shape != expected:
            raise ValueError(f"GRU.backward expects dout of shape {expected}, got {dout.shape}")
        Wh = self.params["Wh"]
        self.dh = np.empty_like(self.h_prev)
        da_all = np.empty_like(self.gates)  # gradients of the pre-activations (z, r, c)
        rh_all = np.empty_like(self.h_prev)
        dh_next = np.zeros((n, H), dtype=self.h_prev.dtype)
        for t in range(T - 1, -1, -1):
            if self.return_sequences:
                dh = dout[:, t] + dh_next
            else:
                dh = dh_next + dout if t == T - 1 else dh_next
            self.dh[:, t] = dh
            h_prev = self.h_prev[:, t]
            z, r, c = (self.gates[:, t, k * H:(k + 1) * H] for k in range(3))
            da_z = dh * (c - h_prev) * z * (1.0 - z)
            da_c = dh * z * (1.0 - c ** 2)
            drh = da_c @ Wh[2 * H:]
            da_r = drh * h_prev * r * (1.0 - r)
            da_all[:, t] = np.concatenate([da_z, da_r, da_c], axis=1)
            rh_all[:, t] = r * h_prev
            dh_next = dh * (1.0 - z) + drh * r + np.concatenate([da_z, da_r], axis=1) @ Wh[:2 * H]
        da2 = da_all.reshape(-1, 3 * H)
        self.grads["Wx"][...] = da2.T @ self.x.reshape(-1, self.input_size)
        h_prev2 = self.h_prev.reshape(-1, H)
        self.grads["Wh"][:2 * H] = da2[:, :2 * H].T @ h_prev2
        self.grads["Wh"][2 * H:] = da2[:, 2 * H:].T @ rh_all.reshape(-1, H)
        self.grads["b"][...] = da2.sum(axis=0)
        return da_all @ self.params["Wx"] if need_dx else None

    def __repr__(self):
        seq = ", return_sequences=True" if self.return_sequences else ""
        return f"GRU({self.input_size} -> {self.hidden_size}{seq})"


__all__ = ["RNN", "GRU"]
