"""dlcore.rnn (slide 43): the tanh RNN and backpropagation through time.

Forward against the step formula, BPTT against central differences in float64 (relative
error <= 1e-7), the stored dL/dh_t, a small sequence task, and clear errors for bad input.
"""

import re

import numpy as np
import pytest
from gradient_asserts import assert_small

from dlcore.gradcheck import (
    check_gradients,
    check_layer_gradients,
)
from dlcore.initializers import normal
from dlcore.layers import Linear
from dlcore.network import Sequential
from dlcore.optimizers import Adam
from dlcore.rnn import RNN
from dlcore.training import train

E = re.escape


def recall_first(n, T, seed):
    """x_1 = ±1 is the label; x_2..x_T are uniform noise in [-1, 1]."""
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, n)
    x = rng.uniform(-1, 1, size=(n, T, 1))
    x[:, 0, 0] = 2 * bits - 1
    return x, bits


def test_forward_is_the_step_formula():
    rng = np.random.default_rng(0)
    layer = RNN(3, 4, return_sequences=True, seed=0)
    layer.params["b"][...] = rng.normal(size=4)
    x = rng.normal(size=(2, 5, 3))
    H = layer.forward(x)
    Wx, Wh, b = layer.params["Wx"], layer.params["Wh"], layer.params["b"]
    h = np.zeros(4)
    for t in range(5):  # one sequence, one step at a time
        h = np.tanh(Wx @ x[1, t] + Wh @ h + b)
        np.testing.assert_allclose(H[1, t], h, rtol=1e-13)
    layer.return_sequences = False
    np.testing.assert_allclose(layer.forward(x)[1], h, rtol=1e-13)


def test_shapes_and_params():
    layer = RNN(2, 7, seed=0)
    assert layer.params["Wx"].shape == (7, 2)
    assert layer.params["Wh"].shape == (7, 7)
    assert layer.params["b"].shape == (7,)
    assert layer.forward(np.ones((3, 4, 2))).shape == (3, 7)
    assert RNN(2, 7, return_sequences=True).forward(np.ones((3, 4, 2))).shape == (3, 4, 7)
    assert repr(layer) == "RNN(2 -> 7)"


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("T", [1, 2, 6])
def test_bptt_gradients(return_sequences, T):
    rng = np.random.default_rng(T)
    layer = RNN(3, 4, return_sequences=return_sequences, seed=1)
    layer.params["b"][...] = rng.normal(size=4) * 0.5
    errors = check_layer_gradients(layer, rng.normal(size=(2, T, 3)))
    assert set(errors) == {"x", "Wx", "Wh", "b"}
    assert_small(errors)


def test_check_gradients_of_rnn_plus_linear():
    X, y = recall_first(6, 5, seed=1)
    model = Sequential([RNN(1, 5, seed=0), Linear(5, 2, seed=1)])
    model.layers[0].params["b"][...] = 0.1
    errors = check_gradients(model, X, y)
    assert set(errors) == {"0.Wx", "0.Wh", "0.b", "1.W", "1.b"}
    assert_small(errors)


def test_backward_twice_gives_the_same_grads():
    rng = np.random.default_rng(2)
    layer = RNN(2, 3, seed=0)
    out = layer.forward(rng.normal(size=(4, 5, 2)))
    dout = rng.normal(size=out.shape)
    layer.backward(dout)
    first = {k: g.copy() for k, g in layer.grads.items()}
    assert layer.backward(dout, need_dx=False) is None
    for k, g in layer.grads.items():
        np.testing.assert_array_equal(g, first[k])


def test_dh_holds_dl_dh_t_and_vanishes_with_small_recurrent_weights():
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, size=(8, 30, 1))
    norms = {}
    for gain in (0.5, 2.0):
        layer = RNN(1, 16, init=normal(gain / 4.0), seed=0)  # std = gain / sqrt(16)
        out = layer.forward(x)
        dout = rng.normal(size=out.shape)
        layer.backward(dout)
        np.testing.assert_array_equal(layer.dh[:, -1], dout)  # dL/dh_T is the output's gradient
        norms[gain] = np.linalg.norm(layer.dh, axis=2).mean(axis=0)
    assert norms[0.5][0] < 1e-6 * norms[0.5][-1]  # vanishing going back 30 steps
    assert norms[2.0][0] > 10 * norms[2.0][-1]  # exploding


def test_rnn_remembers_the_first_input():
    X, y = recall_first(400, 8, seed=0)
    X_test, y_test = recall_first(200, 8, seed=1)
    model = Sequential([RNN(1, 16, seed=0), Linear(16, 2, seed=1)])
    train(model, Adam(0.01), X, y, epochs=5, seed=0)
    assert model.accuracy(X_test, y_test) >= 0.95


BAD = [
    ("2-D input", lambda: RNN(1, 4).forward(np.ones((5, 3))), ValueError,
     E("RNN expects sequences of shape (n, T, 1) (samples, time steps, features), "
       "got shape (5, 3)")),
    ("wrong feature count", lambda: RNN(2, 4).forward(np.ones((5, 3, 1))), ValueError,
     E("RNN expects sequences of shape (n, T, 2)")),
    ("hidden size 0", lambda: RNN(1, 0), ValueError, "hidden_size must be >= 1"),
    ("float input size", lambda: RNN(1.0, 3), TypeError, "input_size must be an integer"),
    ("unknown init", lambda: RNN(1, 3, init="zeros"), ValueError, "unknown initializer"),
]


@pytest.mark.parametrize("what, call, exc, match", BAD, ids=[c[0] for c in BAD])
def test_bad_input_raises_a_clear_error(what, call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_backward_with_wrong_dout_shape():
    layer = RNN(1, 4)
    layer.forward(np.ones((2, 3, 1)))
    message = E("RNN.backward expects dout of shape (2, 4), got (2, 3, 4)")
    with pytest.raises(ValueError, match=message):
        layer.backward(np.ones((2, 3, 4)))


# ---- GRU (slide 43): the gated RNN ---------------------------------------------------------

def gru_step(layer, x_t, h):
    """One GRU step written from the docstring's equations, for one sequence."""
    H = layer.hidden_size
    Wx, Wh, b = layer.params["Wx"], layer.params["Wh"], layer.params["b"]
    sig = lambda u: 1 / (1 + np.exp(-u))  # noqa: E731
    z = sig(Wx[:H] @ x_t + Wh[:H] @ h + b[:H])
    r = sig(Wx[H:2 * H] @ x_t + Wh[H:2 * H] @ h + b[H:2 * H])
    c = np.tanh(Wx[2 * H:] @ x_t + Wh[2 * H:] @ (r * h) + b[2 * H:])
    return (1 - z) * h + z * c


def test_gru_forward_is_the_step_formula():
    from dlcore.rnn import GRU
    rng = np.random.default_rng(5)
    layer = GRU(3, 4, return_sequences=True, seed=0)
    layer.params["b"][...] = rng.normal(size=12)
    x = rng.normal(size=(2, 5, 3))
    out = layer.forward(x)
    assert out.shape == (2, 5, 4)
    for s in range(2):
        h = np.zeros(4)
        for t in range(5):
            h = gru_step(layer, x[s, t], h)
            np.testing.assert_allclose(out[s, t], h, rtol=1e-12, atol=1e-14)
    last = GRU(3, 4, seed=0)
    last.params["b"][...] = layer.params["b"]
    np.testing.assert_allclose(last.forward(x), out[:, -1], rtol=1e-13)


def test_gru_shapes_and_update_bias():
    from dlcore.rnn import GRU
    layer = GRU(2, 5, update_bias=-3.0, seed=0)
    assert {k: v.shape for k, v in layer.params.items()} == {
        "Wx": (15, 2), "Wh": (15, 5), "b": (15,)}
    np.testing.assert_array_equal(layer.params["b"], np.r_[np.full(5, -3.0), np.zeros(10)])
    assert repr(layer) == "GRU(2 -> 5)"


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("T", [1, 6])
def test_gru_bptt_gradients(return_sequences, T):
    from dlcore.rnn import GRU
    rng = np.random.default_rng(6)
    layer = GRU(3, 4, return_sequences=return_sequences, seed=1)
    layer.params["b"][...] = 0.5 * rng.normal(size=12)
    assert_small(check_layer_gradients(layer, rng.normal(size=(2, T, 3))))


def test_gru_check_gradients_inside_sequential_and_dh():
    from dlcore.rnn import GRU
    x, y = recall_first(5, 7, seed=3)
    model = Sequential([GRU(1, 4, seed=0), Linear(4, 2, seed=1)])
    assert_small(check_gradients(model, x, y))
    model.loss(x, y)
    model.backward()
    assert model.layers[0].dh.shape == (5, 7, 4)


def test_gru_bad_input():
    from dlcore.rnn import GRU
    with pytest.raises(ValueError, match=E("GRU expects sequences of shape (n, T, 2)")):
        GRU(2, 3).forward(np.zeros((4, 5, 3)))
    layer = GRU(2, 3)
    layer.forward(np.zeros((4, 5, 2)))
    with pytest.raises(ValueError, match=E("GRU.backward expects dout of shape (4, 3)")):
        layer.backward(np.zeros((4, 5, 3)))
