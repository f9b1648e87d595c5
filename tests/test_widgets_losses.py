"""Tests of notebook 03's helpers and widgets (dlcore.widgets.losses)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore import functions as F
from dlcore.widgets import contact_sheet
from dlcore.widgets.losses import (
    LOSSES,
    P_GRID,
    TRUE_W,
    compute_loss_values,
    compute_outlier_fit,
    draw_loss_values,
    draw_outlier_fit,
    fit_line,
    loss_curve,
    loss_derivative,
    make_outlier_data,
)

# --- loss_curve / loss_derivative ---------------------------------------------------------


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_loss_curve_matches_the_formulas(y):
    p = np.linspace(0.01, 0.99, 25)
    assert np.allclose(loss_curve("L1", p, y), np.abs(y - p))
    assert np.allclose(loss_curve("L2", p, y), (y - p) ** 2)
    ce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert np.allclose(loss_curve("CE", p, y), ce)


def test_loss_curve_keeps_shape_and_accepts_functions():
    f = np.linspace(-2, 2, 12).reshape(3, 4)
    out = loss_curve(F.mse_loss, f, 0.5)
    assert out.shape == (3, 4)
    assert np.allclose(out, (f - 0.5) ** 2)


def test_loss_curve_is_finite_at_probability_0_and_1():
    values = loss_curve("CE", [0.0, 1.0], 1.0)
    assert np.all(np.isfinite(values))
    assert values[0] > 20 and values[1] < 1e-9


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_loss_derivative_matches_the_formulas(y):
    p = np.linspace(0.02, 0.98, 13)
    p = p[np.abs(p - y) > 1e-3]
    assert np.allclose(loss_derivative("L1", p, y), np.sign(p - y), atol=1e-6)
    assert np.allclose(loss_derivative("L2", p, y), 2 * (p - y), atol=1e-6)
    assert np.allclose(loss_derivative("CE", p, y), -y / p + (1 - y) / (1 - p), rtol=1e-5)


def test_l1_slope_constant_l2_slope_shrinks_near_the_answer():
    f = np.array([-3.0, -2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0])
    g1 = np.abs(loss_derivative("L1", f, 0.0))
    g2 = np.abs(loss_derivative("L2", f, 0.0))
    assert np.allclose(g1, 1.0)
    order = np.argsort(np.abs(f))
    assert np.all(np.diff(g2[order]) >= 0)


def test_unknown_loss_raises():
    with pytest.raises(ValueError, match="unknown loss"):
        loss_curve("L3", [0.5], 1.0)
    with pytest.raises(ValueError):
        loss_curve("CE", [1.5], 1.0)  # not a probability


# --- compute_loss_values ---------------------------------------------------------------------


@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("p", [0.0, 0.05, 0.3, 0.5, 0.8, 1.0])
def test_compute_loss_values(y, p):
    r = compute_loss_values(y, p)
    assert set(r["values"]) == set(LOSSES) == set(r["grads"]) == set(r["curves"])
    assert r["values"]["L1"] == pytest.approx(abs(y - p))
    assert r["values"]["L2"] == pytest.approx((y - p) ** 2)
    assert r["values"]["CE"] == pytest.approx(
        F.binary_cross_entropy(np.array([p]), np.array([float(y)])))
    for name in LOSSES:
        assert r["curves"][name].shape == P_GRID.shape
        assert np.all(np.isfinite(r["curves"][name]))
        assert np.isfinite(r["grads"][name])
        assert r["values"][name] >= 0


@pytest.mark.parametrize("y", [0, 1])
def test_losses_grow_as_the_prediction_moves_away(y):
    ps = np.linspace(0.05, 0.95, 10)
    dist = np.abs(ps - y)
    order = np.argsort(dist)
    for name in LOSSES:
        values = np.array([compute_loss_values(y, p)["values"][name] for p in ps])
        assert np.all(np.diff(values[order]) > 0), name


def test_cross_entropy_punishes_confident_wrong_answers_most():
    r = compute_loss_values(1, 0.01)
    assert r["values"]["CE"] > 4 > r["values"]["L1"] > r["values"]["L2"]
    assert r["grads"]["CE"] == pytest.approx(-100, rel=1e-4)


def test_compute_loss_values_rejects_bad_arguments():
    with pytest.raises(ValueError, match="label y"):
        compute_loss_values(2, 0.5)
    with pytest.raises(ValueError, match="probability p"):
        compute_loss_values(1, -0.1)
    with pytest.raises(TypeError):
        compute_loss_values(1, "0.5")


@pytest.mark.parametrize("y, p", [(1, 0.3), (0, 0.99), (1, 1.0)])
def test_draw_loss_values(y, p):
    fig, ax = plt.subplots()
    draw_loss_values(ax, y, p)
    assert "予測確率" in ax.get_title()
    curves = ax.child_axes[0]
    assert len(curves.get_lines()) >= 2 * len(LOSSES)


# --- fit_line ----------------------------------------------------------------------------------


def test_fit_line_l2_is_least_squares():
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, 30)
    y = 0.7 * x - 0.4 + rng.normal(0, 0.3, 30)
    w = fit_line(x, y, "l2")
    slope, intercept = np.polyfit(x, y, 1)
    assert np.allclose(w, [intercept, slope])


def test_fit_line_exact_on_a_line():
    x = np.linspace(0, 1, 7)
    y = 3.0 - 2.0 * x
    for loss in ("l1", "l2"):
        assert np.allclose(fit_line(x, y, loss), [3.0, -2.0], atol=1e-6)


@pytest.mark.parametrize("n_outliers", [0, 3, 6])
def test_fit_line_l1_minimizes_the_l1_loss(n_outliers):
    x, y, _ = make_outlier_data(n_outliers)
    w1, w2 = fit_line(x, y, "l1"), fit_line(x, y, "l2")

    def l1(w):
        return F.l1_loss(w[0] + w[1] * x, y)

    def l2(w):
        return F.mse_loss(w[0] + w[1] * x, y)

    # each line is best under its own loss
    assert l1(w1) <= l1(w2) + 1e-9
    assert l2(w2) <= l2(w1) + 1e-9
    # and no line on a fine grid around the L1 solution does better
    grid = np.linspace(-0.2, 0.2, 41)
    best = min(l1(w1 + np.array([a, b])) for a in grid for b in grid)
    assert l1(w1) <= best + 1e-6


def test_fit_line_rejects_bad_input():
    with pytest.raises(ValueError, match="loss must be"):
        fit_line([0, 1], [0, 1], "l3")
    with pytest.raises(ValueError, match="points"):
        fit_line([0, 1, 2], [0, 1], "l2")
    with pytest.raises(ValueError, match="two different"):
        fit_line([1, 1, 1], [0, 1, 2], "l1")
    with pytest.raises(ValueError):
        fit_line([0, 1, np.nan], [0, 1, 2], "l2")
    with pytest.raises(TypeError):
        fit_line([0, 1], [0, 1], "l1", n_iter=0.5)


# --- compute_outlier_fit ---------------------------------------------------------------------


def test_outlier_data_are_nested_and_seeded():
    _, y3, out3 = make_outlier_data(3)
    _, y5, out5 = make_outlier_data(5)
    assert out3.sum() == 3 and out5.sum() == 5
    assert np.all(out5[out3])  # more outliers keep the earlier ones
    assert np.array_equal(make_outlier_data(3)[1], y3)


@pytest.mark.parametrize("shift", [4.0, -4.0, 2.0])
@pytest.mark.parametrize("n_outliers", [2, 4, 6, 8])
def test_l1_line_is_closer_to_the_truth(n_outliers, shift):
    r = compute_outlier_fit(n_outliers, shift)
    err_l1 = np.abs(r["fits"]["l1"] - TRUE_W)
    err_l2 = np.abs(r["fits"]["l2"] - TRUE_W)
    assert r["distance"]["l1"] < r["distance"]["l2"]
    assert err_l1[0] < err_l2[0]  # intercept
    assert r["distance"]["l1"] < 0.1


def test_without_outliers_both_lines_are_close():
    r = compute_outlier_fit(0)
    assert max(r["distance"].values()) < 0.1
    assert not r["is_outlier"].any()


def test_more_outliers_pull_the_l2_line_further():
    d = [compute_outlier_fit(k)["distance"]["l2"] for k in (0, 2, 4, 8)]
    assert np.all(np.diff(d) > 0)


def test_compute_outlier_fit_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_outliers"):
        compute_outlier_fit(20)
    with pytest.raises(ValueError, match="n_outliers"):
        compute_outlier_fit(-1)


@pytest.mark.parametrize("n_outliers", [0, 3])
def test_draw_outlier_fit(n_outliers):
    fig, ax = plt.subplots()
    draw_outlier_fit(ax, n_outliers)
    assert len(ax.get_lines()) == 3
    assert ax.get_legend() is not None


def _covered_by_legend(ax, xy):
    """Which of the data points ``xy`` (shape (m, 2)) lie under the legend box."""
    fig = ax.figure
    fig.canvas.draw()
    box = ax.get_legend().get_window_extent()
    screen = ax.transData.transform(xy)
    return (box.x0 <= screen[:, 0]) & (screen[:, 0] <= box.x1) & \
        (box.y0 <= screen[:, 1]) & (screen[:, 1] <= box.y1)


def _drawn_points(ax, samples=200):
    """Every scatter point and points along every solid line of ``ax``, in data coordinates."""
    points = [c.get_offsets() for c in ax.collections]
    for line in ax.get_lines():
        x, y = line.get_xdata(), line.get_ydata()
        if len(x) == 2:  # a straight line: sample it densely
            t = np.linspace(0, 1, samples)
            x, y = x[0] + t * (x[1] - x[0]), y[0] + t * (y[1] - y[0])
        points.append(np.column_stack([x, y]))
    return np.vstack(points)


@pytest.mark.parametrize("shift", [4.0, -4.0, 0.5, 6.0, -6.0])  # the slider spans -6..6
def test_the_outlier_legend_covers_no_point_and_no_line(shift):
    settings = [{"n_outliers": k, "shift": shift} for k in (0, 3, 6, 8)]
    fig = contact_sheet(draw_outlier_fit, settings, ncols=4)  # small panels, as in notebook 03
    for ax, s in zip(fig.axes, settings):
        assert not _covered_by_legend(ax, _drawn_points(ax)).any(), s
    fig_one, ax = plt.subplots(figsize=(5.5, 3.8))  # the single figure of notebook 03
    draw_outlier_fit(ax, 4)
    assert not _covered_by_legend(ax, _drawn_points(ax)).any()
    plt.close(fig)
    plt.close(fig_one)


@pytest.mark.parametrize("y", [0, 1])
@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_the_loss_legend_covers_no_curve(y, p):
    fig, ax = plt.subplots(figsize=(4.6, 3.2))
    draw_loss_values(ax, y, p)
    curves = ax.child_axes[0]
    grid = compute_loss_values(y, p)["grid"]
    for name, curve in compute_loss_values(y, p)["curves"].items():
        inside = curve <= curves.get_ylim()[1]
        xy = np.column_stack([grid[inside], curve[inside]])
        assert not _covered_by_legend(curves, xy).any(), name
    plt.close(fig)


# --- the views ----------------------------------------------------------------------------------


@pytest.mark.parametrize("show", ["show_loss_values", "show_outlier_fit"])
def test_show_builds_the_controls(show):
    import ipywidgets as widgets

    import dlcore.widgets.losses as module

    box = getattr(module, show)()
    assert isinstance(box, widgets.VBox)
    controls = box.children[0].children
    assert len(controls) == 2
    assert all(not getattr(c, "continuous_update", False) for c in controls)
