"""Datasets of the course: logic gates, 2-D toy problems, slide 37's cubic, digits, MNIST.

Everything runs offline. Random datasets take a ``seed`` (an int or a numpy Generator), so the
same seed always gives the same arrays. Classification data comes back as a float64 matrix X
of shape (n, d) and int64 labels y of shape (n,).

    logic_gate, xor             the four points of AND / OR / NAND / XOR (slides 4-10)
    make_moons, make_circles,   2-D toy problems for the playground of notebook 07; all live
    make_spirals,               roughly in [-1.5, 1.5]^2 and share the signature
    make_xor_points,            (n=200, noise=0.1, seed=0)
    make_gaussians
    cubic_with_noise            slide 37's "3次式+ノイズ" for polynomial fitting (slides 37-39)
    load_digits_split           scikit-learn's 8x8 digits, stratified train/val/test split
    load_mnist                  reads MNIST files that a user put into data/ (never downloads)
"""

import gzip
import numbers
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .checks import as_float_array, as_rng, check_in_range, check_positive_int

__all__ = [
    "GATE_POINTS", "logic_gate", "xor",
    "make_moons", "make_circles", "make_spirals", "spiral_arm", "make_xor_points",
    "make_gaussians", "PLAYGROUND_DATASETS", "make_2d_dataset",
    "true_cubic", "cubic_with_noise",
    "Split", "load_digits_split",
    "DATA_DIR", "MNIST_FILES", "load_mnist",
]


# --- helpers ---------------------------------------------------------------------------------

MAX_SAMPLES = 10**6  # a toy data set larger than this is a mistake (and hundreds of MB)


def _check_n(n, minimum=2, name="n", maximum=MAX_SAMPLES):
    """``n`` as an int, raising unless ``minimum <= n <= maximum``."""
    if isinstance(n, numbers.Integral) and not isinstance(n, bool):
        if n < minimum:
            raise ValueError(f"{name} must be an integer >= {minimum}, got {n}")
        if n > maximum:
            raise ValueError(f"{name} must be at most {maximum:,}, got {n:,}")
    return check_positive_int(n, name)


def _check_noise(noise):
    """``noise`` as a float, raising unless it is a finite number >= 0."""
    return float(check_in_range(noise, "noise", 0, np.inf))


def _sklearn_random_state(seed):
    """An int ``random_state`` for scikit-learn from our ``seed`` (int or Generator).

    An int seed in [0, 2^32) is passed on unchanged (so seed=0 means random_state=0); a
    Generator (or a larger int) gives an int drawn from it.
    """
    rng = as_rng(seed)  # also checks the type of seed
    if isinstance(seed, numbers.Integral) and 0 <= seed < 2**32:
        return int(seed)
    return int(rng.integers(2**32, dtype=np.uint64))


def _check_name(name, choices, what):
    """Lower-case ``name`` and check that it is one of ``choices``."""
    if not isinstance(name, str):
        raise TypeError(f"{what} name must be a string, got {name!r}")
    key = name.strip().lower()
    if key not in choices:
        raise ValueError(
            f"unknown {what} {name!r}; valid names are {', '.join(map(repr, choices))}"
        )
    return key


# --- logic gates (slides 4-10) ---------------------------------------------------------------

GATE_POINTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
"""The four inputs (x1, x2) of a two-input gate, in the order of a truth table."""

_GATE_OUTPUTS = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "xor": (0, 1, 1, 0),
}


def logic_gate(name):
    """Truth table of a two-input gate (slides 4-10): X of shape (4, 2), y of shape (4,).

    X rows are (0,0), (0,1), (1,0), (1,1); y is the gate's output for each row:
    AND = x1 x2, OR = x1 + x2 - x1 x2, NAND = 1 - x1 x2, XOR = x1 + x2 - 2 x1 x2.
    ``name`` is one of "and", "or", "nand", "xor" (case-insensitive).
    """
    key = _check_name(name, tuple(_GATE_OUTPUTS), "logic gate")
    return GATE_POINTS.copy(), np.array(_GATE_OUTPUTS[key], dtype=np.int64)


def xor():
    """The XOR truth table, ``logic_gate("xor")``: not linearly separable (slide 6)."""
    return logic_gate("xor")


# --- 2-D toy problems (the playground of notebook 07) ----------------------------------------

MOONS_SHIFT = np.array([0.5, 0.25])
"""Subtracted from scikit-learn's moons so that they are centred on the origin."""
MOONS_SCALE = 0.8
"""Factor applied to the centred moons, leaving room for the jitter inside [-1.5, 1.5]^2."""


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, centred on the origin: x in [-1.2, 1.2], y in ±0.6.

    Class 0: s((cos θ, sin θ) - c); class 1: s((1 - cos θ, 0.5 - sin θ) - c), θ in [0, π],
    with c = MOONS_SHIFT = (0.5, 0.25) and s = MOONS_SCALE = 0.8; plus Gaussian jitter of
    standard deviation ``noise`` (in these final coordinates, as for the other datasets).
    Wraps ``sklearn.datasets.make_moons`` (with ``random_state`` derived from ``seed``).
    """
    from sklearn.datasets import make_moons as sk_make_moons

    n, noise = _check_n(n), _check_noise(noise)
    X, y = sk_make_moons(n_samples=n, noise=noise / MOONS_SCALE,
                         random_state=_sklearn_random_state(seed))
    return MOONS_SCALE * (X - MOONS_SHIFT), y.astype(np.int64)


def make_circles(n=200, noise=0.1, factor=0.5, seed=0):
    """A circle of class 1 (radius ``factor``) inside a circle of class 0 (radius 1).

    Points (r cos θ, r sin θ) with θ evenly spread, plus Gaussian jitter of standard deviation
    ``noise``; ``factor`` must be in [0, 1). Wraps ``sklearn.datasets.make_circles``.
    """
    from sklearn.datasets import make_circles as sk_make_circles

    n, noise = _check_n(n), _check_noise(noise)
    factor = float(check_in_range(factor, "factor", 0, 1))
    X, y = sk_make_circles(n_samples=n, noise=noise, factor=factor,
                           random_state=_sklearn_random_state(seed))
    return X.astype(np.float64), y.astype(np.int64)


SPIRAL_RADII = (0.15, 1.2)
"""Radius of every spiral arm at its start (t = 0) and end (t = 1)."""
SPIRAL_TURNS = 1.75
"""Number of turns each spiral arm makes between t = 0 and t = 1."""


def spiral_arm(t, k, n_classes=2):
    """Points on arm ``k`` of ``n_classes`` interleaved spirals, at parameters t in [0, 1].

    r(t) = r0 + (r1 - r0) t,  θ(t) = 2π (SPIRAL_TURNS t + k / n_classes),
    point = (r cos θ, r sin θ), with (r0, r1) = SPIRAL_RADII. Arm k is arm 0 rotated by
    2πk / n_classes. ``t`` and ``k`` broadcast; the result has shape (..., 2).
    """
    t = np.asarray(t, dtype=np.float64)
    r0, r1 = SPIRAL_RADII
    r = r0 + (r1 - r0) * t
    theta = 2.0 * np.pi * (SPIRAL_TURNS * t + np.asarray(k) / n_classes)
    return np.stack([r * np.cos(theta), r * np.sin(theta)], axis=-1)


def make_spirals(n=200, noise=0.1, n_classes=2, seed=0):
    """``n_classes`` interleaved spiral arms, one class each (see ``spiral_arm``).

    Sample i belongs to class i mod n_classes (classes differ in size by at most one) and
    sits at a uniformly random t in [0, 1] on its arm, plus Gaussian jitter of standard
    deviation ``noise``. Radius at most 1.2 before the jitter.
    """
    n_classes = _check_n(n_classes, 2, "n_classes")
    n, noise = _check_n(n, n_classes), _check_noise(noise)
    rng = as_rng(seed)
    y = np.arange(n, dtype=np.int64) % n_classes
    t = rng.uniform(0.0, 1.0, size=n)
    X = spiral_arm(t, y, n_classes) + noise * rng.standard_normal((n, 2))
    return X, y


def make_xor_points(n=200, noise=0.1, seed=0):
    """XOR in the plane: uniform points in [-1, 1]^2, label 1 where x1 and x2 differ in sign.

    y = [x1 > 0] XOR [x2 > 0], i.e. the XOR gate on the signs (quadrants I and III are
    class 0, II and IV class 1). The labels come from the clean points; then Gaussian jitter
    of standard deviation ``noise`` moves the points, so some cross the axes.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = as_rng(seed)
    clean = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = ((clean[:, 0] > 0) != (clean[:, 1] > 0)).astype(np.int64)
    return clean + noise * rng.standard_normal((n, 2)), y


GAUSSIAN_CENTERS = np.array([[-0.6, -0.6], [0.6, 0.6]])
"""Centres of the two blobs of ``make_gaussians``: class 0, class 1."""
GAUSSIAN_BASE_STD = 0.2
"""Spread of each blob at noise = 0; the standard deviation is GAUSSIAN_BASE_STD + noise."""


def make_gaussians(n=200, noise=0.1, seed=0):
    """Two Gaussian blobs, class k around GAUSSIAN_CENTERS[k] = ±(0.6, 0.6).

    x = center_y + s ε, ε ~ N(0, I), with s = GAUSSIAN_BASE_STD + noise: more noise means
    wider blobs that overlap more. Sample i belongs to class i mod 2.
    """
    n, noise = _check_n(n), _check_noise(noise)
    rng = as_rng(seed)
    y = np.arange(n, dtype=np.int64) % 2
    X = GAUSSIAN_CENTERS[y] + (GAUSSIAN_BASE_STD + noise) * rng.standard_normal((n, 2))
    return X, y


PLAYGROUND_DATASETS = {
    "circle": make_circles,
    "xor": make_xor_points,
    "gaussian": make_gaussians,
    "spiral": make_spirals,
    "moons": make_moons,
}
"""The 2-D datasets of the playground widget, by name; each is called as f(n, noise, seed)."""


def make_2d_dataset(name, n=200, noise=0.1, seed=0):
    """The playground dataset ``name`` (a key of PLAYGROUND_DATASETS): X (n, 2), y (n,)."""
    key = _check_name(name, tuple(PLAYGROUND_DATASETS), "dataset")
    return PLAYGROUND_DATASETS[key](n=n, noise=noise, seed=seed)


# --- slide 37: cubic + noise ------------------------------------------------------------------

CUBIC_COEFFICIENTS = (0.5, -1.5, -1.0, 2.0)
"""Coefficients (c0, c1, c2, c3) of ``true_cubic``, lowest degree first."""


def true_cubic(x):
    """The true curve of slide 37: f(x) = 2x^3 - x^2 - 1.5x + 0.5.

    On [-1, 1] it rises to about 0.82 near x = -0.36, falls to about -0.35 near x = 0.69,
    and runs from f(-1) = -1 to f(1) = 0: a shape a line cannot follow but a cubic can.
    """
    x = np.asarray(x, dtype=np.float64)
    c0, c1, c2, c3 = CUBIC_COEFFICIENTS
    return c0 + x * (c1 + x * (c2 + x * c3))


def cubic_with_noise(n=20, noise=0.2, seed=0, x_range=(-1.0, 1.0)):
    """Slide 37's "3次式+ノイズ": n noisy samples (x, t) of ``true_cubic``.

    Returns two arrays of shape (n,): x, sorted, and t = true_cubic(x) + noise ε with
    ε ~ N(0, 1). x_range is cut into n equal bins and each bin gets one uniformly random x,
    so there are no large gaps. With n = 20, a degree-3 polynomial fits the curve well, while
    degree 15 passes near every sample and swings far away between them (overfitting).
    """
    n, noise = _check_n(n, 1), _check_noise(noise)
    try:
        low, high = (float(v) for v in x_range)
    except (TypeError, ValueError):
        raise TypeError(
            f"x_range must be a pair of numbers (low, high), got {x_range!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"x_range must be finite with low < high, got {x_range!r}")
    rng = as_rng(seed)
    x = low + (high - low) * (np.arange(n) + rng.uniform(size=n)) / n
    t = true_cubic(x) + noise * rng.standard_normal(n)
    return x, t


# --- scikit-learn's digits ----------------------------------------------------------------------

DIGITS_IMAGE_SHAPE = (8, 8)
DIGITS_MAX_PIXEL = 16.0


@dataclass(frozen=True, eq=False)
class Split:
    """A train / validation / test split of the 8x8 digits, standardized with training stats.

    X_* have shape (n, 64) and are (pixels - mean) / std; y_* are int64 labels 0..9.
    X_val and y_val are None when there is no validation part. mean and std (shape (64,))
    are those of the training pixels (std 1 where a pixel is constant; mean 0 and std 1 when
    the split was not standardized).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    X_test: np.ndarray
    y_test: np.ndarray
    mean: np.ndarray
    std: np.ndarray

    def to_pixels(self, X, clip=True):
        """Undo the scaling for display: pixels = X * std + mean, as images of shape (n, 8, 8).

        A single row of shape (64,) gives one (8, 8) image. With ``clip`` the pixels are
        clipped to the digits' range 0..16 (useful for noisy or augmented images).
        """
        X = as_float_array(X, "X")
        n_pixels = self.mean.shape[0]
        if X.shape[-1] != n_pixels or X.ndim > 2:
            raise ValueError(
                f"X must have shape (n, {n_pixels}) or ({n_pixels},), got {X.shape}"
            )
        pixels = X * self.std + self.mean
        if clip:
            pixels = np.clip(pixels, 0.0, DIGITS_MAX_PIXEL)
        return pixels.reshape(X.shape[:-1] + DIGITS_IMAGE_SHAPE)

    def __repr__(self):
        parts = [f"train={self.X_train.shape}"]
        if self.X_val is not None:
            parts.append(f"val={self.X_val.shape}")
        parts.append(f"test={self.X_test.shape}")
        return f"Split({', '.join(parts)})"


def _check_fraction(value, name, allow_zero=False):
    """``value`` as a float in (0, 1), or [0, 1) with ``allow_zero``."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not ((value >= 0 if allow_zero else value > 0) and value < 1):
        bracket = "[" if allow_zero else "("
        raise ValueError(f"{name} must be in {bracket}0, 1), got {value}")
    return float(value)


def load_digits_split(test_size=0.2, val_size=0.0, seed=0, standardize=True):
    """scikit-learn's 8x8 handwritten digits (1797 images, 10 classes) as a ``Split``.

    The test part (``test_size`` of all samples) is split off first, stratified by class:
    exactly ``train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)``.
    With ``val_size`` > 0, a validation part of about ``val_size`` of all samples is then
    carved out of the training part, again stratified (test_size + val_size must be < 1).
    With ``standardize``, every split becomes (X - mean) / std using the TRAINING mean and
    std only (slide 40), so nothing about the validation or test data leaks into training.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    test_size = _check_fraction(test_size, "test_size")
    val_size = _check_fraction(val_size, "val_size", allow_zero=True)
    if test_size + val_size >= 1:
        raise ValueError(
            f"test_size + val_size must be < 1 to leave training data, got "
            f"{test_size} + {val_size}"
        )
    digits = load_digits()
    X = digits.data.astype(np.float64)
    y = digits.target.astype(np.int64)

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=_sklearn_random_state(seed))
    X_val = y_val = None
    if val_size > 0:
        X_train, X_val, y_train, y_val = train_test_split(
            X_train, y_train, test_size=val_size / (1.0 - test_size), stratify=y_train,
            random_state=_sklearn_random_state(seed))

    if standardize:
        mean = X_train.mean(axis=0)
        std = X_train.std(axis=0)
        std[std == 0] = 1.0  # constant pixels (always 0 at the border): only centre them
    else:
        mean, std = np.zeros(X.shape[1]), np.ones(X.shape[1])

    def scale(part):
        return None if part is None else (part - mean) / std

    return Split(X_train=scale(X_train), y_train=y_train, X_val=scale(X_val), y_val=y_val,
                 X_test=scale(X_test), y_test=y_test, mean=mean, std=std)


# --- MNIST from files the user placed in data/ -----------------------------------------------

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The course's data/ folder (next to dlcore/), where a user may put MNIST."""

MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
"""IDX file names (images, labels) of each MNIST part; each may also end in .gz."""
MNIST_NPZ = "mnist.npz"
IDX_IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions (n, rows, cols)
IDX_LABELS_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension (n,)


def _find_file(folder, name):
    """``folder/name`` or ``folder/name.gz``, whichever exists, else None."""
    for candidate in (folder / name, folder / (name + ".gz")):
        if candidate.is_file():
            return candidate
    return None


def _read_bytes(file):
    """The contents of ``file``, decompressed when its name ends in .gz."""
    if file.suffix != ".gz":
        return file.read_bytes()
    try:
        with gzip.open(file, "rb") as f:
            return f.read()
    except (OSError, EOFError, zlib.error) as err:
        raise ValueError(f"{file} is not a valid gzip file: {err}") from None


def _read_idx(file, magic, ndim):
    """The array stored in an IDX file, checking its magic number and its size.

    IDX layout: a big-endian uint32 magic number (0x08 = unsigned bytes in the third byte,
    the number of dimensions in the fourth), ``ndim`` big-endian uint32 sizes, then the data.
    """
    raw = _read_bytes(file)
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(
            f"{file} is too short ({len(raw)} bytes) to hold an IDX header of {header_size} bytes"
        )
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise ValueError(
            f"{file} has magic number {found} but an IDX {'image' if ndim == 3 else 'label'} "
            f"file must start with {magic}; the file is corrupt or not what its name says"
        )
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(dims))
    if len(raw) - header_size != expected:
        raise ValueError(
            f"{file}: the header promises shape {dims} = {expected} bytes of data but the file "
            f"holds {len(raw) - header_size}; the file is truncated or corrupt"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(dims)


def _pixels_to_unit(images, source):
    """Images (n, rows, cols) or (n, rows*cols) of 0..255 as float64 (n, rows*cols) in [0, 1]."""
    images = np.asarray(images)
    if images.ndim not in (2, 3):
        raise ValueError(f"{source}: images must have shape (n, 28, 28) or (n, 784), "
                         f"got {images.shape}")
    if images.size == 0:
        raise ValueError(f"{source} holds no images (shape {images.shape})")
    if not np.issubdtype(images.dtype, np.integer) or images.min() < 0 or images.max() > 255:
        raise ValueError(f"{source}: images must be integer pixels in 0..255, got dtype "
                         f"{images.dtype}")
    return images.reshape(images.shape[0], -1).astype(np.float64) / 255.0


def _labels(labels, n_images, source):
    """Labels as int64 of shape (n_images,)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{source}: labels must be a 1-D integer array, got shape "
                         f"{labels.shape} and dtype {labels.dtype}")
    if labels.shape[0] != n_images:
        raise ValueError(f"{source}: {n_images} images but {labels.shape[0]} labels")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise ValueError(f"{source}: MNIST labels are digits 0..9, found labels from "
                         f"{labels.min()} to {labels.max()} (is this the right file?)")
    return labels.astype(np.int64)


def _load_npz(file, kind):
    """x_<kind>, y_<kind> from a Keras-style mnist.npz."""
    x_key, y_key = ("x_train", "y_train") if kind == "train" else ("x_test", "y_test")
    try:
        with np.load(file, allow_pickle=False) as archive:
            arrays = {k: archive[k] for k in archive.files if k in (x_key, y_key)}
            found = sorted(archive.files)
    except (OSError, EOFError, ValueError, AttributeError, zipfile.BadZipFile,
            zlib.error) as err:
        # np.load raises ValueError for a file that is neither .npy nor .npz (it would need
        # pickle), AttributeError when the file is a single .npy array instead of an archive
        raise ValueError(f"{file} is not a valid .npz file: {err}") from None
    missing = [k for k in (x_key, y_key) if k not in arrays]
    if missing:
        raise ValueError(f"{file} has no {' or '.join(missing)}; it holds {found}, "
                         "expected x_train, y_train, x_test, y_test")
    images, labels = arrays[x_key], arrays[y_key]
    X = _pixels_to_unit(images, file)
    return X, _labels(labels, X.shape[0], file)


def load_mnist(path=None, kind="train"):
    """MNIST read from files a user placed in ``path`` (default: the course's data/ folder).

    Returns X of shape (n, 784), float64 pixels in [0, 1] (the bytes / 255), and int64
    labels y of shape (n,). ``kind`` is "train" (60000 images) or "test" (10000).
    Looks first for the IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
    t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally ending in .gz), then for
    one mnist.npz with the arrays x_train, y_train, x_test, y_test. Nothing is ever
    downloaded: missing files raise FileNotFoundError saying what to put where.
    """
    kind = _check_name(kind, ("train", "test"), "MNIST part")
    folder = (DATA_DIR if path is None else Path(path)).expanduser().resolve()
    image_name, label_name = MNIST_FILES[kind]
    image_file = _find_file(folder, image_name)
    label_file = _find_file(folder, label_name)

    if image_file is not None and label_file is not None:
        images = _read_idx(image_file, IDX_IMAGES_MAGIC, 3)
        X = _pixels_to_unit(images, image_file)
        labels = _read_idx(label_file, IDX_LABELS_MAGIC, 1)
        return X, _labels(labels, X.shape[0], f"{image_file} and {label_file}")
    if (folder / MNIST_NPZ).is_file():
        return _load_npz(folder / MNIST_NPZ, kind)

    if image_file is not None or label_file is not None:
        missing = label_name if label_file is None else image_name
        raise FileNotFoundError(f"MNIST {kind}: found one IDX file but not {missing} "
                                f"(or {missing}.gz) in {folder}")
    all_idx = [name for pair in MNIST_FILES.values() for name in pair]
    raise FileNotFoundError(
        f"MNIST ({kind}) not found in {folder}. The course never downloads data: put either "
        f"the IDX files {', '.join(all_idx)} (each may end in .gz) or a single {MNIST_NPZ} "
        f"(arrays x_train, y_train, x_test, y_test) into {folder}"
    )
