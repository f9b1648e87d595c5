"""A network as a sequence of layers, and a builder for multilayer perceptrons (slides 7-13).

The forward pass feeds each layer's output o^k to the next layer (slide 9); the backward
pass walks the same layers in reverse, multiplying the local derivatives (slides 22-27).
"""

import numpy as np

from .checks import (
    as_float_array,
    as_labels,
    as_rng,
    check_bool,
    check_in_range,
    check_positive_int,
)
from .layers import BatchNorm, Dropout, Linear, activation_layer, loss_layer


class Sequential:
    """Layers applied one after another, with a loss layer on top.

    forward:  o^0 = X,  o^{k+1} = layer_k(o^k)       (slide 13: o⁰ = f⁰(W⁰x), o = f¹(W¹o⁰))
    loss:     L = loss(o, y)                          (slide 16)
    backward: dL/do^k = layer_k.backward(dL/do^{k+1}) (slides 22-27)
    Parameters are named "<layer index>.<name>", e.g. "0.W", "0.b", "2.W".

    All parameters also live in one long vector θ (``param_vector()``): each layer's W and b
    are windows (NumPy views) onto a part of it, and likewise for the gradients. An update
    rule is element-wise, so the optimizer can update θ in one go instead of array by array.
    """

    def __init__(self, layers, loss="softmax_cross_entropy"):
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("Sequential needs at least one layer")
        self.loss_layer = loss_layer(loss) if isinstance(loss, str) else loss
        self._pack_parameters()

    # --- computation ---------------------------------------------------------------------

    def forward(self, X, train=True):
        """Output of the last layer (scores u before the loss) for a batch X of shape (n, d)."""
        X = as_float_array(X, "X")
        if X.ndim < 2:
            raise ValueError(
                f"X must be 2-D (samples, features), got shape {X.shape} "
                "(use X.reshape(-1, 1) for a single feature)"
            )
        return self.forward_checked(X, train)

    def forward_checked(self, X, train=True):
        """``forward`` for an X already checked by ``as_float_array`` (the training loop
        checks the whole data set once instead of every batch)."""
        out = X
        for layer in self.layers:
            out = layer.forward(out, train)
        return out

    def loss(self, X, y, train=True):
        """The mean loss L over the batch; keeps what backward needs."""
        return self.loss_layer.forward(self.forward(X, train), y)

    def backward(self, dout=None, need_dx=True):
        """Backpropagate dL/d(output) (by default, the loss layer's) through every layer.

        Fills each layer's ``grads`` and returns dL/dX (None when ``need_dx`` is False,
        which saves the first layer's matrix product during training).
        """
        if dout is None:
            dout = self.loss_layer.backward()
        for k in range(len(self.layers) - 1, -1, -1):
            dout = self.layers[k].backward(dout, need_dx=need_dx or k > 0)
        return dout

    # --- prediction ------------------------------------------------------------------------

    def predict(self, X):
        """Class labels (classification) or outputs (regression), in evaluation mode."""
        return self.loss_layer.predict(self.forward(X, train=False))

    def predict_proba(self, X):
        """Class probabilities of shape (n, K), in evaluation mode."""
        if not self.loss_layer.is_classifier:
            raise TypeError("predict_proba needs a classification loss (softmax or sigmoid)")
        return self.loss_layer.predict_proba(self.forward(X, train=False))

    def accuracy(self, X, y):
        """Share of samples whose predicted class equals the label y."""
        return self.score_accuracy(self.forward(X, train=False), y)

    def score_accuracy(self, scores, y):
        """Accuracy of output scores already computed (saves a second forward pass)."""
        pred = self.loss_layer.predict(scores)
        return float(np.mean(pred == as_labels(class_labels(y), pred.shape[0])))

    # --- parameters ------------------------------------------------------------------------

    def params(self):
        """All parameters as {"<layer>.<name>": array}; the arrays are the live ones."""
        return {f"{k}.{name}": p for k, layer in enumerate(self.layers)
                for name, p in layer.params.items()}

    def grads(self):
        """All gradients, with the same names as ``params()``."""
        return {f"{k}.{name}": g for k, layer in enumerate(self.layers)
                for name, g in layer.grads.items()}

    def param_vector(self):
        """(θ, ∂L/∂θ, is_weight): every parameter and gradient as one flat vector.

        The layers' arrays are views onto θ and ∂L/∂θ, so updating θ in place updates every
        layer. ``is_weight`` is 1.0 where θ holds an entry of a weight matrix (L2 weight decay
        applies there, slide 39) and 0.0 for biases. If a layer has since replaced one of
        its arrays (``self.grads["W"] = dout.T @ x``, as a student naturally writes) or was
        packed into another network, θ is packed again, keeping the current values.
        """
        if self.has_unpacked_arrays():
            self._pack_parameters()
        return self._theta, self._grad_theta, self._is_weight

    def has_unpacked_arrays(self):
        """True when some parameter or gradient array is not a view onto θ (a layer replaced
        it instead of writing into it, or another network packed it)."""
        grads = self.grads()
        return any(p.base is not self._theta or grads[name].base is not self._grad_theta
                   for name, p in self.params().items())

    def _pack_parameters(self):
        """Copy every parameter and gradient into one vector each (θ, ∂L/∂θ) and make the
        layers' arrays views onto them."""
        owners = [(layer.params, layer.grads, name)
                  for layer in _layers_with_params(self.layers) for name in layer.params]
        sizes = [params[name].size for params, _, name in owners]
        dtype = np.result_type(np.float64, *(params[name] for params, _, name in owners))
        self._theta = np.zeros(sum(sizes), dtype=dtype)
        self._grad_theta = np.zeros_like(self._theta)
        self._is_weight = np.zeros_like(self._theta)
        start = 0
        for (params, grads, name), size in zip(owners, sizes):
            window = slice(start, start + size)
            shape = params[name].shape
            self._theta[window] = params[name].ravel()
            self._is_weight[window] = 1.0 if len(shape) >= 2 else 0.0
            if name in grads and np.shape(grads[name]) == shape:
                self._grad_theta[window] = np.ravel(grads[name])
            params[name] = self._theta[window].reshape(shape)
            grads[name] = self._grad_theta[window].reshape(shape)
            start += size

    @property
    def n_params(self):
        """Total number of trainable numbers."""
        return sum(p.size for p in self.params().values())

    def state_dict(self):
        """A copy of every parameter and of BatchNorm running statistics."""
        state = {name: p.copy() for name, p in self.params().items()}
        for name, layer in _named_layers(self.layers):
            if isinstance(layer, BatchNorm):  # also inside blocks such as Residual
                state[f"{name}.running_mean"] = layer.running_mean.copy()
                state[f"{name}.running_var"] = layer.running_var.copy()
        return state

    def load_state_dict(self, state):
        """Copy values from ``state`` (as returned by ``state_dict``) into the network."""
        params = self.params()
        missing = set(params) - set(state)
        if missing:
            raise ValueError(f"state is missing parameters {sorted(missing)}")
        for name, p in params.items():
            if state[name].shape != p.shape:
                raise ValueError(f"{name}: state has shape {state[name].shape}, network {p.shape}")
            p[...] = state[name]
        for name, layer in _named_layers(self.layers):
            if isinstance(layer, BatchNorm) and f"{name}.running_mean" in state:
                layer.running_mean = state[f"{name}.running_mean"].copy()
                layer.running_var = state[f"{name}.running_var"].copy()

    def summary(self):
        """A readable table, in Japanese for the notebooks: one row per layer with its number,
        name and parameter count (番号, 層, パラメータ数), then the loss (損失) and the total
        (パラメータ数の合計)."""
        # the header is padded by hand: a Japanese character takes two columns of a terminal
        lines = ["番号  層" + " " * 32 + "パラメータ数"]
        for k, layer in enumerate(self.layers):
            count = sum(p.size for p in layer.params.values())
            lines.append(f"{k:>4}  {repr(layer):<34}{count:>12}")
        lines.append(f"      損失: {type(self.loss_layer).__name__}")
        lines.append(f"      パラメータ数の合計: {self.n_params}")
        return "\n".join(lines)

    def __repr__(self):
        return self.summary()


def class_labels(y):
    """Class labels from labels (n,), one-hot targets (n, K) or a 0/1 column (n, 1)."""
    y = np.asarray(y)
    if y.ndim == 2:
        return y.argmax(axis=1) if y.shape[1] > 1 else y[:, 0]
    return y


def _named_layers(layers, prefix=""):
    """(name, layer) for every layer, inside blocks too: "2" for the third layer, "2.0" for
    the first layer of a Residual block in third place (the names ``params()`` uses)."""
    for k, layer in enumerate(layers):
        name = f"{prefix}{k}"
        yield name, layer
        if hasattr(layer, "layers"):
            yield from _named_layers(layer.layers, prefix=f"{name}.")


def _layers_with_params(layers):
    """The layers that own parameter arrays, looking inside blocks such as Residual."""
    for layer in layers:
        if hasattr(layer, "layers"):
            yield from _layers_with_params(layer.layers)
        elif layer.params:
            yield layer


def build_mlp(sizes, activation="relu", loss="softmax_cross_entropy", init=None,
              seed=0, dropout=0.0, batchnorm=False):
    """A multilayer perceptron with layer widths ``sizes``, e.g. (64, 100, 10).

    Each hidden layer is Linear -> [BatchNorm] -> activation -> [Dropout]; the last layer is
    Linear only (the loss layer applies softmax or sigmoid). ``init`` defaults to He for
    ReLU-like activations and Xavier for sigmoid/tanh (slide 35 context). One seed fixes
    every initial weight and dropout mask.
    """
    sizes = [check_positive_int(s, "layer size") for s in sizes]
    check_bool(batchnorm, "batchnorm")
    if len(sizes) < 2:
        raise ValueError(f"sizes needs an input and an output width, got {sizes}")
    activation_layer(activation)  # fails early with a clear message for an unknown name
    check_in_range(dropout, "dropout rate", 0.0, 1.0)
    if init is None:
        init = "xavier" if activation in ("sigmoid", "tanh") else "he"
    rng = as_rng(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Linear(n_in, n_out, init=init, seed=rng))
        if k == len(sizes) - 2:
            break
        if batchnorm:
            layers.append(BatchNorm(n_out))
        layers.append(activation_layer(activation))
        if dropout > 0:
            layers.append(Dropout(dropout, seed=rng))
    return Sequential(layers, loss=loss)
