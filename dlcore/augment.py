"""Data augmentation of small grey-scale images (slide 40: オーグメンテーション).

Slide 40 adds to the training data 回転した画像 (rotated), ずらした画像 (shifted) and
ノイズを入れた画像 (noisy) copies of every image. Each helper here works on a whole batch
of images of shape (n, h, w) at once -- no Python loop over the images -- and uses NumPy only.

    shift            integer pixel shifts, the uncovered border filled with 0
    rotate           rotation about the image centre, bilinear sampling of a rotated grid
    add_noise        Gaussian noise, clipped to the pixel range
    augment_dataset  the originals plus ``copies`` randomly rotated, shifted, noisy versions

The default pixel range (0, 16) is that of scikit-learn's 8x8 digits
(``dlcore.datasets.load_digits_split(standardize=False)``).
"""

import numbers

import numpy as np

from .checks import as_float_array, as_rng, check_in_range
from .datasets import DIGITS_MAX_PIXEL

__all__ = ["PIXEL_RANGE", "shift", "rotate", "add_noise", "augment_dataset"]

PIXEL_RANGE = (0.0, DIGITS_MAX_PIXEL)
"""(lowest, highest) pixel value of the 8x8 digits: 0 is background, 16 full ink."""


def _as_images(images):
    """``images`` as a float array of shape (n, h, w), with a clear error otherwise."""
    images = as_float_array(images, "images")
    if images.ndim != 3:
        raise ValueError(
            f"images must have shape (n, height, width), got {images.shape} "
            "(use X.reshape(-1, 8, 8) for flattened 8x8 digits, X[None] for one image)"
        )
    return images


def _per_image(value, n, name, integer=False):
    """A scalar or a length-n array as an array of shape (n,) (ints when ``integer``)."""
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be a number or an array of numbers, got {value!r}")
    if arr.ndim == 0:
        arr = np.full(n, arr)
    if arr.shape != (n,):
        raise ValueError(f"{name} must be a number or have shape ({n},), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if integer:
        if not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold whole pixels (integers), got {value!r}")
        return arr.astype(np.int64)
    return arr.astype(np.float64)


def _check_pixel_range(pixel_range):
    try:
        low, high = (float(v) for v in pixel_range)
    except (TypeError, ValueError):
        raise TypeError(f"pixel_range must be a pair (low, high), got {pixel_range!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"pixel_range must be finite with low < high, got {pixel_range!r}")
    return low, high


def _sample(images, rows, cols):
    """images[i, rows[i], cols[i]] at integer positions, 0 where a position is outside."""
    n, h, w = images.shape
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    idx = np.arange(n).reshape(n, *([1] * (rows.ndim - 1)))
    values = images[idx, np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1)]
    return np.where(inside, values, 0.0)


def shift(images, dx, dy=0):
    """Move every image by whole pixels: ``dx`` to the right, ``dy`` down (slide 40, ずらした画像).

    out[i, r, c] = images[i, r - dy_i, c - dx_i], and 0 where that pixel lies outside the
    image (the uncovered border is filled with background). ``dx`` and ``dy`` are integers,
    or integer arrays of shape (n,) giving each image its own shift. Negative values move
    left / up. Returns a new array of shape (n, h, w).
    """
    images = _as_images(images)
    n, h, w = images.shape
    dx = _per_image(dx, n, "dx", integer=True)
    dy = _per_image(dy, n, "dy", integer=True)
    rows = np.arange(h)[None, :, None] - dy[:, None, None]
    cols = np.arange(w)[None, None, :] - dx[:, None, None]
    return _sample(images, rows, cols)


def rotate(images, angle):
    """Rotate every image by ``angle`` degrees counter-clockwise about its centre (回転した画像).

    "Counter-clockwise" as the image is displayed (row 0 at the top, as ``plt.imshow``
    shows it). Each output pixel (r, c) looks up where it came from: with the centre
    (c_r, c_c) = ((h-1)/2, (w-1)/2), y = r - c_r and x = c - c_c,
        source row = c_r + x sin θ + y cos θ,   source column = c_c + x cos θ - y sin θ,
    and takes the bilinear interpolation of the four pixels around that point (pixels
    outside the image count as 0). ``angle`` is a number or an array of shape (n,).
    angle 0 returns the images unchanged; on a square image, 90° equals ``np.rot90``.
    Small angles (about ±15°) keep a digit readable.
    """
    images = _as_images(images)
    n, h, w = images.shape
    theta = np.deg2rad(_per_image(angle, n, "angle"))[:, None, None]
    cos, sin = np.cos(theta), np.sin(theta)
    centre_r, centre_c = (h - 1) / 2.0, (w - 1) / 2.0
    y = np.arange(h)[None, :, None] - centre_r
    x = np.arange(w)[None, None, :] - centre_c
    src_r = centre_r + x * sin + y * cos  # shape (n, h, w)
    src_c = centre_c + x * cos - y * sin
    # snap coordinates that are integers up to rounding error (e.g. cos 90° = 6e-17)
    src_r = np.where(np.abs(src_r - np.round(src_r)) < 1e-9, np.round(src_r), src_r)
    src_c = np.where(np.abs(src_c - np.round(src_c)) < 1e-9, np.round(src_c), src_c)
    r0, c0 = np.floor(src_r).astype(np.int64), np.floor(src_c).astype(np.int64)
    fr, fc = src_r - r0, src_c - c0
    return ((1 - fr) * (1 - fc) * _sample(images, r0, c0)
            + (1 - fr) * fc * _sample(images, r0, c0 + 1)
            + fr * (1 - fc) * _sample(images, r0 + 1, c0)
            + fr * fc * _sample(images, r0 + 1, c0 + 1))


def add_noise(images, std, seed=None, pixel_range=PIXEL_RANGE):
    """Add Gaussian noise to every pixel and clip to ``pixel_range`` (ノイズを入れた画像).

    out = clip(images + std ε, low, high), ε ~ N(0, 1) independently for every pixel, drawn
    from ``seed`` (an int or a numpy Generator). ``std`` >= 0 is in pixel units (the digits
    run from 0 to 16). Works on any array shape; returns a new array.
    """
    images = as_float_array(images, "images")
    std = float(check_in_range(std, "noise std", 0.0, np.inf))
    low, high = _check_pixel_range(pixel_range)
    rng = as_rng(seed)
    return np.clip(images + std * rng.standard_normal(images.shape), low, high)


def augment_dataset(X, y, copies, seed=0, max_shift=1, max_angle=15.0, noise_std=1.0,
                    pixel_range=PIXEL_RANGE):
    """The training set plus ``copies`` augmented versions of every image (slide 40).

    Each copy of an image is rotated by an angle drawn uniformly from [-max_angle, max_angle]
    degrees, then shifted by whole pixels dx, dy drawn uniformly from -max_shift..max_shift,
    then given Gaussian noise of standard deviation ``noise_std`` (clipped to ``pixel_range``).
    A copy keeps the label of its original.

    X: images of shape (n, h, w), or flattened square images of shape (n, h*h) -- the result
    has the same layout. y: labels of shape (n,). Returns (X_aug, y_aug) with (copies + 1) n
    samples: the n originals first, then copy 1 of every image, copy 2, and so on.
    Seeded: the same ``seed`` gives the same arrays. ``copies=0`` returns copies of X and y.
    """
    X = as_float_array(X, "X")
    flat = X.ndim == 2
    if flat:
        side = int(round(np.sqrt(X.shape[1])))
        if side * side != X.shape[1]:
            raise ValueError(
                f"flattened X must hold square images (h*h pixels), got {X.shape[1]} pixels")
        images = X.reshape(-1, side, side)
    else:
        images = _as_images(X)
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != images.shape[0]:
        raise ValueError(f"y must have shape ({images.shape[0]},), got {y.shape}")
    if not isinstance(copies, numbers.Integral) or isinstance(copies, bool):
        raise TypeError(f"copies must be an integer, got {copies!r}")
    if copies < 0:
        raise ValueError(f"copies must be >= 0, got {copies}")
    if not isinstance(max_shift, numbers.Integral) or isinstance(max_shift, bool):
        raise TypeError(f"max_shift must be an integer number of pixels, got {max_shift!r}")
    if max_shift < 0:
        raise ValueError(f"max_shift must be >= 0, got {max_shift}")
    max_angle = float(check_in_range(max_angle, "max_angle", 0.0, 180.0, high_inclusive=True))
    check_in_range(noise_std, "noise_std", 0.0, np.inf)
    _check_pixel_range(pixel_range)
    rng = as_rng(seed)

    n = images.shape[0]
    total = copies * n
    originals = np.tile(images, (copies, 1, 1))  # copy k of image i sits at k * n + i
    angles = rng.uniform(-max_angle, max_angle, size=total)
    dx = rng.integers(-max_shift, max_shift + 1, size=total)
    dy = rng.integers(-max_shift, max_shift + 1, size=total)
    new = add_noise(shift(rotate(originals, angles), dx, dy), noise_std, rng, pixel_range) \
        if total else originals
    X_aug = np.concatenate([images, new])
    y_aug = np.tile(y, copies + 1)
    return (X_aug.reshape(X_aug.shape[0], -1) if flat else X_aug), y_aug
