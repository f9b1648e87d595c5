"""Notebook 03's helpers and widgets: loss functions (slides 14-16).

- ``loss_curve`` / ``loss_derivative``: a dlcore loss evaluated (and differentiated) at each
  prediction of a grid separately, for plotting a loss against the prediction.
- ``compute_loss_values`` / ``draw_loss_values`` / ``show_loss_values``: a label y and a
  predicted probability p -> L1, L2 and cross-entropy (bars + the point on each curve).
- ``fit_line``: a straight line fitted under the L2 loss (least squares, closed form) or the
  L1 loss (iteratively reweighted least squares).
- ``compute_outlier_fit`` / ``draw_outlier_fit`` / ``show_outlier_fit``: both fits on data
  with outliers.
"""

from functools import lru_cache

import numpy as np

from .. import functions as F
from ..checks import (
    as_float_array,
    as_rng,
    check_finite,
    check_in_range,
    check_int_in_range,
    check_positive,
    check_seed,
)
from ..gradcheck import numerical_gradient
from . import interactive_view

LOSSES = {
    "L1": F.l1_loss,
    "L2": F.mse_loss,
    "CE": F.binary_cross_entropy,
}
"""The three losses of slide 16 that take a prediction and a label of the same shape."""

LOSS_LABELS = {"L1": "L1 損失", "L2": "L2 損失 (MSE)", "CE": "クロスエントロピー"}
LOSS_COLORS = {"L1": "tab:blue", "L2": "tab:orange", "CE": "tab:green"}

P_GRID = np.linspace(0.005, 0.995, 199)
"""Probabilities at which the widget draws the loss curves (0 and 1 left out: log 0)."""
P_GRID.flags.writeable = False  # shared by every call

MAX_POINTS = 10_000
"""Largest number of predictions ``loss_curve`` and ``loss_derivative`` evaluate (one call
of the loss each) and of points ``make_outlier_data`` draws."""
MAX_SHIFT = 100.0
"""Largest |shift| of the outliers (the widget's slider stays within a few units)."""


def _loss_fn(loss):
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(LOSSES)} or pass a "
                         "function loss(pred, y)")
    return LOSSES[loss]


def _check_preds(preds):
    preds = as_float_array(preds, "preds")
    if preds.size > MAX_POINTS:
        raise ValueError(f"preds has {preds.size} values, more than {MAX_POINTS}: each one is "
                         "a separate call of the loss")
    return preds


def loss_curve(loss, preds, y):
    """The loss of ONE sample, L(f, y), for every prediction f in ``preds`` (slide 16).

    ``loss`` is "L1", "L2", "CE" or a dlcore loss function ``loss(pred, y)``; each value is
    that function called on a one-sample batch, so the curve is exactly what dlcore computes.
    Returns an array shaped like ``preds``.
    """
    fn = _loss_fn(loss)
    preds = _check_preds(preds)
    y = float(as_float_array(y, "y"))
    label = np.array([y])
    return np.array([fn(np.array([f]), label) for f in preds.ravel()]).reshape(preds.shape)


def loss_derivative(loss, preds, y, h=1e-6):
    """dL/df of one sample at every prediction f in ``preds``, by central differences.

    dlcore's losses are means over samples, so n·L(preds) = Σ_i L(f_i, y) and its partial
    derivative with respect to f_i is the one-sample derivative at f_i (slide 19's numerical
    differentiation, here via ``dlcore.gradcheck.numerical_gradient``). For reference:
    L1: sign(f - y);  L2: 2(f - y);  CE: -y/f + (1 - y)/(1 - f).
    """
    fn = _loss_fn(loss)
    preds = _check_preds(preds).astype(np.float64).ravel().copy()
    y = float(as_float_array(y, "y"))
    labels = np.full(preds.shape, y)
    n = preds.size
    grad = numerical_gradient(lambda q: n * fn(q, labels), preds, h=h)
    return grad


# --- widget 1: label and predicted probability -> the three losses ------------------------

@lru_cache(maxsize=8)
def _curves_for_label(y):
    curves = {name: loss_curve(name, P_GRID, y) for name in LOSSES}
    for c in curves.values():
        c.setflags(write=False)
    return curves


def compute_loss_values(y, p):
    """L1 = |y - p|, L2 = (y - p)², CE = -[y log p + (1 - y) log(1 - p)] for one sample
    (slide 16, with the minus sign the slide leaves out), their derivatives dL/dp, and the
    three curves over ``P_GRID`` for this label. The derivatives are taken at p clipped to
    [1e-4, 1 - 1e-4], so that p ± h stays a probability.

    y is the label (0 or 1; a soft label in [0, 1] is accepted), p the predicted probability
    in [0, 1] (p = 0 or 1 gives dlcore's clipped, large but finite cross-entropy).
    """
    y = check_in_range(y, "label y", 0.0, 1.0, high_inclusive=True)
    p = check_in_range(p, "probability p", 0.0, 1.0, high_inclusive=True)
    values = {name: float(loss_curve(name, [p], y)[0]) for name in LOSSES}
    p_inner = float(np.clip(p, 1e-4, 1 - 1e-4))  # keep p ± h inside [0, 1]
    grads = {name: float(loss_derivative(name, [p_inner], y)[0]) for name in LOSSES}
    curves = {name: c.copy() for name, c in _curves_for_label(float(y)).items()}
    return {"y": float(y), "p": float(p), "values": values, "grads": grads,
            "grid": P_GRID.copy(), "curves": curves}


def draw_loss_values(ax, y, p):
    """Left: each loss against p for label y, with the current p marked on every curve.
    Right: a bar chart of the three values, with each loss's slope dL/dp (slide 16).

    The given Axes is split in two (inset axes), so the same function draws the widget and
    one panel of a contact sheet.
    """
    r = compute_loss_values(y, p)
    names = list(LOSSES)
    ax.set_axis_off()
    curves = ax.inset_axes([0.0, 0.0, 0.58, 1.0])
    bars = ax.inset_axes([0.74, 0.0, 0.26, 1.0])
    top = 5.0
    for name in names:
        color = LOSS_COLORS[name]
        curves.plot(r["grid"], r["curves"][name], color=color, label=LOSS_LABELS[name])
        curves.plot([r["p"]], [min(r["values"][name], top)], "o", color=color, ms=7,
                    markeredgecolor="k")
    curves.axvline(r["p"], color="gray", lw=0.8, ls=":")
    curves.set(xlim=(0, 1), ylim=(0, top), xlabel="予測確率 $p$", ylabel="損失 $L$")
    ax.set_title(f"正解 $y$ = {r['y']:g}, 予測確率 $p$ = {r['p']:.2f}")
    # the cross-entropy curve rises at the wrong end (p → 0 for y = 1): the legend goes to the other
    curves.legend(loc="upper right" if r["y"] >= 0.5 else "upper left", fontsize=7)
    vals = [r["values"][n] for n in names]
    bars.bar(range(len(names)), vals, color=[LOSS_COLORS[n] for n in names])
    bars.set_xticks(range(len(names)),
                    [f"{n}\n傾き\n{r['grads'][n]:.2f}" for n in names], fontsize=8)
    bars.set_ylim(0, top)  # the same scale as the curves; a taller bar is cut at the top
    bars.set_yticks([])  # the values are written on the bars
    bars.set_ylabel("損失の値", fontsize=8)
    for i, v in enumerate(vals):
        bars.text(i, min(v, 0.92 * top), f"{v:.2f}", ha="center", va="bottom", fontsize=7)


def show_loss_values():
    """Label y (0 or 1) and a slider for the predicted probability p."""
    import ipywidgets as widgets

    controls = {
        "y": widgets.ToggleButtons(options=[0, 1], value=1, description="正解 y"),
        "p": widgets.FloatSlider(value=0.7, min=0.0, max=1.0, step=0.01,
                                 description="予測確率 p"),
    }
    # a full redraw (two panels, PNG) takes ~0.3 s on a 2-core machine: update on release
    return interactive_view(draw_loss_values, controls, heavy=True, figsize=(6.5, 4.2))


# --- line fitting under L1 and L2 -----------------------------------------------------------

def fit_line(x, y, loss="l2", n_iter=1000, eps=1e-8):
    """Weights (w0, w1) of the line f(x) = w0 + w1 x (bias as x_0 = 1, slide 5) that minimize
    the loss over the points (x_i, y_i) (slide 16).

    - loss="l2": L = (1/n) Σ (y_i - f(x_i))². Setting the derivatives to 0 gives the normal
      equations (XᵀX) w = Xᵀy with X = [1, x], solved in closed form.
    - loss="l1": L = (1/n) Σ |y_i - f(x_i)|. Since |r| = r²/|r|, it is an L2 loss with weights
      1/|r_i|; iteratively reweighted least squares starts from the L2 line and repeats
      "weights from the current residuals, weighted least squares" until the weights w stop
      changing (at most ``n_iter`` times; a few hundred rounds can be needed, each is a 2x2
      solve). Residuals below ``eps`` count as ``eps`` so no weight is infinite.
    """
    x = as_float_array(x, "x", ndim=1).astype(np.float64)
    y = as_float_array(y, "y", ndim=1).astype(np.float64)
    if x.shape != y.shape:
        raise ValueError(f"x has {x.size} points but y has {y.size}")
    if np.ptp(x) == 0:
        raise ValueError("x needs at least two different values to fit a line")
    if loss not in ("l1", "l2"):
        raise ValueError(f"loss must be 'l1' or 'l2', got {loss!r}")
    n_iter = check_int_in_range(n_iter, "n_iter", 1, 100_000)
    eps = check_positive(eps, "eps")
    X = np.column_stack([np.ones_like(x), x])            # x_0 = 1
    w = np.linalg.solve(X.T @ X, X.T @ y)                 # L2: least squares
    if loss == "l1":
        for _ in range(n_iter):
            weights = 1.0 / np.maximum(np.abs(y - X @ w), eps)
            XtW = X.T * weights                            # Xᵀ diag(weights)
            w_new = np.linalg.solve(XtW @ X, XtW @ y)
            if np.allclose(w_new, w, rtol=0, atol=1e-11):
                w = w_new
                break
            w = w_new
    return w


TRUE_W = np.array([1.0, 0.5])  # the line the outlier data are drawn around: f(x) = 1 + 0.5 x
TRUE_W.flags.writeable = False


def make_outlier_data(n_outliers, shift=4.0, n=25, noise=0.2, seed=0):
    """n points around y = 1 + 0.5 x (x in [0, 4]) plus Gaussian noise; ``n_outliers`` of them
    (always the same ones for a seed: a fixed random order) are moved up by ``shift``.

    Returns (x, y, is_outlier).
    """
    n = check_int_in_range(n, "n", 1, MAX_POINTS)
    n_outliers = check_int_in_range(n_outliers, "n_outliers", 0, n // 2)
    if abs(check_finite(shift, "shift")) > MAX_SHIFT:
        raise ValueError(f"shift must be between -{MAX_SHIFT:g} and {MAX_SHIFT:g}, got {shift}")
    check_in_range(noise, "noise", 0.0, np.inf)
    rng = as_rng(seed)
    x = np.linspace(0.0, 4.0, n)
    y = TRUE_W[0] + TRUE_W[1] * x + rng.normal(0.0, noise, n)
    order = rng.permutation(n)
    is_outlier = np.zeros(n, dtype=bool)
    is_outlier[order[:n_outliers]] = True
    y = y + shift * is_outlier
    return x, y, is_outlier


def compute_outlier_fit(n_outliers=3, shift=4.0, seed=0):
    """Data with outliers (``make_outlier_data``), the L2 and L1 lines fitted to them, and how
    far each line's weights are from the true ones (Euclidean distance of (w0, w1))."""
    x, y, is_outlier = make_outlier_data(n_outliers, shift=shift, seed=check_seed(seed))
    fits = {"l2": fit_line(x, y, "l2"), "l1": fit_line(x, y, "l1")}
    return {"x": x, "y": y, "is_outlier": is_outlier, "fits": fits, "true_w": TRUE_W.copy(),
            "distance": {k: float(np.linalg.norm(w - TRUE_W)) for k, w in fits.items()}}


def draw_outlier_fit(ax, n_outliers=3, shift=4.0):
    """The points (outliers in red), the true line and the L2 and L1 lines."""
    r = compute_outlier_fit(n_outliers, shift)
    x, y, out = r["x"], r["y"], r["is_outlier"]
    xs = np.array([x.min(), x.max()])
    ax.scatter(x[~out], y[~out], color="k", s=15, label="データ")
    if out.any():
        ax.scatter(x[out], y[out], color="tab:red", marker="x", s=40, label="外れ値")
    w = r["true_w"]
    ax.plot(xs, w[0] + w[1] * xs, color="gray", ls="--", label="真の直線")
    for key, color, name in (("l2", "tab:orange", "L2"), ("l1", "tab:blue", "L1")):
        w = r["fits"][key]
        ax.plot(xs, w[0] + w[1] * xs, color=color, label=f"{name} で当てはめ")
    ax.set(title=f"外れ値 {int(n_outliers)} 個", xlabel="入力 $x$", ylabel="出力 $y$",
           ylim=(min(-3.0, y.min() - 0.5), max(9.0, y.max() + 0.5)))
    # the legend (two columns, so it is low) goes to the side away from the outliers: below
    # the points (y from about 1 to 3) when they are moved up, above them otherwise
    ax.legend(loc="lower center" if shift > 0 else "upper center", fontsize=7, ncol=2)


def show_outlier_fit():
    """Sliders for the number of outliers and how far they are moved."""
    import ipywidgets as widgets

    controls = {
        "n_outliers": widgets.IntSlider(value=3, min=0, max=8, description="外れ値の数"),
        # starts at 4 (the notebook's task) with room on both sides
        "shift": widgets.FloatSlider(value=4.0, min=-6.0, max=6.0, step=0.5,
                                     description="ずらす量"),
    }
    return interactive_view(draw_outlier_fit, controls, heavy=True)
