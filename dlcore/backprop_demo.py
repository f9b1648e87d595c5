"""Helpers for the backpropagation notebook (slides 20-27): a computational-graph picture
and the timing experiment "numerical gradient vs backpropagation".

- ``slide22_example`` gives the weights, input and label of the notebook's worked example.
- ``draw_computational_graph`` draws the 2-layer network of slide 22 as a graph
  x -> u⁰ -> o⁰ -> u¹ -> o -> L, with each node's forward value and its backward gradient ∂L/∂(node).
- ``time_gradients`` measures how the cost of both ways of computing ∂L/∂w grows with the
  number of parameters P: central differences need 2 forward passes per parameter (∝ P²),
  backpropagation one forward and one backward pass (∝ P).
- ``loglog_slope`` fits the exponent a of t ≈ c·P^a.
"""

import time

import numpy as np
from matplotlib.lines import Line2D

from . import plotting  # noqa: F401  (sets up the Japanese font)
from .checks import check_positive_int
from .gradcheck import numerical_gradient
from .network import build_mlp
from .training import one_blas_thread

_FORWARD_COLOR = "tab:blue"
_BACKWARD_COLOR = "tab:red"
_GRAPH_KEYS = ("x", "u0", "o0", "u1", "o", "L")


def slide22_example(seed=0):
    """The worked example of slide 22's network: (W0, W1, x, y).

    W0 (2, 3) and W1 (1, 2) are standard normal draws from ``default_rng(seed)``, rounded to
    2 decimals so they read easily; W0[i, j] = w⁰_ij with column j = 0 the bias weight (for
    the constant input x₀ = 1), W1[0, i] = w¹_0i (no output bias, as on the slide).
    x = (x₀, x₁, x₂) = (1, 0.5, -0.3), label y = 1.
    """
    rng = np.random.default_rng(seed)
    W0 = np.round(rng.normal(size=(2, 3)), 2)
    W1 = np.round(rng.normal(size=(1, 2)), 2)
    return W0, W1, np.array([1.0, 0.5, -0.3]), 1.0


def _graph_arrays(data, name):
    """The node values of one pass as flat float arrays, checked against slide 22's shapes."""
    missing = [k for k in _GRAPH_KEYS if k not in data]
    if missing:
        raise ValueError(f"{name} is missing the nodes {missing} (needs {list(_GRAPH_KEYS)})")
    arrays = {k: np.asarray(data[k], dtype=np.float64).reshape(-1) for k in _GRAPH_KEYS}
    if arrays["x"].size < 1 or arrays["u0"].size < 1:
        raise ValueError(f"{name}: x and u0 need at least one node each")
    if arrays["o0"].size != arrays["u0"].size:
        raise ValueError(f"{name}: o0 has {arrays['o0'].size} nodes but u0 has "
                         f"{arrays['u0'].size} (o⁰ = f⁰(u⁰) element-wise)")
    for k in ("u1", "o", "L"):
        if arrays[k].size != 1:
            raise ValueError(f"{name}: {k} must be a single number (one output neuron), "
                             f"got {arrays[k].size} values")
    return arrays


def draw_computational_graph(ax, values, grads, W0=None, W1=None,
                             title="計算グラフ（スライド 22 のネットワーク）"):
    """Draw the network of slide 22 as a computational graph on ``ax``.

    Nodes, left to right: x (with the constant bias input x₀ = 1), u⁰ = W⁰ x, o⁰ = f⁰(u⁰),
    u¹ = W¹ o⁰, o = f¹(u¹), L = L(o, y). Above each node (blue) its forward value, below it
    (red) the gradient ∂L/∂(node) that backpropagation delivers (slides 22-25).

    values, grads: mappings with keys "x" (x₁..x_d, without x₀), "u0", "o0" (h each), "u1",
    "o", "L" (one number each); arrays of shape (1, k) from a batch of one are accepted.
    W0: optional slide-layout weights of shape (h, d + 1), column 0 = bias w⁰_{i0};
    W1: optional weights of shape (1, h). When given, each edge is labelled with its weight.
    """
    v = _graph_arrays(values, "values")
    g = _graph_arrays(grads, "grads")
    for k in _GRAPH_KEYS:
        if v[k].size != g[k].size:
            raise ValueError(f"values[{k!r}] has {v[k].size} entries but grads[{k!r}] has "
                             f"{g[k].size}")
    d, h = v["x"].size, v["u0"].size
    if W0 is not None:
        W0 = np.asarray(W0, dtype=np.float64)
        if W0.shape != (h, d + 1):
            raise ValueError(f"W0 must have shape (h, d + 1) = {(h, d + 1)} in the slide's "
                             f"layout (column 0 = bias), got {W0.shape}")
    if W1 is not None:
        W1 = np.asarray(W1, dtype=np.float64).reshape(1, -1)
        if W1.shape != (1, h):
            raise ValueError(f"W1 must have shape (1, {h}), got {W1.shape}")

    gap = 1.7
    columns = {"x": 0.0, "u0": 2.6, "o0": 4.3, "u1": 6.3, "o": 8.0, "L": 9.7}

    def ys(n):
        return (np.arange(n)[::-1] - (n - 1) / 2) * gap

    # node positions and labels (x gets the extra constant node x₀ = 1 on top)
    nodes = {}
    x_y = ys(d + 1)
    nodes["x"] = [(columns["x"], x_y[j], f"$x_{{{j}}}$") for j in range(d + 1)]
    for key, sym in (("u0", "u^0"), ("o0", "o^0")):
        nodes[key] = [(columns[key], y, f"${sym}_{{{i}}}$") for i, y in enumerate(ys(h))]
    nodes["u1"] = [(columns["u1"], 0.0, "$u^1_0$")]
    nodes["o"] = [(columns["o"], 0.0, "$o$")]
    nodes["L"] = [(columns["L"], 0.0, "$L$")]

    def edge(p, q, label=None, t=0.5):
        ax.plot([p[0], q[0]], [p[1], q[1]], color="0.6", lw=1.0, zorder=1)
        if label is not None:
            ax.text(p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]), label, fontsize=7,
                    ha="center", va="center", color="0.25", zorder=2,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.9))

    for i, target in enumerate(nodes["u0"]):
        for j, source in enumerate(nodes["x"]):
            label = None if W0 is None else f"{W0[i, j]:.2f}"
            edge(source, target, label, t=0.75)  # near the target: no crossings there
    for i in range(h):
        edge(nodes["u0"][i], nodes["o0"][i], "$f^0$")
        edge(nodes["o0"][i], nodes["u1"][0], None if W1 is None else f"{W1[0, i]:.2f}")
    edge(nodes["u1"][0], nodes["o"][0], "$f^1$")
    edge(nodes["o"][0], nodes["L"][0], "$L(o, y)$")

    def annotate(node, value, grad):
        x, y, label = node
        ax.scatter([x], [y], s=900, color="white", edgecolors="k", zorder=3)
        ax.text(x, y, label, ha="center", va="center", fontsize=11, zorder=4)
        ax.text(x, y + 0.42, value, ha="center", va="bottom", fontsize=9,
                color=_FORWARD_COLOR, zorder=4)
        ax.text(x, y - 0.42, grad, ha="center", va="top", fontsize=9,
                color=_BACKWARD_COLOR, zorder=4)

    annotate(nodes["x"][0], "1", "（定数）")
    for j in range(d):
        annotate(nodes["x"][j + 1], f"{v['x'][j]:.3f}", f"{g['x'][j]:.4f}")
    for key in ("u0", "o0", "u1", "o", "L"):
        for node, value, grad in zip(nodes[key], v[key], g[key]):
            annotate(node, f"{value:.3f}", f"{grad:.4f}")

    handles = [Line2D([], [], color=_FORWARD_COLOR, lw=3, label="順伝播の値"),
               Line2D([], [], color=_BACKWARD_COLOR, lw=3,
                      label=r"逆伝播の勾配 $\partial L / \partial (\cdot)$")]
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    top = x_y[0] + 1.0
    ax.set_xlim(-0.8, columns["L"] + 0.8)
    ax.set_ylim(-top - 0.6, top)
    ax.set_title(title)
    ax.set_xticks([columns[k] for k in _GRAPH_KEYS],
                  ["入力 $x$", "$u^0$", "$o^0$", "$u^1$", "出力 $o$", "損失 $L$"])
    ax.set_xlabel("計算の向き：順伝播は左から右、逆伝播は右から左")
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax


def time_gradients(depths=(1, 3, 9, 27, 81), width=10, n_samples=64, n_probe=10, repeats=3,
                   full_limit=400, seed=0):
    """Seconds to compute every ∂L/∂w of an MLP by central differences and by backprop.

    For each depth, an MLP (width,)*(depth + 1) + (1,) with sigmoid hidden layers and MSE
    loss, so P = depth·width·(width + 1) + width + 1 parameters and one forward pass costs ∝ P.
    - backprop: one forward + one backward pass (``loss`` then ``backward``), ∝ P;
    - numerical (slide 19, central differences): 2 forward passes per parameter, ∝ P².
      Timing all P parameters would take minutes for P ≈ 10⁴, so it is estimated as
      P × (time per parameter, measured on ``n_probe`` weights); every parameter costs the
      same two forward passes. For P <= ``full_limit`` the full numerical gradient is also
      timed ("numerical_full", NaN otherwise) to confirm the estimate.
    Timing is noisy: times are CPU times of the calling thread (``time.thread_time``), which do not
    grow while other programs run; BLAS is limited to one thread, so all work is in that thread. Backprop and
    the one-parameter numerical gradient are timed call by call (``repeats`` × ``n_probe``
    calls each, interleaved) and the median is kept; the full numerical gradient is the
    median of ``repeats`` runs.
    Returns a dict of arrays: depths, n_params, backprop, numerical, numerical_full.
    """
    depths = [check_positive_int(dep, "depth") for dep in depths]
    if len(depths) < 2:
        raise ValueError("time_gradients needs at least two depths to show a growth rate")
    width = check_positive_int(width, "width")
    n_samples = check_positive_int(n_samples, "n_samples")
    n_probe = check_positive_int(n_probe, "n_probe")
    repeats = check_positive_int(repeats, "repeats")
    rng = np.random.default_rng(seed)
    n_params, backprop, numerical, numerical_full = [], [], [], []
    with one_blas_thread():  # timing one thread is steadier on a busy machine
        for depth in depths:
            model = build_mlp((width,) * (depth + 1) + (1,), activation="sigmoid",
                              loss="mse", seed=seed)
            X = rng.normal(size=(n_samples, width))
            y = rng.normal(size=n_samples)
            P = model.n_params

            def loss(_):
                return model.loss(X, y)

            probe = model.layers[0].params["W"].reshape(-1)[:n_probe]  # a view: perturbed in place
            loss(None)  # warm-up: the first calls of a new model are slower
            model.backward(need_dx=False)
            t_bp, t_num, t_full = [], [], []
            for _ in range(repeats):
                for k in range(probe.size):  # many short timings: a disturbance spoils a few
                    start = time.thread_time()  # of them, not the median
                    model.loss(X, y)
                    model.backward(need_dx=False)
                    t_bp.append(time.thread_time() - start)
                    start = time.thread_time()
                    numerical_gradient(loss, probe[k:k + 1])  # one parameter: 2 forward passes
                    t_num.append(time.thread_time() - start)
                if P <= full_limit:
                    start = time.thread_time()
                    for p in model.params().values():
                        numerical_gradient(loss, p)
                    t_full.append(time.thread_time() - start)
            n_params.append(P)
            backprop.append(np.median(t_bp))
            numerical.append(np.median(t_num) * P)
            numerical_full.append(np.median(t_full) if t_full else np.nan)
    return {"depths": np.array(depths), "n_params": np.array(n_params),
            "backprop": np.array(backprop), "numerical": np.array(numerical),
            "numerical_full": np.array(numerical_full)}


def loglog_slope(x, y):
    """Exponent a of the power law y ≈ c·x^a, by a least-squares line through (log x, log y).

    On log-log axes y = c·x^a is a straight line of slope a: a = 1 for cost ∝ P, 2 for ∝ P².
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise ValueError(f"x and y must be 1-D of the same length >= 2, got {x.shape}, {y.shape}")
    if np.any(x <= 0) or np.any(y <= 0) or not np.all(np.isfinite(x) & np.isfinite(y)):
        raise ValueError("x and y must be finite and positive to take logarithms")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


__all__ = ["slide22_example", "draw_computational_graph", "time_gradients", "loglog_slope"]
