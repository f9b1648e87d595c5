"""Tests of notebook 06's widget (dlcore.widgets.activations)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.gradcheck import numerical_gradient
from dlcore.widgets.activations import (
    ACTIVATION_LABELS,
    ACTIVATIONS,
    U_GRID,
    X_FIT,
    activation_curves,
    compute_activation_fit,
    draw_activation_fit,
    target_function,
)

NAMES = list(ACTIVATIONS)

# --- activation_curves ---------------------------------------------------------------------


def test_four_activations_with_labels():
    assert NAMES == ["sigmoid", "tanh", "relu", "leaky_relu"]
    assert set(ACTIVATION_LABELS) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_numerical(name):
    u = U_GRID[np.abs(U_GRID) > 1e-3].copy()  # leave out the kink of ReLU / Leaky ReLU at 0
    r = activation_curves(name, u)
    f = ACTIVATIONS[name][0]
    numeric = numerical_gradient(lambda v: np.sum(f(v)), u.copy(), h=1e-6)
    assert r["f"].shape == r["df"].shape == u.shape
    assert np.allclose(r["df"], numeric, atol=1e-7)


def test_curve_values():
    u = np.array([-2.0, 0.0, 3.0])
    assert np.allclose(activation_curves("relu", u)["f"], [0, 0, 3])
    assert np.allclose(activation_curves("leaky_relu", u)["f"], [-0.06, 0, 3])
    assert np.allclose(activation_curves("leaky_relu", u)["df"], [0.03, 0.03, 1])
    s = activation_curves("sigmoid", u)
    assert s["f"][1] == 0.5 and s["df"][1] == 0.25
    assert np.max(activation_curves("sigmoid")["df"]) == 0.25
    assert np.max(activation_curves("tanh")["df"]) == 1.0


def test_default_grid():
    r = activation_curves("tanh")
    assert r["u"].shape == U_GRID.shape and np.all(np.abs(r["f"]) < 1)


# --- compute_activation_fit --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("hidden", [4, 16])
def test_fit_returns_data_and_learns(name, hidden):
    r = compute_activation_fit(name, hidden=hidden, steps=400)
    assert r["x"].shape == r["y"].shape == r["fitted"].shape == X_FIT.shape
    assert np.allclose(r["y"], target_function(X_FIT))
    assert r["history"].shape == (400,)
    assert np.all(np.isfinite(r["history"])) and np.isfinite(r["mse"])
    # from the initial loss, training lowers the MSE a lot; predicting 0 everywhere gives 0.5
    assert r["mse"] < r["history"][0] and r["mse"] < 0.05
    assert r["mse"] == pytest.approx(np.mean((r["fitted"] - r["y"]) ** 2))


@pytest.mark.parametrize("name", NAMES)
def test_fit_with_16_units_is_good(name):
    assert compute_activation_fit(name, hidden=16, steps=400)["mse"] < 0.01


def test_more_steps_lower_loss():
    short = compute_activation_fit("tanh", hidden=16, steps=50)["mse"]
    long = compute_activation_fit("tanh", hidden=16, steps=400)["mse"]
    assert long < short


def test_sigmoid_slowest_with_notebook_settings():
    mse = {name: compute_activation_fit(name)["mse"] for name in NAMES}
    assert max(mse, key=mse.get) == "sigmoid"


def test_relu_fit_is_piecewise_linear():
    r = compute_activation_fit("relu", hidden=16)
    second = np.abs(np.diff(r["fitted"], 2))
    assert np.sum(second > 1e-9) <= 2 * 16


def test_fit_is_deterministic():
    a = compute_activation_fit("sigmoid", hidden=5, steps=30)
    b = compute_activation_fit("sigmoid", hidden=5, steps=30)
    assert np.array_equal(a["fitted"], b["fitted"])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="unknown activation"):
        activation_curves("step")
    with pytest.raises(ValueError, match="unknown activation"):
        compute_activation_fit("softplus")
    with pytest.raises(ValueError):
        compute_activation_fit("relu", hidden=0)
    with pytest.raises(TypeError):
        compute_activation_fit("relu", hidden=2.5)
    with pytest.raises(ValueError):
        compute_activation_fit("relu", steps=0)
    with pytest.raises(ValueError):
        compute_activation_fit("relu", lr=-0.1)
    with pytest.raises(ValueError):
        activation_curves("relu", [np.nan])


# --- drawing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_draw(name):
    fig, ax = plt.subplots()
    draw_activation_fit(ax, name, hidden=4, steps=20)
    assert "MSE" in ax.get_title()
    assert len(ax.child_axes) == 2
    assert all(len(child.get_lines()) >= 2 for child in ax.child_axes)
