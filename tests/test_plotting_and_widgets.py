"""The plotting helpers, the widget base and notebook 00's widget."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore import build_mlp, plotting
from dlcore.training import History
from dlcore.widgets import contact_sheet
from dlcore.widgets.intro import X_POINTS, Y_POINTS, compute_line_fit, draw_line_fit


def test_japanese_font_is_selected():
    assert plt.rcParams["font.family"][0] == "IPAexGothic"


def test_decision_grid_covers_points():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    xx, yy, points = plotting.decision_grid(X, resolution=5, pad=0.5)
    assert xx.shape == yy.shape == (5, 5) and points.shape == (25, 2)
    assert points[:, 0].min() == -0.5 and points[:, 1].max() == 2.5
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plotting.decision_grid(np.zeros((3, 3)))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_decision_boundary_draws_every_class(n_classes):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.arange(30) % n_classes
    model = build_mlp((2, 4, n_classes), seed=0)
    fig = plotting.plot_decision_boundary(model, X, y, title="テスト")
    ax = fig.axes[0]
    assert ax.get_title() == "テスト" and ax.collections  # filled contours and the scatter


def test_history_plot_has_loss_and_accuracy_panels():
    h = History(train_loss=[1.0, 0.5], train_acc=[0.5, 0.9], val_loss=[1.1, 0.7],
                val_acc=[0.4, 0.8], best_epoch=2)
    fig = h.plot()
    assert [ax.get_title() for ax in fig.axes] == ["損失", "正解率"]
    assert len(fig.axes[0].lines) == 3  # train, validation, best epoch marker
    regression = History(train_loss=[1.0, 0.5], train_acc=[None, None])
    assert len(plotting.plot_history(regression).axes) == 1


def test_contour_paths_and_gradient_norms():
    fig = plotting.plot_contour_paths(lambda x, y: x**2 + 10 * y**2,
                                      {"SGD": np.array([[1.0, 1.0], [0.5, -0.5], [0.0, 0.0]])},
                                      xlim=(-2, 2), ylim=(-2, 2))
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "SGD"
    fig = plotting.plot_gradient_norms({"sigmoid": [1e-6, 1e-3, 1e-1]})
    assert fig.axes[0].get_yscale() == "log"


def test_line_fit_error_is_smallest_near_the_generating_line():
    best = compute_line_fit(0.8, 0.3)["mse"]
    assert best < 0.03
    for slope, intercept in [(0.0, 0.0), (1.6, 0.3), (0.8, -0.3)]:
        assert compute_line_fit(slope, intercept)["mse"] > best
    r = compute_line_fit(1.0, 0.0)
    assert np.allclose(r["pred"], X_POINTS) and np.isclose(r["mse"], np.mean((X_POINTS - Y_POINTS) ** 2))


def test_contact_sheet_lays_out_panels():
    settings = [{"slope": a, "intercept": 0.0} for a in (0.0, 0.5, 1.0, 1.5)]
    fig = contact_sheet(draw_line_fit, settings, ncols=3, title="一覧")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(fig.axes) == 6 and len(visible) == 4
    with pytest.raises(ValueError, match="at least one setting"):
        contact_sheet(draw_line_fit, [])
