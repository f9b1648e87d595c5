"""Convolution and pooling layers for images (slide 42: 畳み込みネットワーク).

Images come as 4-D batches x of shape (n, c, h, w): n samples, c channels, h x w pixels.
A convolution slides a small filter over the image, so every output pixel sees only a
neighbourhood of the input (locality), and the same filter is used at every position
(translation invariance, 移動不変性; the slide writes 移動普遍性).

The layers follow the protocol of ``dlcore.layers``: ``forward(x, train=True)``,
``backward(dout, need_dx=True)``, and ``params`` / ``grads`` dicts with the same keys.
``im2col`` turns the sliding window into one matrix product; it loops only over the
kh x kw offsets of the filter, never over samples or positions.
"""

import numbers
from types import MappingProxyType

import numpy as np

from .checks import as_rng, check_positive_int
from .initializers import get_initializer
from .layers import require_forward


def _pair(value, name):
    """An int k or a pair (kh, kw) of positive ints, returned as a tuple (kh, kw)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value, value)
    if not (isinstance(value, tuple) and len(value) == 2):
        raise TypeError(f"{name} must be an int or a pair of ints (kh, kw), got {value!r}")
    return tuple(check_positive_int(v, name) for v in value)


def _check_pad(pad):
    if not isinstance(pad, numbers.Integral) or isinstance(pad, bool):
        raise TypeError(f"pad must be an integer, got {pad!r}")
    if pad < 0:
        raise ValueError(f"pad must be >= 0, got {pad}")
    return int(pad)


def _check_images(x, what):
    """x must be a 4-D float array (n, c, h, w)."""
    if not isinstance(x, np.ndarray) or x.ndim != 4:
        shape = getattr(x, "shape", None)
        raise ValueError(
            f"{what} expects images of shape (n, channels, height, width), got shape {shape} "
            "(for 8x8 digits use X.reshape(-1, 1, 8, 8))"
        )


def conv_output_size(size, kernel, stride=1, pad=0):
    """Output length of a sliding window: out = (size + 2 pad - kernel) // stride + 1 (slide 42).

    Raises a ValueError when the (padded) input is smaller than the kernel.
    """
    size = check_positive_int(size, "size")
    kernel = check_positive_int(kernel, "kernel")
    stride = check_positive_int(stride, "stride")
    pad = _check_pad(pad)
    if size + 2 * pad < kernel:
        raise ValueError(
            f"the kernel ({kernel}) is larger than the padded input ({size} + 2*{pad}); "
            "use a smaller kernel or more padding"
        )
    return (size + 2 * pad - kernel) // stride + 1


def im2col(x, kh, kw, stride=1, pad=0):
    """Every kh x kw window of the images x as one row of a matrix (slide 42).

    x has shape (n, c, h, w). With oh = (h + 2 pad - kh) // stride + 1 (ow likewise) the
    result has shape (n * oh * ow, c * kh * kw); row (s, i, j) holds the window
        cols[(s, i, j), (ch, p, q)] = x_pad[s, ch, i * stride + p, j * stride + q],
    flattened in the same (ch, p, q) order as a filter W[o] of shape (c, kh, kw). A
    convolution then is ONE matrix product: u = cols @ W.reshape(out_ch, -1).T.
    Loops only over the kh * kw offsets (p, q); each copies a whole strided slice.
    """
    _check_images(x, "im2col")
    n, c, h, w = x.shape
    oh = conv_output_size(h, kh, stride, pad)
    ow = conv_output_size(w, kw, stride, pad)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))) if pad else x
    # cols[s, i, j, ch, p, q]; the final reshape to 2-D then needs no copy
    cols = np.empty((n, oh, ow, c, kh, kw), dtype=x.dtype)
    for p in range(kh):
        for q in range(kw):
            window = xp[:, :, p:p + stride * oh:stride, q:q + stride * ow:stride]
            cols[..., p, q] = window.transpose(0, 2, 3, 1)
    return cols.reshape(n * oh * ow, c * kh * kw)


def col2im(cols, x_shape, kh, kw, stride=1, pad=0):
    """The transpose (adjoint) of ``im2col``: adds each row back onto its window (slide 42).

    cols has shape (n * oh * ow, c * kh * kw); the result has shape x_shape = (n, c, h, w).
    A pixel covered by several windows receives the SUM of their entries, which is exactly
    dL/dx when cols holds dL/dcols (the backward pass of a convolution):
        Σ ⟨im2col(x), C⟩ = Σ ⟨x, col2im(C)⟩ for all x and C.
    """
    if len(x_shape) != 4:
        raise ValueError(f"x_shape must be (n, c, h, w), got {x_shape}")
    n, c, h, w = x_shape
    oh = conv_output_size(h, kh, stride, pad)
    ow = conv_output_size(w, kw, stride, pad)
    expected = (n * oh * ow, c * kh * kw)
    if cols.shape != expected:
        raise ValueError(
            f"cols has shape {cols.shape} but x_shape {tuple(x_shape)} needs {expected}")
    cols6 = cols.reshape(n, oh, ow, c, kh, kw)
    xp = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dtype=cols.dtype)
    for p in range(kh):
        for q in range(kw):
            window = xp[:, :, p:p + stride * oh:stride, q:q + stride * ow:stride]
            window += cols6[..., p, q].transpose(0, 3, 1, 2)
    return xp[:, :, pad:pad + h, pad:pad + w]


class Conv2D:
    """2-D convolution layer (slide 42), as in every deep-learning library.

    u[s, o, i, j] = Σ_{ch, p, q} W[o, ch, p, q] · x_pad[s, ch, i·stride + p, j·stride + q] + b[o]
    with W of shape (out_channels, in_channels, kh, kw) and b of shape (out_channels,).
    (Strictly, this is a cross-correlation: the filter is not flipped. Since W is learned,
    the two are the same model.) Computed as u = im2col(x) W_col^T + b, W_col = W.reshape(out, -1).
    Backward, with dU_col = dout as a (n·oh·ow, out) matrix:
        dL/dW = dU_col^T im2col(x),  dL/db = Σ dU_col,  dL/dx = col2im(dU_col W_col).
    ``init`` ("he", "xavier" or normal(std)) uses fan_in = in_channels · kh · kw.
    """

    cols = None  # the input as im2col rows, kept by forward

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, pad=0, init="he",
                 seed=None):
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kh, self.kw = _pair(kernel_size, "kernel_size")
        self.stride = check_positive_int(stride, "stride")
        self.pad = _check_pad(pad)
        rng = as_rng(seed)
        fan_in = self.in_channels * self.kh * self.kw
        W = get_initializer(init)((self.out_channels, fan_in), rng)
        self.params = {
            "W": W.reshape(self.out_channels, self.in_channels, self.kh, self.kw),
            "b": np.zeros(self.out_channels),
        }
        self.grads = {name: np.zeros_like(p) for name, p in self.params.items()}

    def output_shape(self, h, w):
        """(out_channels, oh, ow) for an input image of h x w pixels."""
        return (self.out_channels, conv_output_size(h, self.kh, self.stride, self.pad),
                conv_output_size(w, self.kw, self.stride, self.pad))

    def forward(self, x, train=True):
        _check_images(x, "Conv2D")
        n, c, h, w = x.shape
        if c != self.in_channels:
            raise ValueError(
                f"Conv2D expects {self.in_channels} input channels, got {c} "
                f"(input shape {x.shape}, W has shape {self.params['W'].shape})"
            )
        _, oh, ow = self.output_shape(h, w)
        self.x_shape = x.shape
        self.cols = im2col(x, self.kh, self.kw, self.stride, self.pad)
        u = self.cols @ self.params["W"].reshape(self.out_channels, -1).T
        u += self.params["b"]
        return u.reshape(n, oh, ow, self.out_channels).transpose(0, 3, 1, 2)

    def backward(self, dout, need_dx=True):
        require_forward(self, self.cols)
        d = dout.transpose(0, 2, 3, 1).reshape(-1, self.out_channels)  # (n*oh*ow, out)
        W_col = self.params["W"].reshape(self.out_channels, -1)
        self.grads["W"][...] = (d.T @ self.cols).reshape(self.params["W"].shape)
        self.grads["b"][...] = d.sum(axis=0)
        if not need_dx:
            return None
        return col2im(d @ W_col, self.x_shape, self.kh, self.kw, self.stride, self.pad)

    def __repr__(self):
        return (f"Conv2D({self.in_channels} -> {self.out_channels}, {self.kh}x{self.kw}, "
                f"stride={self.stride}, pad={self.pad})")


class MaxPool2D:
    """Max pooling (slide 42): the largest value of each size x size window, per channel.

    o[s, ch, i, j] = max_{p, q < size} x[s, ch, i·stride + p, j·stride + q], stride = size
    by default (windows do not overlap). A small shift of the input often leaves the maximum
    unchanged, which adds some invariance to small translations. Backward: the gradient goes
    only to the position of each maximum, dL/dx = dout there and 0 elsewhere.
    """

    argmax = None  # where each maximum was, kept by forward

    params = MappingProxyType({})
    grads = MappingProxyType({})

    def __init__(self, size=2, stride=None):
        self.size = check_positive_int(size, "pool size")
        self.stride = self.size if stride is None else check_positive_int(stride, "stride")

    def forward(self, x, train=True):
        _check_images(x, "MaxPool2D")
        n, c, h, w = x.shape
        if h < self.size or w < self.size:
            raise ValueError(f"MaxPool2D of size {self.size} needs images of at least "
                             f"{self.size}x{self.size} pixels, got {h}x{w}")
        oh = conv_output_size(h, self.size, self.stride)
        ow = conv_output_size(w, self.size, self.stride)
        self.x_shape = x.shape
        cols = im2col(x.reshape(n * c, 1, h, w), self.size, self.size, self.stride)
        self.argmax = cols.argmax(axis=1)
        out = cols[np.arange(cols.shape[0]), self.argmax]
        return out.reshape(n, c, oh, ow)

    def backward(self, dout, need_dx=True):
        require_forward(self, self.argmax)
        if not need_dx:
            return None
        n, c, h, w = self.x_shape
        dcols = np.zeros((self.argmax.shape[0], self.size * self.size), dtype=dout.dtype)
        dcols[np.arange(dcols.shape[0]), self.argmax] = dout.reshape(-1)
        dx = col2im(dcols, (n * c, 1, h, w), self.size, self.size, self.stride)
        return dx.reshape(self.x_shape)

    def __repr__(self):
        return f"MaxPool2D(size={self.size}, stride={self.stride})"


class Flatten:
    """Flatten each sample to one vector, (n, c, h, w) -> (n, c·h·w), so a Linear layer can
    follow a convolution (slide 42). Backward reshapes dout back to the input's shape."""

    params = MappingProxyType({})
    grads = MappingProxyType({})
    x_shape = None  # kept by forward

    def forward(self, x, train=True):
        if x.ndim < 2:
            raise ValueError(f"Flatten expects a batch of shape (n, ...), got shape {x.shape}")
        self.x_shape = x.shape
        return x.reshape(x.shape[0], -1).copy()  # a new array, as every layer returns

    def backward(self, dout, need_dx=True):
        require_forward(self, self.x_shape)
        return dout.reshape(self.x_shape) if need_dx else None

    def __repr__(self):
        return "Flatten()"


__all__ = ["conv_output_size", "im2col", "col2im", "Conv2D", "MaxPool2D", "Flatten"]
