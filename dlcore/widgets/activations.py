"""Notebook 06's widget: activation functions (slides 28, 34-36).

- ``ACTIVATIONS``: the four activations of the notebook with their derivatives from
  ``dlcore.functions`` (sigmoid, tanh, ReLU, Leaky ReLU with slope 0.03).
- ``activation_curves``: f(u) and f'(u) on a grid of u.
- ``compute_activation_fit`` / ``draw_activation_fit`` / ``show_activation_fit``: an
  activation -> its shape and derivative, plus a 1-hidden-layer network with that activation
  fitted to sin(x) on [-π, π] (MSE loss, full batch, Adam: gradient descent improved as in
  notebook 08, so that a few hundred updates suffice).
- ``compare_activations``: the final MSE of every activation for several seeds.
"""

import itertools
from collections.abc import Iterable

import numpy as np

from .. import functions as F
from ..checks import as_float_array, check_int_in_range, check_positive, check_seed
from ..network import build_mlp
from ..optimizers import Adam
from . import interactive_view

__all__ = [
    "ACTIVATIONS", "ACTIVATION_LABELS", "U_GRID", "X_FIT", "MAX_HIDDEN", "MAX_STEPS",
    "MAX_SEEDS", "target_function",
    "activation_curves", "compute_activation_fit", "draw_activation_fit",
    "show_activation_fit", "compare_activations",
]

ACTIVATIONS = {
    "sigmoid": (F.sigmoid, F.sigmoid_grad),
    "tanh": (F.tanh, F.tanh_grad),
    "relu": (F.relu, F.relu_grad),
    "leaky_relu": (F.leaky_relu, F.leaky_relu_grad),
}
"""name -> (f, f') from dlcore.functions (slides 28, 35):
sigmoid σ(u) = 1/(1 + e^{-u}), σ' = σ(1 - σ);  tanh, tanh' = 1 - tanh²;
ReLU max(0, u), derivative 1 (u > 0) or 0;  Leaky ReLU u or 0.03 u, derivative 1 or 0.03."""

ACTIVATION_LABELS = {
    "sigmoid": "シグモイド",
    "tanh": "tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
}
"""Japanese names for titles and the widget's buttons."""

U_GRID = np.linspace(-4.0, 4.0, 161)
"""Inputs u at which the widget draws f(u) and f'(u)."""

X_FIT = np.linspace(-np.pi, np.pi, 100)
"""The 100 training inputs x of the fit (full batch)."""
U_GRID.flags.writeable = X_FIT.flags.writeable = False  # shared by every call

MAX_HIDDEN, MAX_STEPS, MAX_SEEDS = 256, 10_000, 20
"""Largest hidden layer, number of updates and number of seeds of ``compare_activations``
(the widget's sliders stop at 30 units and 1600 updates; the notebook compares 10 seeds;
the largest run takes a few seconds)."""


def target_function(x):
    """The 1-D target the widget's network learns: y = sin(x) on [-π, π]."""
    return np.sin(x)


def _check_activation(activation):
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}")
    return activation


def activation_curves(activation, u=U_GRID):
    """f(u) and f'(u) of one activation (slides 28, 35), from dlcore.functions.

    Returns {"u", "f", "df"}: arrays shaped like ``u``.
    """
    f, df = ACTIVATIONS[_check_activation(activation)]
    u = as_float_array(u, "u").copy()
    return {"u": u, "f": f(u), "df": df(u)}


def compute_activation_fit(activation="tanh", hidden=16, steps=800, lr=0.01, seed=0):
    """Fit y = sin(x) on [-π, π] with a 1-hidden-layer network 1 -> hidden -> 1.

    o = W¹ f(W⁰x + b⁰) + b¹ with f = ``activation``; loss L = (1/n) Σ (y - o)² (slide 16,
    as a mean); ``steps`` full-batch Adam updates with learning rate ``lr`` (slide 33,
    notebook 08: gradient descent with momentum and a step size per weight),
    weights initialized by build_mlp (Xavier for sigmoid/tanh, He for ReLU-like) from ``seed``.

    Returns {"activation", "hidden", "steps", "lr", "u", "f", "df" (the activation's curves),
    "x", "y" (training data), "fitted" (the network's output at x), "mse" (final L),
    "history" (L before each update)}.
    """
    _check_activation(activation)
    hidden = check_int_in_range(hidden, "hidden (number of hidden units)", 1, MAX_HIDDEN)
    steps = check_int_in_range(steps, "steps", 1, MAX_STEPS)
    lr = check_positive(lr, "learning rate lr")
    seed = check_seed(seed)
    X = X_FIT[:, None]
    y = target_function(X)
    model = build_mlp((1, hidden, 1), activation=activation, loss="mse", seed=seed)
    opt = Adam(lr)
    theta, grad_theta, is_weight = model.param_vector()  # every parameter in one vector
    history = np.empty(steps)
    for t in range(steps):
        history[t] = model.loss(X, y)
        model.backward(need_dx=False)
        opt.step_vector(theta, grad_theta, is_weight)  # one Adam update of all weights
    fitted = model.predict(X)
    return {"activation": activation, "hidden": hidden, "steps": steps, "lr": lr,
            **activation_curves(activation), "x": X_FIT.copy(), "y": y[:, 0],
            "fitted": fitted[:, 0],
            "mse": F.mse_loss(fitted, y), "history": history}


def draw_activation_fit(ax, activation="tanh", hidden=16, steps=800, lr=0.01, seed=0):
    """Left: f(u) and f'(u) of the activation. Right: sin(x) and the fitted network output.

    The given Axes is split in two (inset axes), so the same function draws the widget and
    one panel of a contact sheet; the title reports the seed and the final MSE.
    """
    r = compute_activation_fit(activation, hidden, steps, lr, seed)
    ax.set_axis_off()
    left = ax.inset_axes([0.0, 0.0, 0.40, 0.92])
    right = ax.inset_axes([0.55, 0.0, 0.45, 0.92])
    left.axhline(0, color="gray", lw=0.6)
    left.axvline(0, color="gray", lw=0.6)
    left.plot(r["u"], r["f"], color="tab:blue", label="$f(u)$")
    left.plot(r["u"], r["df"], color="tab:red", ls="--", label="$f'(u)$")
    left.set(xlim=(-4, 4), ylim=(-1.3, 2.3), xticks=[-4, -2, 0, 2, 4], yticks=[-1, 0, 1, 2],
             xlabel="入力 $u$", ylabel="値")
    left.legend(loc="upper left", fontsize=8)
    right.plot(r["x"], r["y"], color="gray", lw=3, alpha=0.5, label=r"目標 $\sin x$")
    right.plot(r["x"], r["fitted"], color="tab:green", label="ネットワーク")
    right.set(xlim=(-np.pi, np.pi), ylim=(-1.4, 1.4), xticks=[-3, -2, -1, 0, 1, 2, 3],
              yticks=[-1, 0, 1], xlabel="入力 $x$", ylabel="出力 $o$")
    right.legend(loc="upper left", fontsize=8)
    ax.set_title(f"{ACTIVATION_LABELS[activation]}（隠れ層のニューロン {r['hidden']} 個、"
                 f"{r['steps']} 回、種 {seed}）  MSE = {r['mse']:.4f}", fontsize=10)


def show_activation_fit():
    """Activation buttons, sliders for hidden units, steps and the seed of the initial
    weights, and a logarithmic learning rate.

    Each redraw trains a small network (800 updates, about 0.1 s), so sliders update on
    release.
    """
    import ipywidgets as widgets

    from . import log_slider

    controls = {
        "activation": widgets.ToggleButtons(
            options=[(ACTIVATION_LABELS[k], k) for k in ACTIVATIONS], value="tanh",
            description="活性化関数"),
        "hidden": widgets.IntSlider(value=16, min=2, max=30, description="隠れ層のニューロン数"),
        "steps": widgets.IntSlider(value=800, min=100, max=1600, step=100,
                                   description="更新回数"),
        "lr": log_slider("学習率 η", 0.01, -3, -0.5),
        "seed": widgets.IntSlider(value=0, min=0, max=9, description="乱数の種"),
    }
    return interactive_view(draw_activation_fit, controls, heavy=True, figsize=(8, 3.6))


def compare_activations(seeds=range(10), hidden=16, steps=800, lr=0.01):
    """The final MSE of ``compute_activation_fit`` for every activation and seed.

    Returns {"seeds": array (S,), "names": list of the activations (A,), "mse": array (S, A)}.
    """
    if isinstance(seeds, str) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a list of integer seeds, got {seeds!r}")
    seeds = list(itertools.islice(seeds, MAX_SEEDS + 1))  # never more: seeds may be huge
    if not 1 <= len(seeds) <= MAX_SEEDS:
        raise ValueError(f"seeds must hold 1 to {MAX_SEEDS} seeds, got "
                         f"{'none' if not seeds else 'more'}")
    seeds = [check_seed(s, "each of seeds") for s in seeds]
    names = list(ACTIVATIONS)
    mse = np.array([[compute_activation_fit(name, hidden, steps, lr, seed)["mse"]
                     for name in names] for seed in seeds])
    return {"seeds": np.array(seeds), "names": names, "mse": mse}
