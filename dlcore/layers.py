"""Layers as forward/backward pairs (slides 22-27: backpropagation).

Every layer has
- ``forward(x, train=True)``: computes the output and keeps in ``self`` what backward needs;
- ``backward(dout, need_dx=True)``: given dL/d(output), stores dL/d(parameter) in ``self.grads``
  and returns dL/dx (or None when ``need_dx`` is False, e.g. for the first layer, whose input
  is the data and needs no gradient);
- ``params`` and ``grads``: dicts of arrays with the same keys. Optimizers update ``params``
  in place. Inside a Sequential these arrays are views onto one long vector θ (see
  Sequential.param_vector), so a layer reads ``self.params[...]`` each time it computes.
  Writing gradients into the arrays it has (``self.grads["W"][...] = ...``) is fastest;
  a layer that assigns new ones (``self.grads["W"] = ...``) also trains correctly, since
  ``train`` then packs θ again after every backward.
backward never modifies ``dout``.
"""

from types import MappingProxyType

import numpy as np

from . import functions as F
from .checks import (
    as_float_array,
    as_labels,
    as_rng,
    check_in_range,
    check_positive,
    check_positive_int,
)
from .initializers import get_initializer

MAX_WEIGHTS_PER_LAYER = 25_000_000  # 200 MB per array; W, its gradient and θ make 3 of them


def check_weight_count(count, what):
    """Raise before allocating a layer so large that it would take gigabytes."""
    if count > MAX_WEIGHTS_PER_LAYER:
        raise ValueError(f"{what} would have {count:,} weights (in_features × out_features; "
                         f"{count * 8 * 3 / 2**30:.1f} GiB with its gradient and θ), more than "
                         f"{MAX_WEIGHTS_PER_LAYER:,}: use smaller layer sizes")


class Linear:
    """Fully connected layer (slide 13): u = W x + b for each sample.

    For a batch X of shape (n, in) the rows are samples, so U = X W^T + b with W of shape
    (out, in): W[i, j] is the weight w_ij from input j to neuron i, as on slide 8.
    Backward (slides 26-27): dL/dW = dU^T X, dL/db = Σ_n dU, dL/dX = dU W.
    """

    def __init__(self, in_features, out_features, init="he", seed=None):
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        check_weight_count(self.in_features * self.out_features, repr(self))
        rng = as_rng(seed)
        W = get_initializer(init)((self.out_features, self.in_features), rng)
        self.params = {"W": W, "b": np.zeros(self.out_features)}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}
        self.x = None  # the input, kept by forward for backward

    def forward(self, x, train=True):
        W = self.params["W"]
        require_array(x, type(self).__name__)
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(
                f"Linear layer expects input of shape (n, {self.in_features}), got {x.shape} "
                f"(W has shape {W.shape})"
            )
        self.x = x
        u = x @ W.T
        u += self.params["b"]  # in place: no second (n, out) array
        return u

    def backward(self, dout, need_dx=True):
        require_forward(self, self.x)
        # Writing into the existing grad arrays avoids a new allocation every step.
        np.matmul(dout.T, self.x, out=self.grads["W"])
        dout.sum(axis=0, out=self.grads["b"])
        return dout @ self.params["W"] if need_dx else None

    def __repr__(self):
        return f"Linear({self.in_features} -> {self.out_features})"


class _Elementwise:
    """Shared plumbing of parameter-free element-wise layers: o = f(u), dL/du = dL/do * f'(u)."""

    params = MappingProxyType({})  # read-only: these layers have nothing to train
    grads = MappingProxyType({})
    local_grad = None  # f'(u), kept by forward

    def backward(self, dout, need_dx=True):
        require_forward(self, self.local_grad)
        return dout * self.local_grad if need_dx else None

    def __repr__(self):
        return f"{type(self).__name__}()"


class Sigmoid(_Elementwise):
    """Sigmoid activation (slides 28, 34): o = σ(u), do/du = o (1 - o) <= 1/4."""

    def forward(self, x, train=True):
        require_array(x, type(self).__name__)
        out = F.sigmoid(x)
        self.local_grad = out * (1.0 - out)
        return out


class Tanh(_Elementwise):
    """tanh activation: o = tanh(u), do/du = 1 - o^2."""

    def forward(self, x, train=True):
        require_array(x, type(self).__name__)
        out = np.tanh(x)
        self.local_grad = 1.0 - out * out
        return out


class ReLU(_Elementwise):
    """ReLU activation (slide 35): o = max(0, u), do/du = 1 if u > 0 else 0."""

    def forward(self, x, train=True):
        require_array(x, type(self).__name__)
        self.local_grad = x > 0  # a boolean mask; dout * mask keeps dout where u > 0
        return np.maximum(x, 0)


class LeakyReLU(_Elementwise):
    """Leaky ReLU (slide 35): o = u if u > 0 else slope * u, do/du = 1 or slope (0.03)."""

    def __init__(self, slope=F.LEAKY_RELU_SLOPE):
        self.slope = check_in_range(slope, "slope", 0.0, 1.0)

    def forward(self, x, train=True):
        require_array(x, type(self).__name__)
        positive = x > 0
        self.local_grad = np.where(positive, 1.0, self.slope)
        return np.where(positive, x, self.slope * x)

    def __repr__(self):
        return f"LeakyReLU(slope={self.slope})"


class Identity(_Elementwise):
    """No activation: o = u (for a linear output layer)."""

    local_grad = 1.0

    def forward(self, x, train=True):
        require_array(x, type(self).__name__)
        return x.copy()  # a new array, as every other layer returns


class Dropout(_Elementwise):
    """Inverted dropout (slide 41).

    Training: each unit is kept with probability 1 - rate and scaled by 1 / (1 - rate), so
    the expected output equals the input: o = u * m / (1 - rate), m ~ Bernoulli(1 - rate).
    Evaluation: o = u (nothing to rescale). Masks come from a seeded Generator.
    """

    def __init__(self, rate=0.5, seed=None):
        self.rate = check_in_range(rate, "dropout rate", 0.0, 1.0)
        self.rng = as_rng(seed)

    def forward(self, x, train=True):
        require_array(x, type(self).__name__)
        if not train or self.rate == 0.0:
            self.local_grad = 1.0
            return x.copy()  # a new array, as in training
        keep = self.rng.random(x.shape) >= self.rate
        self.local_grad = keep / (1.0 - self.rate)
        return x * self.local_grad

    def __repr__(self):
        return f"Dropout(rate={self.rate})"


class BatchNorm:
    """Batch normalization (slide 41), per feature over the batch.

    Training: x̂ = (x - μ_B) / sqrt(σ²_B + ε), o = γ x̂ + β, with the batch mean μ_B and
    variance σ²_B; running averages of both are kept for evaluation, where they replace
    the batch statistics. Backward in training mode (n samples):
    dx = (1/n) (1/sqrt(σ²_B + ε)) (n dx̂ - Σ dx̂ - x̂ Σ(dx̂ x̂)), with dx̂ = dout γ.
    """

    def __init__(self, num_features, momentum=0.9, eps=1e-5):
        self.num_features = check_positive_int(num_features, "num_features")
        if self.num_features > MAX_WEIGHTS_PER_LAYER:
            raise ValueError(f"num_features={self.num_features:,} is more than "
                             f"{MAX_WEIGHTS_PER_LAYER:,}: use a smaller layer")
        self.momentum = check_in_range(momentum, "momentum", 0.0, 1.0)
        self.eps = check_positive(eps, "eps")
        self.params = {"gamma": np.ones(num_features), "beta": np.zeros(num_features)}
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}
        self.running_mean = np.zeros(num_features)
        self.running_var = np.ones(num_features)
        self.x_hat = None  # the normalized input, kept by forward for backward

    def forward(self, x, train=True):
        require_array(x, "BatchNorm")
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(
                f"BatchNorm expects input of shape (n, {self.num_features}), got {x.shape}"
            )
        if train:
            if x.shape[0] < 2:
                raise ValueError("BatchNorm needs at least 2 samples per batch in training mode")
            mean, var = x.mean(axis=0), x.var(axis=0)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1 - m) * mean
            self.running_var = m * self.running_var + (1 - m) * var
        else:
            mean, var = self.running_mean, self.running_var
        self.train_mode = train
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.x_hat = (x - mean) * self.inv_std
        return self.params["gamma"] * self.x_hat + self.params["beta"]

    def backward(self, dout, need_dx=True):
        require_forward(self, self.x_hat)
        self.grads["gamma"][...] = np.sum(dout * self.x_hat, axis=0)
        self.grads["beta"][...] = np.sum(dout, axis=0)
        if not need_dx:
            return None
        dx_hat = dout * self.params["gamma"]
        if not self.train_mode:  # statistics are constants in evaluation mode
            return dx_hat * self.inv_std
        n = dout.shape[0]
        return (self.inv_std / n) * (
            n * dx_hat - dx_hat.sum(axis=0) - self.x_hat * np.sum(dx_hat * self.x_hat, axis=0)
        )

    def __repr__(self):
        return f"BatchNorm({self.num_features})"


class Residual:
    """Residual (shortcut) block (slide 35, ResNet): o = x + F(x).

    F is a list of layers whose output has the shape of its input. Backward:
    dL/dx = dout + dF/dx^T dout -- the shortcut passes dout through unchanged, so the
    gradient reaches earlier layers even when F's gradient vanishes.
    """

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Residual needs at least one layer inside")
        self.layers = list(layers)

    @property
    def params(self):
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.params.items()}

    @property
    def grads(self):
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers) for k, v in layer.grads.items()}

    def forward(self, x, train=True):
        out = x
        for layer in self.layers:
            out = layer.forward(out, train)
        if out.shape != x.shape:
            raise ValueError(
                f"Residual block changes the shape from {x.shape} to {out.shape}; "
                "x + F(x) needs F to keep the shape"
            )
        return x + out

    def backward(self, dout, need_dx=True):
        d = dout
        for layer in reversed(self.layers):
            d = layer.backward(d)
        return dout + d if need_dx else None

    def __repr__(self):
        return "Residual(" + ", ".join(map(repr, self.layers)) + ")"


def require_forward(layer, cached):
    """Raise a clear error when ``backward`` comes before any ``forward`` (``cached`` is
    what forward keeps for backward, still None)."""
    if cached is None:
        raise RuntimeError(f"{type(layer).__name__}.backward was called before forward: "
                           "run forward(x) first, then backward(dout)")


def require_array(x, layer_name):
    """Raise a clear error for input that is not a NumPy array (e.g. a Python list)."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{layer_name}.forward expects a NumPy array, got "
                        f"{type(x).__name__} (use np.asarray(x, dtype=float))")


# --- loss layers -------------------------------------------------------------------------
# forward(u, y) returns the mean loss over the batch; backward() returns dL/du.

class SoftmaxCrossEntropy:
    """Softmax + cross-entropy for K classes (slide 16 with its minus sign).

    L = -(1/n) Σ_i log softmax(u_i)_{y_i};  dL/du = (softmax(u) - T) / n, T one-hot.
    y may be integer labels of shape (n,) or a one-hot (or soft) target T of shape (n, K).
    """

    is_classifier = True
    log_p = None  # log softmax(u), kept by forward

    def forward(self, u, y):
        require_array(u, "SoftmaxCrossEntropy")
        if u.ndim != 2:
            raise ValueError(f"SoftmaxCrossEntropy expects scores of shape (n, K), got {u.shape}")
        n = u.shape[0]
        self.log_p = F.log_softmax(u)
        if np.ndim(y) == 1:
            # Integer labels: T has a single 1 per row, so pick log p_{i, y_i} directly.
            self.labels, self.target = as_labels(y, n, u.shape[1]), None
            return float(-self.log_p[np.arange(n), self.labels].sum() / n)
        self.labels, self.target = None, F._target_matrix(y, u.shape)
        return float(-(self.target * self.log_p).sum() / n)

    def backward(self):
        require_forward(self, self.log_p)
        grad = np.exp(self.log_p)  # softmax(u), computed here: evaluation never needs it
        n = grad.shape[0]
        if self.target is None:
            grad[np.arange(n), self.labels] -= 1.0  # softmax(u) - T without building T
        else:
            grad -= self.target
        grad /= n
        return grad

    def predict_proba(self, u):
        return F.softmax(u)

    def predict(self, u):
        return u.argmax(axis=1)


class SigmoidCrossEntropy:
    """Sigmoid + binary cross-entropy on the logit u (slide 36).

    L = -(1/n) Σ_i [y_i log σ(u_i) + (1 - y_i) log(1 - σ(u_i))];  dL/du = (σ(u) - y) / n.
    The scores u have shape (n, 1); labels y are 0/1 of shape (n,).
    """

    is_classifier = True
    u = None  # the scores, kept by forward

    def forward(self, u, y):
        require_array(u, "SigmoidCrossEntropy")
        if u.ndim != 2 or u.shape[1] != 1:
            raise ValueError(f"SigmoidCrossEntropy expects scores of shape (n, 1), got {u.shape}")
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        if y.shape[0] != u.shape[0]:
            raise ValueError(f"y has {y.shape[0]} labels but there are {u.shape[0]} samples")
        if not np.all((y >= 0) & (y <= 1)):  # also catches NaN
            raise ValueError("binary labels y must lie in [0, 1] (and not be NaN)")
        self.y = y[:, None]
        self.u = u
        return F.bce_with_logits_unchecked(u, self.y)

    def backward(self):
        require_forward(self, self.u)
        return (F.sigmoid(self.u) - self.y) / self.u.shape[0]

    def predict_proba(self, u):
        p = F.sigmoid(u[:, 0])
        return np.column_stack([1.0 - p, p])

    def predict(self, u):
        return (u[:, 0] > 0).astype(np.int64)


class MSELoss:
    """Mean squared error (slide 16): L = (1/n) Σ_i ||y_i - u_i||^2;  dL/du = 2 (u - y) / n."""

    is_classifier = False
    diff = None  # u - y, kept by forward

    def forward(self, u, y):
        require_array(u, "MSELoss")
        self.diff = u - _regression_target(y, u)
        return float(np.sum(self.diff ** 2) / u.shape[0])

    def backward(self):
        require_forward(self, self.diff)
        return 2.0 * self.diff / self.diff.shape[0]

    def predict(self, u):
        return u


class L1Loss:
    """L1 loss (slide 16): L = (1/n) Σ_i |y_i - u_i|;  dL/du = sign(u - y) / n (0 at u = y)."""

    is_classifier = False
    diff = None  # u - y, kept by forward

    def forward(self, u, y):
        require_array(u, "L1Loss")
        self.diff = u - _regression_target(y, u)
        return float(np.sum(np.abs(self.diff)) / u.shape[0])

    def backward(self):
        require_forward(self, self.diff)
        return np.sign(self.diff) / self.diff.shape[0]

    def predict(self, u):
        return u


def _regression_target(y, u):
    y = as_float_array(y, "target y")  # numeric, finite, not empty
    if y.ndim == 1 and u.ndim == 2 and u.shape[1] == 1:
        y = y[:, None]
    if y.shape != u.shape:
        raise ValueError(f"target y has shape {y.shape} but the network output has shape {u.shape}")
    return y


LOSSES = {
    "softmax_cross_entropy": SoftmaxCrossEntropy,
    "sigmoid_cross_entropy": SigmoidCrossEntropy,
    "mse": MSELoss,
    "l1": L1Loss,
}

ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
}


def activation_layer(name):
    """A fresh activation layer from its name ("sigmoid", "tanh", "relu", "leaky_relu", ...)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]()


def loss_layer(name):
    """A fresh loss layer from its name ("softmax_cross_entropy", "mse", ...)."""
    if name not in LOSSES:
        raise ValueError(f"unknown loss {name!r}; choose one of {sorted(LOSSES)}")
    return LOSSES[name]()


__all__ = [
    "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity", "Dropout", "BatchNorm",
    "Residual", "SoftmaxCrossEntropy", "SigmoidCrossEntropy", "MSELoss", "L1Loss",
    "activation_layer", "loss_layer",
]
