"""Tests of notebook 09's widget and helpers (dlcore.widgets.gradients)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.initializers import normal
from dlcore.layers import Linear, ReLU, Residual, Sigmoid
from dlcore.network import build_mlp
from dlcore.widgets.gradients import (
    ACTIVATION_NAMES,
    BLOCKED_THRESHOLD,
    CHANCE_LOSS,
    INIT_CHOICES,
    MAX_DEPTH,
    _norm_limits,
    activation_statistics,
    build_deep_net,
    compute_gradient_flow,
    default_init,
    digits_subset,
    draw_gradient_flow,
    init_label,
    initial_gradient_norms,
    layer_gradient_norms,
    linear_layers,
)

SIZES = (64,) + (32,) * 10 + (10,)


@pytest.fixture(scope="module")
def data():
    X, y, _, _ = digits_subset(500)
    return X, y


# --- building the network --------------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_plain_net_is_build_mlp(activation):
    ours = build_deep_net(10, 32, activation, seed=3)
    theirs = build_mlp(SIZES, activation=activation, seed=3)
    assert [repr(a) for a in ours.layers] == [repr(b) for b in theirs.layers]
    for a, b in zip(linear_layers(ours), linear_layers(theirs)):
        assert np.array_equal(a.params["W"], b.params["W"])


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_shortcut_net_has_same_weights_and_residual_blocks(depth):
    plain = build_deep_net(depth, 16, "sigmoid", shortcut=False, seed=0)
    resnet = build_deep_net(depth, 16, "sigmoid", shortcut=True, seed=0)
    assert len(linear_layers(plain)) == len(linear_layers(resnet)) == depth + 1
    assert sum(isinstance(layer, Residual) for layer in resnet.layers) == depth - 1
    for a, b in zip(linear_layers(plain), linear_layers(resnet)):
        assert np.array_equal(a.params["W"], b.params["W"])
    assert plain.n_params == resnet.n_params


def test_init_choices_and_defaults():
    assert default_init("sigmoid") == default_init("tanh") == "xavier"
    assert default_init("relu") == default_init("leaky_relu") == "he"
    assert [init_label(c) for c in INIT_CHOICES] == [
        "Xavier", "He", "N(0, 0.01²)", "N(0, 0.1²)", "N(0, 1²)"]
    W = linear_layers(build_deep_net(3, 200, "relu", init=1.0))[1].params["W"]
    assert W.std() == pytest.approx(1.0, rel=0.05)
    W = linear_layers(build_deep_net(3, 200, "relu", init="he"))[1].params["W"]
    assert W.std() == pytest.approx(np.sqrt(2 / 200), rel=0.05)


# --- gradient norms ---------------------------------------------------------------------------


def test_layer_gradient_norms_are_frobenius_norms(data):
    X, y = data
    model = build_deep_net(4, 8, "relu", shortcut=True)
    norms = layer_gradient_norms(model, X, y)
    assert norms.shape == (5,)
    assert np.allclose(norms, [np.linalg.norm(lin.grads["W"]) for lin in linear_layers(model)])
    assert np.all(norms > 0)


def test_sigmoid_vanishes_with_depth():
    ratios = []
    for depth in range(1, 9):
        norms = initial_gradient_norms(depth, "sigmoid")
        assert norms.shape == (depth + 1,)
        ratios.append(norms[0] / norms[-1])
    assert np.all(np.diff(ratios) < 0)  # deeper: the first layer gets relatively less
    assert initial_gradient_norms(10, "sigmoid")[0] / initial_gradient_norms(10, "sigmoid")[-1] < 1e-4


def test_shortcut_brings_the_gradient_back():
    plain = initial_gradient_norms(10, "sigmoid", shortcut=False)
    resnet = initial_gradient_norms(10, "sigmoid", shortcut=True)
    assert resnet[0] / plain[0] > 1e4
    assert resnet[0] / resnet[-1] > 1e-2


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_relu_with_he_keeps_all_layers_alike(activation):
    norms = initial_gradient_norms(10, activation, init="he")
    assert norms.max() / norms.min() < 10
    assert np.all((0.1 < norms) & (norms < 10))


def test_tanh_with_xavier_keeps_the_ratio():
    norms = initial_gradient_norms(10, "tanh", init="xavier")
    assert 0.1 < norms[0] / norms[-1] < 10


def test_relu_init_scale_moves_every_layer_together():
    big = initial_gradient_norms(10, "relu", init=1.0)
    tiny = initial_gradient_norms(10, "relu", init=0.01)
    assert big.min() > 1e5        # exploding
    assert tiny.max() < 1e-10     # vanishing
    # a bias-free ReLU net scales every layer by the same a^10: the ratio stays near 1
    for norms in (big, tiny):
        assert 0.1 < norms[0] / norms[-1] < 10


# --- activation statistics --------------------------------------------------------------------


def test_activation_statistics(data):
    X, _ = data
    sig = activation_statistics(build_mlp(SIZES, "sigmoid", seed=0), X)
    assert len(sig) == 10 and sig[0]["output"].shape == (500, 32)
    assert all(s["name"] == "Sigmoid" and s["blocked"] < 0.01 for s in sig)
    big = activation_statistics(build_mlp(SIZES, "sigmoid", init=normal(1.0), seed=0), X)
    assert all(s["blocked"] > 0.05 for s in big)
    for s in big:  # blocked = σ' < 0.01, i.e. an output below ~0.01 or above ~0.99
        o = s["output"]
        assert s["blocked"] == pytest.approx(np.mean(o * (1 - o) < BLOCKED_THRESHOLD))
    relu = activation_statistics(build_mlp(SIZES, "relu", seed=0), X)
    for s in relu:
        assert 0.3 < s["blocked"] < 0.7
        assert s["blocked"] == pytest.approx(np.mean(s["output"] == 0))
        assert s["dead_units"] == np.sum(np.all(s["output"] == 0, axis=0))
    leaky = activation_statistics(build_mlp(SIZES, "leaky_relu", seed=0), X)
    assert all(s["blocked"] == 0 and s["dead_units"] == 0 for s in leaky)


def test_activation_statistics_skips_residual_blocks(data):
    X, _ = data
    stats = activation_statistics(build_deep_net(4, 8, "sigmoid", shortcut=True), X)
    assert len(stats) == 1  # only the top-level activation after the first layer


# --- compute_gradient_flow --------------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("shortcut", [False, True])
def test_flow_returns_consistent_data(activation, shortcut):
    r = compute_gradient_flow(depth=4, activation=activation, shortcut=shortcut, epochs=2)
    assert r["norms_init"].shape == (5,)
    assert r["activation"] == activation and r["shortcut"] is shortcut
    assert r["ratio_init"] == pytest.approx(r["norms_init"][0] / r["norms_init"][-1])
    if not r["diverged"]:
        assert r["loss"].shape == (3,) and np.all(np.isfinite(r["loss"]))
        assert r["norms_trained"].shape == (5,)
        assert 0 <= r["val_acc"] <= 1


def test_deep_sigmoid_does_not_learn_without_shortcut():
    r = compute_gradient_flow(depth=10, activation="sigmoid")
    assert r["ratio_init"] < 1e-2
    assert r["loss"][-1] > CHANCE_LOSS - 0.1 and r["val_acc"] < 0.25
    assert not r["diverged"] and r["diverged_epoch"] is None


def test_deep_sigmoid_learns_with_shortcut():
    r = compute_gradient_flow(depth=10, activation="sigmoid", shortcut=True)
    assert r["ratio_init"] > 1e-2
    assert r["loss"][-1] < r["loss"][0] / 2 and r["loss"][-1] < 2.0
    assert r["val_acc"] > 0.4


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_relu_he_learns(activation):
    r = compute_gradient_flow(depth=10, activation=activation, init="he")
    assert 0.1 < r["ratio_init"] < 10
    assert r["loss"][-1] < r["loss"][0] and r["val_acc"] > 0.4


def test_shallow_sigmoid_learns():
    r = compute_gradient_flow(depth=1, activation="sigmoid")
    assert r["ratio_init"] > 0.1 and r["val_acc"] > 0.6


def test_too_large_init_diverges():
    r = compute_gradient_flow(depth=10, activation="relu", init=1.0)
    assert r["diverged"] and r["diverged_epoch"] == 1
    assert r["norms_trained"] is None and r["val_acc"] is None
    assert r["loss"].shape == (1,) and r["loss"][0] > 1e5
    assert r["norms_init"].min() > 1e5


def test_relu_shortcut_needs_a_smaller_learning_rate():
    assert compute_gradient_flow(depth=10, activation="relu", shortcut=True, lr=0.1)["diverged"]
    r = compute_gradient_flow(depth=10, activation="relu", shortcut=True, lr=0.01)
    assert not r["diverged"] and r["loss"][-1] < 1.5


def test_flow_is_deterministic():
    a = compute_gradient_flow(depth=3, activation="relu", epochs=2)
    b = compute_gradient_flow(depth=3, activation="relu", epochs=2)
    c = compute_gradient_flow(depth=3, activation="relu", epochs=2, seed=1)
    assert np.array_equal(a["norms_init"], b["norms_init"])
    assert np.array_equal(a["loss"], b["loss"]) and a["val_acc"] == b["val_acc"]
    assert not np.array_equal(a["norms_init"], c["norms_init"])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="depth"):
        compute_gradient_flow(depth=0)
    with pytest.raises(ValueError, match="at most"):
        compute_gradient_flow(depth=MAX_DEPTH + 1)
    with pytest.raises(TypeError):
        compute_gradient_flow(depth=2.5)
    with pytest.raises(ValueError, match="unknown activation"):
        compute_gradient_flow(activation="softplus")
    with pytest.raises(ValueError, match="unknown initialization"):
        compute_gradient_flow(init="glorot")
    with pytest.raises(ValueError):
        compute_gradient_flow(init=-1.0)
    with pytest.raises(TypeError):
        compute_gradient_flow(init=True)
    with pytest.raises(TypeError, match="shortcut"):
        compute_gradient_flow(shortcut="yes")
    with pytest.raises(ValueError):
        compute_gradient_flow(epochs=0)
    with pytest.raises(ValueError):
        compute_gradient_flow(lr=-0.1)
    with pytest.raises(ValueError, match="n_train"):
        compute_gradient_flow(n_train=5)
    with pytest.raises(ValueError, match="n_train"):
        digits_subset(100_000)
    with pytest.raises(ValueError):
        build_deep_net(width=0)


# --- drawing ----------------------------------------------------------------------------------


def test_norm_limits_span_at_least_four_decades():
    lo, hi = _norm_limits(np.array([1.0, 2.0]))
    assert hi / lo >= 1e4 and lo < 1.0 and hi > 2.0
    lo, hi = _norm_limits(np.array([1e-14, 1e6, np.nan, np.inf]))
    assert lo < 1e-14 and hi > 1e6
    assert _norm_limits(np.array([np.nan])) == (1e-4, 1.0)


def test_draw_normal_run():
    fig, ax = plt.subplots()
    draw_gradient_flow(ax, depth=3, activation="relu", init="he", epochs=2)
    assert "ReLU" in ax.get_title() and "検証正解率" in ax.get_title()
    left, right = ax.child_axes
    assert len(left.get_lines()) == 2           # at initialization and after training
    assert left.get_yscale() == "log"
    assert len(right.get_lines()) == 2          # loss curve and the chance level
    assert right.get_ylim()[0] == 0


def test_draw_diverged_run():
    fig, ax = plt.subplots()
    draw_gradient_flow(ax, depth=10, activation="relu", init=1.0, epochs=2)
    assert "発散" in ax.get_title()
    left, right = ax.child_axes
    assert len(left.get_lines()) == 1           # only the norms at initialization
    assert any("発散" in t.get_text() for t in right.texts)


def test_show_builds_the_widget():
    import ipywidgets as widgets

    from dlcore.widgets.gradients import show_gradient_flow

    box = show_gradient_flow()
    assert isinstance(box, widgets.VBox)
    controls = box.children[0].children
    assert len(controls) == 4
    assert all(not getattr(c, "continuous_update", False) for c in controls)


def test_layer_classes_used():
    model = build_deep_net(2, 4, "sigmoid", shortcut=True)
    assert isinstance(model.layers[0], Linear) and isinstance(model.layers[1], Sigmoid)
    assert isinstance(build_deep_net(2, 4, "relu").layers[1], ReLU)
