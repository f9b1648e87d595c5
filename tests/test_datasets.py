"""Tests of dlcore.datasets: gates, 2-D toy data, slide 37's cubic, digits split, MNIST reader."""

import dataclasses
import gzip
import inspect
import re

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.datasets import make_moons as sk_make_moons
from sklearn.model_selection import train_test_split

from dlcore import datasets
from dlcore.datasets import (
    PLAYGROUND_DATASETS,
    Split,
    cubic_with_noise,
    load_digits_split,
    load_mnist,
    logic_gate,
    make_2d_dataset,
    make_circles,
    make_gaussians,
    make_moons,
    make_spirals,
    make_xor_points,
    spiral_arm,
    true_cubic,
    xor,
)

GENERATORS = sorted(PLAYGROUND_DATASETS.items())
GENERATOR_IDS = [name for name, _ in GENERATORS]


# --- module ----------------------------------------------------------------------------------

def test_all_names_exist_and_public_callables_have_docstrings():
    for name in datasets.__all__:
        obj = getattr(datasets, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"
    public = {name for name, obj in vars(datasets).items()
              if not name.startswith("_") and inspect.isfunction(obj)
              and obj.__module__ == datasets.__name__}
    assert public <= set(datasets.__all__)


def test_module_never_imports_network_code():
    source = inspect.getsource(datasets)
    for module in ("urllib", "requests", "http", "socket", "fetch_openml"):
        assert module not in source


# --- logic gates -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, rule", [
    ("and", lambda a, b: a and b),
    ("or", lambda a, b: a or b),
    ("nand", lambda a, b: not (a and b)),
    ("xor", lambda a, b: a != b),
])
def test_logic_gate_truth_table(name, rule):
    X, y = logic_gate(name)
    assert X.shape == (4, 2) and X.dtype == np.float64
    assert y.shape == (4,) and y.dtype == np.int64
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    expected = [int(rule(bool(a), bool(b))) for a, b in X]
    np.testing.assert_array_equal(y, expected)


def test_logic_gate_is_case_insensitive_and_xor_shortcut():
    X, y = logic_gate(" XoR ")
    X2, y2 = xor()
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    np.testing.assert_array_equal(y2, [0, 1, 1, 0])


def test_logic_gate_returns_fresh_arrays():
    X, y = logic_gate("and")
    X[:] = 7
    y[:] = 7
    X2, y2 = logic_gate("and")
    np.testing.assert_array_equal(X2, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y2, [0, 0, 0, 1])


def test_logic_gate_unknown_name():
    with pytest.raises(ValueError, match=r"unknown logic gate 'xnor'.*'and', 'or', 'nand', 'xor'"):
        logic_gate("xnor")
    with pytest.raises(TypeError, match="logic gate name must be a string"):
        logic_gate(1)


# --- 2-D toy data: common contract -----------------------------------------------------------

@pytest.mark.parametrize("name, make", GENERATORS, ids=GENERATOR_IDS)
@pytest.mark.parametrize("n", [2, 7, 200])
def test_2d_shapes_dtypes_labels(name, make, n):
    X, y = make(n=n, noise=0.1, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(np.unique(y)) <= {0, 1}
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name, make", GENERATORS, ids=GENERATOR_IDS)
def test_2d_both_classes_and_balance(name, make):
    _, y = make(n=201, noise=0.1, seed=0)
    counts = np.bincount(y, minlength=2)
    assert counts.shape == (2,) and counts.min() > 0
    if name != "xor":  # xor labels come from uniform points, so only roughly balanced
        assert abs(int(counts[0]) - int(counts[1])) <= 1


@pytest.mark.parametrize("name, make", GENERATORS, ids=GENERATOR_IDS)
def test_2d_data_lives_in_playground_square(name, make):
    X, _ = make(n=500, noise=0.0, seed=1)
    assert np.abs(X).max() <= 1.5 + 1e-12
    X, _ = make(n=500, noise=0.1, seed=1)
    inside = np.all(np.abs(X) <= 1.5, axis=1)
    assert inside.mean() >= 0.97
    assert np.abs(X).max() > 0.9  # uses the square, not a tiny corner of it


@pytest.mark.parametrize("name, make", GENERATORS, ids=GENERATOR_IDS)
def test_2d_seed_reproducible(name, make):
    X1, y1 = make(n=50, noise=0.1, seed=3)
    X2, y2 = make(n=50, noise=0.1, seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = make(n=50, noise=0.1, seed=4)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name, make", GENERATORS, ids=GENERATOR_IDS)
def test_2d_accepts_generator_seed(name, make):
    X1, y1 = make(n=50, noise=0.1, seed=np.random.default_rng(11))
    X2, y2 = make(n=50, noise=0.1, seed=np.random.default_rng(11))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    rng = np.random.default_rng(11)
    Xa, _ = make(n=50, noise=0.1, seed=rng)
    Xb, _ = make(n=50, noise=0.1, seed=rng)  # the generator has moved on
    assert not np.array_equal(Xa, Xb)


@pytest.mark.parametrize("name, make", GENERATORS, ids=GENERATOR_IDS)
def test_2d_noise_changes_the_points(name, make):
    X0, _ = make(n=100, noise=0.0, seed=2)
    X1, _ = make(n=100, noise=0.3, seed=2)
    assert not np.allclose(X0, X1)


@pytest.mark.parametrize("name, make", GENERATORS, ids=GENERATOR_IDS)
def test_2d_bad_arguments(name, make):
    with pytest.raises(ValueError, match=r"noise must be in \[0, inf\), got -0.1"):
        make(n=10, noise=-0.1)
    with pytest.raises(ValueError, match="noise must be in"):
        make(n=10, noise=float("nan"))
    with pytest.raises(TypeError, match="noise must be a number"):
        make(n=10, noise="0.1")
    with pytest.raises(ValueError, match="n must be an integer >= 2, got 0"):
        make(n=0)
    with pytest.raises(ValueError, match="n must be an integer >= 2, got 1"):
        make(n=1)
    with pytest.raises(TypeError, match="n must be an integer, got 2.5"):
        make(n=2.5)
    with pytest.raises(TypeError, match="seed must be an int, None or a numpy Generator"):
        make(n=10, seed="zero")


def test_playground_registry_and_dispatch():
    assert set(PLAYGROUND_DATASETS) == {"circle", "xor", "gaussian", "spiral", "moons"}
    for name, make in PLAYGROUND_DATASETS.items():
        X1, y1 = make_2d_dataset(name, n=30, noise=0.2, seed=5)
        X2, y2 = make(30, 0.2, seed=5)
        np.testing.assert_array_equal(X1, X2)
        np.testing.assert_array_equal(y1, y2)
    X, _ = make_2d_dataset("Spiral", 10, 0.1, 0)
    assert X.shape == (10, 2)


def test_make_2d_dataset_unknown_name():
    with pytest.raises(ValueError, match=r"unknown dataset 'swiss roll'; valid names are .*'moons'"):
        make_2d_dataset("swiss roll", 10, 0.1, 0)
    with pytest.raises(TypeError, match="dataset name must be a string"):
        make_2d_dataset(None, 10, 0.1, 0)


# --- 2-D toy data: geometry of each dataset --------------------------------------------------

def test_moons_without_noise_lie_on_their_half_circles():
    X, y = make_moons(n=101, noise=0.0, seed=0)
    # sklearn's centres (0, 0) and (1, 0.5), shifted by -(0.5, 0.25) and scaled by 0.8
    centres = np.array([[-0.4, -0.2], [0.4, 0.2]])
    np.testing.assert_allclose(np.linalg.norm(X - centres[y], axis=1), 0.8, atol=1e-12)
    assert np.all(X[y == 0, 1] >= -0.2 - 1e-12)  # the upper half circle
    assert np.all(X[y == 1, 1] <= 0.2 + 1e-12)  # the lower half circle
    np.testing.assert_allclose(np.abs(X).max(axis=0), [1.2, 0.6], atol=1e-2)


def test_moons_noise_is_in_final_coordinates():
    X0, _ = make_moons(n=2000, noise=0.0, seed=0)
    X1, _ = make_moons(n=2000, noise=0.2, seed=0)
    np.testing.assert_allclose((X1 - X0).std(axis=0), 0.2, rtol=0.1)


def test_moons_int_seed_is_sklearn_random_state():
    X, y = make_moons(n=40, noise=0.2, seed=5)
    X_sk, y_sk = sk_make_moons(n_samples=40, noise=0.2 / 0.8, random_state=5)
    np.testing.assert_allclose(X, 0.8 * (X_sk - [0.5, 0.25]), atol=1e-12)
    np.testing.assert_array_equal(y, y_sk)


@pytest.mark.parametrize("factor", [0.0, 0.3, 0.8])
def test_circles_without_noise_lie_on_two_circles(factor):
    X, y = make_circles(n=60, noise=0.0, factor=factor, seed=0)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0, atol=1e-12)
    np.testing.assert_allclose(radius[y == 1], factor, atol=1e-12)


def test_circles_bad_factor():
    with pytest.raises(ValueError, match=r"factor must be in \[0, 1\), got 1"):
        make_circles(factor=1)


def test_spiral_arm_geometry():
    t = np.linspace(0, 1, 9)
    r0, r1 = datasets.SPIRAL_RADII
    arm0 = spiral_arm(t, 0)
    assert arm0.shape == (9, 2)
    np.testing.assert_allclose(np.linalg.norm(arm0, axis=1), r0 + (r1 - r0) * t)
    np.testing.assert_allclose(arm0[0], [r0, 0.0], atol=1e-12)
    # two arms: the second is the first turned by 180 degrees
    np.testing.assert_allclose(spiral_arm(t, 1, 2), -arm0, atol=1e-12)
    # three arms: each is the previous one turned by 120 degrees
    c, s = np.cos(2 * np.pi / 3), np.sin(2 * np.pi / 3)
    rotation = np.array([[c, -s], [s, c]])
    np.testing.assert_allclose(spiral_arm(t, 1, 3), arm0 @ rotation.T, atol=1e-12)
    np.testing.assert_allclose(spiral_arm(t, 2, 3), arm0 @ rotation.T @ rotation.T, atol=1e-12)


def test_spiral_arm_winds_around():
    angle = np.unwrap(np.arctan2(*spiral_arm(np.linspace(0, 1, 400), 0)[:, ::-1].T))
    turns = (angle[-1] - angle[0]) / (2 * np.pi)
    np.testing.assert_allclose(turns, datasets.SPIRAL_TURNS, rtol=1e-6)
    assert np.all(np.diff(angle) > 0)


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_spirals_without_noise_lie_exactly_on_their_arms(n_classes):
    X, y = make_spirals(n=300, noise=0.0, n_classes=n_classes, seed=0)
    assert set(np.unique(y)) == set(range(n_classes))
    assert np.bincount(y).max() - np.bincount(y).min() <= 1
    r0, r1 = datasets.SPIRAL_RADII
    t = (np.linalg.norm(X, axis=1) - r0) / (r1 - r0)  # the radius tells where on the arm
    assert np.all((t >= -1e-12) & (t <= 1 + 1e-12))
    np.testing.assert_allclose(X, spiral_arm(t, y, n_classes), atol=1e-9)
    # ... and not on any other arm
    for shift in range(1, n_classes):
        other = spiral_arm(t, (y + shift) % n_classes, n_classes)
        assert np.linalg.norm(X - other, axis=1).min() > 1e-3


def test_spirals_bad_n_classes():
    with pytest.raises(ValueError, match="n_classes must be an integer >= 2, got 1"):
        make_spirals(n_classes=1)
    with pytest.raises(ValueError, match="n must be an integer >= 4, got 3"):
        make_spirals(n=3, n_classes=4)


def test_xor_points_without_noise_follow_the_xor_gate():
    X, y = make_xor_points(n=400, noise=0.0, seed=0)
    assert np.all(np.abs(X) <= 1.0)
    bits = (X > 0).astype(int)  # the sign of each coordinate as a gate input
    _, gate = xor()
    np.testing.assert_array_equal(y, gate[2 * bits[:, 0] + bits[:, 1]])
    # all four quadrants are used
    assert len(np.unique(2 * bits[:, 0] + bits[:, 1])) == 4


def test_xor_points_noise_is_jitter_of_the_same_points():
    X0, y0 = make_xor_points(n=400, noise=0.0, seed=0)
    X1, y1 = make_xor_points(n=400, noise=0.3, seed=0)
    np.testing.assert_array_equal(y0, y1)  # labels come from the clean points
    moved = np.linalg.norm(X1 - X0, axis=1)
    np.testing.assert_allclose(moved.mean(), 0.3 * np.sqrt(np.pi / 2), rtol=0.15)
    rule = ((X1[:, 0] > 0) != (X1[:, 1] > 0)).astype(int)
    assert 0 < np.mean(rule != y1) < 0.3  # some jittered points crossed an axis


def test_gaussians_centres_and_spread():
    X, y = make_gaussians(n=2000, noise=0.0, seed=0)
    for k in (0, 1):
        np.testing.assert_allclose(X[y == k].mean(axis=0), datasets.GAUSSIAN_CENTERS[k],
                                   atol=0.03)
        np.testing.assert_allclose(X[y == k].std(axis=0), datasets.GAUSSIAN_BASE_STD, rtol=0.1)
    X, y = make_gaussians(n=2000, noise=0.3, seed=0)
    np.testing.assert_allclose(X[y == 0].std(axis=0), datasets.GAUSSIAN_BASE_STD + 0.3,
                               rtol=0.1)


# --- slide 37: cubic + noise -----------------------------------------------------------------

def test_true_cubic_values():
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    np.testing.assert_allclose(true_cubic(x), 2 * x**3 - x**2 - 1.5 * x + 0.5)
    np.testing.assert_allclose(true_cubic(x), [-1.0, 0.5, 0.0, 9.5])
    assert isinstance(true_cubic(0.5), np.ndarray) or np.isscalar(true_cubic(0.5))


def test_cubic_with_noise_shapes_and_range():
    x, t = cubic_with_noise(n=20, seed=0)
    assert x.shape == (20,) and t.shape == (20,)
    assert x.dtype == np.float64 and t.dtype == np.float64
    assert np.all(np.diff(x) > 0)
    assert np.all((x >= -1) & (x <= 1))
    x, _ = cubic_with_noise(n=10, seed=0, x_range=(0, 2))
    np.testing.assert_array_equal(np.floor(x / 0.2).astype(int), np.arange(10))  # one per bin


def test_cubic_with_noise_seeds_and_noise():
    x1, t1 = cubic_with_noise(seed=1)
    x2, t2 = cubic_with_noise(seed=1)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(t1, t2)
    x3, t3 = cubic_with_noise(seed=2)
    assert not np.array_equal(x1, x3) and not np.array_equal(t1, t3)
    x0, t0 = cubic_with_noise(noise=0.0, seed=1)
    np.testing.assert_array_equal(t0, true_cubic(x0))
    x, t = cubic_with_noise(n=5000, noise=0.2, seed=1)
    np.testing.assert_allclose(np.std(t - true_cubic(x)), 0.2, rtol=0.05)


@pytest.mark.parametrize("seed", range(5))
def test_cubic_degree_3_fits_and_degree_15_overfits(seed):
    x, t = cubic_with_noise(n=20, seed=seed)
    grid = np.linspace(-1, 1, 501)
    train_err, test_err = {}, {}
    for degree in (1, 3, 15):
        fit = np.polynomial.Polynomial.fit(x, t, degree)
        train_err[degree] = np.mean((fit(x) - t) ** 2)
        test_err[degree] = np.mean((fit(grid) - true_cubic(grid)) ** 2)
    assert train_err[15] < train_err[3] < train_err[1]  # more degrees, smaller training error
    assert test_err[3] < 0.02  # the cubic finds the true curve ...
    assert test_err[1] > 5 * test_err[3]  # ... a line cannot follow it ...
    assert test_err[15] > 3 * test_err[3]  # ... and degree 15 overfits


def test_cubic_bad_arguments():
    with pytest.raises(ValueError, match=r"noise must be in \[0, inf\)"):
        cubic_with_noise(noise=-1)
    with pytest.raises(ValueError, match="n must be an integer >= 1, got 0"):
        cubic_with_noise(n=0)
    with pytest.raises(ValueError, match="x_range must be finite with low < high"):
        cubic_with_noise(x_range=(1, -1))
    with pytest.raises(TypeError, match="x_range must be a pair of numbers"):
        cubic_with_noise(x_range=(1,))


# --- digits ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits_xy():
    digits = load_digits()
    return digits.data.astype(np.float64), digits.target.astype(np.int64)


@pytest.fixture(scope="module")
def default_split():
    return load_digits_split()


def test_digits_defaults_equal_the_standard_sklearn_split(digits_xy, default_split):
    X, y = digits_xy
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
    std[std == 0] = 1.0
    s = default_split
    assert isinstance(s, Split)
    assert s.X_val is None and s.y_val is None
    np.testing.assert_array_equal(s.y_train, y_tr)
    np.testing.assert_array_equal(s.y_test, y_te)
    np.testing.assert_allclose(s.X_train, (X_tr - mean) / std, rtol=0, atol=1e-12)
    np.testing.assert_allclose(s.X_test, (X_te - mean) / std, rtol=0, atol=1e-12)
    assert s.X_train.shape == (1437, 64) and s.X_test.shape == (360, 64)
    assert s.X_train.dtype == np.float64 and s.y_train.dtype == np.int64


def test_digits_standardization_uses_training_stats_only(digits_xy, default_split):
    X, _ = digits_xy
    s = default_split
    varying = s.std != 1.0
    np.testing.assert_allclose(s.X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(s.X_train.std(axis=0)[varying], 1.0, atol=1e-12)
    assert np.abs(s.X_test.mean(axis=0)).max() > 0.01  # the test set is not re-centred
    assert not np.allclose(s.mean, X.mean(axis=0))  # not the statistics of all data
    # a pixel that is always 0 in training (the top-left corner) is divided by 1, not by 0
    assert s.std[0] == 1.0 and s.mean[0] == 0.0
    assert np.all(np.isfinite(s.X_test))


def test_digits_without_standardization(digits_xy):
    X, y = digits_xy
    s = load_digits_split(standardize=False)
    X_tr, _, _, _ = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    np.testing.assert_array_equal(s.X_train, X_tr)
    np.testing.assert_array_equal(s.mean, np.zeros(64))
    np.testing.assert_array_equal(s.std, np.ones(64))


def test_digits_validation_split_sizes_and_stratification(digits_xy, default_split):
    X, y = digits_xy
    s = load_digits_split(test_size=0.2, val_size=0.2)
    n_train, n_val, n_test = len(s.y_train), len(s.y_val), len(s.y_test)
    assert n_train + n_val + n_test == len(y)
    assert n_test == 360
    assert abs(n_val - 0.2 * len(y)) <= 1
    assert s.X_val.shape == (n_val, 64) and s.y_val.dtype == np.int64
    overall = np.bincount(y) / len(y)
    for labels in (s.y_train, s.y_val, s.y_test):
        np.testing.assert_allclose(np.bincount(labels, minlength=10) / len(labels), overall,
                                   atol=0.01)
    # the test part is the same as without validation: it is split off first
    np.testing.assert_array_equal(s.y_test, default_split.y_test)
    np.testing.assert_allclose(s.to_pixels(s.X_test), default_split.to_pixels(
        default_split.X_test), atol=1e-9)
    # the training statistics are those of the smaller training part
    raw_train = s.to_pixels(s.X_train, clip=False).reshape(n_train, 64)
    np.testing.assert_allclose(s.mean, raw_train.mean(axis=0), atol=1e-9)
    # no image is in two parts (compare the multiset of all rows with the full data)
    all_rows = np.concatenate([s.to_pixels(p).reshape(-1, 64)
                               for p in (s.X_train, s.X_val, s.X_test)])
    order = np.lexsort(np.round(all_rows).T)
    np.testing.assert_allclose(all_rows[order], X[np.lexsort(X.T)], atol=1e-9)


def test_digits_seed(default_split):
    a = load_digits_split(seed=1)
    b = load_digits_split(seed=1)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.y_test, default_split.y_test)
    c = load_digits_split(seed=np.random.default_rng(1))
    d = load_digits_split(seed=np.random.default_rng(1))
    np.testing.assert_array_equal(c.y_test, d.y_test)


def test_digits_to_pixels_round_trip(digits_xy, default_split):
    X, y = digits_xy
    X_tr, _, _, _ = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    s = default_split
    images = s.to_pixels(s.X_train)
    assert images.shape == (len(X_tr), 8, 8)
    np.testing.assert_allclose(images, X_tr.reshape(-1, 8, 8), atol=1e-9)
    assert images.min() >= 0 and images.max() <= 16
    one = s.to_pixels(s.X_train[0])
    assert one.shape == (8, 8)
    np.testing.assert_allclose(one, X_tr[0].reshape(8, 8), atol=1e-9)
    far = s.to_pixels(np.full((2, 64), 100.0))
    assert far.max() == 16.0
    assert s.to_pixels(np.full((2, 64), 100.0), clip=False).max() > 16
    with pytest.raises(ValueError, match=r"X must have shape \(n, 64\) or \(64,\), got \(3, 8\)"):
        s.to_pixels(np.zeros((3, 8)))


def test_split_is_frozen_and_readable(default_split):
    with pytest.raises(dataclasses.FrozenInstanceError):
        default_split.X_train = None
    assert repr(default_split) == "Split(train=(1437, 64), test=(360, 64))"


@pytest.mark.parametrize("test_size", [0, 0.0, 1, 1.5, -0.1])
def test_digits_bad_test_size(test_size):
    with pytest.raises(ValueError, match=rf"test_size must be in \(0, 1\), got {test_size}"):
        load_digits_split(test_size=test_size)


def test_digits_bad_val_size():
    with pytest.raises(ValueError, match=r"val_size must be in \[0, 1\), got 1"):
        load_digits_split(val_size=1)
    with pytest.raises(ValueError, match=r"test_size \+ val_size must be < 1"):
        load_digits_split(test_size=0.5, val_size=0.5)
    with pytest.raises(TypeError, match="test_size must be a number"):
        load_digits_split(test_size="0.2")


# --- MNIST -------------------------------------------------------------------------------------

def write_idx(path, array, magic=None):
    """Write ``array`` (uint8) as an IDX file; gzip it when ``path`` ends in .gz."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x0800 + array.ndim
    header = int(magic).to_bytes(4, "big") + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    data = header + array.tobytes()
    if str(path).endswith(".gz"):
        data = gzip.compress(data)
    path.write_bytes(data)


@pytest.fixture
def tiny_mnist():
    rng = np.random.default_rng(0)
    return {
        "train": (rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
                  rng.integers(0, 10, 5, dtype=np.uint8)),
        "test": (rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
                 rng.integers(0, 10, 3, dtype=np.uint8)),
    }


def write_mnist_idx(folder, tiny, suffix=""):
    for kind, prefix in (("train", "train"), ("test", "t10k")):
        images, labels = tiny[kind]
        write_idx(folder / f"{prefix}-images-idx3-ubyte{suffix}", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte{suffix}", labels)


def assert_same_mnist(X, y, images, labels):
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert X.shape == (len(images), 784) and y.shape == (len(images),)
    assert X.min() >= 0 and X.max() <= 1
    np.testing.assert_array_equal(X, images.reshape(len(images), 784) / 255.0)
    np.testing.assert_array_equal(y, labels.astype(np.int64))
    np.testing.assert_array_equal(np.round(X * 255).astype(np.uint8).reshape(images.shape), images)


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("kind", ["train", "test"])
def test_mnist_reads_idx_files(tmp_path, tiny_mnist, suffix, kind):
    write_mnist_idx(tmp_path, tiny_mnist, suffix)
    X, y = load_mnist(tmp_path, kind=kind)
    assert_same_mnist(X, y, *tiny_mnist[kind])


def test_mnist_accepts_str_path_and_uppercase_kind(tmp_path, tiny_mnist):
    write_mnist_idx(tmp_path, tiny_mnist)
    X, y = load_mnist(str(tmp_path), kind="TEST")
    assert_same_mnist(X, y, *tiny_mnist["test"])


@pytest.mark.parametrize("kind", ["train", "test"])
def test_mnist_reads_npz(tmp_path, tiny_mnist, kind):
    (xtr, ytr), (xte, yte) = tiny_mnist["train"], tiny_mnist["test"]
    np.savez(tmp_path / "mnist.npz", x_train=xtr, y_train=ytr, x_test=xte, y_test=yte)
    X, y = load_mnist(tmp_path, kind=kind)
    assert_same_mnist(X, y, *tiny_mnist[kind])


def test_mnist_prefers_idx_over_npz(tmp_path, tiny_mnist):
    write_mnist_idx(tmp_path, tiny_mnist)
    xte, yte = tiny_mnist["test"]
    np.savez(tmp_path / "mnist.npz", x_train=xte, y_train=yte, x_test=xte, y_test=yte)
    X, y = load_mnist(tmp_path, kind="train")
    assert_same_mnist(X, y, *tiny_mnist["train"])


def test_mnist_missing_files_say_what_to_put_where(tmp_path, monkeypatch):
    folder = str(tmp_path.resolve())
    with pytest.raises(FileNotFoundError) as info:
        load_mnist(tmp_path)
    message = str(info.value)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "mnist.npz", folder):
        assert name in message
    # the default folder is the course's data/ folder, reported as an absolute path
    assert datasets.DATA_DIR.name == "data"
    assert (datasets.DATA_DIR.parent / "dlcore" / "datasets.py").is_file()
    empty = tmp_path / "empty data"
    monkeypatch.setattr(datasets, "DATA_DIR", empty)
    with pytest.raises(FileNotFoundError, match=re.escape(str(empty.resolve()))):
        load_mnist()


def test_mnist_relative_path_is_reported_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=re.escape(str((tmp_path / "data").resolve()))):
        load_mnist("data")


def test_mnist_only_images_present(tmp_path, tiny_mnist):
    write_idx(tmp_path / "train-images-idx3-ubyte", tiny_mnist["train"][0])
    with pytest.raises(FileNotFoundError, match=r"not train-labels-idx1-ubyte \(or .*\.gz\)"):
        load_mnist(tmp_path)


def test_mnist_wrong_magic(tmp_path, tiny_mnist):
    write_mnist_idx(tmp_path, tiny_mnist)
    images = tiny_mnist["train"][0]
    write_idx(tmp_path / "train-images-idx3-ubyte", images, magic=2049)
    with pytest.raises(ValueError, match="has magic number 2049 but an IDX image file must "
                                         "start with 2051"):
        load_mnist(tmp_path)
    write_idx(tmp_path / "train-images-idx3-ubyte", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte", tiny_mnist["train"][1], magic=2051)
    with pytest.raises(ValueError, match="must start with 2049"):
        load_mnist(tmp_path)


def test_mnist_truncated_and_short_files(tmp_path, tiny_mnist):
    write_mnist_idx(tmp_path, tiny_mnist)
    file = tmp_path / "train-images-idx3-ubyte"
    file.write_bytes(file.read_bytes()[:-10])
    with pytest.raises(ValueError, match=r"promises shape \(5, 28, 28\) = 3920 bytes.*3910"):
        load_mnist(tmp_path)
    file.write_bytes(b"\x00\x00\x08")
    with pytest.raises(ValueError, match="too short"):
        load_mnist(tmp_path)


def test_mnist_bad_gzip(tmp_path, tiny_mnist):
    write_mnist_idx(tmp_path, tiny_mnist, ".gz")
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(ValueError, match="not a valid gzip file"):
        load_mnist(tmp_path)


def test_mnist_count_mismatch(tmp_path, tiny_mnist):
    write_mnist_idx(tmp_path, tiny_mnist)
    write_idx(tmp_path / "train-labels-idx1-ubyte", tiny_mnist["train"][1][:4])
    with pytest.raises(ValueError, match="5 images but 4 labels"):
        load_mnist(tmp_path)


def test_mnist_bad_npz(tmp_path, tiny_mnist):
    xtr, ytr = tiny_mnist["train"]
    np.savez(tmp_path / "mnist.npz", x_train=xtr, y_train=ytr)
    with pytest.raises(ValueError, match=r"has no x_test or y_test"):
        load_mnist(tmp_path, kind="test")
    (tmp_path / "mnist.npz").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not a valid .npz file"):
        load_mnist(tmp_path)


def test_mnist_unknown_kind(tmp_path):
    with pytest.raises(ValueError, match=r"unknown MNIST part 'validation'; valid names are "
                                         r"'train', 'test'"):
        load_mnist(tmp_path, kind="validation")
