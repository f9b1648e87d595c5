"""Input validation shared by every module.

Each check raises a ValueError or TypeError whose message names what is wrong, so a student
sees "X has 3 features but the layer expects 2" instead of a traceback from deep inside NumPy.
"""

import numbers

import numpy as np


def as_float_array(x, name="X", ndim=None):
    """Return ``x`` as a float array (float32 is kept, everything else becomes float64).

    Raises if ``x`` is empty, not numeric, contains NaN or inf, or (when ``ndim`` is given)
    has a different number of dimensions.
    """
    arr = np.asarray(x)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    if arr.dtype != np.float32:
        arr = arr.astype(np.float64, copy=False)
    if ndim is not None and arr.ndim != ndim:
        hint = " (use X.reshape(-1, 1) for a single feature)" if ndim == 2 and arr.ndim == 1 else ""
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}{hint}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if not np.isfinite(arr).all():  # .all() rather than np.all(): runs on every batch
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(f"{name} contains {n_nan} NaN and {n_inf} inf values")
    return arr


def as_labels(y, n_samples, n_classes=None, name="y"):
    """Return integer class labels of shape (n_samples,), checking count and range."""
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D class labels, got shape {arr.shape}")
    if arr.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {arr.shape[0]} labels but there are {n_samples} samples"
        )
    if arr.dtype.kind not in "iu":  # not already integers (checked on every batch: kept cheap)
        if not np.issubdtype(arr.dtype, np.number) or not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
        arr = arr.astype(np.int64)
    if n_classes is not None and (arr.min() < 0 or arr.max() >= n_classes):
        bad = arr[(arr < 0) | (arr >= n_classes)][0]
        raise ValueError(
            f"{name} has label {bad} out of range: labels must be in 0..{n_classes - 1}"
        )
    return arr


def check_same_shape(a, b, name_a, name_b):
    """Raise unless two arrays have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}")


def check_positive(value, name):
    """Raise unless ``value`` is a finite real number > 0."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def check_positive_int(value, name):
    """Raise unless ``value`` is an integer >= 1."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def check_bool(value, name):
    """Raise unless ``value`` is True or False (a string such as 'no' is not a switch)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_int_in_range(value, name, low, high):
    """Raise unless ``value`` is an integer with ``low <= value <= high``."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}")
    return int(value)


def check_choice(value, name, choices):
    """Return the entry of ``choices`` that equals the string ``value`` (ignoring case and
    surrounding spaces); raise naming the valid choices otherwise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    for choice in choices:
        if value.strip().lower() == choice.lower():
            return choice
    raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(choices)}")


def check_in_range(value, name, low, high, high_inclusive=False):
    """Raise unless ``low <= value < high`` (or ``<= high`` with ``high_inclusive``)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}")
    ok = low <= value <= high if high_inclusive else low <= value < high
    if not ok:
        bracket = "]" if high_inclusive else ")"
        raise ValueError(f"{name} must be in [{low}, {high}{bracket}, got {value}")
    return value


def as_rng(seed):
    """A numpy Generator from an int seed, an existing Generator, or None (fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an int, None or a numpy Generator, got {seed!r}")


def check_finite(value, name):
    """Raise unless ``value`` is a finite real number (not a bool, a string or complex)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


MAX_SEED = 2**32 - 1
"""Largest seed the widgets accept: scikit-learn's random_state and NumPy's legacy seeding
stop at 2³² - 1."""


def check_seed(seed, name="seed"):
    """Raise unless ``seed`` is an integer in 0..MAX_SEED."""
    return check_int_in_range(seed, name, 0, MAX_SEED)
