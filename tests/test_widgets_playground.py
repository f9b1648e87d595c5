"""Tests of notebook 07's playground (dlcore.widgets.playground)."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from claim_margins import outcomes

from dlcore.widgets.playground import (
    DEFAULTS,
    N_POINTS,
    RESOLUTION,
    VIEW,
    LossPanel,
    compute_playground,
    draw_boundary_panel,
    draw_loss_panel,
    draw_playground,
    draw_playground_boundary,
    iterations_per_epoch,
    repaint_playground,
)

ARRAYS = ("X_train", "y_train", "X_val", "y_val", "xx", "yy", "proba", "epoch",
          "train_loss", "val_loss")


@pytest.fixture(scope="module")
def default():
    return compute_playground(**DEFAULTS)


# --- epochs and iterations (slide 29) ------------------------------------------------------------

@pytest.mark.parametrize("n, m, expected", [(100, 20, 5), (100, 32, 4), (100, 100, 1),
                                            (100, 500, 1), (1, 1, 1), (1437, 32, 45),
                                            (1437, 1, 1437)])
def test_iterations_per_epoch_is_ceil_n_over_m(n, m, expected):
    assert iterations_per_epoch(n, m) == expected == math.ceil(n / m)


@pytest.mark.parametrize("n, m, error", [(0, 1, ValueError), (10, 0, ValueError),
                                         (10, 2.5, TypeError), (True, 1, TypeError)])
def test_iterations_per_epoch_rejects_bad_arguments(n, m, error):
    with pytest.raises(error):
        iterations_per_epoch(n, m)


# --- compute_playground: what it returns -----------------------------------------------------------

def test_default_run_shapes_and_values(default):
    r = default
    assert r["status"] == "ok" and r["message"] == ""
    n_train = round(DEFAULTS["train_ratio"] * N_POINTS)
    assert r["X_train"].shape == (n_train, 2) and r["y_train"].shape == (n_train,)
    assert r["X_val"].shape == (N_POINTS - n_train, 2)
    assert r["xx"].shape == r["yy"].shape == r["proba"].shape == (RESOLUTION, RESOLUTION)
    assert np.all((r["proba"] >= 0) & (r["proba"] <= 1))
    epochs = DEFAULTS["epochs"]
    np.testing.assert_array_equal(r["epoch"], np.arange(epochs + 1))
    assert r["train_loss"].shape == r["val_loss"].shape == (epochs + 1,)
    # 100 training points in batches of 20: 5 updates per epoch
    assert r["updates"] == epochs * iterations_per_epoch(n_train, DEFAULTS["batch_size"]) == 150
    assert r["n_params"] == (2 * 8 + 8) + (8 * 8 + 8) + (8 + 1)
    # the grid covers every point
    assert np.abs(np.concatenate([r["X_train"], r["X_val"]])).max() < r["extent"]


def test_default_run_learns_the_circle(default):
    r = default
    assert r["train_loss"][-1] < 0.5 * r["train_loss"][0]
    assert r["val_loss"][-1] < 0.5 * r["val_loss"][0]
    assert r["train_acc"] >= 0.9 and r["val_acc"] >= 0.9
    # before training the network knows nothing: a loss near ln 2
    assert abs(r["train_loss"][0] - np.log(2)) < 0.2


def test_boundary_agrees_with_the_val_accuracy(default):
    # classify each validation point by the grid cell it falls into: close to the reported accuracy
    r = default
    xs, ys = r["xx"][0], r["yy"][:, 0]
    col = np.clip(np.searchsorted(xs, r["X_val"][:, 0]), 0, RESOLUTION - 1)
    row = np.clip(np.searchsorted(ys, r["X_val"][:, 1]), 0, RESOLUTION - 1)
    grid_acc = np.mean((r["proba"][row, col] > 0.5) == r["y_val"])
    assert abs(grid_acc - r["val_acc"]) <= 0.05


def test_spiral_needs_hidden_layers():
    settings = dict(dataset="spiral", noise=0.0, train_ratio=0.7, neurons=16, lr=0.03,
                    batch_size=20, epochs=300, seed=0, optimizer="adam")
    linear = compute_playground(**settings | dict(hidden_layers=0, activation="relu"))
    assert linear["val_acc"] < 0.6
    for activation in ("relu", "tanh"):
        deep = compute_playground(**settings | dict(hidden_layers=2, activation=activation))
        assert deep["status"] == "ok"
        assert deep["val_acc"] > 0.85, activation


def test_gaussian_is_easy_without_hidden_layers():
    r = compute_playground(**DEFAULTS | dict(dataset="gaussian", hidden_layers=0))
    assert r["val_acc"] >= 0.95
    assert r["n_params"] == 3  # w_1, w_2 and the bias: a single line (slides 4-6)


def test_xor_needs_a_hidden_layer():
    linear = compute_playground(**DEFAULTS | dict(dataset="xor", hidden_layers=0))
    deep = compute_playground(**DEFAULTS | dict(dataset="xor", hidden_layers=2))
    assert linear["val_acc"] < 0.75 <= 0.85 <= deep["val_acc"]


def test_huge_learning_rate_diverges_with_a_message():
    r = compute_playground(**DEFAULTS | dict(activation="leaky_relu", lr=30.0))
    assert r["status"] == "diverged"
    assert "学習率" in r["message"] and "発散" in r["message"]
    assert r["proba"] is None
    assert math.isnan(r["train_acc"]) and math.isnan(r["val_acc"])
    # the curves keep the finite epochs before the divergence
    assert 1 <= len(r["train_loss"]) < DEFAULTS["epochs"] + 1
    assert np.all(np.isfinite(r["train_loss"])) and np.all(np.isfinite(r["val_loss"]))
    assert r["updates"] < 150


def test_overshooting_learning_rate_is_reported_as_unstable():
    # A chaotic run: its final loss moves with the last bits of the initial weights (6 to 24
    # for seed 0, once 0.86 for seed 1 against the threshold ln 2 + 0.1), so the claim is
    # asserted in its robust form over seeds and perturbed weights (another CPU's bits).
    def run(seed):
        return compute_playground(**DEFAULTS | dict(activation="tanh", lr=10.0, seed=seed))

    results = outcomes(run, seeds=range(3))
    unstable = [r for r in results if r["status"] == "unstable"]
    assert len(unstable) >= 7, [r["status"] for r in results]  # 9 of 9 measured
    for r in unstable:
        assert "学習率" in r["message"]
        assert r["train_loss"][-1] > r["train_loss"][0]
        assert r["proba"] is not None  # the boundary is still drawn


def test_small_learning_rate_is_ok_and_learns_less(default):
    slow = compute_playground(**DEFAULTS | dict(lr=0.003))
    assert slow["status"] == "ok"
    assert slow["train_loss"][-1] > default["train_loss"][-1]


def test_same_seed_gives_the_same_result(default):
    again = compute_playground(**DEFAULTS)
    for key in ARRAYS:
        np.testing.assert_array_equal(again[key], default[key])
    for key in ("train_acc", "val_acc", "updates", "status"):
        assert again[key] == default[key]


def test_other_seed_gives_other_data(default):
    other = compute_playground(**DEFAULTS | dict(seed=1))
    assert not np.array_equal(other["X_train"], default["X_train"])


def test_train_ratio_changes_the_split_sizes():
    small = compute_playground(**DEFAULTS | dict(train_ratio=0.3, epochs=2))
    large = compute_playground(**DEFAULTS | dict(train_ratio=0.8, epochs=2))
    assert len(small["X_train"]) == 60 and len(small["X_val"]) == 140
    assert len(large["X_train"]) == 160 and len(large["X_val"]) == 40
    assert small["updates"] == 2 * 3 and large["updates"] == 2 * 8  # ceil(60/20), ceil(160/20)
    # fair comparisons: the smaller training set is part of the larger one
    small_rows = {tuple(x) for x in small["X_train"]}
    assert small_rows <= {tuple(x) for x in large["X_train"]}


def test_network_settings_keep_the_data_and_split(default):
    other = compute_playground(**DEFAULTS | dict(hidden_layers=1, neurons=3, lr=0.1,
                                                 batch_size=5, epochs=3))
    for key in ("X_train", "y_train", "X_val", "y_val"):
        np.testing.assert_array_equal(other[key], default[key])


@pytest.mark.parametrize("batch_size, epochs", [(1, 2), (7, 3), (100, 4), (500, 4)])
def test_number_of_updates_is_epochs_times_ceil_n_over_m(batch_size, epochs):
    r = compute_playground(**DEFAULTS | dict(batch_size=batch_size, epochs=epochs))
    assert r["updates"] == epochs * math.ceil(100 / batch_size)


def test_more_epochs_lower_training_loss(default):
    short = compute_playground(**DEFAULTS | dict(epochs=5))
    assert short["train_loss"][-1] > default["train_loss"][-1]
    # the first 5 epochs of the long run are the short run
    np.testing.assert_allclose(short["train_loss"], default["train_loss"][:6])


def test_l2_penalty_raises_the_training_loss(default):
    penalized = compute_playground(**DEFAULTS | dict(l2=0.3))
    assert penalized["status"] == "ok"
    assert penalized["train_loss"][-1] > default["train_loss"][-1]


@pytest.mark.parametrize("dataset", ["circle", "xor", "gaussian", "spiral", "moons"])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_every_dataset_and_activation_runs(dataset, activation):
    r = compute_playground(**DEFAULTS | dict(dataset=dataset, activation=activation,
                                             epochs=3, noise=0.3))
    assert r["status"] == "ok"
    assert 0 <= r["val_acc"] <= 1 and np.all(np.isfinite(r["proba"]))


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_other_optimizers_learn_the_circle(optimizer):
    # 60 epochs: Momentum reached only 0.91 after 30 (seed 0), too close to the threshold
    r = compute_playground(**DEFAULTS | dict(lr=0.03, epochs=60), optimizer=optimizer)
    assert r["status"] == "ok" and r["val_acc"] >= 0.95  # 0.98-1.0 for seeds 0-2


@pytest.mark.parametrize("key, value, error", [
    ("dataset", "square", ValueError), ("noise", -0.1, ValueError), ("noise", 2.0, ValueError),
    ("train_ratio", 0.0, ValueError), ("train_ratio", 1.0, ValueError),
    ("train_ratio", 0.005, ValueError), ("train_ratio", "0.5", TypeError),
    ("hidden_layers", 5, ValueError), ("hidden_layers", -1, ValueError),
    ("hidden_layers", 1.5, TypeError), ("hidden_layers", True, TypeError),
    ("neurons", 0, ValueError), ("neurons", 33, ValueError), ("activation", "step", ValueError),
    ("lr", 0.0, ValueError), ("lr", -0.1, ValueError), ("lr", float("nan"), ValueError),
    ("batch_size", 0, ValueError), ("batch_size", 2.5, TypeError), ("l2", -0.01, ValueError),
    ("epochs", 0, ValueError), ("seed", -1, ValueError), ("seed", "a", ValueError),
    ("optimizer", "rmsprop", ValueError),
])
def test_bad_arguments_raise_clear_errors(key, value, error):
    with pytest.raises(error, match=key.replace("lr", "learning rate")):
        compute_playground(**DEFAULTS | {key: value})


# --- drawing ----------------------------------------------------------------------------------------

def test_draw_playground_fills_both_panels():
    fig, axes = plt.subplots(1, 2, squeeze=False)
    result = draw_playground(axes, **DEFAULTS)
    boundary, loss = axes.ravel()
    assert f"{result['val_acc']:.0%}" in boundary.get_title()
    assert len(boundary.images) == 1  # the heatmap
    assert len(loss.lines) == 2 and loss.get_legend() is not None
    assert "150" in loss.get_title()  # the number of updates


def test_the_loss_title_names_the_batch_size_and_when_it_is_the_whole_training_set():
    """m = 100 and m = 200 train alike on 100 training points; the title says why, and the
    two pictures differ, so the batch-size slider visibly does something at every step."""
    from dlcore.widgets import render_view

    titles, pictures = [], []
    for m in (20, 100, 200):
        fig, axes = plt.subplots(1, 2, squeeze=False)
        draw_playground(axes, **DEFAULTS | {"batch_size": m})
        titles.append(axes.ravel()[1].get_title())
        plt.close(fig)
        pictures.append(render_view(draw_playground, DEFAULTS | {"batch_size": m},
                                    VIEW["figsize"], VIEW["panels"], VIEW["margins"]))
    assert "m = 20・" in titles[0] and "全" not in titles[0]
    assert "m = 100：全 100 点" in titles[1] and "m = 200：全 100 点" in titles[2]
    assert pictures[1] != pictures[2]


def test_draw_playground_needs_two_axes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="2 axes"):
        draw_playground(ax, **DEFAULTS)


def test_draw_playground_boundary_titles_the_panel():
    fig, ax = plt.subplots()
    draw_playground_boundary(ax, dataset="xor", hidden_layers=0, epochs=3)
    assert "XOR" in ax.get_title() and "隠れ層なし" in ax.get_title()


def test_a_diverged_run_is_drawn_with_its_message():
    result = compute_playground(**DEFAULTS | dict(activation="leaky_relu", lr=30.0))
    fig, (ax0, ax1) = plt.subplots(1, 2)
    draw_boundary_panel(ax0, result)
    draw_loss_panel(ax1, result)
    assert not ax0.images[0].get_visible()  # no heatmap to show...
    assert any("学習率" in t.get_text().replace("\n", "") for t in ax0.texts)  # ...but why
    assert "発散" in ax0.get_title() and "発散" in ax1.get_title()
    fig.canvas.draw()  # renders without a missing-glyph warning


def test_contact_sheet_panels_render():
    from dlcore.widgets import contact_sheet

    fig = contact_sheet(draw_playground_boundary,
                        [dict(dataset="moons", hidden_layers=h, epochs=3) for h in (0, 1)]
                        + [dict(lr=10.0, activation="tanh", epochs=3)])
    fig.canvas.draw()
    assert len(fig.axes) == 3


def test_show_builds_the_widget():
    import ipywidgets as widgets

    from dlcore.widgets.playground import show_playground

    box = show_playground()
    controls = box.children[0].children
    assert len(controls) == 12
    assert isinstance(controls[6], widgets.FloatLogSlider)  # η on a logarithmic slider
    assert all(not getattr(c, "continuous_update", False) for c in controls)


def test_a_view_redraw_renders_one_png_of_the_figure_size():
    from dlcore.widgets import render_view

    png = render_view(draw_playground, dict(DEFAULTS, epochs=2), figsize=(10, 4),
                      panels=(1, 2), margins=VIEW["margins"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1000, 400)  # 10 x 4 inches at 100 dpi, margins not cropped
    assert plt.get_fignums() == []  # not a pyplot figure: Jupyter will not show it again


def test_the_kept_figure_is_repainted_without_piling_up_artists():
    from dlcore.widgets import make_renderer

    paint = repaint_playground()
    render = make_renderer(paint, **VIEW)
    settings = [DEFAULTS, DEFAULTS | dict(activation="leaky_relu", lr=30.0),
                DEFAULTS | dict(dataset="xor", train_ratio=0.7), DEFAULTS]
    counts, pngs = [], []
    for s in settings:
        pngs.append(render(s))
        boundary, loss = paint.panels  # the two panels made on the first call
        counts.append((len(boundary.ax.collections), len(boundary.ax.texts),
                       len(loss.ax.lines), len(loss.ax.texts)))
        diverged = s["lr"] == 30.0
        assert boundary.heatmap.get_visible() is not diverged
        assert boundary.message.get_visible() is diverged
        assert loss.ax.get_yscale() == ("log" if diverged else "linear")
        n_train = round(s["train_ratio"] * N_POINTS)
        assert len(boundary.train_points.get_offsets()) == n_train
    # the contour set is replaced, not added: 2 scatters + 1 contour; a diverged run has none
    assert counts == [(3, 1, 2, 1), (2, 1, 2, 1), (3, 1, 2, 1), (3, 1, 2, 1)]
    assert pngs[0] == pngs[3]  # the same settings paint the same picture again
    assert pngs[0] != pngs[2]


def test_a_repainted_panel_matches_a_freshly_drawn_one():
    from dlcore.widgets import make_renderer, render_view

    xor = DEFAULTS | dict(dataset="xor")
    render = make_renderer(repaint_playground(), **VIEW)
    render(DEFAULTS | dict(dataset="spiral", epochs=5))  # something else first
    fresh = render_view(draw_playground, xor, VIEW["figsize"], VIEW["panels"], VIEW["margins"])
    assert render(xor) == fresh


def test_a_loss_panel_repainted_with_no_finite_epoch_still_renders():
    from dlcore.widgets import make_renderer

    result = compute_playground(**DEFAULTS)
    nothing = dict(result, status="diverged", epoch=np.arange(0),
                   train_loss=np.zeros(0), val_loss=np.zeros(0))

    def draw(axes, result):
        if not hasattr(draw, "panel"):
            draw.panel = LossPanel(axes)
        draw.panel.paint(result)

    render = make_renderer(draw, keep_figure=True, margins={})
    render({"result": result})
    assert render({"result": nothing})[:4] == b"\x89PNG"  # a log axis with nothing on it
    assert draw.panel.ax.get_yscale() == "log"
