"""Backpropagation against central differences (slides 19-27), in float64.

Every layer and every loss: the analytic gradient from ``backward`` must agree with
``dlcore.gradcheck.numerical_gradient`` to a relative error of at most 1e-7.
"""

import numpy as np
import pytest
from gradient_asserts import TOL, assert_small

from dlcore import functions as F
from dlcore.gradcheck import (
    check_gradients,
    check_layer_gradients,
    numerical_gradient,
    relative_error,
)
from dlcore.layers import (
    ACTIVATIONS,
    BatchNorm,
    Dropout,
    Identity,
    L1Loss,
    LeakyReLU,
    Linear,
    MSELoss,
    ReLU,
    Residual,
    Sigmoid,
    SigmoidCrossEntropy,
    SoftmaxCrossEntropy,
    Tanh,
)
from dlcore.network import Sequential, build_mlp


def away_from_zero(rng, shape, low=0.1, high=2.0):
    """Random values with |x| in [low, high]: no element sits near a kink at 0."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


# --- single layers -------------------------------------------------------------------------


def test_linear_dx_dW_db():
    rng = np.random.default_rng(0)
    layer = Linear(4, 3, seed=1)
    layer.params["b"][...] = rng.normal(size=3)  # non-zero bias, so db is really exercised
    errors = check_layer_gradients(layer, rng.normal(size=(5, 4)))
    assert set(errors) == {"x", "W", "b"}
    assert_small(errors)


@pytest.mark.parametrize("make_layer", [Sigmoid, Tanh, ReLU, LeakyReLU, Identity,
                                        lambda: LeakyReLU(slope=0.2)],
                         ids=["sigmoid", "tanh", "relu", "leaky_relu", "identity",
                              "leaky_relu_0.2"])
def test_activation_layers(make_layer):
    x = away_from_zero(np.random.default_rng(1), (6, 4))
    assert_small(check_layer_gradients(make_layer(), x))


def test_relu_gradient_is_not_trivially_zero():
    # Guard: with inputs on both sides of 0, the gradient has both 0 and 1 entries.
    x = away_from_zero(np.random.default_rng(2), (6, 4))
    layer = ReLU()
    layer.forward(x)
    dx = layer.backward(np.ones_like(x))
    assert set(np.unique(dx)) == {0.0, 1.0}


@pytest.mark.parametrize("rate", [0.3, 0.5])
def test_dropout_with_a_fixed_mask(rate):
    x = np.random.default_rng(3).normal(size=(8, 5))
    layer = Dropout(rate, seed=0)

    def reseed():
        layer.rng = np.random.default_rng(42)

    errors = check_layer_gradients(layer, x, before_forward=reseed)
    assert_small(errors)
    # The mask really drops something and scales the rest by 1 / (1 - rate).
    reseed()
    out = layer.forward(x)
    kept = out != 0
    assert 0 < kept.sum() < x.size
    np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-15)


def test_dropout_in_eval_mode_is_identity_with_identity_gradient():
    x = np.random.default_rng(4).normal(size=(4, 3))
    layer = Dropout(0.5, seed=0)
    np.testing.assert_array_equal(layer.forward(x, train=False), x)
    assert_small(check_layer_gradients(layer, x, train=False))


def test_batchnorm_training_mode():
    rng = np.random.default_rng(5)
    layer = BatchNorm(3)
    layer.params["gamma"][...] = rng.uniform(0.5, 2.0, size=3)
    layer.params["beta"][...] = rng.normal(size=3)
    x = rng.normal(2.0, 3.0, size=(6, 3))
    errors = check_layer_gradients(layer, x, train=True)
    assert set(errors) == {"x", "gamma", "beta"}
    assert_small(errors)


def test_batchnorm_eval_mode():
    rng = np.random.default_rng(6)
    layer = BatchNorm(3)
    for _ in range(5):  # running statistics away from their initial 0 / 1
        layer.forward(rng.normal(1.0, 2.0, size=(10, 3)), train=True)
    assert not np.allclose(layer.running_mean, 0.0)
    layer.params["gamma"][...] = rng.uniform(0.5, 2.0, size=3)
    x = rng.normal(size=(4, 3))
    assert_small(check_layer_gradients(layer, x, train=False))


def test_residual_dx_and_inner_params():
    rng = np.random.default_rng(7)
    block = Residual(Linear(4, 4, seed=1), Tanh(), Linear(4, 4, seed=2))
    errors = check_layer_gradients(block, rng.normal(size=(5, 4)))
    assert set(errors) == {"x", "0.W", "0.b", "2.W", "2.b"}
    assert_small(errors)


def test_residual_shortcut_passes_gradient_through():
    # o = x + F(x): with F's last weight zero, F contributes nothing and dL/dx = dout.
    block = Residual(Linear(3, 3, seed=0), Tanh(), Linear(3, 3, seed=1))
    block.layers[2].params["W"][...] = 0.0
    x = np.random.default_rng(8).normal(size=(4, 3))
    block.forward(x)
    dout = np.random.default_rng(9).normal(size=(4, 3))
    np.testing.assert_array_equal(block.backward(dout.copy()), dout)


# --- loss layers -----------------------------------------------------------------------------


def loss_gradient_error(layer, u, y):
    layer.forward(u, y)
    analytic = layer.backward().copy()
    numeric = numerical_gradient(lambda _: layer.forward(u, y), u)
    return relative_error(analytic, numeric)


def test_softmax_cross_entropy_int_labels():
    rng = np.random.default_rng(10)
    u = rng.normal(size=(6, 4)) * 2
    y = np.array([0, 1, 2, 3, 1, 2])
    assert loss_gradient_error(SoftmaxCrossEntropy(), u, y) <= TOL


def test_softmax_cross_entropy_one_hot_and_soft_targets():
    rng = np.random.default_rng(11)
    u = rng.normal(size=(5, 3)) * 2
    one_hot = np.eye(3)[[0, 2, 1, 1, 0]]
    assert loss_gradient_error(SoftmaxCrossEntropy(), u, one_hot) <= TOL
    soft = rng.dirichlet(np.ones(3), size=5)
    assert loss_gradient_error(SoftmaxCrossEntropy(), u, soft) <= TOL
    # int labels and their one-hot encoding give the same loss and gradient
    a, b = SoftmaxCrossEntropy(), SoftmaxCrossEntropy()
    assert a.forward(u, [0, 2, 1, 1, 0]) == pytest.approx(b.forward(u, one_hot), rel=1e-14)
    np.testing.assert_allclose(a.backward(), b.backward(), rtol=1e-14)


def test_sigmoid_cross_entropy():
    rng = np.random.default_rng(12)
    u = rng.normal(size=(7, 1)) * 2
    y = np.array([0, 1, 1, 0, 1, 0, 0])
    assert loss_gradient_error(SigmoidCrossEntropy(), u, y) <= TOL
    soft = rng.uniform(size=7)
    assert loss_gradient_error(SigmoidCrossEntropy(), u, soft) <= TOL


@pytest.mark.parametrize("y_shape", [(6, 2), (6,)])
def test_mse_loss(y_shape):
    rng = np.random.default_rng(13)
    out_width = y_shape[1] if len(y_shape) == 2 else 1
    u = rng.normal(size=(6, out_width))
    y = rng.normal(size=y_shape)
    assert loss_gradient_error(MSELoss(), u, y) <= TOL


def test_l1_loss_away_from_kinks():
    rng = np.random.default_rng(14)
    y = rng.normal(size=(6, 2))
    u = y + away_from_zero(rng, (6, 2))  # |u - y| >= 0.1
    assert loss_gradient_error(L1Loss(), u, y) <= TOL


# --- whole networks --------------------------------------------------------------------------


def make_data(n=6, d=4, k=3, seed=20):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, k, size=n)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_mlp_with_each_activation(activation):
    X, y = make_data()
    model = build_mlp((4, 5, 5, 3), activation=activation, seed=1)
    errors = check_gradients(model, X, y)
    assert set(errors) == {"0.W", "0.b", "2.W", "2.b", "4.W", "4.b"}
    assert_small(errors)


@pytest.mark.parametrize("loss", ["mse", "l1", "sigmoid_cross_entropy"])
def test_mlp_with_other_losses(loss):
    X, _ = make_data()
    rng = np.random.default_rng(21)
    if loss == "sigmoid_cross_entropy":
        y = rng.integers(0, 2, size=6)
    else:
        y = rng.normal(size=6) + 10.0  # far from the outputs: no L1 kink is crossed
    model = build_mlp((4, 5, 1), activation="tanh", loss=loss, seed=2)
    assert_small(check_gradients(model, X, y))


def test_mlp_with_batchnorm():
    X, y = make_data(n=8)
    model = build_mlp((4, 5, 5, 3), activation="tanh", batchnorm=True, seed=3)
    errors = check_gradients(model, X, y)
    assert {"1.gamma", "1.beta", "4.gamma", "4.beta"} <= set(errors)
    # A bias right before BatchNorm has gradient exactly 0 (the batch mean removes any
    # constant shift), so its relative error compares round-off with round-off; check the
    # gradient is ~0 in absolute terms instead.
    before_bn = {"0.b", "3.b"}
    model.loss(X, y)
    model.backward()
    grads = model.grads()
    for name in before_bn:
        assert np.abs(grads[name]).max() < 1e-12, name
    assert_small({k: v for k, v in errors.items() if k not in before_bn})


def test_mlp_with_dropout_reseeded():
    X, y = make_data()
    model = build_mlp((4, 6, 3), activation="tanh", dropout=0.4, seed=4)
    dropouts = [layer for layer in model.layers if isinstance(layer, Dropout)]
    assert dropouts

    def loss(_=None):
        for layer in dropouts:
            layer.rng = np.random.default_rng(7)
        return model.loss(X, y, train=True)

    loss()
    model.backward()
    for name, p in model.params().items():
        analytic = model.grads()[name].copy()
        assert relative_error(analytic, numerical_gradient(loss, p)) <= TOL, name


def test_residual_block_inside_sequential():
    X, y = make_data()
    model = Sequential([
        Linear(4, 5, seed=0), Tanh(),
        Residual(Linear(5, 5, seed=1), Tanh(), Linear(5, 5, seed=2)),
        Linear(5, 3, seed=3),
    ])
    errors = check_gradients(model, X, y)
    assert {"2.0.W", "2.0.b", "2.2.W", "2.2.b", "3.W"} <= set(errors)
    assert_small(errors)


def test_network_dx():
    X, y = make_data()
    model = build_mlp((4, 5, 3), activation="sigmoid", seed=5)
    model.loss(X, y)
    dX = model.backward()
    numeric = numerical_gradient(lambda x: model.loss(x, y), X)
    assert relative_error(dX, numeric) <= TOL


# --- backward contracts --------------------------------------------------------------------


def contract_layers():
    return [
        ("linear", Linear(4, 4, seed=0)),
        ("sigmoid", Sigmoid()),
        ("tanh", Tanh()),
        ("relu", ReLU()),
        ("leaky_relu", LeakyReLU()),
        ("identity", Identity()),
        ("dropout", Dropout(0.5, seed=0)),
        ("batchnorm", BatchNorm(4)),
        ("residual", Residual(Linear(4, 4, seed=1), ReLU())),
    ]


@pytest.mark.parametrize("name,layer", contract_layers(), ids=[n for n, _ in contract_layers()])
def test_backward_does_not_mutate_dout(name, layer):
    rng = np.random.default_rng(30)
    x = away_from_zero(rng, (5, 4))
    layer.forward(x, train=True)
    dout = rng.normal(size=(5, 4))
    saved = dout.copy()
    layer.backward(dout)
    np.testing.assert_array_equal(dout, saved)
    layer.backward(dout, need_dx=False)
    np.testing.assert_array_equal(dout, saved)


def test_sequential_backward_does_not_mutate_dout():
    X, _ = make_data()
    model = build_mlp((4, 5, 3), batchnorm=True, seed=6)
    out = model.forward(X)
    dout = np.random.default_rng(31).normal(size=out.shape)
    saved = dout.copy()
    model.backward(dout)
    np.testing.assert_array_equal(dout, saved)


@pytest.mark.parametrize("name,layer", contract_layers(), ids=[n for n, _ in contract_layers()])
def test_need_dx_false_returns_none_and_fills_grads(name, layer):
    rng = np.random.default_rng(32)
    x = away_from_zero(rng, (5, 4))
    dout = rng.normal(size=(5, 4))
    if isinstance(layer, Dropout):
        layer.rng = np.random.default_rng(0)
    layer.forward(x, train=True)
    assert layer.backward(dout) is not None
    expected = {k: g.copy() for k, g in layer.grads.items()}
    for g in layer.grads.values():
        g[...] = np.nan  # so a layer that skips filling grads is caught
    assert layer.backward(dout, need_dx=False) is None
    assert set(layer.grads) == set(expected)
    for k, g in layer.grads.items():
        np.testing.assert_allclose(g, expected[k], rtol=1e-14, atol=0, err_msg=k)


def test_sequential_need_dx_false():
    X, y = make_data()
    model = build_mlp((4, 5, 3), seed=7)
    model.loss(X, y)
    assert model.backward() is not None
    expected = {k: g.copy() for k, g in model.grads().items()}
    for g in model.grads().values():
        g[...] = np.nan
    model.loss(X, y)
    assert model.backward(need_dx=False) is None
    for k, g in model.grads().items():
        np.testing.assert_allclose(g, expected[k], rtol=1e-14, err_msg=k)


# --- derivatives in the functions module -----------------------------------------------------


def elementwise_derivative(f, u):
    """d f(u_i) / d u_i for every element, from the central difference of Σ f(u)."""
    return numerical_gradient(lambda v: float(np.sum(f(v))), u.copy())


@pytest.mark.parametrize("f,df", [
    (F.sigmoid, F.sigmoid_grad),
    (F.tanh, F.tanh_grad),
    (F.relu, F.relu_grad),
    (F.leaky_relu, F.leaky_relu_grad),
    (lambda u: F.leaky_relu(u, slope=0.2), lambda u: F.leaky_relu_grad(u, slope=0.2)),
], ids=["sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu_0.2"])
def test_function_derivatives(f, df):
    u = away_from_zero(np.random.default_rng(40), (3, 5), high=4.0)
    analytic = df(u)
    assert analytic.shape == u.shape
    assert relative_error(analytic, elementwise_derivative(f, u)) <= TOL


def test_sigmoid_grad_at_most_a_quarter():
    u = np.linspace(-10, 10, 201)
    assert F.sigmoid_grad(u).max() == pytest.approx(0.25, abs=1e-15)
    assert F.sigmoid_grad(np.array([0.0]))[0] == 0.25


def test_slide36_sigmoid_plus_cross_entropy_gives_sigma_minus_y():
    """Slide 36: for L = -[y log σ(u) + (1 - y) log(1 - σ(u))], dL/du = σ(u) - y."""
    rng = np.random.default_rng(41)
    n = 8
    u = rng.uniform(-4, 4, size=n)
    y = rng.integers(0, 2, size=n).astype(float)
    expected = F.sigmoid(u) - y
    # The losses are means over n samples, so dL/du_i = (σ(u_i) - y_i) / n.
    from_probabilities = numerical_gradient(
        lambda v: F.binary_cross_entropy(F.sigmoid(v), y), u.copy()) * n
    from_logits = numerical_gradient(
        lambda v: F.binary_cross_entropy_with_logits(v, y), u.copy()) * n
    assert relative_error(from_probabilities, expected) <= TOL
    assert relative_error(from_logits, expected) <= TOL
    layer = SigmoidCrossEntropy()
    layer.forward(u[:, None], y)
    np.testing.assert_allclose(layer.backward()[:, 0] * n, expected, rtol=1e-14, atol=1e-16)


def test_gradcheck_detects_a_wrong_backward():
    """The checker itself can fail: a Linear layer with a wrong db is caught."""
    X, y = make_data()
    model = build_mlp((4, 5, 3), activation="tanh", seed=8)
    model.layers[0].params["b"][...] = 0.5
    real_backward = model.layers[0].backward

    def wrong_backward(dout, need_dx=True):
        dx = real_backward(dout, need_dx)
        model.layers[0].grads["b"] *= 2.0
        return dx

    model.layers[0].backward = wrong_backward
    errors = check_gradients(model, X, y)
    assert errors["0.b"] > 0.1
    assert errors["0.W"] <= TOL


def test_softmax_cross_entropy_labels_and_one_hot_give_the_same_loss_and_gradient():
    from dlcore.layers import SoftmaxCrossEntropy

    rng = np.random.default_rng(0)
    u, y = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    by_label, by_one_hot = SoftmaxCrossEntropy(), SoftmaxCrossEntropy()
    assert by_label.forward(u, y) == pytest.approx(by_one_hot.forward(u, np.eye(4)[y]), rel=1e-15)
    np.testing.assert_allclose(by_label.backward(), by_one_hot.backward(), rtol=1e-15, atol=1e-17)
