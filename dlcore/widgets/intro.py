"""Notebook 00's environment check widget: fit a line to points by hand (a preview of
slides 14-16, where the computer does this adjustment itself)."""

import numpy as np

from ..checks import check_finite
from . import interactive_view

_rng = np.random.default_rng(0)
X_POINTS = np.linspace(-1.0, 1.0, 12)
Y_POINTS = 0.8 * X_POINTS + 0.3 + _rng.normal(0.0, 0.15, X_POINTS.shape)
"""The labels y_i of the points: the line 0.8 x + 0.3 plus a little noise."""
X_POINTS.flags.writeable = Y_POINTS.flags.writeable = False  # shared by every call


def compute_line_fit(slope, intercept):
    """The line's outputs f(x_i) = slope * x_i + intercept on the fixed points and their mean
    squared error L = (1/n) Σ_i (f(x_i) - y_i)^2 (slide 16)."""
    slope, intercept = check_finite(slope, "slope"), check_finite(intercept, "intercept")
    pred = slope * X_POINTS + intercept
    return {"x": X_POINTS.copy(), "y": Y_POINTS.copy(), "pred": pred,
            "mse": float(np.mean((pred - Y_POINTS) ** 2))}


def draw_line_fit(ax, slope, intercept):
    """Draw the points, the line and the error bars of one setting."""
    r = compute_line_fit(slope, intercept)
    ax.vlines(r["x"], r["y"], r["pred"], colors="tab:red", lw=1, label="誤差")
    ax.scatter(r["x"], r["y"], color="k", zorder=3, label="データ（正解 $y$）")
    ax.plot(r["x"], r["pred"], color="tab:blue", label="直線 $f(x) = ax + b$")
    ax.set(title=f"a = {slope:.2f}, b = {intercept:.2f}：平均二乗誤差 {r['mse']:.3f}",
           xlabel="入力 $x$", ylabel="正解 $y$ と直線の値 $f(x)$", ylim=(-2, 2))
    ax.legend(loc="upper left", fontsize=8)


def show_line_fit():
    """Sliders for the slope a and intercept b; the error updates as you drag."""
    import ipywidgets as widgets

    controls = {
        "slope": widgets.FloatSlider(value=0.0, min=-2, max=2, step=0.05, description="傾き a"),
        "intercept": widgets.FloatSlider(value=0.0, min=-1, max=1, step=0.05,
                                         description="切片 b"),
    }
    return interactive_view(draw_line_fit, controls)
