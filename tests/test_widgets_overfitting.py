"""Tests of notebook 10's helpers and widgets (dlcore.widgets.overfitting)."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.datasets import true_cubic
from dlcore.widgets.overfitting import (
    DEGREES,
    LAMBDAS,
    N_TEST,
    X_GRID,
    compute_degree_errors,
    compute_lambda_errors,
    compute_polynomial_fit,
    compute_ridge_fit,
    draw_degree_errors,
    draw_lambda_errors,
    draw_polynomial_fit,
    draw_polynomial_view,
    draw_ridge_fit,
    draw_ridge_view,
    fit_polynomial,
    polynomial_data,
    polynomial_features,
    polynomial_mse,
    predict_polynomial,
)

# --- polynomial features, fit and prediction -------------------------------------------------


def test_polynomial_features_are_powers_with_x0_equal_1():
    x = np.array([-1.0, 0.5, 2.0])
    phi = polynomial_features(x, 3)
    assert phi.shape == (3, 4)
    assert np.allclose(phi[:, 0], 1.0)
    assert np.allclose(phi, np.stack([x**0, x, x**2, x**3], axis=1))


def test_predict_polynomial_matches_features_times_weights():
    x = np.linspace(-1, 1, 7)
    w = np.array([0.5, -1.0, 2.0, 0.25])
    assert np.allclose(predict_polynomial(w, x), polynomial_features(x, 3) @ w)


def test_exact_cubic_is_recovered_without_noise():
    x = np.linspace(-1, 1, 12)
    w = fit_polynomial(x, true_cubic(x), 3)
    assert np.allclose(w, [0.5, -1.5, -1.0, 2.0])
    assert polynomial_mse(w, x, true_cubic(x)) < 1e-25


# λ = 0 only for low degrees: there the normal equations are well enough conditioned
@pytest.mark.parametrize("degree, lam", [(1, 0.0), (3, 0.0)] + [
    (d, lam) for d in (1, 3, 8, 15) for lam in (1e-6, 1e-2, 10.0)])
def test_ridge_equals_the_closed_form(degree, lam):
    x, t, _, _ = polynomial_data(20, 0.2, seed=1)
    phi = polynomial_features(x, degree)
    D = np.diag(np.r_[0.0, np.ones(degree)])
    closed = np.linalg.solve(phi.T @ phi + lam * D, phi.T @ t)
    assert np.allclose(fit_polynomial(x, t, degree, lam), closed, rtol=1e-5, atol=1e-6)


def test_ridge_shrinks_the_weights_but_not_the_bias():
    x, t, _, _ = polynomial_data(20, 0.2, seed=0)
    norms = [np.linalg.norm(fit_polynomial(x, t, 15, lam)[1:]) for lam in (0.0, 1e-6, 1e-2, 1e2)]
    assert np.all(np.diff(norms) < 0)
    # a huge λ leaves only the bias: the mean of t
    w = fit_polynomial(x, t, 15, 1e12)
    assert np.allclose(w[1:], 0, atol=1e-9) and np.isclose(w[0], t.mean())


def test_fewer_points_than_weights_gives_an_interpolating_fit_without_warning():
    x, t, _, _ = polynomial_data(10, 0.2, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = fit_polynomial(x, t, 15)
    assert w.shape == (16,)
    assert polynomial_mse(w, x, t) < 1e-12


def test_polynomial_data_shapes_and_fresh_test_sample():
    x, t, x_test, t_test = polynomial_data(20, 0.2, seed=3)
    assert x.shape == t.shape == (20,) and x_test.shape == t_test.shape == (N_TEST,)
    assert np.all((-1 <= x_test) & (x_test <= 1))
    x2, t2, _, _ = polynomial_data(20, 0.2, seed=3)
    assert np.array_equal(x, x2) and np.array_equal(t, t2)  # seeded
    assert not np.isin(x, x_test).any()  # the test points are new points


# --- compute_polynomial_fit / compute_degree_errors (slide 37) -------------------------------


@pytest.mark.parametrize("n", [10, 20, 100])
@pytest.mark.parametrize("noise", [0.0, 0.2, 0.5])
@pytest.mark.parametrize("degree", [1, 3, 15])
def test_compute_polynomial_fit(degree, n, noise):
    r = compute_polynomial_fit(degree, n=n, noise=noise)
    assert r["x"].shape == r["y"].shape == (n,)
    assert r["w"].shape == (degree + 1,)
    assert r["fit"].shape == r["true"].shape == X_GRID.shape
    assert np.allclose(r["true"], true_cubic(X_GRID))
    for key in ("train_mse", "test_mse", "weight_norm"):
        assert np.isfinite(r[key]) and r[key] >= 0
    if noise == 0 and 3 <= degree < n:
        assert r["test_mse"] < 1e-10  # the cubic itself is in reach (and determined)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_degree_15_overfits_compared_to_degree_3(seed):
    low, high = compute_polynomial_fit(3, seed=seed), compute_polynomial_fit(15, seed=seed)
    assert high["train_mse"] < low["train_mse"]
    assert high["test_mse"] > 10 * low["test_mse"]
    assert high["weight_norm"] > 100 * low["weight_norm"]  # slide 39: huge weights


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("noise", [0.1, 0.2, 0.4])
def test_degree_errors_u_shape(seed, noise):
    r = compute_degree_errors(n=20, noise=noise, seed=seed)
    assert np.array_equal(r["degrees"], DEGREES)
    # training error never rises with the degree (nested models), up to rounding
    assert np.all(np.diff(r["train_mse"]) <= 1e-12)
    test = r["test_mse"]
    assert r["best_degree"] == 3
    assert test[0] > test[2] and test[-1] > test[2]  # falls, then rises: a U


def test_more_points_tame_degree_15():
    assert (compute_polynomial_fit(15, n=100)["test_mse"]
            < compute_polynomial_fit(15, n=20)["test_mse"] / 10)


# --- ridge (slide 39) -------------------------------------------------------------------------


def test_compute_ridge_fit_is_the_polynomial_fit_with_lambda():
    a = compute_ridge_fit(1e-3)
    b = compute_polynomial_fit(15, lam=1e-3)
    assert np.allclose(a["w"], b["w"]) and a["lam"] == 1e-3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lambda_errors(seed):
    r = compute_lambda_errors(seed=seed)
    assert r["lams"].shape == r["train_mse"].shape == r["val_mse"].shape == LAMBDAS.shape
    assert r["test_mse"].shape == LAMBDAS.shape
    assert np.all(np.diff(r["train_mse"]) >= -1e-12)   # the penalty pulls away from the points
    assert np.all(np.diff(r["weight_norm"]) <= 1e-9)   # and shrinks the weights
    i = np.argmin(r["val_mse"])                        # λ is chosen on the validation data
    assert 0 < i < len(LAMBDAS) - 1                    # too little and too much both hurt
    assert r["best_lam"] == LAMBDAS[i]
    # the λ chosen on validation data beats the unregularized degree-15 fit by far on test data
    assert r["test_mse"][i] < compute_polynomial_fit(15, seed=seed)["test_mse"] / 10


def test_validation_sample_is_neither_training_nor_test():
    from dlcore.widgets.overfitting import N_VAL, polynomial_validation_data

    x, _, x_test, _ = polynomial_data(20, 0.2, 0)
    x_val, y_val = polynomial_validation_data(0.2, 0)
    assert x_val.shape == y_val.shape == (N_VAL,)
    assert not np.isin(x_val, x).any() and not np.isin(x_val, x_test).any()
    r = compute_polynomial_fit(15, lam=1e-3)
    w = fit_polynomial(x, polynomial_data(20, 0.2, 0)[1], 15, 1e-3)
    assert r["val_mse"] == pytest.approx(polynomial_mse(w, x_val, y_val))


# --- drawing --------------------------------------------------------------------------------


def test_draw_functions_run_and_label_their_axes():
    fig, axes = plt.subplots(2, 2)
    draw_polynomial_fit(axes[0, 0], 15, n=20, noise=0.2)
    draw_degree_errors(axes[0, 1], mark=15)
    draw_ridge_fit(axes[1, 0], 0.0)
    draw_lambda_errors(axes[1, 1], mark=1e-3)
    for ax in axes.ravel():
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
        assert ax.get_legend() is not None
    assert axes[0, 1].get_yscale() == "log" and axes[1, 1].get_xscale() == "log"
    fig.canvas.draw()  # a glyph missing from the font would warn (= fail) here


def test_noise_free_errors_can_be_drawn_on_a_log_axis():
    fig, ax = plt.subplots()
    draw_degree_errors(ax, noise=0.0)
    fig.canvas.draw()


@pytest.mark.parametrize("view, kwargs", [
    (draw_polynomial_view, {"degree": 15, "n": 20, "noise": 0.2}),
    (draw_polynomial_view, {"degree": 1, "n": 100, "noise": 0.0}),
    (draw_ridge_view, {"lam": 0.0}),
    (draw_ridge_view, {"lam": 10 ** -2.75}),
])
def test_views_fill_both_panels_of_the_widget_layout(view, kwargs):
    # interactive_view(panels=(1, 2)) passes a (1, 2) array of Axes
    fig, axes = plt.subplots(1, 2, squeeze=False)
    view(axes, **kwargs)
    assert all(ax.has_data() and ax.get_title() for ax in axes.ravel())
    fig.canvas.draw()


def test_views_need_two_axes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="2 axes"):
        draw_ridge_view(ax, 1e-3)


@pytest.mark.parametrize("show, n_controls", [("show_polynomial_fit", 3), ("show_ridge_fit", 1)])
def test_show_builds_the_widget(show, n_controls):
    import ipywidgets as widgets

    import dlcore.widgets.overfitting as module

    box = getattr(module, show)()
    assert isinstance(box, widgets.VBox)
    controls = box.children[0].children
    assert len(controls) == n_controls
    assert all(not getattr(c, "continuous_update", False) for c in controls)  # heavy=True
    if show == "show_ridge_fit":
        assert isinstance(controls[0], widgets.FloatLogSlider)  # λ on a logarithmic slider


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, error", [
    ({"degree": 0}, ValueError),
    ({"degree": 2.5}, TypeError),
    ({"degree": 31}, ValueError),
    ({"degree": 3, "n": 0}, ValueError),
    ({"degree": 3, "noise": -0.1}, ValueError),
    ({"degree": 3, "lam": -1.0}, ValueError),
    ({"degree": 3, "seed": -1}, ValueError),
])
def test_compute_polynomial_fit_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        compute_polynomial_fit(**kwargs)


def test_fit_polynomial_rejects_mismatched_or_bad_input():
    with pytest.raises(ValueError, match="points"):
        fit_polynomial([0.0, 1.0], [1.0], 1)
    with pytest.raises(ValueError):
        fit_polynomial([0.0, np.nan], [1.0, 2.0], 1)
    with pytest.raises(ValueError):
        compute_lambda_errors(lams=[1.0, -1.0])
    with pytest.raises(ValueError):
        compute_degree_errors(degrees=[])
