"""Tests of notebook 02's two-layer perceptron pictures and widgets (dlcore.widgets.mlp)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.datasets import xor
from dlcore.functions import sigmoid
from dlcore.widgets.mlp import (
    CHALLENGE_BOUND,
    CHALLENGE_BUMPS,
    DATASETS,
    EDGE_MARGIN,
    MAX_HIDDEN,
    X_TARGET,
    build_bump_network,
    bump_edges,
    compute_bump_approximation,
    compute_bump_challenge,
    compute_step_regions,
    draw_bump_approximation,
    draw_bump_challenge,
    draw_step_network,
    draw_step_regions,
    draw_two_layer_diagram,
    step_network,
    target_function,
)

# NAND and OR in the hidden layer, AND at the output: XOR (slide 10)
XOR_W0 = np.array([[-1.0, -1.0], [1.0, 1.0]])
XOR_B0 = np.array([1.5, -0.5])
XOR_W1 = np.array([[1.0, 1.0]])
XOR_B1 = np.array([-1.5])


# --- diagram -----------------------------------------------------------------------------

def test_diagram_labels_every_weight_and_neuron():
    fig, ax = plt.subplots()
    draw_two_layer_diagram(ax)
    texts = {t.get_text() for t in ax.texts}
    for i in range(2):
        for j in range(3):
            assert f"$w^0_{{{i}{j}}}$" in texts
        assert f"$u^0_{i}$" in texts
        assert f"$w^1_{{0{i}}}$" in texts
    assert {"$x_0 = 1$", "$x_1$", "$x_2$", "$u^1_0$"} <= texts
    assert ax.get_title()


# --- step_network ------------------------------------------------------------------------

def test_step_network_computes_xor():
    X, y = xor()
    o0, o = step_network(X, XOR_W0, XOR_B0, XOR_W1, XOR_B1)
    np.testing.assert_array_equal(o0[:, 0], [1, 1, 1, 0])  # NAND
    np.testing.assert_array_equal(o0[:, 1], [0, 1, 1, 1])  # OR
    np.testing.assert_array_equal(o[:, 0], y)
    assert o0.shape == (4, 2) and o.shape == (4, 1)


@pytest.mark.parametrize("args", [
    (np.ones((4, 3)), XOR_W0, XOR_B0, XOR_W1, XOR_B1),       # input width 3, W0 expects 2
    (np.ones((4, 2)), XOR_W0, np.ones(3), XOR_W1, XOR_B1),   # b0 too long
    (np.ones((4, 2)), XOR_W0, XOR_B0, np.ones((1, 3)), XOR_B1),
    (np.ones((4, 2)), XOR_W0, XOR_B0, XOR_W1, np.ones(2)),
    (np.ones(2), XOR_W0, XOR_B0, XOR_W1, XOR_B1),            # one sample needs shape (1, 2)
])
def test_step_network_rejects_bad_shapes(args):
    with pytest.raises(ValueError):
        step_network(*args)


# --- compute_step_regions (slide 10) -------------------------------------------------------

@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("seed", [0, 3])
def test_regions_grow_and_least_squares_error_never_grows(dataset, seed):
    previous_mse = np.inf
    for n in (1, 2, 4, 8, 16, 32, MAX_HIDDEN):
        r = compute_step_regions(n, seed, dataset)
        assert r["W0"].shape == (n, 2) and r["b0"].shape == (n,)
        assert r["W1"].shape == (1, n) and r["b1"].shape == (1,)
        # every line passes through the data's box, so each one adds at least one region
        assert n + 1 <= r["n_regions"] <= r["max_regions"] == 1 + n + n * (n - 1) // 2
        assert set(np.unique(r["grid_output"])) <= {0.0, 1.0}
        # lines for N are the first N of the lines for 2N: more features, never a worse fit
        assert r["mse"] <= previous_mse + 1e-9
        previous_mse = r["mse"]
        assert 0.0 <= r["accuracy"] <= 1.0


def test_more_lines_classify_the_moons():
    few = compute_step_regions(1, 0, "moons")
    many = compute_step_regions(32, 0, "moons")
    assert few["accuracy"] < 0.7
    assert many["accuracy"] >= 0.95
    # the accuracy is that of the network the compute function returns
    _, o = step_network(many["X"], many["W0"], many["b0"], many["W1"], many["b1"])
    assert np.mean(o[:, 0] == many["y"]) == many["accuracy"]


def test_step_regions_are_seeded():
    a, b = compute_step_regions(8, 5, "circle"), compute_step_regions(8, 5, "circle")
    np.testing.assert_array_equal(a["W0"], b["W0"])
    np.testing.assert_array_equal(a["grid_output"], b["grid_output"])
    c = compute_step_regions(8, 6, "circle")
    assert not np.array_equal(a["W0"], c["W0"])


def test_nested_lines():
    small, large = compute_step_regions(4, 2), compute_step_regions(16, 2)
    np.testing.assert_array_equal(small["W0"], large["W0"][:4])
    np.testing.assert_array_equal(small["b0"], large["b0"][:4])


@pytest.mark.parametrize("kwargs, error", [
    (dict(n_hidden=0), ValueError),
    (dict(n_hidden=MAX_HIDDEN + 1), ValueError),
    (dict(n_hidden=2.5), TypeError),
    (dict(n_hidden=True), TypeError),
    (dict(seed=-1), ValueError),
    (dict(dataset="moon"), ValueError),
    (dict(dataset=None), ValueError),
])
def test_step_regions_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        compute_step_regions(**kwargs)


def test_draw_step_regions_and_network():
    fig, ax = plt.subplots()
    draw_step_regions(ax, 4, 0, "xor")
    r = compute_step_regions(4, 0, "xor")
    assert f"{r['n_regions']} 個" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    fig, ax = plt.subplots()
    draw_step_network(ax, XOR_W0, XOR_B0, XOR_W1, XOR_B1, *xor(), title="XOR")
    assert ax.get_title() == "XOR"
    assert len(ax.lines) == 2  # one line per hidden neuron


# --- bumps (slide 11) ----------------------------------------------------------------------

def test_bump_edges():
    left, right = bump_edges(4)
    np.testing.assert_allclose(left, [-EDGE_MARGIN, 0.25, 0.5, 0.75])
    np.testing.assert_allclose(right, [0.25, 0.5, 0.75, 1.0 + EDGE_MARGIN])


def test_bump_network_is_the_sum_of_sigmoid_pairs():
    h, w = np.array([0.3, -0.2, 0.7]), 50.0
    left, right = bump_edges(3)
    expected = sum(hk * (sigmoid(w * (X_TARGET - s)) - sigmoid(w * (X_TARGET - t)))
                   for hk, s, t in zip(h, left, right))
    net = build_bump_network(h, w)
    np.testing.assert_allclose(net.forward(X_TARGET[:, None])[:, 0], expected, atol=1e-12)
    assert net.n_params == 3 * 2 * 3 + 1  # 6 hidden (W, b), 6 output weights, 1 output bias
    # each hidden neuron's step sits at s = -b / w
    W, b = net.layers[0].params["W"][:, 0], net.layers[0].params["b"]
    np.testing.assert_allclose(-b / W, np.column_stack([left, right]).ravel())


def test_bump_approximation_improves_with_more_bumps_when_steep():
    maes = [compute_bump_approximation(n, 1000.0)["mae"]
                  for n in (1, 2, 4, 8, 16, 32, 64)]
    assert all(a > b for a, b in zip(maes, maes[1:]))
    assert maes[-1] < 0.005


def test_gentle_sigmoids_do_not_approximate():
    for n in (5, 20, 50):
        assert compute_bump_approximation(n, 3.0)["mae"] > 0.1


def test_bump_approximation_returns_consistent_data():
    r = compute_bump_approximation(6, 200.0)
    np.testing.assert_allclose(r["heights"], target_function((np.arange(6) + 0.5) / 6))
    np.testing.assert_allclose(r["bumps"].sum(axis=0), r["output"], atol=1e-12)
    assert r["bumps"].shape == (6, X_TARGET.size)
    assert r["mae"] == pytest.approx(np.mean(np.abs(r["output"] - r["target"])))
    custom = compute_bump_approximation(2, 200.0, heights=[0.0, 0.0])
    assert custom["mae"] == pytest.approx(np.mean(target_function(X_TARGET)), rel=1e-9)


@pytest.mark.parametrize("kwargs, error", [
    (dict(n_bumps=0), ValueError),
    (dict(n_bumps=501), ValueError),
    (dict(n_bumps=2.0), TypeError),
    (dict(steepness=0.0), ValueError),
    (dict(steepness=-5.0), ValueError),
    (dict(n_bumps=3, heights=[0.1, 0.2]), ValueError),
    (dict(n_bumps=2, heights=[0.1, np.nan]), ValueError),
])
def test_bump_approximation_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        compute_bump_approximation(**kwargs)


def test_draw_bump_approximation():
    fig, ax = plt.subplots()
    draw_bump_approximation(ax, 4, 100.0)
    r = compute_bump_approximation(4, 100.0)
    assert f"{r['mae']:.4f}" in ax.get_title()
    assert len(ax.lines) == 4 + 2  # 4 bumps, target, output
    fig, ax = plt.subplots()
    draw_bump_approximation(ax, 30, 100.0)
    assert len(ax.lines) == 2  # many bumps are not drawn one by one


# --- the challenge -------------------------------------------------------------------------

def test_challenge_flat_heights_fail_and_centre_heights_pass():
    flat = compute_bump_challenge([0.5] * CHALLENGE_BUMPS)
    assert not flat["solved"] and flat["mae"] > 0.15
    centres = (np.arange(CHALLENGE_BUMPS) + 0.5) / CHALLENGE_BUMPS
    good = compute_bump_challenge(np.round(target_function(centres), 2))
    assert good["solved"] and good["mae"] < CHALLENGE_BOUND == good["bound"]


def test_challenge_rejects_wrong_number_of_heights():
    with pytest.raises(ValueError):
        compute_bump_challenge([0.5] * (CHALLENGE_BUMPS - 1))


def test_draw_bump_challenge():
    fig, ax = plt.subplots()
    draw_bump_challenge(ax, 0.45, 0.43, 0.2, 0.63, 0.85)
    assert "達成" in ax.get_title()
    fig, ax = plt.subplots()
    draw_bump_challenge(ax)
    assert "まだ" in ax.get_title()


# --- the views -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, n_controls", [
    ("show_step_regions", 3), ("show_bump_approximation", 2), ("show_bump_challenge", 5)])
def test_show_builds_the_widget(name, n_controls):
    pytest.importorskip("ipywidgets")
    import dlcore.widgets.mlp as mlp

    box = getattr(mlp, name)()
    assert len(box.children[0].children) == n_controls


def test_hidden_plane_puts_the_samples_at_their_hidden_outputs():
    from dlcore.plotting import draw_hidden_plane

    X, y = xor()
    o0, _ = step_network(X, XOR_W0, XOR_B0, XOR_W1, XOR_B1)
    fig, ax = plt.subplots()
    draw_hidden_plane(ax, X, y, o0, XOR_W1[0], XOR_B1[0], line_label="AND")
    points = np.concatenate([c.get_offsets() for c in ax.collections])
    np.testing.assert_array_equal(np.unique(points, axis=0), np.unique(o0, axis=0))
    notes = sorted(t.get_text() for t in ax.texts)
    assert notes == ["サンプル (0, 0)", "サンプル (0, 1), (1, 0)", "サンプル (1, 1)"]
    assert "AND" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
