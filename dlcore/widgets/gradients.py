"""Notebook 09's widget and helpers: vanishing and exploding gradients (slides 27, 34-35).

Backpropagation multiplies one factor per layer (slide 27): going back through layer k
multiplies the error by f'(u^k) and by W^k. With sigmoid, f' <= 1/4, so through many layers
the product shrinks (勾配消失, slide 34); with too large weights it grows (勾配爆発).
Slide 35's remedies: ReLU / Leaky ReLU, and shortcuts (ResNet). The notebook adds He and
Xavier initialization, which keep the variance of the signal the same in every layer.

- ``build_deep_net``: a deep MLP on the 8x8 digits, optionally with Residual shortcuts.
- ``linear_layers`` / ``layer_gradient_norms``: ||∂L/∂W^k|| for every Linear layer k.
- ``activation_statistics``: per hidden layer, the outputs and the share of units that pass
  (almost) no gradient, f'(u) < 0.01 (saturated sigmoid, ReLU output 0).
- ``initial_gradient_norms``: the per-layer norms of a freshly initialized network.
- ``compute_gradient_flow`` / ``draw_gradient_flow`` / ``show_gradient_flow``: depth,
  activation, initialization and shortcut -> gradient norms per layer (at initialization
  and after a short run) and the training curve of that run.
"""

import copy
import numbers
from functools import lru_cache

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..checks import check_int_in_range, check_positive, check_positive_int, check_seed
from ..datasets import load_digits_split
from ..initializers import normal
from ..layers import ACTIVATIONS as ACTIVATION_LAYERS
from ..layers import Linear, Residual, activation_layer
from ..network import Sequential, build_mlp
from ..optimizers import SGD
from ..plotting import plot_gradient_norms
from ..training import TrainingDiverged, one_blas_thread, train
from . import interactive_view

__all__ = [
    "ACTIVATION_NAMES", "ACTIVATION_LABELS", "INIT_CHOICES", "BLOCKED_THRESHOLD", "MAX_DEPTH",
    "MAX_WIDTH", "MAX_WORK", "MAX_UPDATES",
    "N_INPUTS", "N_CLASSES", "CHANCE_LOSS", "LOSS_AXIS_MAX", "default_init", "init_label",
    "digits_subset", "build_deep_net", "linear_layers", "layer_gradient_norms", "activation_statistics", "initial_gradient_norms",
    "compute_gradient_flow", "draw_gradient_flow", "show_gradient_flow",
]

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu")
"""Hidden-layer activations the widget offers (slides 28, 34-35; tanh as in notebook 06)."""

ACTIVATION_LABELS = {
    "sigmoid": "シグモイド",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
}
"""Japanese names for titles and buttons."""

INIT_CHOICES = ("xavier", "he", 0.01, 0.1, 1.0)
"""Initializations of the widget: Xavier W ~ N(0, 2/(n_in + n_out)), He W ~ N(0, 2/n_in),
or a number s for W ~ N(0, s²) (dlcore.initializers.normal(s))."""

BLOCKED_THRESHOLD = 0.01
"""A unit "blocks" the gradient for a sample when f'(u) < 0.01: for the sigmoid this is
σ(u)(1 - σ(u)) < 0.01, i.e. an output below about 0.01 or above about 0.99 (saturated,
slide 34); for ReLU an output of 0 (f' = 0, slide 35); Leaky ReLU (f' >= 0.03) never blocks."""

MAX_DEPTH = 30
"""Largest number of hidden layers ``build_deep_net`` accepts."""

MAX_WIDTH = 512
"""Largest width of the hidden layers ``build_deep_net`` accepts (30 such layers hold
8 million weights)."""

MAX_WORK, MAX_UPDATES = 3e9, 2000
"""Largest training run of ``compute_gradient_flow``: epochs × n_train × (number of weights)
products and epochs × ceil(n_train / batch_size) SGD updates. The widget and the notebook
use 5 × 500 × about 12 000 = 3e7 and 80; the largest run allowed takes a few seconds."""

N_INPUTS, N_CLASSES = 64, 10
"""The digits have 8x8 = 64 pixels and 10 classes."""

CHANCE_LOSS = float(np.log(N_CLASSES))
"""Cross-entropy of guessing, p = 1/10 for every class: log 10 ≈ 2.30."""

LOSS_AXIS_MAX = 8.0
"""The loss axis of the widget stops here, so a huge diverging loss does not hide the rest."""


# --- settings ------------------------------------------------------------------------------

def _check_activation(activation):
    if not isinstance(activation, str) or activation not in ACTIVATION_NAMES:
        raise ValueError(
            f"unknown activation {activation!r}; choose one of {list(ACTIVATION_NAMES)}")
    return activation


def _check_depth(depth):
    depth = check_positive_int(depth, "depth (number of hidden layers)")
    if depth > MAX_DEPTH:
        raise ValueError(f"depth must be at most {MAX_DEPTH}, got {depth}")
    return depth


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def default_init(activation):
    """The initialization build_mlp uses by default: Xavier for sigmoid/tanh, He otherwise."""
    return "xavier" if _check_activation(activation) in ("sigmoid", "tanh") else "he"


def _initializer(init, activation):
    """("he" | "xavier" | a callable, label) for ``init`` = None, a name or a std s > 0."""
    if init is None:
        init = default_init(activation)
    if isinstance(init, str):
        if init not in ("he", "xavier"):
            raise ValueError(f"unknown initialization {init!r}; use 'he', 'xavier' or a "
                             "positive standard deviation such as 0.01")
        return init, init_label(init)
    if isinstance(init, numbers.Real) and not isinstance(init, bool):
        check_positive(init, "initial weight standard deviation")
        return normal(float(init)), init_label(init)
    raise TypeError(f"init must be 'he', 'xavier' or a positive number, got {init!r}")


def init_label(init):
    """A short label for an initialization: "Xavier", "He" or "N(0, s²)" for a std s."""
    if isinstance(init, str):
        return {"he": "He", "xavier": "Xavier"}.get(init, init)
    return f"N(0, {init:g}²)"


@lru_cache(maxsize=1)
def _digits():
    split = load_digits_split(val_size=0.2, seed=0)
    for a in (split.X_train, split.y_train, split.X_val, split.y_val):
        a.flags.writeable = False  # cached: nobody may change them
    return split


def digits_subset(n_train=500):
    """The first ``n_train`` training digits (standardized) and the 360 validation digits.

    Returns (X_train, y_train, X_val, y_val); the split is
    load_digits_split(val_size=0.2, seed=0), as in notebook 09. The test part is never used
    here: the widget only compares settings, which is the validation data's job (slide 38).
    """
    split = _digits()
    n_train = check_positive_int(n_train, "n_train")
    if not 10 <= n_train <= len(split.X_train):
        raise ValueError(f"n_train must be between 10 and {len(split.X_train)}, got {n_train}")
    return split.X_train[:n_train], split.y_train[:n_train], split.X_val, split.y_val


# --- the network ---------------------------------------------------------------------------

def build_deep_net(depth=10, width=32, activation="sigmoid", init=None, shortcut=False,
                   seed=0):
    """A deep MLP for the digits: 64 -> width (x depth hidden layers) -> 10.

    Without shortcut this is ``build_mlp((64,) + (width,) * depth + (10,), activation, init)``:
    o^k = f(W^k o^{k-1} + b^k). With ``shortcut`` (slide 35, ResNet) hidden layers 2..depth
    become Residual blocks o^k = o^{k-1} + f(W^k o^{k-1} + b^k): "一部の層に対してそれを通す
    入力と通さない入力を2つ取り入れる". Both versions draw the same initial weights from
    ``seed``, so they differ only by the shortcuts. ``init`` is None (Xavier for sigmoid/tanh,
    He for ReLU-like), "he", "xavier" or a standard deviation s for W ~ N(0, s²).
    """
    depth = _check_depth(depth)
    width = check_int_in_range(width, "width", 1, MAX_WIDTH)
    _check_activation(activation)
    shortcut = _check_bool(shortcut, "shortcut")
    initializer, _ = _initializer(init, activation)
    sizes = (N_INPUTS,) + (width,) * depth + (N_CLASSES,)
    if not shortcut:
        return build_mlp(sizes, activation=activation, init=initializer, seed=seed)
    rng = np.random.default_rng(seed)  # the same draws, in the same order, as build_mlp
    layers = [Linear(N_INPUTS, width, init=initializer, seed=rng), activation_layer(activation)]
    for _ in range(depth - 1):
        layers.append(Residual(Linear(width, width, init=initializer, seed=rng),
                               activation_layer(activation)))
    layers.append(Linear(width, N_CLASSES, init=initializer, seed=rng))
    return Sequential(layers)


def linear_layers(model):
    """The Linear layers of ``model`` from the input to the output, also inside Residual blocks."""
    found = []
    for layer in model.layers:
        if isinstance(layer, Linear):
            found.append(layer)
        elif isinstance(layer, Residual):
            found.extend(inner for inner in layer.layers if isinstance(inner, Linear))
    return found


def layer_gradient_norms(model, X, y):
    """||∂L/∂W^k|| (Frobenius norm, sqrt of the sum of squares) for every Linear layer k.

    One forward pass, the loss L on (X, y) and one backward pass (slides 22-27); returns an
    array with one norm per layer, first layer first. Overflow in a network with too large
    weights gives inf or nan entries instead of a warning.
    """
    with one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):
        model.loss(X, y)
        model.backward(need_dx=False)
        return np.array([np.sqrt(np.sum(layer.grads["W"] ** 2))
                         for layer in linear_layers(model)])


def activation_statistics(model, X):
    """For every activation layer of ``model`` (top level), what its units pass back.

    Runs X forward in evaluation mode and returns a list (first hidden layer first) of dicts
    {"name", "output" (o^k, shape (n, width)), "blocked" (share of (sample, unit) pairs with
    f'(u) < BLOCKED_THRESHOLD), "dead_units" (units with f'(u) < BLOCKED_THRESHOLD for every
    sample: a dead ReLU, or a sigmoid saturated for all inputs)}. f'(u) is the local gradient
    the dlcore activation layer keeps for backward (slides 34-35).
    """
    out = X
    stats = []
    with one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):
        for layer in model.layers:
            out = layer.forward(out, train=False)
            if type(layer) in ACTIVATION_LAYERS.values():
                blocked = np.broadcast_to(layer.local_grad < BLOCKED_THRESHOLD, out.shape)
                stats.append({"name": type(layer).__name__, "output": out,
                              "blocked": float(np.mean(blocked)),
                              "dead_units": int(np.sum(np.all(blocked, axis=0)))})
    return stats


def initial_gradient_norms(depth=10, activation="sigmoid", init=None, shortcut=False,
                           width=32, n_train=500, seed=0):
    """||∂L/∂W^k|| of a freshly built ``build_deep_net(...)`` on the first n_train digits."""
    X, y, _, _ = digits_subset(n_train)
    model = build_deep_net(depth, width, activation, init, shortcut, seed)
    return layer_gradient_norms(model, X, y)


# --- the widget ----------------------------------------------------------------------------

def compute_gradient_flow(depth=10, activation="sigmoid", init=None, shortcut=False,
                          width=32, epochs=5, lr=0.1, batch_size=32, n_train=500, seed=0):
    """Gradient norms per layer and a short training run of ``build_deep_net(...)``.

    Trains with mini-batch SGD (slide 29), W ← W - η ∂L/∂W, for ``epochs`` epochs on the first
    ``n_train`` digits. A run whose loss becomes inf/nan (dlcore's TrainingDiverged, e.g.
    after too large initial weights: 勾配爆発, slide 34) stops and is reported as diverged.

    Returns {"depth", "activation", "init" (label), "shortcut", "norms_init" (one norm per
    Linear layer, at initialization), "norms_trained" (after training; None if diverged),
    "ratio_init" (first layer's norm / last layer's norm at initialization), "loss" (training
    loss at epoch 0, 1, ..., as far as the run got), "val_acc" (accuracy on the 360
    validation digits after training; None if diverged), "diverged" (bool), "diverged_epoch" (or None)}.
    Sizes are capped (MAX_DEPTH, MAX_WIDTH, MAX_WORK, MAX_UPDATES) so that a run takes
    seconds at most; every call returns its own copy of the (cached) result.
    """
    depth = _check_depth(depth)
    _initializer(init, _check_activation(activation))
    shortcut = _check_bool(shortcut, "shortcut")
    width = check_int_in_range(width, "width", 1, MAX_WIDTH)
    epochs = check_positive_int(epochs, "epochs")
    lr = check_positive(lr, "learning rate lr")
    batch_size = check_positive_int(batch_size, "batch_size")
    n_train = len(digits_subset(n_train)[0])
    updates = epochs * -(-n_train // batch_size)
    if updates > MAX_UPDATES:
        raise ValueError(f"epochs × ceil(n_train / batch_size) = {updates} updates, more than "
                         f"{MAX_UPDATES}: use fewer epochs or a larger batch_size")
    n_weights = N_INPUTS * width + (depth - 1) * width**2 + width * N_CLASSES
    if epochs * n_train * n_weights > MAX_WORK:
        raise ValueError(f"epochs × n_train × weights = {epochs * n_train * n_weights:.2g}, "
                         f"more than {MAX_WORK:g} (seconds of training): use fewer epochs, "
                         "a smaller depth or width, or fewer digits n_train")
    seed = check_seed(seed)
    with one_blas_thread():  # the cached result is never handed out: a copy is
        return copy.deepcopy(_gradient_flow(depth, activation, init, shortcut, width, epochs,
                                            lr, batch_size, n_train, seed))


@lru_cache(maxsize=32)
def _gradient_flow(depth, activation, init, shortcut, width, epochs, lr, batch_size, n_train,
                   seed):
    """compute_gradient_flow without the thread limit and the checks. Runs are deterministic,
    so the last few are remembered: the contact sheet, the widget and the checks that follow
    them share one run per setting."""
    X, y, X_val, y_val = digits_subset(n_train)
    _, label = _initializer(init, _check_activation(activation))
    model = build_deep_net(depth, width, activation, init, shortcut, seed)

    norms_init = layer_gradient_norms(model, X, y)
    with np.errstate(over="ignore", invalid="ignore"):
        losses = [model.loss(X, y, train=False)]
    diverged_epoch = None
    if np.isfinite(losses[0]):
        def record(epoch, history):
            losses.append(history.train_loss[-1])

        try:
            train(model, SGD(lr), X, y, epochs=epochs, batch_size=batch_size, seed=seed,
                  callback=record)
        except TrainingDiverged:
            diverged_epoch = len(losses)
    else:
        diverged_epoch = 0
    diverged = diverged_epoch is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = float(norms_init[0] / norms_init[-1])
    return {
        "depth": depth, "activation": activation, "init": label, "shortcut": bool(shortcut),
        "norms_init": norms_init,
        "norms_trained": None if diverged else layer_gradient_norms(model, X, y),
        "ratio_init": ratio,
        "loss": np.array(losses),
        "val_acc": None if diverged else model.accuracy(X_val, y_val),
        "diverged": diverged, "diverged_epoch": diverged_epoch,
    }


def draw_gradient_flow(ax, depth=10, activation="sigmoid", init=None, shortcut=False,
                       epochs=5):
    """Left: ||∂L/∂W^k|| per layer at initialization and after training (log scale).
    Right: the training loss per epoch. The Axes is split in two (inset axes), so the same
    function draws the widget and one panel of a contact sheet.
    """
    r = compute_gradient_flow(depth, activation, init, shortcut, epochs=epochs)
    ax.set_axis_off()
    left = ax.inset_axes([0.0, 0.0, 0.42, 0.86])
    right = ax.inset_axes([0.58, 0.0, 0.42, 0.86])

    def finite(values):
        return np.where(np.isfinite(values), values, np.nan)

    norms = {"初期値": finite(r["norms_init"])}
    if r["norms_trained"] is not None:
        norms["学習後"] = finite(r["norms_trained"])
    plot_gradient_norms(norms, ax=left, title="")
    left.set_ylim(*_norm_limits(np.concatenate(list(norms.values()))))
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_xlabel("層 $k$（入力側 → 出力側）", fontsize=8)
    left.set_ylabel(r"$\|\partial L / \partial W^k\|$", fontsize=8)
    left.tick_params(labelsize=7)
    left.legend(fontsize=7)

    loss = r["loss"]
    right.plot(np.arange(len(loss)), loss, "o-", color="tab:green", ms=3, label="訓練データ")
    right.axhline(CHANCE_LOSS, color="gray", ls=":", label="当てずっぽう")
    if r["diverged"]:
        right.text(0.5, 0.5, f"エポック {r['diverged_epoch']} で発散\n（学習前の損失 {loss[0]:.1e}）",
                   transform=right.transAxes, ha="center", va="center", color="tab:red",
                   fontsize=9)
        status = "発散"
    else:
        status = f"検証正解率 {r['val_acc']:.0%}"
    top = min(max(np.max(loss[np.isfinite(loss)], initial=0.0), 2.5), LOSS_AXIS_MAX)
    right.set(xlim=(-0.3, epochs + 0.3), ylim=(0, 1.05 * top))
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_xlabel("エポック", fontsize=8)
    right.set_ylabel("損失 $L$", fontsize=8)
    right.tick_params(labelsize=7)
    right.legend(fontsize=7, loc="lower left")  # the loss starts high: the lower left is free
    right.grid(alpha=0.3)
    short = "あり" if r["shortcut"] else "なし"
    ax.set_title(f"{ACTIVATION_LABELS[activation]}, {r['init']}, {depth} 層, ショートカット{short}"
                 f"\n最初/最後の層の勾配比 {r['ratio_init']:.1e}, {status}", fontsize=9)


def _norm_limits(values, min_decades=4):
    """y-limits of a log axis around the finite positive ``values``, at least 10^4 wide."""
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return 1e-4, 1.0
    lo, hi = np.log10(values.min()), np.log10(values.max())
    pad = max(0.3, (min_decades - (hi - lo)) / 2)
    return 10 ** (lo - pad), 10 ** (hi + pad)


def show_gradient_flow():
    """Depth slider, activation buttons, initialization menu and a shortcut check box.

    Each redraw builds and trains a deep network on 500 digits for 5 epochs (well under
    1 s), so the view redraws when a slider is released (heavy=True).
    """
    import ipywidgets as widgets

    controls = {
        "depth": widgets.IntSlider(value=10, min=1, max=20, description="隠れ層の数"),
        "activation": widgets.ToggleButtons(
            options=[(ACTIVATION_LABELS[k], k) for k in ACTIVATION_NAMES], value="sigmoid",
            description="活性化関数"),
        "init": widgets.Dropdown(
            options=[(init_label(choice), choice) for choice in INIT_CHOICES],
            value="xavier", description="重みの初期値"),
        "shortcut": widgets.Checkbox(value=False, description="ショートカット"),
    }
    return interactive_view(draw_gradient_flow, controls, heavy=True, figsize=(9, 4))
