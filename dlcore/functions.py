"""Activation functions, their derivatives, and loss functions (slides 5, 16, 28, 34-36).

Every function works element-wise on arrays of any shape (losses: rows are samples) and is
numerically stable: no overflow warning even for inputs of +-1e4.
"""

import numpy as np

from .checks import as_float_array, as_labels, check_same_shape

LEAKY_RELU_SLOPE = 0.03  # slide 35: "0.03などが良く使われる"


# --- activations -----------------------------------------------------------------------

def step(u):
    """Unit step function (slide 6): f(u) = 1 if u > 0 else 0."""
    return (np.asarray(u) > 0).astype(np.float64)


def sigmoid(u):
    """Sigmoid (slides 28, 36): σ(u) = 1 / (1 + e^{-u}).

    Computed as 1/(1+e^{-|u|}) or e^{-|u|}/(1+e^{-|u|}) by the sign of u, so exp never sees
    a large positive argument and cannot overflow.
    """
    u = np.asarray(u)
    if not np.issubdtype(u.dtype, np.floating):
        u = u.astype(np.float64)
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0, e) / (1.0 + e)


def sigmoid_grad(u):
    """Derivative of the sigmoid (slide 36): σ'(u) = σ(u)(1 - σ(u)), at most 1/4 (slide 34)."""
    s = sigmoid(u)
    return s * (1.0 - s)


def relu(u):
    """ReLU (slide 35): f(u) = max(0, u)."""
    return np.maximum(u, 0)


def relu_grad(u):
    """Derivative of ReLU (slide 35): 1 for u > 0, 0 otherwise (we take 0 at u = 0)."""
    return (np.asarray(u) > 0).astype(np.result_type(u, np.float32))


def leaky_relu(u, slope=LEAKY_RELU_SLOPE):
    """Leaky ReLU (slide 35): f(u) = u for u > 0, slope * u otherwise (slope 0.03)."""
    u = np.asarray(u)
    return np.where(u > 0, u, slope * u)


def leaky_relu_grad(u, slope=LEAKY_RELU_SLOPE):
    """Derivative of Leaky ReLU (slide 35): 1 for u > 0, slope otherwise."""
    u = np.asarray(u)
    return np.where(u > 0, 1.0, slope).astype(np.result_type(u, np.float32))


def tanh(u):
    """Hyperbolic tangent: tanh(u) = (e^u - e^{-u}) / (e^u + e^{-u}) = 2σ(2u) - 1."""
    return np.tanh(u)


def tanh_grad(u):
    """Derivative of tanh: 1 - tanh(u)^2."""
    t = np.tanh(u)
    return 1.0 - t * t


def softmax(u, axis=-1):
    """Softmax: softmax(u)_k = e^{u_k} / Σ_j e^{u_j}.

    The maximum is subtracted first (the result does not change), so exp never overflows.
    """
    shifted = u - np.max(u, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(u, axis=-1):
    """log softmax(u)_k = u_k - max(u) - log Σ_j e^{u_j - max(u)}, stable for any u."""
    u = np.asarray(u)
    # u.max(...) and .sum(...) give the same numbers as np.max / np.sum, with less overhead
    # per call (this runs once per training batch).
    shifted = u - u.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


# --- losses ------------------------------------------------------------------------------
# Slide 16 writes each loss as a sum over samples i. We divide by the number of samples n
# (a mean), so the size of the loss does not depend on the batch size; this is the
# 1/m of the SGD update on slide 29. Over the outputs of one sample we sum.

def _mean_over_samples(per_element):
    n = per_element.shape[0] if per_element.ndim else 1
    return float(np.sum(per_element) / n)


def l1_loss(pred, y):
    """L1 loss (slide 16): L = (1/n) Σ_i |y_i - f(x_i)|."""
    pred, y = np.asarray(pred), np.asarray(y)
    check_same_shape(pred, y, "prediction", "target y")
    return _mean_over_samples(np.abs(y - pred))


def mse_loss(pred, y):
    """L2 loss / mean squared error (slide 16): L = (1/n) Σ_i (y_i - f(x_i))^2."""
    pred, y = np.asarray(pred), np.asarray(y)
    check_same_shape(pred, y, "prediction", "target y")
    return _mean_over_samples((y - pred) ** 2)


def binary_cross_entropy(p, y, eps=1e-12):
    """Binary cross-entropy on probabilities (slides 16, 36).

    L = -(1/n) Σ_i [ y_i log p_i + (1 - y_i) log(1 - p_i) ].
    Slide 16 omits the leading minus sign; without it the loss would be maximized.
    p is clipped to [eps, 1 - eps] so that p = 0 or 1 gives a large but finite loss.
    """
    p, y = as_float_array(p, "probabilities p"), as_float_array(y, "target y")
    check_same_shape(p, y, "probabilities p", "target y")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("probabilities p must lie in [0, 1]; for raw scores use "
                         "binary_cross_entropy_with_logits")
    p = np.clip(p, eps, 1.0 - eps)
    return _mean_over_samples(-(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def binary_cross_entropy_with_logits(u, y):
    """Binary cross-entropy of p = σ(u), computed from the logit u (slide 36).

    L = -(1/n) Σ_i [ y_i log σ(u_i) + (1 - y_i) log(1 - σ(u_i)) ]
      = (1/n) Σ_i [ log(1 + e^{u_i}) - y_i u_i ]
      = (1/n) Σ_i [ max(u_i, 0) - y_i u_i + log(1 + e^{-|u_i|}) ].
    The last form never overflows and keeps full precision for confident answers: for
    u = 40, y = 1 the loss is log(1 + e^{-40}) ≈ 4e-18, where log(1 + e^u) - y u would
    cancel to 0. y must lie in [0, 1] (0/1 labels or probabilities).
    """
    u, y = as_float_array(u, "logits u"), as_float_array(y, "target y")
    check_same_shape(u, y, "logits u", "target y")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("target y must lie in [0, 1] (0/1 labels or probabilities), got "
                         f"values from {y.min():g} to {y.max():g}")
    return bce_with_logits_unchecked(u, y)


def bce_with_logits_unchecked(u, y):
    """``binary_cross_entropy_with_logits`` without the input checks, for the loss layer,
    whose scores may already be NaN in a diverging run (the training loop reports that)."""
    return _mean_over_samples(np.maximum(u, 0.0) - y * u + np.log1p(np.exp(-np.abs(u))))


def one_hot(y, n_classes):
    """One-hot matrix T with T[i, y_i] = 1, shape (n, n_classes)."""
    y = as_labels(y, len(y), n_classes)
    t = np.zeros((y.shape[0], n_classes))
    t[np.arange(y.shape[0]), y] = 1.0
    return t


def softmax_cross_entropy(logits, y):
    """Cross-entropy of softmax(u) for multi-class labels (slide 16, with its minus sign).

    L = -(1/n) Σ_i Σ_k t_{ik} log softmax(u_i)_k, where t is y one-hot encoded.
    y may be integer labels of shape (n,) or a one-hot (or soft) target of shape (n, K).
    Uses log_softmax, so extreme logits give a finite loss.
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2:
        raise ValueError(f"logits must be 2-D (samples, classes), got shape {logits.shape}")
    target = _target_matrix(y, logits.shape)
    return _mean_over_samples(-target * log_softmax(logits))


def check_distributions(T, name="target y"):
    """Return T (n, K) as floats if each row is a probability distribution: entries in [0, 1]
    summing to 1 (one-hot or soft labels). Cross-entropy and its gradient softmax(u) - T
    assume this; a multi-hot or negative row would give a wrong gradient or a negative loss."""
    T = as_float_array(T, name, ndim=2)
    if np.any((T < 0) | (T > 1)):
        raise ValueError(f"{name} must hold probabilities in [0, 1]; got values from "
                         f"{T.min():g} to {T.max():g}")
    sums = T.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if bad.size:
        raise ValueError(f"each row of {name} must sum to 1 (one-hot or soft labels); row "
                         f"{bad[0]} sums to {sums[bad[0]]:g}")
    return T


def _target_matrix(y, shape):
    """Integer labels become one-hot; a (n, K) target is checked and used as is."""
    y = np.asarray(y)
    if y.ndim == 2:
        if y.shape != shape:
            raise ValueError(f"one-hot target y has shape {y.shape} but logits have shape {shape}")
        return check_distributions(y)
    labels = as_labels(y, shape[0], shape[1])
    return np.eye(shape[1])[labels]  # row y_i of the identity matrix = one_hot(y)[i]
