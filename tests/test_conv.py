"""dlcore.conv (slide 42): im2col / col2im, Conv2D, MaxPool2D, Flatten.

Gradients against central differences in float64 (relative error <= 1e-7), the matrix form
against a plain sliding-window loop, shapes, and clear errors for bad input.
"""

import re

import numpy as np
import pytest
from gradient_asserts import assert_small

from dlcore.conv import Conv2D, Flatten, MaxPool2D, col2im, conv_output_size, im2col
from dlcore.gradcheck import (
    check_gradients,
    check_layer_gradients,
)
from dlcore.layers import Linear, ReLU
from dlcore.network import Sequential

E = re.escape


def conv_by_loops(x, W, b, stride, pad):
    """The sliding window written out: the definition the fast version must match."""
    n, c, h, w = x.shape
    out_ch, _, kh, kw = W.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (w + 2 * pad - kw) // stride + 1
    u = np.zeros((n, out_ch, oh, ow))
    for s in range(n):
        for o in range(out_ch):
            for i in range(oh):
                for j in range(ow):
                    window = xp[s, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    u[s, o, i, j] = np.sum(window * W[o]) + b[o]
    return u


# --- im2col / col2im -------------------------------------------------------------------------


@pytest.mark.parametrize("size, kernel, stride, pad, expected",
                         [(8, 3, 1, 1, 8), (8, 3, 1, 0, 6), (7, 3, 2, 0, 3), (5, 5, 1, 0, 1),
                          (4, 2, 2, 0, 2)])
def test_conv_output_size(size, kernel, stride, pad, expected):
    assert conv_output_size(size, kernel, stride, pad) == expected


def test_im2col_shape_and_rows():
    x = np.arange(2 * 3 * 4 * 5, dtype=float).reshape(2, 3, 4, 5)
    cols = im2col(x, 2, 3, stride=1, pad=0)
    assert cols.shape == (2 * 3 * 3, 3 * 2 * 3)
    # row (s=1, i=2, j=1) is the window x[1, :, 2:4, 1:4] flattened in (c, p, q) order
    np.testing.assert_array_equal(cols[1 * 9 + 2 * 3 + 1], x[1, :, 2:4, 1:4].reshape(-1))


def test_im2col_with_padding_has_zero_border():
    x = np.ones((1, 1, 3, 3))
    cols = im2col(x, 3, 3, pad=1)
    assert cols.shape == (9, 9)
    # the top-left window sees 4 image pixels and 5 zeros of the padding
    assert cols[0].sum() == 4 and cols[4].sum() == 9


@pytest.mark.parametrize("stride, pad", [(1, 0), (1, 1), (2, 1), (2, 0), (3, 2)])
def test_col2im_is_the_transpose_of_im2col(stride, pad):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 6, 7))
    cols = im2col(x, 3, 2, stride, pad)
    C = rng.normal(size=cols.shape)
    # <im2col(x), C> = <x, col2im(C)>
    assert np.sum(cols * C) == pytest.approx(np.sum(x * col2im(C, x.shape, 3, 2, stride, pad)),
                                            rel=1e-12)


# --- Conv2D ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stride, pad", [(1, 0), (1, 1), (2, 1), (2, 0)])
def test_conv2d_matches_the_sliding_window_loop(stride, pad):
    rng = np.random.default_rng(1)
    layer = Conv2D(2, 3, 3, stride=stride, pad=pad, seed=0)
    layer.params["b"][...] = rng.normal(size=3)
    x = rng.normal(size=(2, 2, 6, 5))
    expected = conv_by_loops(x, layer.params["W"], layer.params["b"], stride, pad)
    out = layer.forward(x)
    assert out.shape == expected.shape == (2, 3) + layer.output_shape(6, 5)[1:]
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel, stride, pad", [(3, 1, 0), (3, 1, 1), ((3, 2), 2, 1),
                                                 ((2, 3), 2, 0), (1, 1, 0)])
def test_conv2d_gradients(kernel, stride, pad):
    rng = np.random.default_rng(2)
    layer = Conv2D(2, 3, kernel, stride=stride, pad=pad, seed=0)
    layer.params["b"][...] = rng.normal(size=3)
    errors = check_layer_gradients(layer, rng.normal(size=(2, 2, 5, 6)))
    assert set(errors) == {"x", "W", "b"}
    assert_small(errors)


def test_conv2d_params_shapes_and_he_scale():
    layer = Conv2D(3, 16, 5, seed=0)
    assert layer.params["W"].shape == (16, 3, 5, 5)
    assert layer.params["b"].shape == (16,)
    assert set(layer.grads) == {"W", "b"}
    # He: std = sqrt(2 / fan_in) with fan_in = 3 * 5 * 5
    assert layer.params["W"].std() == pytest.approx(np.sqrt(2 / 75), rel=0.15)
    assert "Conv2D(3 -> 16, 5x5" in repr(layer)


def test_conv2d_need_dx_false_still_fills_grads():
    rng = np.random.default_rng(3)
    layer = Conv2D(1, 2, 3, pad=1, seed=0)
    out = layer.forward(rng.normal(size=(2, 1, 4, 4)))
    assert layer.backward(np.ones_like(out), need_dx=False) is None
    np.testing.assert_allclose(layer.grads["b"], [32.0, 32.0])


def test_conv2d_is_translation_equivariant():
    # Shifting the image shifts the feature map (slide 42: 移動不変性): same filter everywhere.
    rng = np.random.default_rng(4)
    layer = Conv2D(1, 2, 3, seed=0)
    x = np.zeros((1, 1, 10, 10))
    x[0, 0, 2:5, 2:6] = rng.normal(size=(3, 4))
    shifted = np.roll(x, (2, 2), axis=(2, 3))
    out, out_shifted = layer.forward(x), layer.forward(shifted)
    np.testing.assert_allclose(np.roll(out, (2, 2), axis=(2, 3)), out_shifted, atol=1e-12)


# --- MaxPool2D and Flatten ------------------------------------------------------------------


def test_maxpool_forward_values():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    out = MaxPool2D(2).forward(x)
    np.testing.assert_array_equal(out, [[[[5, 7], [13, 15]]]])


@pytest.mark.parametrize("size, stride, shape", [(2, None, (2, 3, 4, 6)), (2, None, (1, 2, 5, 5)),
                                                 (3, 1, (2, 2, 5, 4)), (2, 1, (1, 1, 4, 4))])
def test_maxpool_gradients(size, stride, shape):
    x = np.random.default_rng(5).normal(size=shape)  # continuous values: no ties
    assert_small(check_layer_gradients(MaxPool2D(size, stride), x))


def test_maxpool_gradient_goes_to_the_maximum_only():
    x = np.array([[[[1.0, 3.0], [2.0, 0.0]]]])
    pool = MaxPool2D(2)
    pool.forward(x)
    np.testing.assert_array_equal(pool.backward(np.array([[[[5.0]]]])), [[[[0, 5], [0, 0]]]])


def test_flatten_round_trip():
    x = np.random.default_rng(6).normal(size=(3, 2, 4, 4))
    layer = Flatten()
    out = layer.forward(x)
    assert out.shape == (3, 32)
    np.testing.assert_array_equal(layer.backward(out), x)
    assert_small(check_layer_gradients(layer, x))


# --- a small CNN ----------------------------------------------------------------------------


def small_cnn(seed=0):
    rng = np.random.default_rng(seed)
    return Sequential([Conv2D(1, 3, 3, pad=1, seed=rng), ReLU(), MaxPool2D(2), Flatten(),
                       Linear(3 * 2 * 2, 4, seed=rng)])


def test_cnn_check_gradients_every_parameter():
    rng = np.random.default_rng(7)
    model = small_cnn()
    model.layers[0].params["b"][...] = rng.normal(size=3) * 0.1
    X = rng.normal(size=(5, 1, 4, 4))
    errors = check_gradients(model, X, np.array([0, 1, 2, 3, 1]))
    assert set(errors) == {"0.W", "0.b", "4.W", "4.b"}
    assert_small(errors)


def test_cnn_learns_a_tiny_image_task():
    # vertical vs horizontal bars at random positions: a 3x3 filter finds them anywhere
    from dlcore.optimizers import Adam
    from dlcore.training import train

    rng = np.random.default_rng(8)
    n = 200
    X = rng.normal(0, 0.1, size=(n, 1, 4, 4))
    y = np.arange(n) % 2
    pos = rng.integers(0, 4, size=n)
    for k in np.flatnonzero(y == 0):
        X[k, 0, :, pos[k]] += 1.0
    for k in np.flatnonzero(y == 1):
        X[k, 0, pos[k], :] += 1.0
    model = small_cnn(seed=1)
    model.layers[-1] = Linear(12, 2, seed=2)
    train(model, Adam(0.01), X, y, epochs=15, seed=0)
    assert model.accuracy(X, y) >= 0.95


# --- bad input --------------------------------------------------------------------------------

BAD = [
    ("2-D input to Conv2D", lambda: Conv2D(1, 2, 3).forward(np.ones((4, 64))), ValueError,
     E("Conv2D expects images of shape (n, channels, height, width), got shape (4, 64)")
     + ".*reshape"),
    ("wrong number of channels", lambda: Conv2D(3, 2, 3).forward(np.ones((2, 1, 8, 8))),
     ValueError, E("Conv2D expects 3 input channels, got 1") + ".*" + E("(2, 3, 3, 3)")),
    ("kernel larger than the image", lambda: Conv2D(1, 2, 5).forward(np.ones((1, 1, 3, 3))),
     ValueError, E("the kernel (5) is larger than the padded input (3 + 2*0)")),
    ("kernel size 0", lambda: Conv2D(1, 2, 0), ValueError, "kernel_size must be >= 1"),
    ("kernel size as a list", lambda: Conv2D(1, 2, [3, 3]), TypeError,
     "kernel_size must be an int or a pair"),
    ("negative padding", lambda: Conv2D(1, 2, 3, pad=-1), ValueError, "pad must be >= 0"),
    ("stride 0", lambda: Conv2D(1, 2, 3, stride=0), ValueError, "stride must be >= 1"),
    ("float channels", lambda: Conv2D(1.5, 2, 3), TypeError, "in_channels must be an integer"),
    ("pool larger than the image", lambda: MaxPool2D(3).forward(np.ones((1, 1, 2, 2))),
     ValueError, E("MaxPool2D of size 3 needs images of at least 3x3 pixels, got 2x2")),
    ("3-D input to MaxPool2D", lambda: MaxPool2D(2).forward(np.ones((2, 4, 4))), ValueError,
     E("MaxPool2D expects images of shape (n, channels, height, width), got shape (2, 4, 4)")),
    ("1-D input to Flatten", lambda: Flatten().forward(np.ones(3)), ValueError,
     E("Flatten expects a batch of shape (n, ...), got shape (3,)")),
    ("col2im with the wrong cols", lambda: col2im(np.ones((5, 9)), (1, 1, 4, 4), 3, 3),
     ValueError, E("cols has shape (5, 9) but x_shape (1, 1, 4, 4) needs (4, 9)")),
    ("im2col on a list", lambda: im2col([[1.0]], 1, 1), ValueError, "im2col expects images"),
]


@pytest.mark.parametrize("what, call, exc, match", BAD, ids=[c[0] for c in BAD])
def test_bad_input_raises_a_clear_error(what, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
