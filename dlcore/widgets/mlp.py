"""Notebook 02's pictures and widgets: the two-layer perceptron (slides 7-13).

    draw_two_layer_diagram     slides 7-9's network with every w^k_ij, u^k_i labelled
    step_network               o⁰ = step(W⁰x + b⁰), o = step(W¹o⁰ + b¹) (slides 10, 13)
    compute_step_regions       N random hidden lines cut the plane into regions (slide 10)
    compute_bump_approximation N sigmoid "bumps" approximate a target function (slide 11)
    compute_bump_challenge     the student sets 5 bump heights by hand (slide 11)

Conventions as in dlcore.layers.Linear: W^k has shape (out, in), W[i, j] = w^k_ij is the
weight from neuron j of the current layer to neuron i of the next one (slide 8), and the
bias (the weight of the constant input x_0 = 1) is kept as a separate vector b^k.
"""


import numpy as np

from ..checks import (
    as_float_array,
    check_finite,
    check_int_in_range,
    check_positive,
    check_positive_int,
)
from ..datasets import make_2d_dataset
from ..functions import step
from ..layers import Linear, Sigmoid
from ..network import Sequential
from . import interactive_view

__all__ = [
    "draw_two_layer_diagram", "step_network",
    "MAX_HIDDEN", "DATASETS", "DATA_NOISE", "compute_step_regions", "draw_step_network",
    "draw_step_regions", "show_step_regions",
    "target_function", "X_TARGET", "MAX_STEEPNESS", "EDGE_MARGIN", "bump_edges",
    "build_bump_network",
    "compute_bump_approximation", "draw_bump_approximation", "show_bump_approximation",
    "CHALLENGE_BUMPS", "CHALLENGE_STEEPNESS", "CHALLENGE_BOUND", "compute_bump_challenge",
    "draw_bump_challenge", "show_bump_challenge",
]


# --- slides 7-9: the labelled diagram --------------------------------------------------------

def draw_two_layer_diagram(ax):
    """Draw slides 7-9's network: inputs x_0 = 1, x_1, x_2 (layer 0), hidden u^0_0, u^0_1
    (layer 1), output u^1_0 (layer 2); each edge carries its weight w^k_ij
    (k: layer the edge leaves, i: neuron of the next layer, j: neuron of this layer).

    u^0_i = Σ_j w^0_ij x_j,  o^0_i = f^0(u^0_i),  u^1_0 = Σ_j w^1_0j o^0_j,  o = f^1(u^1_0).
    """
    inputs = {0: (0.0, 2.0), 1: (0.0, 1.0), 2: (0.0, 0.0)}
    hidden = {0: (3.0, 1.6), 1: (3.0, 0.4)}
    output = (6.0, 1.0)
    node = dict(s=1500, zorder=3, edgecolors="k", linewidths=1.2)
    label = dict(ha="center", va="center", fontsize=12, zorder=4)
    edge_text = dict(ha="center", va="center", fontsize=11, zorder=5,
                     bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
    # weights into the hidden layer: label the edges into u^0_0 near their start and the
    # edges into u^0_1 near their end, so that the six labels do not overlap
    for i, (hx, hy) in hidden.items():
        for j, (ix, iy) in inputs.items():
            ax.annotate("", xy=(hx - 0.32, hy + (iy - hy) * 0.1), xytext=(ix + 0.3, iy),
                        arrowprops=dict(arrowstyle="-|>", color="gray", lw=1.2), zorder=1)
            t = 0.3 if i == 0 else 0.68
            ax.text(ix + t * (hx - ix), iy + t * (hy - iy), f"$w^0_{{{i}{j}}}$",
                    color="tab:blue", **edge_text)
    for j, (hx, hy) in hidden.items():
        ax.annotate("", xy=(output[0] - 0.32, output[1] + (hy - output[1]) * 0.1),
                    xytext=(hx + 0.3, hy),
                    arrowprops=dict(arrowstyle="-|>", color="gray", lw=1.2), zorder=1)
        ax.text(hx + 0.5 * (output[0] - hx), hy + 0.5 * (output[1] - hy) + 0.12,
                f"$w^1_{{0{j}}}$", color="tab:red", **edge_text)
    ax.annotate("", xy=(7.3, output[1]), xytext=(output[0] + 0.35, output[1]),
                arrowprops=dict(arrowstyle="-|>", color="k", lw=1.2))
    ax.text(7.45, output[1], "$o = f^1(u^1_0)$", ha="left", va="center", fontsize=11)

    names = {0: "$x_0 = 1$", 1: "$x_1$", 2: "$x_2$"}
    for j, (x, y) in inputs.items():
        ax.scatter([x], [y], color="#fdd9a0" if j == 0 else "#fff3c4", **node)
        ax.text(x, y, names[j], **(label | {"fontsize": 10 if j == 0 else 12}))
    for i, (x, y) in hidden.items():
        ax.scatter([x], [y], color="#cfe3f7", **node)
        ax.text(x, y, f"$u^0_{i}$", **label)
        ax.text(x, y - 0.42, f"$o^0_{i} = f^0(u^0_{i})$", ha="center", va="center",
                fontsize=9, zorder=4)
    ax.scatter([output[0]], [output[1]], color="#f7d0cf", **node)
    ax.text(*output, "$u^1_0$", **label)

    for x, caption in ((0.0, "0 層（入力層）"), (3.0, "1 層（隠れ層）"), (6.0, "2 層（出力層）")):
        ax.text(x, -0.75, caption, ha="center", va="center", fontsize=11)
    ax.set(xlim=(-0.7, 9.2), ylim=(-1.0, 2.5), title="2 層パーセプトロンの記法（スライド 7–9）")
    ax.axis("off")


# --- slide 10: a step network cuts the plane with one line per hidden neuron ---------------

def step_network(X, W0, b0, W1, b1):
    """Two-layer network with unit step activations, for every row x of X (slides 10, 13).

    o⁰ = step(W⁰ x + b⁰)  (one 0/1 value per hidden neuron: which side of its line x is on)
    o  = step(W¹ o⁰ + b¹)
    X: (n, d), W0: (N, d), b0: (N,), W1: (m, N), b1: (m,). Returns (o0, o) of shapes
    (n, N) and (n, m), as floats 0.0 / 1.0.
    """
    X = as_float_array(X, "X", ndim=2)
    W0, W1 = as_float_array(W0, "W0", ndim=2), as_float_array(W1, "W1", ndim=2)
    b0, b1 = as_float_array(b0, "b0", ndim=1), as_float_array(b1, "b1", ndim=1)
    if W0.shape[1] != X.shape[1] or b0.shape[0] != W0.shape[0]:
        raise ValueError(f"W0 {W0.shape} and b0 {b0.shape} do not fit inputs of width "
                         f"{X.shape[1]}: W0 must be (N, {X.shape[1]}) and b0 (N,)")
    if W1.shape[1] != W0.shape[0] or b1.shape[0] != W1.shape[0]:
        raise ValueError(f"W1 {W1.shape} and b1 {b1.shape} do not fit {W0.shape[0]} hidden "
                         f"neurons: W1 must be (m, {W0.shape[0]}) and b1 (m,)")
    o0 = step(X @ W0.T + b0)
    return o0, step(o0 @ W1.T + b1)


MAX_HIDDEN = 64
"""Largest number of hidden neurons of the slide-10 widget."""
DATASETS = ("moons", "circle", "xor", "spiral")
"""2-D datasets of the slide-10 widget (names of dlcore.datasets.make_2d_dataset)."""
DATA_NOISE = 0.15
_N_POINTS = 200
_RESOLUTION = 150


def _check_dataset(name):
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    return name


def compute_step_regions(n_hidden=4, seed=0, dataset="moons"):
    """A two-layer step network with ``n_hidden`` random hidden lines (slide 10).

    Hidden layer (random, not trained): neuron i has the line w_i · x + b_i = 0 with a
    random direction w_i = (cos θ_i, sin θ_i) through a random point p_i of the data's box,
    b_i = -w_i · p_i. Its output o⁰_i = step(w_i · x + b_i) says on which side x lies, so
    the N lines cut the plane into regions, each with its own code o⁰ (at most
    1 + N + N(N-1)/2 regions). The lines for N are the first N of MAX_HIDDEN lines drawn
    from ``seed``, so increasing N only adds lines.

    Output layer (fitted): (W¹, b¹) minimise Σ_n (W¹ o⁰_n + b¹ - z_n)² with z_n = 2y_n - 1
    (least squares, one call to np.linalg.lstsq), and o = step(W¹ o⁰ + b¹). The output is
    constant on each region.

    Returns X, y, W0 (N, 2), b0 (N,), W1 (1, N), b1 (1,), xx, yy (grid), grid_output
    (0/1 on the grid), n_regions (distinct codes seen on the grid), max_regions,
    accuracy (on the data) and mse (the least-squares error, which never grows with N).
    """
    n_hidden = check_int_in_range(n_hidden, "n_hidden", 1, MAX_HIDDEN)
    seed = check_int_in_range(seed, "seed", 0, 2**31 - 1)
    X, y = make_2d_dataset(_check_dataset(dataset), n=_N_POINTS, noise=DATA_NOISE, seed=0)
    lo, hi = X.min(axis=0), X.max(axis=0)

    rng = np.random.default_rng(seed)
    theta = rng.uniform(0.0, 2.0 * np.pi, MAX_HIDDEN)
    points = rng.uniform(lo, hi, size=(MAX_HIDDEN, 2))
    W0 = np.column_stack([np.cos(theta), np.sin(theta)])[:n_hidden]
    b0 = -np.sum(W0 * points[:n_hidden], axis=1)

    o0 = step(X @ W0.T + b0)
    design = np.column_stack([o0, np.ones(len(X))])
    z = 2.0 * y - 1.0                       # class 1 -> +1, class 0 -> -1
    coef = np.linalg.lstsq(design, z, rcond=None)[0]
    W1, b1 = coef[None, :-1], coef[-1:]
    mse = float(np.mean((design @ coef - z) ** 2))
    _, out = step_network(X, W0, b0, W1, b1)

    pad = 0.3
    xx, yy = np.meshgrid(np.linspace(lo[0] - pad, hi[0] + pad, _RESOLUTION),
                         np.linspace(lo[1] - pad, hi[1] + pad, _RESOLUTION))
    grid_o0, grid_out = step_network(np.column_stack([xx.ravel(), yy.ravel()]),
                                     W0, b0, W1, b1)
    # each region has its own 0/1 code o⁰; pack the code into one integer to count them
    codes = np.bitwise_or.reduce(
        grid_o0.astype(np.uint64) << np.arange(n_hidden, dtype=np.uint64), axis=1)
    n_regions = len(np.unique(codes))
    return {"X": X, "y": y, "W0": W0, "b0": b0, "W1": W1, "b1": b1, "xx": xx, "yy": yy,
            "grid_output": grid_out[:, 0].reshape(xx.shape), "n_regions": n_regions,
            "max_regions": 1 + n_hidden + n_hidden * (n_hidden - 1) // 2,
            "accuracy": float(np.mean(out[:, 0] == y)), "mse": mse}


def _pair(value, name):
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {value!r}")
    return value


def draw_step_network(ax, W0, b0, W1, b1, X=None, y=None, xlim=(-0.5, 1.5),
                      ylim=(-0.5, 1.5), title=None):
    """Colour the plane by the output o of ``step_network`` (blue 0, red 1), draw each hidden
    neuron's line w⁰_i · x + b⁰_i = 0 (slide 10) and, if given, the points X coloured by
    their label y."""
    for lim, name in ((xlim, "xlim"), (ylim, "ylim")):
        low, high = (check_finite(v, f"each end of {name}") for v in _pair(lim, name))
        if not low < high:
            raise ValueError(f"{name} must be (low, high) with low < high, got {lim!r}")
    xx, yy = np.meshgrid(np.linspace(*xlim, _RESOLUTION), np.linspace(*ylim, _RESOLUTION))
    _, out = step_network(np.column_stack([xx.ravel(), yy.ravel()]), W0, b0, W1, b1)
    ax.contourf(xx, yy, out[:, 0].reshape(xx.shape), levels=[-0.5, 0.5, 1.5],
                colors=["#c6dbef", "#fcbba1"])
    for (w1, w2), b in zip(np.asarray(W0, dtype=float), np.asarray(b0, dtype=float)):
        p = -b * np.array([w1, w2]) / (w1 * w1 + w2 * w2)   # the point of the line nearest 0
        ax.axline(tuple(p), tuple(p + np.array([-w2, w1])), color="k", lw=0.8, alpha=0.7)
    if X is not None:
        X = np.asarray(X)
        size = 80 if len(X) <= 10 else 14   # a few gate points drawn large, datasets small
        for cls, colour in ((0, "tab:blue"), (1, "tab:red")):
            mask = np.asarray(y) == cls
            ax.scatter(X[mask, 0], X[mask, 1], s=size, color=colour, edgecolors="k",
                       linewidths=0.4, zorder=3, label=f"$y = {cls}$")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$")
    if title:
        ax.set_title(title, fontsize=10)


def draw_step_regions(ax, n_hidden=4, seed=0, dataset="moons"):
    """Draw ``compute_step_regions``: the N lines, the output on each region, the data."""
    r = compute_step_regions(n_hidden, seed, dataset)
    draw_step_network(ax, r["W0"], r["b0"], r["W1"], r["b1"], r["X"], r["y"],
                      xlim=(r["xx"].min(), r["xx"].max()), ylim=(r["yy"].min(), r["yy"].max()),
                      title=f"N = {n_hidden}: 領域 {r['n_regions']} 個, "
                            f"正解率 {r['accuracy']:.0%}")


def show_step_regions():
    """Sliders: hidden neuron count N, seed of the random lines, dataset (slide 10);
    redrawn when a slider is released."""
    import ipywidgets as widgets

    controls = {
        "n_hidden": widgets.IntSlider(value=4, min=1, max=MAX_HIDDEN,
                                      description="ニューロン数 N"),
        "seed": widgets.IntSlider(value=0, min=0, max=20, description="seed"),
        "dataset": widgets.Dropdown(options=DATASETS, value="moons", description="データ"),
    }
    for control in controls.values():
        control.style = {"description_width": "initial"}
    # heavy: with 64 lines a redraw (least squares + region grid) can take a few 0.1 s
    return interactive_view(draw_step_regions, controls, heavy=True, figsize=(5.5, 4.5))


# --- slide 11: bumps made of steep sigmoids approximate any function -----------------------

def target_function(x):
    """The fixed function the bump networks approximate on [0, 1] (slide 11):
    f(x) = 0.2 + 0.5 x + 0.25 sin(3πx); it stays between about 0.19 and 0.87."""
    x = np.asarray(x, dtype=np.float64)
    return 0.2 + 0.5 * x + 0.25 * np.sin(3.0 * np.pi * x)


X_TARGET = np.linspace(0.0, 1.0, 401)
"""The points of [0, 1] where the approximation is compared with the target."""
X_TARGET.flags.writeable = False  # shared by every call
MAX_STEEPNESS = 1e4
"""Largest steepness w of the bumps (the widget's slider stops at 10^3.5; a steeper sigmoid
is a step to the last bit already)."""
EDGE_MARGIN = 0.1
"""The outer steps sit this far outside [0, 1], so the output does not drop to half a bump
height at x = 0 and x = 1 (σ(0) = 1/2)."""


def bump_edges(n_bumps):
    """Left and right ends (s_k, s'_k) of the ``n_bumps`` bumps: bump k covers
    [k/N, (k+1)/N], except that the first starts at -EDGE_MARGIN and the last ends at
    1 + EDGE_MARGIN. Returns two arrays of shape (N,)."""
    n = check_positive_int(n_bumps, "n_bumps")
    edges = np.arange(n + 1) / n
    left, right = edges[:-1].copy(), edges[1:].copy()
    left[0], right[-1] = -EDGE_MARGIN, 1.0 + EDGE_MARGIN
    return left, right


def _check_heights(heights, n=None):
    h = as_float_array(heights, "heights", ndim=1)
    if n is not None and h.shape[0] != n:
        raise ValueError(f"heights must hold {n} numbers, got {h.shape[0]}")
    return h


def _check_steepness(steepness):
    w = float(check_positive(steepness, "steepness"))
    if w > MAX_STEEPNESS:
        raise ValueError(f"steepness must be at most {MAX_STEEPNESS:g}, got {steepness}")
    return w


def build_bump_network(heights, steepness):
    """A 1-input network whose output is a sum of bumps (slide 11), as a dlcore Sequential.

    Bump k of height h_k between s_k and s'_k (``bump_edges``) is made of two hidden
    sigmoid neurons: h_k σ(w (x - s_k)) - h_k σ(w (x - s'_k)), where w = ``steepness`` and
    each neuron's bias is b = -w s (so its step sits at s = -b/w). Layers:
    Linear(1, 2N) -> Sigmoid -> Linear(2N, 1) with output weights (h_0, -h_0, h_1, -h_1, ...)
    and output bias 0; the output layer has no activation (f¹ = identity); loss "mse".
    """
    h = _check_heights(heights)
    w = _check_steepness(steepness)
    n = h.shape[0]
    left, right = bump_edges(n)
    s = np.column_stack([left, right]).ravel()                 # s_0, s'_0, s_1, s'_1, ...
    hidden = Linear(1, 2 * n)
    hidden.params["W"][...] = w
    hidden.params["b"][...] = -w * s
    out = Linear(2 * n, 1)
    out.params["W"][...] = np.column_stack([h, -h]).ravel()
    out.params["b"][...] = 0.0
    return Sequential([hidden, Sigmoid(), out], loss="mse")


def compute_bump_approximation(n_bumps=5, steepness=100.0, heights=None):
    """Approximate ``target_function`` on [0, 1] by ``n_bumps`` bumps (slide 11).

    Heights default to the target at each bump's centre, h_k = f((k + 1/2)/N). Returns
    x (X_TARGET), target, output (the network of ``build_bump_network``), heights, left,
    right, bumps (N, len(x): each bump h_k [σ(w(x - s_k)) - σ(w(x - s'_k))]; they add up to
    the output) and mae = (1/n) Σ |output(x) - f(x)| over X_TARGET (the mean absolute error,
    notebook 03's L1 loss divided by n).
    """
    n = check_positive_int(n_bumps, "n_bumps")
    if n > 500:
        raise ValueError(f"n_bumps must be at most 500, got {n}")
    _check_steepness(steepness)
    if heights is None:
        heights = target_function((np.arange(n) + 0.5) / n)
    h = _check_heights(heights, n)
    net = build_bump_network(h, steepness)
    output = net.forward(X_TARGET[:, None], train=False)[:, 0]
    hidden = net.layers[1].forward(net.layers[0].forward(X_TARGET[:, None]))  # (n_x, 2N)
    bumps = (h * (hidden[:, 0::2] - hidden[:, 1::2])).T
    target = target_function(X_TARGET)
    left, right = bump_edges(n)
    return {"x": X_TARGET.copy(), "target": target, "output": output, "bumps": bumps,
            "heights": h.copy(),
            "left": left, "right": right,
            "mae": float(np.mean(np.abs(output - target)))}


def _draw_bumps(ax, r, title):
    if len(r["bumps"]) <= 10:
        for k, bump in enumerate(r["bumps"]):
            ax.plot(r["x"], bump, color="tab:gray", lw=0.8, alpha=0.6,
                    label="1 つ 1 つのこぶ" if k == 0 else None)
    ax.plot(r["x"], r["target"], "k--", lw=1.5, label="目標の関数 $y(x)$")
    ax.plot(r["x"], r["output"], color="tab:blue", lw=1.8, label="ネットワークの出力")
    ax.set(xlim=(0, 1), ylim=(-0.05, 1.5), xlabel="入力 $x$", ylabel="出力")
    ax.set_title(title, fontsize=10)


def draw_bump_approximation(ax, n_bumps=5, steepness=100.0):
    """Draw ``compute_bump_approximation``: target, network output, and the mean absolute error."""
    r = compute_bump_approximation(n_bumps, steepness)
    _draw_bumps(ax, r, f"こぶ {n_bumps} 個, 鋭さ w = {steepness:g}\n"
                       f"平均絶対誤差 {r['mae']:.4f}")
    ax.legend(loc="upper left", fontsize=7)


def show_bump_approximation():
    """Sliders: number of bumps N and steepness w (log scale) (slide 11)."""
    import ipywidgets as widgets

    from . import log_slider

    controls = {
        "n_bumps": widgets.IntSlider(value=5, min=1, max=50, description="こぶの数 N",
                                     style={"description_width": "initial"}),
        "steepness": log_slider("鋭さ w", 100.0, 0.5, 3.5),
    }
    return interactive_view(draw_bump_approximation, controls, figsize=(6, 4))


CHALLENGE_BUMPS = 5
"""Number of bumps whose heights the student sets in the challenge."""
CHALLENGE_STEEPNESS = 100.0
"""Steepness w of the challenge's sigmoids."""
CHALLENGE_BOUND = 0.075
"""The challenge is solved when the mean absolute error is below this (the best
heights reach about 0.067; all heights 0.5 give about 0.19)."""


def compute_bump_challenge(heights):
    """The challenge (slide 11): 5 bumps of steepness CHALLENGE_STEEPNESS with the given
    heights. Returns the dict of ``compute_bump_approximation`` plus ``bound`` and
    ``solved`` (mae < CHALLENGE_BOUND)."""
    h = _check_heights(heights, CHALLENGE_BUMPS)
    r = compute_bump_approximation(CHALLENGE_BUMPS, CHALLENGE_STEEPNESS, h)
    return r | {"bound": CHALLENGE_BOUND, "solved": r["mae"] < CHALLENGE_BOUND}


def draw_bump_challenge(ax, h0=0.5, h1=0.5, h2=0.5, h3=0.5, h4=0.5):
    """Draw the challenge for heights h0..h4: target, output, each height at its bump's
    centre, and whether the mean absolute error is below the bound."""
    r = compute_bump_challenge([h0, h1, h2, h3, h4])
    verdict = "達成！" if r["solved"] else "まだ"
    _draw_bumps(ax, r, f"平均絶対誤差 {r['mae']:.4f}"
                       f"（目標 {CHALLENGE_BOUND} 未満: {verdict}）")
    centres = (np.arange(CHALLENGE_BUMPS) + 0.5) / CHALLENGE_BUMPS
    ax.scatter(centres, r["heights"], color="tab:orange", zorder=3, label="高さ $h_k$")
    for k, (c, h) in enumerate(zip(centres, r["heights"])):
        ax.annotate(f"$h_{k}$", (c, h), textcoords="offset points", xytext=(0, 7),
                    ha="center", fontsize=9)
    ax.legend(loc="upper left", fontsize=7)


def show_bump_challenge():
    """Five sliders for the heights h_0..h_4 of the challenge's bumps (slide 11)."""
    import ipywidgets as widgets

    controls = {f"h{k}": widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.01,
                                             description=f"h{k}")
                for k in range(CHALLENGE_BUMPS)}
    return interactive_view(draw_bump_challenge, controls, figsize=(6, 4))

