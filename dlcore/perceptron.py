"""The single perceptron of slides 4-6 and its learning rule (notebook 01).

    perceptron_output   o = f(u), u = Σ_i w_i x_i + c, f = unit step (slides 5-6)
    train_perceptron    the perceptron learning rule w <- w + η (y - o) x, epoch by epoch

The bias is kept as a separate number ``c`` (slide 5: u = w1 x1 + w2 x2 + c). Writing it as
w0 with a constant input x0 = 1 gives the same u; the learning rule then updates c exactly
like any other weight, with x0 = 1 in place of x_i.
"""

import numbers

import numpy as np

from .checks import as_float_array, as_labels, check_int_in_range, check_positive
from .functions import step

__all__ = ["perceptron_output", "train_perceptron"]


def _check_weights(w, c, n_features):
    """``w`` as a float vector of length ``n_features`` and ``c`` as a float."""
    w = as_float_array(w, "w", ndim=1)
    if w.shape[0] != n_features:
        raise ValueError(f"w has {w.shape[0]} weights but X has {n_features} features")
    if not isinstance(c, numbers.Real) or isinstance(c, bool) or not np.isfinite(c):
        raise ValueError(f"c must be a finite number, got {c!r}")
    return w, float(c)


def perceptron_output(X, w, c):
    """Output of one perceptron with the unit step function (slides 5-6).

    u = Σ_i w_i x_i + c  (slide 5: u = w1 x1 + w2 x2 + c),  o = f(u) = 1 if u > 0 else 0.
    ``X`` is one input of shape (d,) or a batch of shape (n, d); returns o of shape () or
    (n,) as floats 0.0 / 1.0. For a batch, u = X w + c is computed for all rows at once.
    """
    X = as_float_array(X, "X")
    if X.ndim not in (1, 2):
        raise ValueError(f"X must be one input (d,) or a batch (n, d), got shape {X.shape}")
    w, c = _check_weights(w, c, X.shape[-1])
    return step(X @ w + c)


def train_perceptron(X, y, lr=0.1, epochs=50, w=None, c=0.0, batch=False):
    """Train one perceptron with the perceptron learning rule (Rosenblatt).

    For a sample x with label y (0 or 1) and output o = f(Σ_i w_i x_i + c):

        w_i <- w_i + η (y - o) x_i,     c <- c + η (y - o)   (c is w0 with x0 = 1)

    Nothing changes when o = y; otherwise u moves towards the correct side.

    - ``batch=False`` (the classic rule): one update per sample, in the order of the rows of X.
    - ``batch=True``: one update per epoch with the sum over all samples, computed for the
      whole batch at once: w <- w + η Σ_n (y_n - o_n) x_n, c <- c + η Σ_n (y_n - o_n).

    Both reach zero errors after finitely many epochs when the points can be separated by a
    straight line (slide 6), and never do otherwise (e.g. XOR).

    Returns a dict with the final ``w`` (d,) and ``c``; ``w_history`` (epochs + 1, d) and
    ``c_history`` (epochs + 1,) holding the weights at the start and after each epoch;
    ``errors`` (epochs + 1,): the number of misclassified samples for those weights;
    ``converged_epoch``: the first epoch after which errors == 0 (0 if the initial weights
    are already right), or None if that never happened.
    """
    X = as_float_array(X, "X", ndim=2)
    n, d = X.shape
    y = as_labels(y, n, n_classes=2, name="y").astype(np.float64)
    lr = float(check_positive(lr, "lr"))
    epochs = check_int_in_range(epochs, "epochs", 1, 10**6)  # the history is (epochs + 1, d)
    w, c = _check_weights(np.zeros(d) if w is None else w, c, d)
    w = w.copy()

    w_history = np.empty((epochs + 1, d))
    c_history = np.empty(epochs + 1)
    errors = np.empty(epochs + 1, dtype=np.int64)

    def record(epoch):
        w_history[epoch], c_history[epoch] = w, c
        errors[epoch] = int(np.sum(step(X @ w + c) != y))

    record(0)
    for epoch in range(1, epochs + 1):
        if batch:
            delta = y - step(X @ w + c)            # (y_n - o_n) for all n at once
            w += lr * (delta @ X)
            c += lr * float(delta.sum())
        else:
            for x_n, y_n in zip(X, y):
                delta = y_n - float(step(x_n @ w + c))
                w += lr * delta * x_n
                c += lr * delta
        record(epoch)

    zero = np.flatnonzero(errors == 0)
    return {"w": w.copy(), "c": float(c), "w_history": w_history, "c_history": c_history,
            "errors": errors, "converged_epoch": int(zero[0]) if zero.size else None}
