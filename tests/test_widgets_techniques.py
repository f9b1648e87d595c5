"""Tests of notebook 11's widgets (dlcore.widgets.techniques): dropout and batch norm."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.widgets.techniques import (
    ACTIVATION_LABELS,
    AUGMENT_SETUP,
    BATCHNORM_SETUP,
    DROPOUT_SETUP,
    STALLED_LOSS,
    STATUS_LABELS,
    compute_augmentation_accuracies,
    compute_batchnorm_curves,
    compute_dropout_curves,
    digits_data,
    draw_batchnorm_curves,
    draw_dropout_curves,
    moved_and_tilted,
)

CURVES = ("train_loss", "train_acc", "val_loss", "val_acc")

# --- digits_data -------------------------------------------------------------------------------


def test_digits_data_shapes_and_balance():
    X, y, X_val, y_val = digits_data(100)
    assert X.shape == (100, 64) and y.shape == (100,)
    assert X_val.shape == (360, 64) and y_val.shape == (360,)
    assert np.array_equal(np.bincount(y), np.full(10, 10))  # stratified: 10 of each digit
    with pytest.raises(ValueError):  # cached arrays are read-only
        X[0, 0] = 1.0


def test_batchnorm_setup_has_no_batch_of_one():
    # BatchNorm cannot normalize a mini-batch of a single sample in training mode
    assert BATCHNORM_SETUP["n_train"] % BATCHNORM_SETUP["batch_size"] != 1
    assert DROPOUT_SETUP["n_train"] % DROPOUT_SETUP["batch_size"] != 1
    assert digits_data(BATCHNORM_SETUP["n_train"])[0].shape[0] == BATCHNORM_SETUP["n_train"]


# --- dropout -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.0, 0.3, 0.6])
def test_dropout_curves_shapes_and_ranges(rate):
    r = compute_dropout_curves(rate)
    E = DROPOUT_SETUP["epochs"]
    assert r["rate"] == rate
    assert np.array_equal(r["epochs"], np.arange(1, E + 1))
    for key in CURVES:
        assert r[key].shape == (E,) and np.all(np.isfinite(r[key]))
    assert np.all((r["train_acc"] >= 0) & (r["train_acc"] <= 1))
    assert r["final_val_acc"] == r["val_acc"][-1]
    assert r["final_val_loss"] == r["val_loss"][-1]
    assert r["gap"] == pytest.approx(r["train_acc"][-1] - r["val_acc"][-1])


def test_dropout_reduces_overfitting():
    none, some = compute_dropout_curves(0.0), compute_dropout_curves(0.3)
    assert none["train_acc"][-1] == 1.0 and none["train_loss"][-1] < 0.01  # memorized
    assert some["final_val_acc"] > none["final_val_acc"]
    assert some["final_val_loss"] < none["final_val_loss"]
    assert some["gap"] < none["gap"]


@pytest.mark.parametrize("seed", [1, 2])
def test_dropout_helps_for_other_seeds(seed):
    none, some = compute_dropout_curves(0.0, seed), compute_dropout_curves(0.3, seed)
    assert some["final_val_acc"] > none["final_val_acc"]


def test_too_much_dropout_underfits():
    good, heavy = compute_dropout_curves(0.3), compute_dropout_curves(0.6)
    assert heavy["final_val_acc"] < good["final_val_acc"]
    assert heavy["train_loss"][-1] > 1.0  # even the training data is not learned


def test_dropout_curves_cached_but_copied():
    a = compute_dropout_curves(0.3)
    a["val_loss"][:] = -1.0  # changing the result must not change the cache
    b = compute_dropout_curves(0.3)
    assert np.all(b["val_loss"] > 0)


def test_dropout_seed_changes_result():
    a, b = compute_dropout_curves(0.3, 0), compute_dropout_curves(0.3, 1)
    assert not np.allclose(a["val_loss"], b["val_loss"])


@pytest.mark.parametrize("kwargs, error", [
    (dict(rate=-0.1), ValueError),
    (dict(rate=1.0), ValueError),
    (dict(rate="0.5"), TypeError),
    (dict(rate=0.3, seed=-1), ValueError),
    (dict(rate=0.3, seed=1.5), ValueError),
])
def test_dropout_bad_arguments(kwargs, error):
    with pytest.raises(error):
        compute_dropout_curves(**kwargs)


def test_draw_dropout_curves():
    fig, ax = plt.subplots()
    draw_dropout_curves(ax, rate=0.3)
    assert len(ax.lines) == 2 and ax.get_yscale() == "log"
    assert "0.3" in ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None


# --- batch normalization -----------------------------------------------------------------------


@pytest.mark.parametrize("batchnorm", [False, True])
@pytest.mark.parametrize("lr", [0.01, 0.1])
def test_batchnorm_curves_train_at_normal_lr(batchnorm, lr):
    r = compute_batchnorm_curves(batchnorm, lr)
    E = BATCHNORM_SETUP["epochs"]
    assert r["batchnorm"] is batchnorm and r["lr"] == lr and r["activation"] == "relu"
    assert r["status"] == "trained" and r["diverged_epoch"] is None
    assert np.array_equal(r["epochs"], np.arange(1, E + 1))
    for key in CURVES:
        assert r[key].shape == (E,) and np.all(np.isfinite(r[key]))
    assert r["train_loss"][-1] < r["train_loss"][0]  # the loss goes down
    assert r["final_val_acc"] > 0.75


def test_high_lr_breaks_plain_net_but_not_batchnorm():
    # η = 2, well above the plain network's edge near η = 1, where the outcome (diverged,
    # stalled or even trained) flips with the seed and with the CPU's rounding
    plain, bn = compute_batchnorm_curves(False, 2.0), compute_batchnorm_curves(True, 2.0)
    assert plain["status"] == "diverged"
    assert 1 <= plain["diverged_epoch"] <= BATCHNORM_SETUP["epochs"]
    assert len(plain["train_loss"]) == plain["diverged_epoch"] - 1  # curves up to divergence
    assert bn["status"] == "trained" and bn["final_val_acc"] > 0.85


@pytest.mark.parametrize("seed", [1, 2])
def test_high_lr_other_seeds(seed):
    assert compute_batchnorm_curves(False, 2.0, seed=seed)["status"] == "diverged"
    assert compute_batchnorm_curves(True, 2.0, seed=seed)["status"] == "trained"


def test_uncached_run_repeats_the_cached_one():
    cached = compute_batchnorm_curves(True, 0.1)
    fresh = compute_batchnorm_curves(True, 0.1, cache=False)
    assert np.array_equal(cached["val_loss"], fresh["val_loss"])
    a, b = compute_dropout_curves(0.3), compute_dropout_curves(0.3, cache=False)
    assert np.array_equal(a["val_loss"], b["val_loss"])


def test_divergence_in_first_epoch_is_reported():
    r = compute_batchnorm_curves(False, 10.0)
    assert r["status"] == "diverged" and r["diverged_epoch"] >= 1
    if r["diverged_epoch"] == 1:
        assert r["train_loss"].size == 0 and np.isnan(r["final_val_acc"])


def test_batchnorm_speeds_up_sigmoid():
    plain = compute_batchnorm_curves(False, 0.1, "sigmoid")
    bn = compute_batchnorm_curves(True, 0.1, "sigmoid")
    assert plain["status"] == "stalled" and plain["train_loss"][-1] > STALLED_LOSS
    assert bn["status"] == "trained" and bn["final_val_acc"] > 0.9
    assert np.all(bn["train_loss"] < plain["train_loss"])


def test_small_lr_is_slow():
    slow, normal = compute_batchnorm_curves(True, 0.001), compute_batchnorm_curves(True, 0.1)
    assert slow["train_loss"][-1] > normal["train_loss"][-1]


@pytest.mark.parametrize("kwargs, error", [
    (dict(batchnorm=1), TypeError),
    (dict(lr=0.0), ValueError),
    (dict(lr=-1.0), ValueError),
    (dict(lr="0.1"), TypeError),
    (dict(activation="tanh"), ValueError),
    (dict(seed=-2), ValueError),
])
def test_batchnorm_bad_arguments(kwargs, error):
    with pytest.raises(error):
        compute_batchnorm_curves(**kwargs)


@pytest.mark.parametrize("batchnorm, lr", [(True, 0.01), (False, 2.0)])
def test_draw_batchnorm_curves(batchnorm, lr):
    fig, ax = plt.subplots()
    draw_batchnorm_curves(ax, batchnorm=batchnorm, lr=lr)
    title = ax.get_title()
    assert ("BN あり" if batchnorm else "BN なし") in title
    r = compute_batchnorm_curves(batchnorm, lr)
    assert STATUS_LABELS[r["status"]] in title
    assert ax.get_yscale() == "log" and ax.get_legend() is not None
    # two curves and the ln 10 line, plus the cross where training diverged
    assert len(ax.lines) == (4 if r["status"] == "diverged" else 3)


def test_labels_cover_every_choice():
    assert set(ACTIVATION_LABELS) == {"relu", "sigmoid"}
    assert set(STATUS_LABELS) == {"trained", "stalled", "diverged"}


def test_draw_batchnorm_curves_names_a_seed_other_than_0():
    fig, ax = plt.subplots()
    draw_batchnorm_curves(ax, batchnorm=True, lr=0.1, seed=1)
    assert "乱数の種 1" in ax.get_title()
    ax.clear()
    draw_batchnorm_curves(ax, batchnorm=True, lr=0.1, seed=0)
    assert "乱数の種" not in ax.get_title()


# --- augmentation ----------------------------------------------------------------------------


def test_moved_and_tilted_is_seeded_and_keeps_shape():
    images = np.random.default_rng(0).uniform(0, 16, size=(6, 8, 8))
    a = moved_and_tilted(images, max_tilt=10, seed=3)
    assert a.shape == images.shape and not np.allclose(a, images)
    assert np.array_equal(a, moved_and_tilted(images, max_tilt=10, seed=3))
    shifted_only = moved_and_tilted(images, max_tilt=0, seed=3)
    assert np.all(shifted_only.sum(axis=(1, 2)) <= images.sum(axis=(1, 2)) + 1e-9)  # border ink lost


def test_augmentation_accuracies():
    r = compute_augmentation_accuracies(0)
    keys = {"plain_clean", "plain_moved", "augmented_clean", "augmented_moved"}
    assert keys <= set(r) and all(0 <= r[k] <= 1 for k in keys)
    assert r["gain_moved"] == pytest.approx(r["augmented_moved"] - r["plain_moved"])
    assert r["gain_moved"] > 0.3 and abs(r["gain_clean"]) < 0.06
    assert r["plain_clean"] > 0.85  # 150 centred digits are enough for centred digits
    r["plain_clean"] = -1.0  # changing the result must not change the cache
    assert compute_augmentation_accuracies(0)["plain_clean"] > 0
    assert AUGMENT_SETUP["updates"] * AUGMENT_SETUP["batch_size"] % AUGMENT_SETUP["n_train"] == 0


@pytest.mark.parametrize("seed", [-1, 1.5, True])
def test_augmentation_bad_seed(seed):
    with pytest.raises(ValueError):
        compute_augmentation_accuracies(seed)


def test_a_diverging_dropout_run_is_drawn_as_such_not_raised(monkeypatch):
    """A large dropout rate can make a run diverge (rate 0.8 with seed 0 did on this
    machine): the view must say 発散 instead of showing a traceback."""
    from matplotlib.figure import Figure

    from dlcore import TrainingDiverged
    from dlcore.widgets import techniques

    def diverging(rate, seed):
        raise TrainingDiverged("loss became nan")

    monkeypatch.setattr(techniques, "compute_dropout_curves", diverging)
    ax = Figure().subplots()
    techniques.draw_dropout_curves(ax, 0.8, 0)
    assert "発散" in ax.get_title()
    assert any("発散" in t.get_text() for t in ax.texts)
