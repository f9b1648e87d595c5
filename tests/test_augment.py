"""Tests of dlcore.augment: shift, rotate, add_noise, augment_dataset (slide 40)."""

import numpy as np
import pytest

from dlcore.augment import PIXEL_RANGE, add_noise, augment_dataset, rotate, shift
from dlcore.datasets import load_digits_split


@pytest.fixture
def images():
    return np.random.default_rng(0).uniform(0, 16, size=(5, 8, 8))


@pytest.fixture(scope="module")
def digits():
    split = load_digits_split(standardize=False)
    return split.X_train[:30].reshape(-1, 8, 8), split.y_train[:30]


# --- shift ------------------------------------------------------------------------------------


def test_shift_shape_and_new_array(images):
    out = shift(images, 1, -1)
    assert out.shape == images.shape and out is not images
    assert not np.shares_memory(out, images)


def test_shift_right_by_one_moves_pixels(images):
    out = shift(images, 1)
    assert np.array_equal(out[:, :, 1:], images[:, :, :-1])
    assert np.all(out[:, :, 0] == 0)  # the uncovered column is background


def test_shift_down_and_left(images):
    down = shift(images, 0, 2)
    assert np.array_equal(down[:, 2:, :], images[:, :-2, :]) and np.all(down[:, :2] == 0)
    left = shift(images, -3)
    assert np.array_equal(left[:, :, :-3], images[:, :, 3:]) and np.all(left[:, :, -3:] == 0)


def test_shift_zero_is_identity_and_far_shift_is_empty(images):
    assert np.array_equal(shift(images, 0, 0), images)
    assert np.all(shift(images, 8) == 0) and np.all(shift(images, 0, -9) == 0)


def test_shift_per_image(images):
    dx = np.array([0, 1, -1, 2, 0])
    dy = np.array([0, 0, 1, -2, 3])
    out = shift(images, dx, dy)
    for i in range(len(images)):
        assert np.array_equal(out[i], shift(images[i:i + 1], dx[i], dy[i])[0])


def test_shift_and_back_keeps_the_inner_part(images):
    back = shift(shift(images, 1, 1), -1, -1)
    assert np.array_equal(back[:, :-1, :-1], images[:, :-1, :-1])


def test_shift_non_square():
    img = np.arange(12.0).reshape(1, 3, 4)
    assert np.array_equal(shift(img, 1)[0], [[0, 0, 1, 2], [0, 4, 5, 6], [0, 8, 9, 10]])


@pytest.mark.parametrize("bad, error", [
    (dict(dx=0.5), ValueError),
    (dict(dx=[1, 2]), ValueError),
    (dict(dx="1"), TypeError),
    (dict(dx=np.inf), ValueError),
    (dict(dx=True), TypeError),
])
def test_shift_bad_arguments(images, bad, error):
    with pytest.raises(error):
        shift(images, **bad)


@pytest.mark.parametrize("bad", [np.zeros((8, 8)), np.zeros((2, 64)), np.zeros((1, 2, 8, 8))])
def test_bad_image_shapes(bad):
    with pytest.raises(ValueError, match="shape"):
        shift(bad, 1)
    with pytest.raises(ValueError, match="shape"):
        rotate(bad, 10)


def test_nan_images_rejected():
    bad = np.zeros((1, 8, 8))
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        rotate(bad, 10)


# --- rotate -----------------------------------------------------------------------------------


def test_rotate_zero_is_identity(images):
    assert np.array_equal(rotate(images, 0), images)
    assert np.array_equal(rotate(images, 360), images)


@pytest.mark.parametrize("k", [1, 2, 3, -1])
def test_rotate_multiples_of_90_match_rot90(images, k):
    # counter-clockwise as displayed, like np.rot90
    assert np.array_equal(rotate(images, 90 * k), np.rot90(images, k, axes=(1, 2)))


def test_rotate_odd_size_square():
    img = np.random.default_rng(1).random((2, 5, 5))
    assert np.array_equal(rotate(img, 90), np.rot90(img, axes=(1, 2)))


def test_rotate_per_image_angles(images):
    angles = np.array([0.0, 90.0, 10.0, -15.0, 180.0])
    out = rotate(images, angles)
    for i, a in enumerate(angles):
        assert np.allclose(out[i], rotate(images[i:i + 1], a)[0])
    assert np.array_equal(out[0], images[0])


def test_rotate_small_angle_stays_in_range_and_moves_ink(digits):
    X, _ = digits
    out = rotate(X, 15)
    assert out.shape == X.shape
    assert out.min() >= 0 and out.max() <= 16
    assert not np.allclose(out, X)
    # a small rotation keeps most of the ink (some is lost at the corners and by blurring)
    assert 0.8 < out.sum() / X.sum() <= 1.0


def test_rotate_point_goes_counter_clockwise():
    img = np.zeros((1, 9, 9))
    img[0, 4, 8] = 1.0  # right of the centre
    out = rotate(img, 90)
    assert out[0, 0, 4] == 1.0  # now above the centre (row 0 is the top)


def test_rotate_bad_angle(images):
    with pytest.raises(ValueError):
        rotate(images, np.nan)
    with pytest.raises(ValueError):
        rotate(images, [1.0, 2.0])
    with pytest.raises(TypeError):
        rotate(images, "15")


# --- add_noise --------------------------------------------------------------------------------


def test_noise_is_seeded_and_clipped(images):
    a = add_noise(images, 2.0, seed=3)
    b = add_noise(images, 2.0, seed=3)
    c = add_noise(images, 2.0, seed=4)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.shape == images.shape
    assert a.min() >= PIXEL_RANGE[0] and a.max() <= PIXEL_RANGE[1]


def test_noise_std_zero_is_identity_and_std_is_right():
    flat = np.full((200, 8, 8), 8.0)
    assert np.array_equal(add_noise(flat, 0.0, seed=0), flat)
    noisy = add_noise(flat, 1.0, seed=0)  # far from the clip limits: the std is unchanged
    assert noisy.std() == pytest.approx(1.0, abs=0.02)
    assert noisy.mean() == pytest.approx(8.0, abs=0.02)


def test_noise_custom_range():
    out = add_noise(np.full((1, 4, 4), 0.5), 5.0, seed=0, pixel_range=(0.0, 1.0))
    assert out.min() >= 0 and out.max() <= 1 and np.any(out == 0) and np.any(out == 1)


@pytest.mark.parametrize("kwargs, error", [
    (dict(std=-1.0), ValueError),
    (dict(std="1"), TypeError),
    (dict(std=1.0, pixel_range=(1.0, 0.0)), ValueError),
    (dict(std=1.0, pixel_range=3), TypeError),
    (dict(std=1.0, seed=-1), ValueError),
])
def test_noise_bad_arguments(images, kwargs, error):
    with pytest.raises(error):
        add_noise(images, **kwargs)


# --- augment_dataset --------------------------------------------------------------------------


def test_augment_shapes_labels_and_originals_first(digits):
    X, y = digits
    X_aug, y_aug = augment_dataset(X, y, copies=3, seed=0)
    assert X_aug.shape == (4 * len(X), 8, 8) and y_aug.shape == (4 * len(X),)
    assert np.array_equal(X_aug[:len(X)], X)
    assert np.array_equal(y_aug, np.tile(y, 4))
    assert X_aug.min() >= 0 and X_aug.max() <= 16
    for k in range(1, 4):  # every copy differs from its original
        assert not np.allclose(X_aug[k * len(X):(k + 1) * len(X)], X)


def test_augment_flat_input_gives_flat_output(digits):
    X, y = digits
    flat, y_flat = augment_dataset(X.reshape(len(X), 64), y, copies=2, seed=1)
    images, y_img = augment_dataset(X, y, copies=2, seed=1)
    assert flat.shape == (3 * len(X), 64)
    assert np.array_equal(flat, images.reshape(len(flat), 64))
    assert np.array_equal(y_flat, y_img)


def test_augment_seeded(digits):
    X, y = digits
    a = augment_dataset(X, y, 2, seed=5)[0]
    b = augment_dataset(X, y, 2, seed=5)[0]
    c = augment_dataset(X, y, 2, seed=6)[0]
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_augment_zero_copies_and_no_change(digits):
    X, y = digits
    X0, y0 = augment_dataset(X, y, 0)
    assert np.array_equal(X0, X) and np.array_equal(y0, y) and X0 is not X
    same, _ = augment_dataset(X, y, 1, max_shift=0, max_angle=0.0, noise_std=0.0)
    assert np.array_equal(same[len(X):], X)


def test_augment_only_shift_is_a_whole_pixel_shift(digits):
    X, y = digits
    X_aug, _ = augment_dataset(X, y, 1, seed=2, max_angle=0.0, noise_std=0.0)
    copies = X_aug[len(X):]
    shifted = {(dx, dy): shift(X, dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    for i in range(len(X)):
        assert any(np.array_equal(copies[i], s[i]) for s in shifted.values())


@pytest.mark.parametrize("kwargs, error", [
    (dict(copies=-1), ValueError),
    (dict(copies=1.5), TypeError),
    (dict(copies=True), TypeError),
    (dict(copies=1, max_shift=-1), ValueError),
    (dict(copies=1, max_shift=0.5), TypeError),
    (dict(copies=1, max_angle=-5.0), ValueError),
    (dict(copies=1, max_angle=200.0), ValueError),
    (dict(copies=1, noise_std=-0.1), ValueError),
    (dict(copies=1, pixel_range=(5, 5)), ValueError),
    (dict(copies=1, seed="a"), TypeError),
])
def test_augment_bad_arguments(digits, kwargs, error):
    X, y = digits
    with pytest.raises(error):
        augment_dataset(X, y, **kwargs)


def test_augment_bad_shapes(digits):
    X, y = digits
    with pytest.raises(ValueError, match="y must have shape"):
        augment_dataset(X, y[:-1], 1)
    with pytest.raises(ValueError, match="square"):
        augment_dataset(np.zeros((3, 10)), np.zeros(3, dtype=int), 1)
    with pytest.raises(ValueError, match="shape"):
        augment_dataset(np.zeros(10), np.zeros(10, dtype=int), 1)
