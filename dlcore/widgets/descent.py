"""Notebook 04's widget: gradient descent on a 1-D quadratic and the role of the learning rate
(slides 17-19).

- ``gradient_descent(grad, x0, lr, steps)`` -- the update x_{i+1} = x_i - η f'(x_i) of
  slide 18 (and x_{i+1} = x_i - η ∇f(x_i) for several variables, slide 19), returning the path.
- ``compute_descent_1d`` / ``draw_descent_1d`` / ``show_descent_1d`` -- the learning-rate
  widget on f(x) = a x²/2, where x_{i+1} = (1 - η a) x_i, so descent converges iff
  |1 - η a| < 1, i.e. 0 < η < 2/f'' (f'' = a).
"""

import numbers

import numpy as np

from ..checks import as_float_array, check_int_in_range, check_positive
from . import interactive_view

MAX_ABS = 1e8  # |x| beyond this counts as "blown up": the iteration stops there
SLOW_FRACTION = 0.1  # converging, but |x_n| / |x_0| still above this after the steps: "slow"
MAX_STEPS = 100_000  # more steps than this is a typo (the notebooks take at most a few hundred)
MAX_CURVATURE = 1e6  # a larger f'' would need η < 2e-6: far outside the widget's slider

STATUS_LABELS = {
    "monotone": "単調に収束",
    "one_step": "1 回で最小点に着く",
    "oscillating": "振動しながら収束",
    "cycle": "振動し続ける（収束しない）",
    "diverged": "発散",
}
"""The Japanese words a student reads for each status of ``quadratic_status``."""


def gradient_descent(grad, x0, lr, steps, max_abs=MAX_ABS):
    """Gradient descent x_{i+1} = x_i - η grad(x_i) (slide 18; slide 19 for vectors).

    ``grad`` is f' (a function of a number) or ∇f (a function of an array of shape (d,));
    ``x0`` is the starting point (a number or an array of shape (d,)), ``lr`` is η > 0.
    Returns the path [x_0, x_1, ..., x_steps] as an array of shape (steps + 1,) or
    (steps + 1, d). If the iteration blows up (|x| > ``max_abs`` or not finite) it stops
    there: the path is then shorter than steps + 1 and ends with the last finite point.
    Computed inside ``np.errstate`` so a diverging run never prints a RuntimeWarning.
    """
    if not callable(grad):
        raise TypeError(f"grad must be a function (the derivative f'), got {grad!r}")
    check_positive(lr, "lr")
    steps = _check_steps(steps)
    check_positive(max_abs, "max_abs")
    x = as_float_array(x0, "x0").astype(np.float64)
    if x.ndim > 1:
        raise ValueError(f"x0 must be a finite number or 1-D array, got shape {x.shape}")
    path = [x.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            g = np.asarray(grad(x), dtype=np.float64)
            if g.shape != x.shape:
                raise ValueError(f"grad(x) has shape {g.shape} but x has shape {x.shape}")
            x = x - lr * g
            if not np.all(np.isfinite(x)):
                break
            path.append(x.copy())
            if np.max(np.abs(x)) > max_abs:
                break
    return np.array(path)


def quadratic_status(lr, curvature):
    """What descent does on f(x) = a x²/2 (f'' = a), from the factor r = 1 - η a of
    x_{i+1} = r x_i (slide 18):

    - r > 0 ("monotone", η < 1/f''): x approaches 0 from one side (slowly when r ≈ 1);
    - r = 0 ("one_step", η = 1/f''): x_1 = 0, the minimum in one step;
    - -1 < r < 0 ("oscillating", 1/f'' < η < 2/f''): x jumps across 0 and converges;
    - r = -1 ("cycle", η = 2/f''): x jumps between x_0 and -x_0 forever;
    - r < -1 ("diverged", η > 2/f''): |x| grows without bound.

    Returns (status, r); ``STATUS_LABELS[status]`` is the Japanese word to print.
    """
    check_positive(lr, "lr")
    check_positive(curvature, "curvature")
    r = 1.0 - lr * curvature
    if np.isclose(r, 0.0, rtol=0, atol=1e-12):
        status = "one_step"
    elif r > 0:
        status = "monotone"
    elif np.isclose(r, -1.0, rtol=0, atol=1e-12):
        status = "cycle"
    elif r > -1:
        status = "oscillating"
    else:
        status = "diverged"
    return status, r


def compute_descent_1d(lr, x0=2.5, curvature=1.0, steps=15):
    """Gradient descent on f(x) = a x²/2 with f'(x) = a x (slide 18).

    Returns a dict with the path ``x`` (x_i = (1 - η a)^i x_0, cut short if it blows up),
    its values ``f``, the ``factor`` r = 1 - η a, the ``critical_lr`` 2/f'' = 2/a, the
    ``status`` of ``quadratic_status``, ``slow`` (converging, but after ``steps`` steps
    |x_n| = |r|^n |x_0| is still more than 10 % of |x_0|), the Japanese ``label``
    (単調に収束, 単調にゆっくり収束, 1 回で最小点に着く, 振動しながら収束, ..., 発散),
    ``blew_up`` (True when |x| passed 1e8 and the iteration stopped), and the curve
    ``curve_x``, ``curve_f`` with the plotting window ``xlim`` (which contains x_0).
    """
    if (not isinstance(x0, numbers.Real) or isinstance(x0, bool) or not np.isfinite(x0)
            or abs(x0) > MAX_ABS):
        raise ValueError(f"x0 must be a finite number between -{MAX_ABS:g} and {MAX_ABS:g}, "
                         f"got {x0!r}")
    steps = _check_steps(steps)
    if check_positive(curvature, "curvature") > MAX_CURVATURE:
        raise ValueError(f"curvature must be at most {MAX_CURVATURE:g}, got {curvature}")
    status, factor = quadratic_status(lr, curvature)
    path = gradient_descent(lambda x: curvature * x, float(x0), lr, steps)
    slow = status in ("monotone", "oscillating") and abs(factor) ** steps > SLOW_FRACTION
    label = STATUS_LABELS[status]
    if slow:
        label = label.replace("収束", "ゆっくり収束")
    half_width = max(3.0, 1.5 * abs(x0))
    curve_x = np.linspace(-half_width, half_width, 201)
    with np.errstate(over="ignore"):  # a path that blew up ends beyond 1e8: f may be inf
        f_path = curvature * path**2 / 2
    return {
        "x": path,
        "f": f_path,
        "factor": factor,
        "critical_lr": 2.0 / curvature,
        "status": status,
        "slow": slow,
        "label": label,
        "blew_up": len(path) < steps + 1,
        "curve_x": curve_x,
        "curve_f": curvature * curve_x**2 / 2,
        "xlim": (-half_width, half_width),
    }


def draw_descent_1d(ax, lr, x0=2.5, curvature=1.0, steps=15):
    """Draw f(x) = a x²/2 and the descent path on it; the title names the behaviour
    (単調に収束 / 1 回で最小点に着く / 振動しながら収束 / 発散 ...) from r = 1 - η f''. Points that leave the window are not
    drawn; a diverging run says 「発散しました」 instead."""
    r = compute_descent_1d(lr, x0, curvature, steps)
    ax.plot(r["curve_x"], r["curve_f"], color="gray", lw=1.5, label="$f(x) = a x^2 / 2$")
    x, fx = r["x"], r["f"]
    outside = np.flatnonzero(np.abs(x) > r["xlim"][1])
    shown = slice(0, outside[0] if outside.size else len(x))
    ax.plot(x[shown], fx[shown], "-", color="tab:red", lw=1, alpha=0.6)
    ax.scatter(x[shown], fx[shown], c=np.arange(len(x))[shown], cmap="autumn", s=18,
               zorder=3, label="経路 $x^{(0)}, x^{(1)}, \\ldots$")
    ax.plot(x[:1], fx[:1], "ks", ms=5, zorder=4)
    if r["status"] == "diverged":
        ax.text(0.5, 0.3, "発散しました", transform=ax.transAxes, ha="center", va="center",
                fontsize=15, color="tab:red", bbox={"fc": "white", "ec": "tab:red"})
    top = r["curve_f"].max()
    ax.set(xlim=r["xlim"], ylim=(-0.05 * top, 1.05 * top), xlabel="$x$", ylabel="$f(x)$")
    factor = rf"$1 - \eta f'' = {r['factor']:.2f}$"
    critical = rf"$2/f'' = {r['critical_lr']:.2f}$"
    ax.set_title(f"η = {lr:.3g}：{r['label']}\n{factor}、臨界の η：{critical}", fontsize=9)
    ax.legend(loc="upper center", fontsize=7)


def show_descent_1d():
    """Sliders: learning rate η (logarithmic), start x^(0), curvature a = f'' and the number of
    steps; the plot shows the path and says whether descent converges, oscillates or
    diverges (critical η = 2/f'', slide 18). The plot is redrawn when a slider is released
    (heavy=True: a picture not drawn ahead takes 60-90 ms to draw, too slow to follow a drag)."""
    import ipywidgets as widgets

    from . import log_slider

    controls = {
        "lr": log_slider("学習率 η", 0.3, -2, 0.7, step=0.05),
        "x0": widgets.FloatSlider(value=2.5, min=-3, max=3, step=0.1, description="初期値 x⁽⁰⁾"),
        "curvature": widgets.FloatSlider(value=2.0, min=0.5, max=4.0, step=0.1,
                                         description="曲率 a = f''"),
        "steps": widgets.IntSlider(value=15, min=1, max=50, description="回数"),
    }
    return interactive_view(draw_descent_1d, controls, heavy=True, figsize=(6, 4.2))


def _check_steps(steps):
    return check_int_in_range(steps, "steps", 0, MAX_STEPS)
