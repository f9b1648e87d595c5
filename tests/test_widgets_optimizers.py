"""Tests of notebook 08's optimizer functions and race widget (dlcore.widgets.optimizers)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.gradcheck import numerical_gradient
from dlcore.optimizers import SGD, AdaGrad, Adam, Momentum, RMSProp
from dlcore.widgets.descent import MAX_ABS, gradient_descent
from dlcore.widgets.optimizers import (
    GLOBAL_MIN_X,
    LOCAL_MIN_X,
    LR_GRID,
    MAX_STEPS,
    OPTIMIZER_LABELS,
    OPTIMIZER_NAMES,
    RAVINE_A,
    RAVINE_B,
    RIDGE_X,
    SURFACES,
    compute_lr_search,
    compute_path,
    compute_race,
    draw_lr_search,
    draw_race,
    local_minimum_curve,
    local_minimum_slope,
    make_race_optimizer,
    run_optimizer,
)

# --- the local-minimum function (slide 31) ---------------------------------------------------


def test_local_minimum_function_has_two_valleys():
    assert GLOBAL_MIN_X < RIDGE_X < LOCAL_MIN_X
    np.testing.assert_allclose(local_minimum_slope([GLOBAL_MIN_X, RIDGE_X, LOCAL_MIN_X]), 0,
                               atol=1e-12)
    assert local_minimum_curve(GLOBAL_MIN_X) < local_minimum_curve(LOCAL_MIN_X)
    assert GLOBAL_MIN_X == pytest.approx(-1.0355787, abs=1e-6)
    assert LOCAL_MIN_X == pytest.approx(0.9601496, abs=1e-6)
    xs = np.linspace(-3, 3, 6001)
    assert local_minimum_curve(xs).min() >= local_minimum_curve(GLOBAL_MIN_X) - 1e-12


def test_local_minimum_slope_is_the_derivative():
    x = np.array([-1.7, -0.3, 0.4, 1.9])
    numeric = numerical_gradient(lambda v: np.sum(local_minimum_curve(v)), x.copy())
    np.testing.assert_allclose(local_minimum_slope(x), numeric, atol=1e-7)


@pytest.mark.parametrize("lr", [0.003, 0.01])
def test_gradient_descent_stops_in_the_local_minimum_momentum_escapes(lr):
    # the same start x0 = 2: plain descent stays right of the ridge, momentum (β = 0.9) crosses
    gd = gradient_descent(local_minimum_slope, 2.0, lr, 1000)
    mom = run_optimizer(local_minimum_slope, 2.0, Momentum(lr, beta=0.9), 1000)
    assert gd[-1] == pytest.approx(LOCAL_MIN_X, abs=1e-4)
    assert mom[-1] == pytest.approx(GLOBAL_MIN_X, abs=1e-4)
    # β = 0 is plain gradient descent: the same path
    np.testing.assert_allclose(run_optimizer(local_minimum_slope, 2.0, Momentum(lr, beta=0.0),
                                             1000), gd)


# --- the surfaces ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_gradient_matches_numerical(name):
    s = SURFACES[name]
    rng = np.random.default_rng(0)
    for _ in range(5):
        p = np.array([rng.uniform(*s.xlim), rng.uniform(*s.ylim)])
        numeric = numerical_gradient(lambda q: float(s.f(q[0], q[1])), p.copy(), h=1e-6)
        np.testing.assert_allclose(s.grad(p), numeric, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_minimum(name):
    s = SURFACES[name]
    np.testing.assert_allclose(s.grad(np.array(s.minimum)), 0, atol=1e-10)
    xx, yy = np.meshgrid(np.linspace(*s.xlim, 301), np.linspace(*s.ylim, 301))
    assert s.f(xx, yy).min() >= s.f_min - 1e-9  # no lower point in the window
    assert s.xlim[0] < s.start[0] < s.xlim[1] and s.ylim[0] < s.start[1] < s.ylim[1]
    assert s.f(*s.start) > s.f_min


def test_known_minimum_values():
    assert SURFACES["ravine"].f_min == 0 and SURFACES["rosenbrock"].f_min == 0
    assert SURFACES["beale"].f_min == pytest.approx(0, abs=1e-15)
    assert SURFACES["saddle"].f_min == -0.25
    np.testing.assert_allclose(SURFACES["saddle"].grad(np.zeros(2)), 0)  # the saddle point
    assert SURFACES["ravine"].f(1.0, 1.0) == (RAVINE_A + RAVINE_B) / 2


# --- make_race_optimizer / run_optimizer ---------------------------------------------------


def test_make_race_optimizer_types_and_beta():
    assert type(make_race_optimizer("sgd", 0.1)) is SGD
    m = make_race_optimizer("momentum", 0.1, beta=0.5)
    assert type(m) is Momentum and m.beta == 0.5 and m.lr == 0.1
    assert type(make_race_optimizer("rmsprop", 0.1, beta=0.5)) is RMSProp
    a = make_race_optimizer("adam", 0.1, beta=0.5)
    assert type(a) is Adam and a.beta1 == 0.5 and a.beta2 == 0.999


@pytest.mark.parametrize("args, error", [
    (("nesterov", 0.1), ValueError), (("sgd", 0.0), ValueError), (("sgd", -1.0), ValueError),
    (("momentum", 0.1, 1.0), ValueError), (("adam", 0.1, -0.1), ValueError),
    (("sgd", "0.1"), TypeError),
])
def test_make_race_optimizer_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        make_race_optimizer(*args)


@pytest.mark.parametrize("lr", [0.001, 0.01, 0.035])
def test_sgd_path_is_gradient_descent(lr):
    s = SURFACES["ravine"]
    np.testing.assert_array_equal(run_optimizer(s.grad, s.start, SGD(lr), 40),
                                  gradient_descent(s.grad, np.array(s.start), lr, 40))


def test_run_optimizer_by_hand():
    # f(x) = x², x0 = 1, η = 0.1, β = 0.9: x1 = 0.8, x2 = 0.8 - 0.34 = 0.46
    path = run_optimizer(lambda x: 2 * x, 1.0, Momentum(0.1, beta=0.9), 2)
    np.testing.assert_allclose(path, [1.0, 0.8, 0.46])
    # Adam's first step is η sign(g), whatever the size of g
    for g in (1e-3, 1.0, 1e6):
        assert run_optimizer(lambda w: np.full_like(w, g), 5.0, Adam(0.01), 1)[-1] == \
            pytest.approx(4.99)
    # AdaGrad with a constant gradient: steps η/√t
    steps = -np.diff(run_optimizer(lambda w: np.ones_like(w), 0.0, AdaGrad(0.1), 50))
    np.testing.assert_allclose(steps, 0.1 / np.sqrt(np.arange(1, 51)), rtol=1e-6)


def test_run_optimizer_shapes_and_zero_steps():
    assert run_optimizer(lambda x: x, 1.5, SGD(0.1), 0).shape == (1,)
    assert run_optimizer(lambda p: p, np.ones(3), SGD(0.1), 4).shape == (5, 3)


@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_divergence_stops_without_warnings(name):
    # filterwarnings=error: any overflow RuntimeWarning would fail this test
    s = SURFACES["rosenbrock"]
    path = run_optimizer(s.grad, s.start, make_race_optimizer(name, 10.0), 500)
    assert np.all(np.isfinite(path))
    if name in ("sgd", "momentum"):  # the step η g grows with the gradient: blows up
        assert len(path) < 501 and np.max(np.abs(path[-1])) > MAX_ABS
    else:  # RMSProp and Adam divide by the gradient's size: steps stay about η
        assert len(path) == 501 and np.max(np.abs(path)) < 1e3


def test_sgd_divergence_is_reported_on_the_ravine():
    s = SURFACES["ravine"]
    r = compute_path("ravine", "sgd", 2.2 / RAVINE_A, steps=200)  # η > 2/a
    assert r["diverged"] and r["final_gap"] == np.inf and len(r["path"]) < 201
    assert np.all(np.isfinite(r["path"]))
    ok = compute_path("ravine", "sgd", 1.8 / RAVINE_A, steps=200)  # η < 2/a
    assert not ok["diverged"] and ok["final_gap"] < s.f(*s.start)


@pytest.mark.parametrize("kwargs, error", [
    ({"x0": np.zeros((2, 2))}, ValueError), ({"x0": [np.nan, 1.0]}, ValueError),
    ({"x0": []}, ValueError), ({"steps": -1}, ValueError), ({"steps": 2.5}, TypeError),
    ({"optimizer": "sgd"}, TypeError), ({"max_abs": 0.0}, ValueError),
])
def test_run_optimizer_rejects_bad_arguments(kwargs, error):
    args = {"grad": lambda p: p, "x0": [1.0, 2.0], "optimizer": SGD(0.1), "steps": 3} | kwargs
    with pytest.raises(error):
        run_optimizer(**args)


def test_run_optimizer_needs_a_fresh_optimizer_and_matching_gradient():
    opt = Momentum(0.1)
    run_optimizer(lambda p: p, [1.0, 2.0], opt, 3)
    with pytest.raises(ValueError, match="new one"):
        run_optimizer(lambda p: p, [1.0, 2.0], opt, 3)
    with pytest.raises(ValueError, match="values"):
        run_optimizer(lambda p: np.zeros(3), [1.0, 2.0], SGD(0.1), 3)


# --- compute_path -------------------------------------------------------------------------------


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("name", OPTIMIZER_NAMES)
def test_compute_path_shapes_and_gap(surface, name):
    s = SURFACES[surface]
    r = compute_path(surface, name, s.lr, steps=30)
    n = len(r["path"])
    assert r["path"].shape == (n, 2) and r["gap"].shape == (n,)
    np.testing.assert_array_equal(r["path"][0], s.start)
    if not r["diverged"]:
        assert n == 31 and np.all(r["gap"] >= -1e-12)
        assert r["final_gap"] == pytest.approx(r["gap"][-1])


def test_compute_path_is_deterministic():
    a = compute_path("beale", "adam", 0.1, steps=50, x0=0.5, y0=-1.0)
    b = compute_path("beale", "adam", 0.1, steps=50, x0=0.5, y0=-1.0)
    np.testing.assert_array_equal(a["path"], b["path"])
    assert a["final_gap"] == b["final_gap"]


# --- compute_lr_search ------------------------------------------------------------------------


@pytest.mark.parametrize("surface", ["ravine", "rosenbrock", "beale"])
def test_lr_search_best_is_inside_the_grid(surface):
    search = compute_lr_search(surface)
    assert list(search) == list(OPTIMIZER_NAMES)
    for r in search.values():
        assert r["final_gap"].shape == LR_GRID.shape
        assert r["best_lr"] in LR_GRID and 0 < r["best_index"] < len(LR_GRID) - 1
        assert r["best_gap"] == np.min(r["final_gap"]) and np.isfinite(r["best_gap"])
        assert r["best_lr"] == r["lrs"][r["best_index"]]
    # SGD's stability limit on the ravine is 2/a: every larger η diverges
    sgd = compute_lr_search("ravine")["sgd"]
    assert np.all(np.isinf(sgd["final_gap"][LR_GRID > 2 / RAVINE_A]))
    assert sgd["best_lr"] < 2 / RAVINE_A


def test_lr_search_depends_on_the_steps_and_is_cached_safely():
    a = compute_lr_search("ravine", steps=30)
    b = compute_lr_search("ravine", steps=100)
    assert not np.array_equal(a["sgd"]["final_gap"], b["sgd"]["final_gap"])
    a["sgd"]["final_gap"][:] = -1.0  # changing a returned copy must not change the cache
    again = compute_lr_search("ravine", steps=30)
    assert np.all(again["sgd"]["final_gap"] >= 0)


def test_lr_search_custom_grid():
    r = compute_lr_search("ravine", steps=50, lrs=[0.01, 0.03, 0.1])
    assert list(r["sgd"]["lrs"]) == [0.01, 0.03, 0.1]
    assert r["sgd"]["best_lr"] == 0.03 and np.isinf(r["sgd"]["final_gap"][2])


@pytest.mark.parametrize("kwargs, error", [
    ({"surface": "himmelblau"}, ValueError), ({"steps": 0}, ValueError),
    ({"steps": MAX_STEPS + 1}, ValueError), ({"lrs": []}, ValueError),
    ({"lrs": [0.1, -0.1]}, ValueError), ({"beta": 1.0}, ValueError),
    ({"x0": float("inf")}, ValueError), ({"y0": "1"}, TypeError),
])
def test_lr_search_rejects_bad_arguments(kwargs, error):
    args = {"surface": "ravine", "steps": 20} | kwargs
    with pytest.raises(error):
        compute_lr_search(**args)


# --- compute_race ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.01, 0.03])
def test_momentum_beats_sgd_on_the_ravine_at_a_shared_lr(lr):
    r = compute_race("ravine", lr=lr)
    assert r["runs"]["momentum"]["final_gap"] < r["runs"]["sgd"]["final_gap"] / 5


@pytest.mark.parametrize("lr", [0.05, 0.1, 0.3])
def test_adam_beats_sgd_on_the_ravine_where_sgd_diverges(lr):
    r = compute_race("ravine", lr=lr)
    assert r["runs"]["sgd"]["diverged"] and r["runs"]["sgd"]["final_gap"] == np.inf
    assert r["runs"]["adam"]["final_gap"] < SURFACES["ravine"].f(1.0, 4.0) / 100
    assert r["ranking"].index("adam") < r["ranking"].index("sgd")


def test_tuned_race_on_the_ravine():
    r = compute_race("ravine", tuned=True)
    search = compute_lr_search("ravine")
    for name, run in r["runs"].items():
        assert run["lr"] == search[name]["best_lr"] and not run["diverged"]
    gaps = {n: run["final_gap"] for n, run in r["runs"].items()}
    assert max(gaps, key=gaps.get) == "sgd"  # even at its best η, SGD is last on the ravine
    assert r["winner"] == r["ranking"][0] == min(gaps, key=gaps.get)


def test_tuned_winners_differ_between_surfaces():
    winners = {s: compute_race(s, tuned=True)["winner"] for s in SURFACES}
    assert winners["beale"] == "adam" and winners["rosenbrock"] == "momentum"
    assert len(set(winners.values())) >= 3


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_shared_race_at_each_beta(beta):
    r = compute_race("local", beta=beta)
    assert set(r["runs"]) == set(OPTIMIZER_NAMES)
    assert all(run["lr"] == SURFACES["local"].lr for run in r["runs"].values())
    assert sorted(r["ranking"]) == sorted(OPTIMIZER_NAMES)
    ends = {n: run["path"][-1, 0] for n, run in r["runs"].items()}
    assert ends["sgd"] > RIDGE_X  # plain descent stays in the local minimum
    assert (ends["momentum"] < RIDGE_X) == (beta == 0.9)  # only enough momentum crosses


def test_saddle_sgd_is_stuck_others_escape():
    runs = compute_race("saddle")["runs"]
    assert abs(runs["sgd"]["path"][-1, 1]) < 0.1
    assert all(abs(runs[n]["path"][-1, 1]) > 0.9 for n in ("momentum", "rmsprop", "adam"))


def test_race_window_contains_the_start_and_is_deterministic():
    r = compute_race("ravine", x0=3.0, y0=-2.0, steps=20)
    assert r["xlim"][1] > 3.0 and r["ylim"][0] < -2.0 and r["start"] == (3.0, -2.0)
    again = compute_race("ravine", x0=3.0, y0=-2.0, steps=20)
    for name in OPTIMIZER_NAMES:
        np.testing.assert_array_equal(r["runs"][name]["path"], again["runs"][name]["path"])


def test_tuned_ignores_the_shared_lr():
    a = compute_race("saddle", lr=0.001, tuned=True, steps=50)
    b = compute_race("saddle", lr=1.0, tuned=True, steps=50)
    assert [a["runs"][n]["lr"] for n in OPTIMIZER_NAMES] == \
        [b["runs"][n]["lr"] for n in OPTIMIZER_NAMES]


@pytest.mark.parametrize("kwargs, error", [
    ({"surface": "bowl"}, ValueError), ({"lr": 0.0}, ValueError), ({"lr": "big"}, TypeError),
    ({"beta": 1.5}, ValueError), ({"steps": MAX_STEPS + 1}, ValueError),
    ({"steps": 1.5}, TypeError), ({"x0": float("nan")}, ValueError),
    ({"tuned": "yes"}, TypeError),
])
def test_race_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        compute_race(**kwargs)


# --- drawing ------------------------------------------------------------------------------------


def test_draw_race_on_one_axes_and_on_two():
    fig, ax = plt.subplots()
    draw_race(ax, "beale")  # Momentum diverges at the shared η = 0.01
    assert "Beale" in ax.get_title()
    right = ax.child_axes[1]
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert len(labels) == 4 and any("発散" in t for t in labels)
    assert all(OPTIMIZER_LABELS[n] in t for n, t in zip(OPTIMIZER_NAMES, labels))

    fig, axes = plt.subplots(1, 2)
    draw_race(axes, "ravine", tuned=True, steps=50)
    assert "最良" in fig._suptitle.get_text()
    assert axes[1].get_yscale() == "log" and len(axes[0].lines) >= 4
    assert not any("発散" in t.get_text() for t in axes[1].get_legend().get_texts())


def test_draw_race_needs_one_or_two_axes():
    fig, axes = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="two"):
        draw_race(axes, "ravine")


def test_draw_lr_search():
    fig, ax = plt.subplots()
    draw_lr_search(ax, "ravine", steps=50)
    assert ax.get_xscale() == "log" and len(ax.get_legend().get_texts()) == 4
    assert "格子探索" in ax.get_title()


def test_show_race_builds_the_widget_and_resets_per_surface():
    pytest.importorskip("ipywidgets")
    from dlcore.widgets.optimizers import show_race

    box = show_race()
    controls = {c.description: c for c in box.children[0].children}
    assert type(controls["共通の η"]).__name__ == "FloatLogSlider"
    assert not any(getattr(c, "continuous_update", False) for c in controls.values())
    controls["関数"].value = "rosenbrock"
    s = SURFACES["rosenbrock"]
    assert controls["始点 x"].value == s.start[0] and controls["始点 y"].value == s.start[1]
    assert controls["共通の η"].value == pytest.approx(s.lr) and controls["ステップ数"].value == s.steps
    assert (controls["始点 x"].min, controls["始点 x"].max) == s.xlim


def test_the_picture_drawn_ahead_for_the_next_surface_is_the_one_its_menu_entry_shows():
    """Choosing a surface resets the sliders: what is drawn ahead for the menu's next entry
    must be that surface with its own start, η and steps, or the drawing is wasted."""
    pytest.importorskip("ipywidgets")
    from dlcore.widgets import Redrawer
    from dlcore.widgets.optimizers import show_race

    box = show_race()
    menu = box.children[0].children[0]
    values = dict(box.redrawer.shown)
    planned = [v for v in box.redrawer.neighbours(values, None)
               if v["surface"] != values["surface"]]
    assert len(planned) == 2  # the entries after and before the current one
    for setting in planned:
        menu.value = setting["surface"]
        assert box.redrawer.shown == Redrawer.key(setting)
        assert SURFACES[setting["surface"]].start == (setting["x0"], setting["y0"])


def test_start_sliders_show_as_many_decimals_as_they_step():
    pytest.importorskip("ipywidgets")
    from dlcore.widgets.optimizers import show_race

    controls = {c.description: c for c in show_race().children[0].children}
    for name in ("始点 x", "始点 y"):
        slider = controls[name]
        decimals = int(slider.readout_format.strip(".f"))
        assert round(slider.step, decimals) == slider.step, name  # each step is visible
    saddle_y = SURFACES["saddle"].start[1]  # the smallest start the slider must show
    assert f"{saddle_y:{controls['始点 y'].readout_format}}" == "0.001"

def test_switching_surface_redraws_the_race_once(monkeypatch):
    pytest.importorskip("ipywidgets")
    import dlcore.widgets as view
    from dlcore.widgets.optimizers import show_race

    drawn = []
    real_make_renderer = view.make_renderer

    def counting_make_renderer(draw, *args):
        def counting_draw(axes, **kwargs):
            draw(axes, **kwargs)
            drawn.append(sum(len(ax.lines) for ax in np.ravel(axes)))
        return real_make_renderer(counting_draw, *args)

    monkeypatch.setattr(view, "make_renderer", counting_make_renderer)
    box = show_race()
    controls = {c.description: c for c in box.children[0].children}
    drawn.clear()
    controls["関数"].value = "saddle"
    assert sum(n > 0 for n in drawn) == 1 and drawn[-1] > 0  # only the final redraw draws
