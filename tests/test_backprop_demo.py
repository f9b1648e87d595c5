"""dlcore.backprop_demo: the computational-graph picture and the timing experiment (slides 20-27)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.backprop_demo import draw_computational_graph, loglog_slope, time_gradients
from dlcore.layers import Linear, Sigmoid
from dlcore.network import Sequential


def slide22_graph(seed=0):
    """Forward values and gradients of slide 22's 2-2-1 network, layer by layer with dlcore."""
    rng = np.random.default_rng(seed)
    W0, W1 = rng.normal(size=(2, 3)), rng.normal(size=(1, 2))
    model = Sequential([Linear(2, 2), Sigmoid(), Linear(2, 1), Sigmoid()], loss="mse")
    lin0, sig0, lin1, sig1 = model.layers
    lin0.params["W"][...], lin0.params["b"][...] = W0[:, 1:], W0[:, 0]
    lin1.params["W"][...] = W1
    X, y = np.array([[0.5, -0.3]]), np.array([1.0])
    u0 = lin0.forward(X)
    o0 = sig0.forward(u0)
    u1 = lin1.forward(o0)
    o = sig1.forward(u1)
    L = model.loss_layer.forward(o, y)
    g_o = model.loss_layer.backward()
    g_u1 = sig1.backward(g_o)
    g_o0 = lin1.backward(g_u1)
    g_u0 = sig0.backward(g_o0)
    g_x = lin0.backward(g_u0)
    values = dict(x=X, u0=u0, o0=o0, u1=u1, o=o, L=L)
    grads = dict(x=g_x, u0=g_u0, o0=g_o0, u1=g_u1, o=g_o, L=1.0)
    return values, grads, W0, W1


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_graph_shows_forward_values_and_gradients():
    values, grads, W0, W1 = slide22_graph()
    fig, ax = plt.subplots()
    draw_computational_graph(ax, values, grads, W0, W1)
    shown = texts(ax)
    assert f"{values['o'][0, 0]:.3f}" in shown
    assert f"{values['L']:.3f}" in shown
    assert f"{grads['x'][0, 0]:.4f}" in shown
    assert f"{grads['u0'][0, 1]:.4f}" in shown
    assert f"{W0[1, 2]:.2f}" in shown and f"{W1[0, 0]:.2f}" in shown
    assert "（定数）" in shown  # x₀ = 1 is a constant: no gradient is shown
    assert ax.get_title()
    assert len(ax.get_legend().get_texts()) == 2


def test_graph_without_weights_has_no_edge_numbers():
    values, grads, W0, _ = slide22_graph()
    fig, ax = plt.subplots()
    draw_computational_graph(ax, values, grads)
    assert f"{W0[1, 2]:.2f}" not in texts(ax)
    # 10 nodes: label, value and gradient each, plus the f⁰ (x2), f¹ and L(o, y) edge labels
    assert len(ax.texts) == 10 * 3 + 4


def test_graph_other_sizes():
    d, h = 3, 4
    values = dict(x=np.ones(d), u0=np.zeros(h), o0=np.full(h, 0.5), u1=[0.1], o=[0.6], L=0.2)
    grads = dict(x=np.ones(d), u0=np.ones(h), o0=np.ones(h), u1=[1.0], o=[1.0], L=1.0)
    fig, ax = plt.subplots()
    draw_computational_graph(ax, values, grads, W0=np.zeros((h, d + 1)), W1=np.zeros(h))
    assert len(ax.collections) == (d + 1) + 2 * h + 3  # one circle per node


@pytest.mark.parametrize("change, message", [
    (lambda v, g: v.pop("o0"), "missing"),
    (lambda v, g: v.update(o0=np.zeros(3)), "o0"),
    (lambda v, g: v.update(u1=np.zeros(2)), "single number"),
    (lambda v, g: g.update(x=np.zeros(3)), "grads"),
])
def test_graph_rejects_bad_nodes(change, message):
    values, grads, _, _ = slide22_graph()
    values, grads = dict(values), dict(grads)
    change(values, grads)
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=message):
        draw_computational_graph(ax, values, grads)


def test_graph_rejects_bad_weights():
    values, grads, W0, W1 = slide22_graph()
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="W0"):
        draw_computational_graph(ax, values, grads, W0=W0[:, 1:])  # bias column missing
    with pytest.raises(ValueError, match="W1"):
        draw_computational_graph(ax, values, grads, W1=np.zeros(3))


def test_time_gradients_returns_times_per_model():
    result = time_gradients(depths=(1, 2), width=4, n_samples=8, n_probe=4, repeats=1,
                            full_limit=30)
    assert set(result) == {"depths", "n_params", "backprop", "numerical", "numerical_full"}
    np.testing.assert_array_equal(result["depths"], [1, 2])
    # P = depth·w(w + 1) + (w + 1) for width w and one output
    np.testing.assert_array_equal(result["n_params"], [25, 45])
    assert np.all(result["backprop"] > 0)
    # 2P forward passes against one forward + one backward pass: numerical is far slower
    assert np.all(result["numerical"] > result["backprop"])
    assert np.isfinite(result["numerical_full"][0]) and result["numerical_full"][0] > 0
    assert np.isnan(result["numerical_full"][1])  # P = 45 > full_limit: not timed in full


@pytest.mark.parametrize("kwargs", [
    dict(depths=(1,)), dict(depths=(1, 0)), dict(width=0), dict(n_samples=0),
    dict(n_probe=0), dict(repeats=0),
])
def test_time_gradients_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        time_gradients(**kwargs)


def test_loglog_slope_recovers_the_exponent():
    P = np.array([1e2, 1e3, 1e4])
    assert loglog_slope(P, 3.0 * P ** 2) == pytest.approx(2.0)
    assert loglog_slope(P, 0.5 * P) == pytest.approx(1.0)


@pytest.mark.parametrize("x, y", [([1, 2], [1, 2, 3]), ([1], [1]), ([1, -2], [1, 2]),
                                  ([1, 2], [0, 1])])
def test_loglog_slope_rejects_bad_input(x, y):
    with pytest.raises(ValueError):
        loglog_slope(x, y)
