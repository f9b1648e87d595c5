"""Notebook 08's widgets: SGD, Momentum, RMSProp and Adam on 2-D test surfaces (slides 30-33).

- ``local_minimum_curve`` / ``local_minimum_slope``: the 1-D function
  g(x) = (x² - 1)² + 0.3 x with a local minimum (x ≈ 0.96) and a lower, global one
  (x ≈ -1.04), separated by a ridge (x ≈ 0.08) (slide 31).
- ``SURFACES``: 2-D functions f(x, y) with analytic gradients: an ill-conditioned ravine
  (slide 32), Rosenbrock, Beale, a saddle point and the local-minimum function.
- ``run_optimizer(grad, x0, optimizer, steps)``: the path of any dlcore optimizer on a
  function given by its gradient; stops (without warnings) when the iteration blows up.
- ``compute_lr_search``: each optimizer's final loss over a logarithmic grid of learning
  rates, and the best one (cached per surface, steps, start and β).
- ``compute_race`` / ``draw_race`` / ``show_race``: the optimizer race: every optimizer's path
  on the contour plot and its loss against the step, at one shared learning rate or each at
  its own best one. ``draw_lr_search`` draws the grid search behind "its own best one".
"""

import copy
import functools
import numbers
from dataclasses import dataclass

import numpy as np

from ..checks import as_float_array, check_in_range, check_positive
from ..optimizers import SGD, Adam, Momentum, RMSProp
from ..plotting import plot_contour_paths
from . import interactive_view
from .descent import MAX_ABS
from .descent import MAX_STEPS as MAX_ITERATIONS

__all__ = [
    "OPTIMIZER_NAMES", "OPTIMIZER_LABELS", "LR_GRID", "MAX_LRS", "MAX_STEPS", "GAP_FLOOR",
    "local_minimum_curve", "local_minimum_slope", "LOCAL_MIN_X", "RIDGE_X", "GLOBAL_MIN_X",
    "RAVINE_A", "RAVINE_B", "Surface", "SURFACES",
    "make_race_optimizer", "run_optimizer", "compute_path", "compute_lr_search",
    "compute_race", "draw_race", "draw_lr_search", "show_race",
]

OPTIMIZER_NAMES = ("sgd", "momentum", "rmsprop", "adam")
"""The four optimizers of the race, in the order of slide 33 (SGD first)."""

OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam"}
"""Names for legends and tables (slide 33)."""

LR_GRID = 10.0 ** np.arange(-4.0, 1.001, 0.25)
"""The learning rates η tried by ``compute_lr_search``: η = 10^k for k = -4, -3.75, ..., 1
(21 values, four per decade), so each optimizer of slide 33 meets its own best η."""
LR_GRID.flags.writeable = False  # shared by every call

MAX_LRS = 100
"""Largest number of learning rates ``compute_lr_search`` tries (4 optimizers x MAX_STEPS
steps each)."""

MAX_STEPS = 1000
"""Largest number of steps W_{i+1} = update(W_i) the race accepts (slide 33; keeps a
redraw fast)."""

GAP_FLOOR = 1e-12
"""The loss gap f - f* (slides 31-33) below this is drawn at this value on the
logarithmic loss axis."""


# --- the 1-D function with a local and a global minimum (slide 31) ---------------------------

def local_minimum_curve(x):
    """g(x) = (x² - 1)² + 0.3 x (slide 31): two valleys near x = ±1; the tilt 0.3 x makes the
    left one lower (the global minimum) and the right one a local minimum."""
    x = np.asarray(x, dtype=np.float64)
    return (x**2 - 1.0) ** 2 + 0.3 * x


def local_minimum_slope(x):
    """g'(x) = 4 x (x² - 1) + 0.3, the derivative of ``local_minimum_curve``."""
    x = np.asarray(x, dtype=np.float64)
    return 4.0 * x * (x**2 - 1.0) + 0.3


# g'(x) = 4x³ - 4x + 0.3 = 0 has three real roots: global minimum < ridge < local minimum
GLOBAL_MIN_X, RIDGE_X, LOCAL_MIN_X = np.sort(np.roots([4.0, 0.0, -4.0, 0.3]).real)
"""The roots of g'(x) = 4x³ - 4x + 0.3 (slide 31): the global minimum x ≈ -1.0356, the
ridge (local maximum) x ≈ 0.0754 and the local minimum x ≈ 0.9601."""


# --- 2-D surfaces with analytic gradients -----------------------------------------------------

RAVINE_A, RAVINE_B = 50.0, 1.0
"""Curvatures of the ravine f = (a x² + b y²)/2 (slide 32): a ≫ b, condition number a/b = 50."""


@dataclass(frozen=True)
class Surface:
    """A 2-D test function f(x, y) for the race (slides 31-33); optimizers follow -∇f.

    ``f(x, y)`` works element-wise on arrays (for contours); ``grad(p)`` returns ∇f at the
    point p = (x, y) as an array of shape (2,). ``minimum`` is the global minimum point,
    ``start`` the default starting point, ``lr`` and ``steps`` the default shared learning
    rate and number of steps of the widget, ``xlim``/``ylim`` the plotting window.
    """

    label: str
    f: object
    grad: object
    minimum: tuple
    start: tuple
    xlim: tuple
    ylim: tuple
    lr: float
    steps: int
    note: str = ""

    @property
    def f_min(self):
        """f at the global minimum, f* (the race plots f - f*)."""
        return float(self.f(*self.minimum))


def _ravine(x, y):
    return (RAVINE_A * x**2 + RAVINE_B * y**2) / 2


def _ravine_grad(p):
    return np.array([RAVINE_A * p[0], RAVINE_B * p[1]])


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def _beale_terms(x, y):
    return 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3


def _beale(x, y):
    t1, t2, t3 = _beale_terms(x, y)
    return t1**2 + t2**2 + t3**2


def _beale_grad(p):
    x, y = p
    t1, t2, t3 = _beale_terms(x, y)
    return np.array([2 * t1 * (y - 1) + 2 * t2 * (y**2 - 1) + 2 * t3 * (y**3 - 1),
                     2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y**2])


def _saddle(x, y):
    return x**2 / 2 + y**4 / 4 - y**2 / 2


def _saddle_grad(p):
    x, y = p
    return np.array([x, y**3 - y])


def _local(x, y):
    return local_minimum_curve(x) + y**2 / 2


def _local_grad(p):
    return np.array([local_minimum_slope(p[0]), p[1]])


SURFACES = {
    "ravine": Surface(
        "細長い谷", _ravine, _ravine_grad, (0.0, 0.0), (1.0, 4.0), (-1.5, 1.5), (-1.5, 4.5),
        lr=0.035, steps=100,
        note="f = (50 x² + y²)/2: x 方向だけ鋭い谷（スライド 32）"),
    "rosenbrock": Surface(
        "Rosenbrock 関数", _rosenbrock, _rosenbrock_grad, (1.0, 1.0), (-1.5, 2.0),
        (-2.0, 2.0), (-1.0, 3.0), lr=0.001, steps=200,
        note="f = (1 - x)² + 100 (y - x²)²: 曲がった細い谷、最小点 (1, 1)"),
    "beale": Surface(
        "Beale 関数", _beale, _beale_grad, (3.0, 0.5), (1.0, 1.5), (-4.5, 4.5), (-4.5, 4.5),
        lr=0.01, steps=100,
        note="f = (1.5 - x + xy)² + (2.25 - x + xy²)² + (2.625 - x + xy³)²: 最小点 (3, 0.5)"),
    "saddle": Surface(
        "鞍点", _saddle, _saddle_grad, (0.0, 1.0), (1.0, 0.001), (-2.0, 2.0), (-1.8, 1.8),
        lr=0.03, steps=100,
        note="f = x²/2 + y⁴/4 - y²/2: 原点が鞍点、最小点 (0, ±1)"),
    "local": Surface(
        "局所最適解", _local, _local_grad, (float(GLOBAL_MIN_X), 0.0), (2.0, 1.0), (-2.0, 2.3),
        (-1.5, 1.5), lr=0.01, steps=100,
        note="f = (x² - 1)² + 0.3 x + y²/2: 右が局所最適解、左が大域最適解（スライド 31）"),
}
"""name -> Surface: the race's test functions with analytic gradients."""


# --- running an optimizer ----------------------------------------------------------------------

def make_race_optimizer(name, lr, beta=0.9):
    """A fresh dlcore optimizer for the race (slide 33).

    "sgd": w ← w - η g;  "momentum": v ← β v - η g, w ← w + v;
    "rmsprop": h ← ρ h + (1 - ρ) g², w ← w - η g / (√h + ε) with ρ = 0.9;
    "adam": Adam with β₁ = ``beta`` (its momentum coefficient) and β₂ = 0.999.
    ``beta`` is the momentum coefficient of Momentum and Adam; SGD and RMSProp ignore it.
    """
    if name not in OPTIMIZER_NAMES:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {list(OPTIMIZER_NAMES)}")
    check_positive(lr, "learning rate lr")
    check_in_range(beta, "momentum beta", 0.0, 1.0)
    if name == "sgd":
        return SGD(lr)
    if name == "momentum":
        return Momentum(lr, beta=beta)
    if name == "rmsprop":
        return RMSProp(lr)
    return Adam(lr, beta1=beta)


def _check_steps(steps, maximum=None, minimum=0):
    if not isinstance(steps, numbers.Integral) or isinstance(steps, bool):
        raise TypeError(f"steps must be an integer, got {steps!r}")
    if steps < minimum or (maximum is not None and steps > maximum):
        upper = f"..{maximum}" if maximum is not None else " or more"
        raise ValueError(f"steps must be in {minimum}{upper}, got {steps}")
    return int(steps)


def run_optimizer(grad, x0, optimizer, steps, max_abs=MAX_ABS):
    """The path of ``optimizer`` (a fresh dlcore optimizer) minimizing a function with
    gradient ``grad`` from ``x0`` (slides 18, 33): each step calls
    ``optimizer.step({"w": w}, {"w": grad(w)})``, which updates w in place.

    ``x0`` is a number or an array of shape (d,); ``grad`` maps such an array to one of the
    same shape. Returns the path [w_0, ..., w_steps], shape (steps + 1, d) (or (steps + 1,)
    for a number). Like ``descent.gradient_descent``, the iteration stops when it blows up
    (|w| > ``max_abs`` or not finite); the path is then shorter and ends with the last finite
    point. Computed inside ``np.errstate``, so a diverging run prints no RuntimeWarning.
    At most ``descent.MAX_STEPS`` (100 000) steps.
    """
    if not hasattr(optimizer, "step") or not hasattr(optimizer, "t"):
        raise TypeError(f"optimizer must be a dlcore optimizer, got {optimizer!r}")
    if optimizer.t != 0:
        raise ValueError("the optimizer has already taken steps (it keeps a state such as "
                         "the velocity): pass a new one")
    steps = _check_steps(steps, MAX_ITERATIONS)
    check_positive(max_abs, "max_abs")
    w = np.array(x0, dtype=np.float64)
    if w.ndim > 1 or w.size == 0 or not np.all(np.isfinite(w)):
        raise ValueError(f"x0 must be a finite number or 1-D array, got {x0!r}")
    scalar = w.ndim == 0
    w = w.reshape(-1)
    path = [w.copy()]
    params = {"w": w}
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(steps):
            g = np.asarray(grad(w[0] if scalar else w.copy()), dtype=np.float64).reshape(-1)
            if g.shape != w.shape:
                raise ValueError(f"grad(x) has {g.size} values but x has {w.size}")
            optimizer.step(params, {"w": g})
            size = np.abs(w).max()
            if not size <= max_abs:  # too large, inf or NaN (NaN compares as False)
                if np.isfinite(size):
                    path.append(w.copy())  # keep the last finite point
                break
            path.append(w.copy())
    path = np.array(path)
    return path[:, 0] if scalar else path


def _surface(name):
    if not isinstance(name, str) or name not in SURFACES:
        raise ValueError(f"unknown surface {name!r}; choose one of {list(SURFACES)}")
    return SURFACES[name]


def _start(surface, x0, y0):
    s = _surface(surface)
    start = [s.start[0] if x0 is None else x0, s.start[1] if y0 is None else y0]
    for value, name in zip(start, ("x0", "y0")):
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"{name} must be a number, got {value!r}")
        if not np.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}")
    return float(start[0]), float(start[1])


def compute_path(surface, name, lr, beta=0.9, steps=100, x0=None, y0=None):
    """One optimizer ``name`` on one surface (slide 33): the path from the start (x0, y0)
    (default: the surface's start) and the loss gap f(x_i, y_i) - f* at every point.

    Returns {"path" (shape (n, 2), n = steps + 1 unless it diverged), "gap" (shape (n,)),
    "final_gap" (f - f* at the end; inf when the run diverged), "diverged", "lr"}.
    """
    s = _surface(surface)
    steps = _check_steps(steps, MAX_STEPS)
    start = _start(surface, x0, y0)
    path = run_optimizer(s.grad, start, make_race_optimizer(name, lr, beta), steps)
    with np.errstate(over="ignore", invalid="ignore"):
        gap = s.f(path[:, 0], path[:, 1]) - s.f_min
    diverged = len(path) < steps + 1
    final_gap = np.inf if diverged or not np.isfinite(gap[-1]) else float(gap[-1])
    return {"path": path, "gap": gap, "final_gap": final_gap, "diverged": diverged,
            "lr": float(lr)}


@functools.lru_cache(maxsize=64)
def _lr_search_cached(surface, steps, start, beta, lrs):
    result = {}
    for name in OPTIMIZER_NAMES:
        final = np.array([compute_path(surface, name, lr, beta, steps, *start)["final_gap"]
                          for lr in lrs])
        best = int(np.argmin(final))
        result[name] = {"lrs": np.array(lrs), "final_gap": final, "best_index": best,
                        "best_lr": float(lrs[best]), "best_gap": float(final[best])}
    return result


def compute_lr_search(surface, steps=None, x0=None, y0=None, beta=0.9, lrs=None):
    """Each optimizer's own best learning rate on ``surface`` (the "fair" race).

    For every optimizer and every η in ``lrs`` (default ``LR_GRID``, 10⁻⁴ ... 10¹), run
    ``steps`` steps from (x0, y0) and record the final loss gap f - f* (inf if it diverged);
    the best η is the one with the smallest final gap (the smallest η on a tie). The result
    depends on the surface, the start, the number of steps and β, and is cached for each
    such setting, so flipping the widget's toggle back and forth stays fast.

    Returns {name: {"lrs", "final_gap", "best_index", "best_lr", "best_gap"}} (a fresh copy).
    """
    s = _surface(surface)
    steps = s.steps if steps is None else _check_steps(steps, MAX_STEPS, minimum=1)
    start = _start(surface, x0, y0)
    check_in_range(beta, "momentum beta", 0.0, 1.0)
    lrs = LR_GRID if lrs is None else as_float_array(lrs, "lrs", ndim=1)
    if lrs.size > MAX_LRS:
        raise ValueError(f"lrs holds {lrs.size} learning rates, more than {MAX_LRS}")
    for lr in lrs:
        check_positive(float(lr), "learning rate in lrs")
    key = tuple(float(lr) for lr in lrs)
    return copy.deepcopy(_lr_search_cached(surface, steps, start, float(beta), key))


def compute_race(surface="ravine", lr=None, beta=0.9, steps=None, x0=None, y0=None,
                 tuned=False):
    """The optimizer race (slides 31-33): SGD, Momentum, RMSProp and Adam from the same start.

    With ``tuned=False`` all four use the same learning rate ``lr`` (default: the surface's);
    with ``tuned=True`` each uses its own best η from ``compute_lr_search`` (``lr`` is then
    ignored), which is the fair comparison: the meaning of η differs between the rules
    (SGD's step is η g, Adam's is about η per coordinate).

    Returns {"surface", "label", "tuned", "steps", "start", "xlim", "ylim" (the window,
    widened to contain the start), "runs": {name: compute_path(...) result}, "winner" (the
    name with the smallest final gap), "ranking" (names from best to worst)}.
    """
    s = _surface(surface)
    if not isinstance(tuned, (bool, np.bool_)):
        raise TypeError(f"tuned must be True or False, got {tuned!r}")
    steps = s.steps if steps is None else _check_steps(steps, MAX_STEPS, minimum=1)
    lr = s.lr if lr is None else check_positive(lr, "learning rate lr")
    start = _start(surface, x0, y0)
    check_in_range(beta, "momentum beta", 0.0, 1.0)
    search = compute_lr_search(surface, steps, *start, beta) if tuned else None
    runs = {}
    for name in OPTIMIZER_NAMES:
        lr_used = search[name]["best_lr"] if tuned else lr
        runs[name] = compute_path(surface, name, lr_used, beta, steps, *start)
    ranking = sorted(OPTIMIZER_NAMES, key=lambda n: runs[n]["final_gap"])
    xlim = (min(s.xlim[0], start[0] - 0.2), max(s.xlim[1], start[0] + 0.2))
    ylim = (min(s.ylim[0], start[1] - 0.2), max(s.ylim[1], start[1] + 0.2))
    return {"surface": surface, "label": s.label, "tuned": bool(tuned), "steps": steps,
            "start": start, "xlim": xlim, "ylim": ylim, "runs": runs,
            "winner": ranking[0], "ranking": ranking}


def _two_axes(ax):
    """(left, right) from an array of two Axes, or two inset axes of one Axes."""
    if isinstance(ax, np.ndarray):
        axes = ax.ravel()
        if axes.size != 2:
            raise ValueError(f"draw_race needs one Axes or two, got {axes.size}")
        return axes[0], axes[1], False
    ax.set_axis_off()
    return ax.inset_axes([0.0, 0.0, 0.42, 0.93]), ax.inset_axes([0.56, 0.0, 0.44, 0.93]), True


def _few_log_ticks(ax):
    """At most about 6 labelled decades and no minor ticks on a log y axis: every tick label
    is typeset text, and a dozen decades of them make a redraw slow."""
    from matplotlib.ticker import LogLocator, NullLocator

    ax.yaxis.set_major_locator(LogLocator(numticks=6))
    ax.yaxis.set_minor_locator(NullLocator())


def _run_label(name, run):
    result = "発散" if run["diverged"] else f"{run['final_gap']:.1e}"
    return f"{OPTIMIZER_LABELS[name]} (η={run['lr']:.3g}): {result}"


def draw_race(ax, surface="ravine", lr=None, beta=0.9, steps=None, x0=None, y0=None,
              tuned=False):
    """Left: contours of the surface with every optimizer's path (start ■, minimum ★, the
    end of a diverged path ×). Right: f - f* against the step, logarithmic; its legend gives
    each optimizer's η and its final f - f*, or 「発散」 for a diverged run.

    ``ax`` is an array of two Axes (the widget) or one Axes, which is then split in two
    (a panel of the contact sheet).
    """
    r = compute_race(surface, lr, beta, steps, x0, y0, tuned)
    s = SURFACES[surface]
    left, right, inset = _two_axes(ax)
    paths = {OPTIMIZER_LABELS[n]: run["path"] for n, run in r["runs"].items()}
    mode = "各自の最良の η" if r["tuned"] else f"共通の η = {lr if lr is not None else s.lr:.3g}"
    title = f"{s.label}：{mode}（{r['steps']} 回）"
    plot_contour_paths(s.f, paths, r["xlim"], r["ylim"], ax=left,
                       title="" if inset else "等高線と経路", levels=20, resolution=100,
                       xlabel="$x$", ylabel="$y$")
    left.get_legend().remove()  # the legend (with η and the result) is on the right panel
    left.plot(*r["start"], "ks", ms=5, zorder=5)
    left.plot(*s.minimum, "k*", ms=11, zorder=5)
    top = 1.0
    for k, (name, run) in enumerate(r["runs"].items()):
        color = f"C{k}"
        gap = np.clip(run["gap"], GAP_FLOOR, None)
        top = max(top, float(np.nan_to_num(gap[0], posinf=1.0)))
        right.semilogy(np.arange(len(gap)), gap, color=color, lw=1.3,
                       label=_run_label(name, run))
        if run["diverged"]:
            left.plot(*run["path"][-1], "x", color=color, ms=9, mew=2, zorder=6)
            right.plot(len(gap) - 1, min(gap[-1], top * 1e3), "x", color=color, ms=9, mew=2)
    right.set(title="" if inset else "損失の推移", xlabel="ステップ", ylabel="$f - f^*$",
              ylim=(GAP_FLOOR / 2, top * 1e3), xlim=(0, r["steps"]))
    _few_log_ticks(right)
    right.grid(alpha=0.3, which="major")
    right.legend(loc="best", fontsize=6.5 if inset else 8, framealpha=0.85)
    if inset:
        ax.set_title(title, fontsize=10)
    else:
        left.figure.suptitle(title)


def draw_lr_search(ax, surface="ravine", steps=None, x0=None, y0=None, beta=0.9):
    """The grid search behind the fair race: each optimizer's final f - f* against η
    (log-log), with its best η marked (★). Diverged runs are drawn as × on the top edge."""
    s = _surface(surface)
    search = compute_lr_search(surface, steps, x0, y0, beta)
    steps = s.steps if steps is None else steps
    finite = np.concatenate([r["final_gap"][np.isfinite(r["final_gap"])]
                             for r in search.values()])
    top = 10 * max(1.0, float(finite.max())) if finite.size else 10.0
    for k, (name, r) in enumerate(search.items()):
        color = f"C{k}"
        gap = np.clip(r["final_gap"], GAP_FLOOR, None)
        ok = np.isfinite(gap)
        ax.loglog(r["lrs"][ok], gap[ok], "o-", color=color, ms=3, lw=1,
                  label=f"{OPTIMIZER_LABELS[name]}（最良 η = {r['best_lr']:.3g}）")
        ax.plot(r["lrs"][~ok], np.full((~ok).sum(), top), "x", color=color, ms=6)
        ax.plot(r["best_lr"], max(r["best_gap"], GAP_FLOOR), "*", color=color, ms=13,
                mec="k", zorder=5)
    ax.set(title=f"{s.label}：学習率の格子探索（{steps} 回後の $f - f^*$、× は発散）",
           xlabel="学習率 η", ylabel=f"{steps} 回後の $f - f^*$",
           ylim=(GAP_FLOOR / 2, top * 3))
    _few_log_ticks(ax)
    ax.grid(alpha=0.3, which="major")
    ax.legend(fontsize=7, loc="lower left")


def show_race():
    """The optimizer race widget: surface, learning rate η (logarithmic), momentum β, the
    number of steps, the start point and the toggle shared η / each optimizer's best η.

    Choosing a surface resets the start, η and the steps to that surface's defaults. A
    redraw with the toggle on "each its best η" first runs the grid search (a few tenths of
    a second, then cached), so the plot redraws when a slider is released (heavy=True).
    """
    import ipywidgets as widgets

    from . import log_slider

    first = SURFACES["ravine"]
    controls = {
        "surface": widgets.Dropdown(options=[(s.label, k) for k, s in SURFACES.items()],
                                    value="ravine", description="関数"),
        "tuned": widgets.ToggleButtons(options=[("共通の η", False), ("各自の最良の η", True)],
                                       value=False, description="学習率"),
        "lr": log_slider("共通の η", first.lr, -4, 1, step=0.05),
        "beta": widgets.FloatSlider(value=0.9, min=0.0, max=0.99, step=0.01,
                                    description="Momentum β"),
        "steps": widgets.IntSlider(value=first.steps, min=10, max=300, step=10,
                                   description="ステップ数"),
        "x0": widgets.FloatSlider(value=first.start[0], min=first.xlim[0], max=first.xlim[1],
                                  step=0.05, description="始点 x"),
        # step 0.001 (the saddle starts at y = 0.001), so the readout shows 3 decimals too
        "y0": widgets.FloatSlider(value=first.start[1], min=first.ylim[0], max=first.ylim[1],
                                  step=0.001, readout_format=".3f", description="始点 y"),
    }

    resetting = [False]

    def surface_defaults(name):
        s = SURFACES[name]
        return {"x0": s.start[0], "y0": s.start[1], "lr": s.lr, "steps": s.steps}

    def reset(change):
        # Runs before the view's own observer of the surface (registered first). The view
        # is paused while the sliders are moved here; its observer then draws the new
        # surface once.
        s, defaults = SURFACES[change["new"]], surface_defaults(change["new"])
        resetting[0] = True
        try:
            for key, lim in (("x0", s.xlim), ("y0", s.ylim)):
                slider = controls[key]
                with slider.hold_sync():  # one message to the browser, not five
                    slider.min, slider.max = -10.0, 10.0  # no min > max while both change
                    slider.value = defaults[key]
                    slider.min, slider.max = lim
            controls["lr"].value = defaults["lr"]
            controls["steps"].value = defaults["steps"]
        finally:
            resetting[0] = False

    def after_move(name, values):
        # the picture drawn ahead for the next surface is the one with its own defaults
        return values | surface_defaults(values["surface"]) if name == "surface" else values

    controls["surface"].observe(reset, names="value")
    return interactive_view(draw_race, controls, heavy=True, figsize=(11, 4.6), panels=(1, 2),
                            paused=lambda: resetting[0], after_move=after_move)
