"""Numerically extreme inputs (slides 28, 36): no overflow, no NaN, no warning.

Every test runs with Python warnings turned into errors and NumPy floating-point errors
raised. Underflow is the one exception: e^{-20000} is 0 in float64 and rounding it to 0 is
the correct, intended result (NumPy ignores underflow by default for the same reason), so
``under="ignore"``. Overflow, division by zero and invalid operations all raise.
"""

import contextlib
import warnings

import numpy as np
import pytest

from dlcore import functions as F
from dlcore.layers import (
    L1Loss,
    MSELoss,
    Sigmoid,
    SigmoidCrossEntropy,
    SoftmaxCrossEntropy,
    Tanh,
)
from dlcore.network import build_mlp


@pytest.fixture(autouse=True)
def strict():
    with contextlib.ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("error")
        stack.enter_context(np.errstate(all="raise", under="ignore"))
        yield


def test_strict_mode_is_active():
    # Guard: the fixture really turns an overflow into an error.
    with pytest.raises(FloatingPointError):
        np.exp(np.array([1e4]))


# --- activations -------------------------------------------------------------------------------


@pytest.mark.parametrize("big", [1e4, 1e300, np.finfo(np.float64).max])
def test_sigmoid_extremes(big):
    s = F.sigmoid(np.array([big, -big, 0.0]))
    assert s[0] == 1.0
    assert 0.0 <= s[1] <= 1e-300
    assert s[2] == 0.5


def test_sigmoid_scalar_and_python_float():
    assert float(F.sigmoid(1e4)) == 1.0
    assert float(F.sigmoid(-1e4)) <= 1e-300


def test_sigmoid_is_accurate_in_the_tails():
    # σ(-30) = e^{-30} / (1 + e^{-30}): the stable form keeps relative precision.
    assert F.sigmoid(np.array([-30.0]))[0] == pytest.approx(np.exp(-30) / (1 + np.exp(-30)),
                                                            rel=1e-14)
    assert F.sigmoid(np.array([-700.0]))[0] > 0.0


def test_sigmoid_grad_extremes():
    g = F.sigmoid_grad(np.array([1e4, -1e4, 1e300]))
    assert np.all(np.isfinite(g)) and np.all(g >= 0) and np.all(g <= 1e-300)


def test_softmax_extremes():
    u = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, -1e4], [1e300, 0.0, -1e300]])
    p = F.softmax(u)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_array_equal(p[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(p[1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_allclose(p[2], [0.5, 0.5, 0.0], rtol=1e-15)
    np.testing.assert_array_equal(p[3], [1.0, 0.0, 0.0])


def test_log_softmax_extremes():
    u = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    lp = F.log_softmax(u)
    assert np.all(np.isfinite(lp))
    assert lp[0, 0] == 0.0
    assert lp[0, 1] == pytest.approx(-2e4, rel=1e-15)
    assert lp[0, 2] == pytest.approx(-1e4, rel=1e-15)
    np.testing.assert_allclose(lp[1], -np.log(3.0), rtol=1e-15)


def test_tanh_layer_extremes():
    layer = Tanh()
    out = layer.forward(np.array([[1e4, -1e4, 1e300]]))
    np.testing.assert_array_equal(out, [[1.0, -1.0, 1.0]])
    np.testing.assert_array_equal(layer.backward(np.ones((1, 3))), [[0.0, 0.0, 0.0]])


def test_sigmoid_layer_forward_backward_extremes():
    layer = Sigmoid()
    x = np.array([[1e4, -1e4], [1e300, -1e300]])
    out = layer.forward(x)
    assert np.all(np.isfinite(out))
    assert out[0, 0] == 1.0 and out[0, 1] <= 1e-300
    dx = layer.backward(np.ones_like(x))
    assert np.all(np.isfinite(dx)) and np.all(np.abs(dx) <= 1e-300)


# --- losses ------------------------------------------------------------------------------------


def test_binary_cross_entropy_with_logits_extremes():
    assert F.binary_cross_entropy_with_logits(np.array([1e4]), np.array([1.0])) == 0.0
    assert F.binary_cross_entropy_with_logits(np.array([-1e4]), np.array([0.0])) == 0.0
    assert F.binary_cross_entropy_with_logits(np.array([-1e4]), np.array([1.0])) == \
        pytest.approx(1e4, rel=1e-15)
    assert F.binary_cross_entropy_with_logits(np.array([1e4]), np.array([0.0])) == \
        pytest.approx(1e4, rel=1e-15)
    # mean over two samples: one right, one wrong
    assert F.binary_cross_entropy_with_logits(np.array([1e4, 1e4]), np.array([1.0, 0.0])) == \
        pytest.approx(5e3, rel=1e-15)


def test_softmax_cross_entropy_extremes():
    u = np.array([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0]])
    assert F.softmax_cross_entropy(u[:1], np.array([0])) == 0.0       # confident and right
    assert F.softmax_cross_entropy(u[:1], np.array([1])) == pytest.approx(2e4, rel=1e-15)
    assert F.softmax_cross_entropy(u[:1], np.array([2])) == pytest.approx(1e4, rel=1e-15)
    assert F.softmax_cross_entropy(u, np.array([0, 2])) == pytest.approx(5e3, rel=1e-15)
    assert F.softmax_cross_entropy(u, np.eye(3)[[0, 2]]) == pytest.approx(5e3, rel=1e-15)


@pytest.mark.parametrize("p,y", [([0.0, 1.0], [0.0, 1.0]), ([0.0, 1.0], [1.0, 0.0]),
                                 ([0.0], [1.0]), ([1.0], [1.0])])
def test_binary_cross_entropy_on_exact_probabilities(p, y):
    loss = F.binary_cross_entropy(np.array(p), np.array(y))
    assert np.isfinite(loss) and loss >= 0
    right = np.array(p) == np.array(y)
    if right.all():
        assert loss < 1e-11
    else:
        assert loss > 10  # -log(1e-12) ≈ 27.6, large but finite


def test_softmax_cross_entropy_layer_extremes():
    layer = SoftmaxCrossEntropy()
    u = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    loss = layer.forward(u, np.array([0, 0]))
    assert loss == pytest.approx(1e4, rel=1e-15)  # (0 + 2e4) / 2
    du = layer.backward()
    assert np.all(np.isfinite(du))
    # dL/du = (softmax - onehot) / n
    np.testing.assert_allclose(du, [[0.0, 0.0, 0.0], [-0.5, 0.5, 0.0]], atol=1e-300)
    np.testing.assert_allclose(layer.predict_proba(u).sum(axis=1), 1.0, rtol=1e-15)


def test_sigmoid_cross_entropy_layer_extremes():
    layer = SigmoidCrossEntropy()
    u = np.array([[1e4], [-1e4], [1e300], [-1e300]])
    y = np.array([1, 1, 0, 0])
    loss = layer.forward(u, y)
    assert loss == pytest.approx((0 + 1e4 + 1e300 + 0) / 4, rel=1e-15)
    du = layer.backward()
    assert np.all(np.isfinite(du))
    np.testing.assert_allclose(du[:, 0], [0.0, -0.25, 0.25, 0.0], atol=1e-300)
    proba = layer.predict_proba(u)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-15)


@pytest.mark.parametrize("layer_cls", [MSELoss, L1Loss])
def test_regression_losses_large_values(layer_cls):
    layer = layer_cls()
    u = np.array([[1e4], [-1e4]])
    loss = layer.forward(u, np.array([0.0, 0.0]))
    assert np.isfinite(loss) and loss > 0
    assert np.all(np.isfinite(layer.backward()))


# --- float32 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["softmax_cross_entropy", "sigmoid_cross_entropy", "mse"])
def test_float32_input_through_an_mlp(loss):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10, 4)).astype(np.float32)
    k = 3 if loss == "softmax_cross_entropy" else 1
    y = rng.normal(size=10) if loss == "mse" else rng.integers(0, max(k, 2), size=10)
    model = build_mlp((4, 6, k), activation="sigmoid", loss=loss, batchnorm=True, seed=0)
    out = model.forward(X)
    assert out.shape == (10, k) and np.all(np.isfinite(out))
    value = model.loss(X, y)
    assert np.isfinite(value)
    dX = model.backward()
    assert dX.shape == X.shape and np.all(np.isfinite(dX))
    for name, g in model.grads().items():
        assert np.all(np.isfinite(g)), name
    # same numbers (to float32 precision) as the float64 input
    assert model.loss(X.astype(np.float64), y) == pytest.approx(value, rel=1e-6)


def test_float32_extreme_logits():
    u = np.array([[1e4, -1e4]], dtype=np.float32)
    assert F.softmax_cross_entropy(u, [0]) == 0.0
    s = F.sigmoid(np.array([80.0, -80.0, 1e4, -1e4], dtype=np.float32))
    assert np.all(np.isfinite(s))
    assert s[0] == 1.0 and s[2] == 1.0 and s[3] == 0.0


def test_huge_inputs_through_a_network_stay_finite():
    X = np.array([[1e4, -1e4, 1e4], [-1e4, 1e4, 0.0]])
    for activation in ("sigmoid", "tanh", "relu", "leaky_relu"):
        model = build_mlp((3, 5, 2), activation=activation, seed=1)
        loss = model.loss(X, [0, 1])
        assert np.isfinite(loss), activation
        model.backward()
        assert all(np.all(np.isfinite(g)) for g in model.grads().values()), activation
        proba = model.predict_proba(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
