"""Tests of notebook 04's gradient-descent functions and widget (dlcore.widgets.descent)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.widgets.descent import (
    MAX_ABS,
    STATUS_LABELS,
    compute_descent_1d,
    draw_descent_1d,
    gradient_descent,
    quadratic_status,
)

# --- gradient_descent --------------------------------------------------------------------


def test_one_step_by_hand():
    # f(x) = x² - 2x, f'(x) = 2x - 2; x_0 = 3, η = 0.1: x_1 = 3 - 0.1 * 4 = 2.6
    path = gradient_descent(lambda x: 2 * x - 2, 3.0, 0.1, 1)
    np.testing.assert_allclose(path, [3.0, 2.6])


def test_path_matches_the_loop_written_out():
    def df(x):
        return x - np.exp(-x)

    x, expected = 2.5, [2.5]
    for _ in range(20):
        x = x - 0.2 * df(x)
        expected.append(x)
    np.testing.assert_allclose(gradient_descent(df, 2.5, 0.2, 20), expected)


def test_finds_a_minimum_without_closed_form():
    # f(x) = x²/2 + e^{-x}: f'(x) = x - e^{-x} = 0 at the omega constant 0.5671432904...
    path = gradient_descent(lambda x: x - np.exp(-x), 2.5, 0.5, 100)
    assert path.shape == (101,)
    assert path[-1] == pytest.approx(0.5671432904097838, abs=1e-12)


def test_vector_version_on_a_2d_quadratic():
    # f(x0, x1) = (x0² + 10 x1²)/2: converges for η < 2/10, diverges above
    def grad(p):
        return np.array([1.0, 10.0]) * p

    path = gradient_descent(grad, np.array([2.0, 1.0]), 0.15, 200)
    assert path.shape == (201, 2)
    np.testing.assert_allclose(path[-1], 0.0, atol=1e-8)
    path = gradient_descent(grad, np.array([2.0, 1.0]), 0.25, 200)
    assert len(path) < 201 and np.max(np.abs(path[-1])) > MAX_ABS


def test_divergence_stops_without_warnings_and_without_inf():
    # e^{-x} overflows for very negative x: the path must stop, finite, with no RuntimeWarning
    # (pyproject turns warnings into errors)
    path = gradient_descent(lambda x: x - np.exp(-x), 2.5, 3.0, 1000)
    assert len(path) < 1001
    assert np.all(np.isfinite(path))


def test_zero_steps_returns_the_start():
    np.testing.assert_allclose(gradient_descent(lambda x: x, 1.5, 0.1, 0), [1.5])


@pytest.mark.parametrize("kwargs, error", [
    ({"lr": 0.0}, ValueError), ({"lr": -0.1}, ValueError), ({"lr": float("nan")}, ValueError),
    ({"lr": "0.1"}, TypeError), ({"steps": -1}, ValueError), ({"steps": 2.5}, TypeError),
    ({"x0": float("inf")}, ValueError), ({"x0": np.zeros((2, 2))}, ValueError),
])
def test_gradient_descent_rejects_bad_arguments(kwargs, error):
    args = {"grad": lambda x: x, "x0": 1.0, "lr": 0.1, "steps": 5} | kwargs
    with pytest.raises(error):
        gradient_descent(**args)


def test_gradient_shape_must_match():
    with pytest.raises(ValueError, match="shape"):
        gradient_descent(lambda p: np.zeros(3), np.zeros(2), 0.1, 3)


# --- the quadratic: status from the factor 1 - η f'' ---------------------------------------

CURVATURES = [0.5, 1.0, 2.0, 4.0]
FRACTIONS = [0.05, 0.3, 0.9, 1.1, 1.5, 1.9, 2.1, 3.0, 10.0]  # η in units of 1/f''


@pytest.mark.parametrize("a", CURVATURES)
@pytest.mark.parametrize("fraction", FRACTIONS)
def test_status_over_a_grid_of_learning_rates(a, fraction):
    lr = fraction / a
    r = compute_descent_1d(lr, x0=2.5, curvature=a, steps=30)
    assert r["critical_lr"] == pytest.approx(2 / a)
    assert r["factor"] == pytest.approx(1 - lr * a)
    x = r["x"]
    if fraction < 1:  # η < 1/f'': monotone convergence, x keeps its sign
        assert r["status"] == "monotone" and r["label"].startswith("単調に")
        assert np.all(x > 0) and np.all(np.diff(x) < 0)
    elif fraction < 2:  # 1/f'' < η < 2/f'': the sign flips every step, |x| shrinks
        assert r["status"] == "oscillating" and "振動しながら" in r["label"]
        assert np.all(x[:-1] * x[1:] < 0) and np.all(np.diff(np.abs(x)) < 0)
    else:  # η > 2/f'': |x| grows
        assert r["status"] == "diverged" and r["label"] == "発散"
        assert np.all(np.diff(np.abs(x)) > 0)
    assert not r["blew_up"] or r["status"] == "diverged"
    np.testing.assert_allclose(x, 2.5 * r["factor"] ** np.arange(len(x)), rtol=1e-9)
    np.testing.assert_allclose(r["f"], a * x**2 / 2)


def test_boundaries_one_step_and_cycle():
    r = compute_descent_1d(0.5, x0=2.0, curvature=2.0, steps=5)  # η = 1/f'': x_1 = 0
    assert r["status"] == "one_step" and r["label"] == "1 回で最小点に着く"
    assert np.all(r["x"][1:] == 0)
    r = compute_descent_1d(1.0, x0=2.0, curvature=2.0, steps=5)  # η = 2/f'': ±x_0 forever
    assert r["status"] == "cycle"
    np.testing.assert_allclose(np.abs(r["x"]), 2.0)


def test_slow_convergence_is_named():
    slow = compute_descent_1d(0.01, curvature=1.0, steps=15)
    fast = compute_descent_1d(0.3, curvature=1.0, steps=15)
    assert slow["slow"] and slow["label"] == "単調にゆっくり収束"
    assert not fast["slow"] and fast["label"] == "単調に収束"
    near_critical = compute_descent_1d(1.95, curvature=1.0, steps=15)
    assert near_critical["label"] == "振動しながらゆっくり収束"


def test_large_learning_rate_blows_up_and_stops():
    r = compute_descent_1d(50.0, x0=2.5, curvature=4.0, steps=50)
    assert r["status"] == "diverged" and r["blew_up"]
    assert len(r["x"]) < 51 and np.all(np.isfinite(r["x"])) and np.all(np.isfinite(r["f"]))


def test_window_contains_the_start():
    r = compute_descent_1d(0.1, x0=-7.0)
    assert r["xlim"][0] <= -7.0 and r["curve_x"].shape == r["curve_f"].shape


@pytest.mark.parametrize("kwargs, error", [
    ({"lr": 0.0}, ValueError), ({"curvature": -1.0}, ValueError),
    ({"x0": float("nan")}, ValueError), ({"x0": "1"}, ValueError), ({"steps": 0.5}, TypeError),
])
def test_compute_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        compute_descent_1d(**({"lr": 0.1} | kwargs))


def test_quadratic_status_values():
    assert quadratic_status(0.1, 2.0) == ("monotone", pytest.approx(0.8))
    assert quadratic_status(0.5, 2.0) == ("one_step", 0.0)  # η = 1/f'': r = 0
    assert quadratic_status(0.8, 2.0)[0] == "oscillating"
    assert quadratic_status(1.2, 2.0)[0] == "diverged"
    with pytest.raises(ValueError):
        quadratic_status(0.1, 0.0)


def test_every_status_has_a_japanese_label():
    statuses = {quadratic_status(lr, 2.0)[0] for lr in (0.1, 0.5, 0.8, 1.0, 1.2)}
    assert statuses == set(STATUS_LABELS)
    for label in STATUS_LABELS.values():
        assert not any("a" <= ch.lower() <= "z" for ch in label)  # no English status words


# --- drawing --------------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0.05, 0.8, 1.2, 100.0])
def test_draw_titles_and_divergence_message(lr):
    fig, ax = plt.subplots()
    draw_descent_1d(ax, lr, x0=2.5, curvature=2.0, steps=20)
    texts = [t.get_text() for t in ax.texts]
    assert ("発散しました" in texts) == (lr > 1.0)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
    status_label = compute_descent_1d(lr, 2.5, 2.0, 20)["label"]
    assert status_label in ax.get_title()
    # nothing outside the window is drawn
    for line in ax.lines:
        assert np.all(np.abs(line.get_xdata()) <= ax.get_xlim()[1])


def test_show_builds_the_widget():
    pytest.importorskip("ipywidgets")
    from dlcore.widgets.descent import show_descent_1d

    box = show_descent_1d()
    sliders = box.children[0].children
    assert len(sliders) == 4
    assert type(sliders[0]).__name__ == "FloatLogSlider"  # η on a logarithmic slider
    assert not any(s.continuous_update for s in sliders)  # redraw on release
