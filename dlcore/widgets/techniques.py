"""Notebook 11's experiments and widgets: augmentation (slide 40), dropout and batch
normalization (slide 41).

- ``compute_augmentation_accuracies``: the augmentation experiment of section 2.4 (150
  training digits with and without augmented copies, scored on the validation digits as
  they are and slightly moved and tilted), for any seed.

- ``compute_dropout_curves`` / ``draw_dropout_curves`` / ``show_dropout_curves``: dropout
  rate -> learning curves of a network that overfits 100 training digits
  (DROPOUT_SETUP: 4 hidden layers of 128 ReLU units, SGD, 60 epochs).
- ``compute_batchnorm_curves`` / ``draw_batchnorm_curves`` / ``show_batchnorm_curves``:
  batch normalization on/off, the activation (ReLU or sigmoid) and the learning rate ->
  learning curves on 320 training digits (BATCHNORM_SETUP: 3 hidden layers of 100 units,
  SGD, 15 epochs), or the epoch where training diverged.

Both train with ``dlcore.train`` on ``dlcore.datasets.load_digits_split(val_size=0.2)``
(standardized with training statistics, slide 40). Results are cached, so a setting that was
already computed (by the notebook, the contact sheet or the widget) is drawn at once;
``cache=False`` trains afresh (tests use it to re-run a claim with perturbed initial weights).
"""

from functools import lru_cache

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..checks import (
    MAX_SEED,
    as_float_array,
    check_bool,
    check_finite,
    check_in_range,
    check_int_in_range,
    check_positive,
)
from ..datasets import load_digits_split
from ..network import build_mlp
from ..optimizers import SGD
from ..training import TrainingDiverged, one_blas_thread, train
from . import interactive_view

__all__ = [
    "AUGMENT_SETUP", "moved_and_tilted", "compute_augmentation_accuracies",
    "DROPOUT_SETUP", "BATCHNORM_SETUP", "STALLED_LOSS", "digits_data",
    "compute_dropout_curves", "draw_dropout_curves", "show_dropout_curves",
    "ACTIVATION_LABELS", "STATUS_LABELS",
    "compute_batchnorm_curves", "draw_batchnorm_curves", "show_batchnorm_curves",
]

DROPOUT_SETUP = {"n_train": 100, "hidden": (128, 128, 128, 128), "lr": 0.05,
                 "epochs": 60, "batch_size": 20}
"""The overfitting setting of the dropout widget: few training digits, a large network
(about 58,000 weights for 100 images), plain SGD with learning rate lr."""

BATCHNORM_SETUP = {"n_train": 320, "hidden": (100, 100, 100), "epochs": 15, "batch_size": 32}
"""The batch-normalization widget's setting. 320 = 10 x 32: no mini-batch of a single sample,
which BatchNorm cannot normalize in training mode (its variance would be 0)."""

STALLED_LOSS = 2.0
"""A final training loss above this counts as "stalled": guessing among 10 classes gives
ln 10 ≈ 2.30, so the network learned (almost) nothing."""


N_TRAIN_DIGITS = 1077
"""Size of the training part of ``load_digits_split(val_size=0.2, seed=0)``."""


def digits_data(n_train, seed=0):
    """The first ``n_train`` digits of a stratified subset of the training part, and the
    validation part: (X_train, y_train, X_val, y_val), standardized with the statistics of
    the full training part (``load_digits_split(val_size=0.2, seed=0)``: 1077 / 360 / 360).

    The subset is ``train_test_split(..., train_size=n_train, stratify=y, random_state=seed)``,
    so every digit appears about equally often. The arrays are cached and read-only.
    """
    n_train = check_int_in_range(n_train, "n_train", 1, N_TRAIN_DIGITS)
    return _digits_data(n_train, _check_seed(seed))


@lru_cache(maxsize=4)
def _digits_data(n_train, seed):
    from sklearn.model_selection import train_test_split

    split = load_digits_split(val_size=0.2, seed=0)
    if n_train < len(split.y_train):
        X, _, y, _ = train_test_split(split.X_train, split.y_train, train_size=n_train,
                                      stratify=split.y_train, random_state=seed)
    else:
        X, y = split.X_train, split.y_train
    for a in (X, y, split.X_val, split.y_val):
        a.flags.writeable = False  # cached: nobody may change them
    return X, y, split.X_val, split.y_val


def _check_seed(seed):
    if (not isinstance(seed, (int, np.integer)) or isinstance(seed, bool)
            or not 0 <= seed <= MAX_SEED):
        raise ValueError(f"seed must be an integer in 0..{MAX_SEED}, got {seed!r}")
    return int(seed)


def _curves(history):
    return {key: np.array(getattr(history, key), dtype=np.float64)
            for key in ("train_loss", "train_acc", "val_loss", "val_acc")}


# --- augmentation (slide 40) ------------------------------------------------------------------

AUGMENT_SETUP = {"n_train": 150, "copies": 5, "hidden": 64, "lr": 0.01, "batch_size": 30,
                 "updates": 300, "max_tilt": 10.0, "moved_seed": 2024}
"""Section 2.4's setting: n_train training digits (pixels / 16), alone or with ``copies``
augmented versions of each (augment.augment_dataset); a 64 -> hidden -> 10 ReLU network
trained by Adam(lr) for the same number of weight updates either way; the validation digits
scored as they are and tilted by up to ±max_tilt degrees and shifted by up to one pixel
(drawn from the fixed seed ``moved_seed``)."""


@lru_cache(maxsize=1)
def _digit_pixels():
    split = load_digits_split(val_size=0.2, seed=0, standardize=False)
    for a in (split.X_train, split.y_train, split.X_val, split.y_val):
        a.flags.writeable = False
    return split.X_train, split.y_train, split.X_val, split.y_val


def moved_and_tilted(images, max_tilt, seed):
    """Each image rotated by an angle drawn from [-max_tilt, max_tilt] degrees, then shifted
    by -1, 0 or 1 pixel in each direction (the variation of real handwriting in its box)."""
    from ..augment import rotate, shift

    images = as_float_array(images, "images", ndim=3)
    if check_finite(max_tilt, "max_tilt") < 0:
        raise ValueError(f"max_tilt must be >= 0 degrees, got {max_tilt}")
    rng = np.random.default_rng(seed)
    n = len(images)
    return shift(rotate(images, rng.uniform(-max_tilt, max_tilt, n)),
                 rng.integers(-1, 2, n), rng.integers(-1, 2, n))


@lru_cache(maxsize=8)
def _augmentation_run(seed):
    from sklearn.model_selection import train_test_split

    from ..augment import augment_dataset
    from ..optimizers import Adam

    s = AUGMENT_SETUP
    X_train, y_train, X_val, y_val = _digit_pixels()
    X_small, _, y_small, _ = train_test_split(X_train, y_train, train_size=s["n_train"],
                                              stratify=y_train, random_state=seed)
    X_aug, y_aug = augment_dataset(X_small, y_small, copies=s["copies"], seed=seed)
    moved = moved_and_tilted(X_val.reshape(-1, 8, 8), s["max_tilt"], s["moved_seed"])
    val_sets = {"clean": X_val / 16, "moved": moved.reshape(len(X_val), -1) / 16}
    result = {}
    for name, (X, y) in {"plain": (X_small, y_small), "augmented": (X_aug, y_aug)}.items():
        model = build_mlp((64, s["hidden"], 10), seed=seed)
        epochs = s["updates"] * s["batch_size"] // len(X)
        with one_blas_thread():
            train(model, Adam(s["lr"]), X / 16, y, epochs=epochs, batch_size=s["batch_size"],
                  seed=seed)
        for val_name, X_v in val_sets.items():
            result[f"{name}_{val_name}"] = model.accuracy(X_v, y_val)
    return result


def compute_augmentation_accuracies(seed=0, cache=True):
    """Validation accuracies of section 2.4's experiment (AUGMENT_SETUP, slide 40).

    ``seed`` picks the n_train training digits (stratified), the augmented copies, the
    initial weights and the batch order. Without augmentation the network sees the n_train
    images for updates·batch_size/n_train epochs; with it, the (copies + 1)·n_train images
    for proportionally fewer epochs, so both make the same number of weight updates.
    Returns {"plain_clean", "plain_moved", "augmented_clean", "augmented_moved"} (accuracy
    on the validation digits as they are / moved and tilted) and "gain_clean",
    "gain_moved" (augmented minus plain). ``cache=False`` trains afresh.
    """
    seed = _check_seed(seed)
    cache = check_bool(cache, "cache")
    r = dict(_augmentation_run(seed) if cache else _augmentation_run.__wrapped__(seed))
    for val_name in ("clean", "moved"):
        r[f"gain_{val_name}"] = r[f"augmented_{val_name}"] - r[f"plain_{val_name}"]
    return r


# --- dropout (slide 41) ----------------------------------------------------------------------

@lru_cache(maxsize=32)
def _dropout_run(rate, seed):
    s = DROPOUT_SETUP
    X, y, X_val, y_val = digits_data(s["n_train"], seed)
    model = build_mlp((64, *s["hidden"], 10), seed=seed, dropout=rate)
    with one_blas_thread():
        history = train(model, SGD(s["lr"]), X, y, epochs=s["epochs"],
                        batch_size=s["batch_size"], validation_data=(X_val, y_val), seed=seed)
    return _curves(history)


def compute_dropout_curves(rate=0.0, seed=0, cache=True):
    """Learning curves of DROPOUT_SETUP's network with inverted dropout of ``rate`` (slide 41).

    Every hidden layer is Linear -> ReLU -> Dropout(rate): in training each hidden output is
    kept with probability 1 - rate and scaled by 1/(1 - rate); in evaluation nothing is
    dropped. ``seed`` fixes the training subset, the initial weights, the masks and the
    batch order; ``cache=False`` trains afresh instead of reusing a cached run. Train and
    validation metrics are measured in evaluation mode after every epoch. Returns {"rate", "epochs" (1..E), "train_loss", "train_acc", "val_loss",
    "val_acc" (arrays of length E), "final_val_acc", "final_val_loss", "gap" (final train
    accuracy - final validation accuracy)}.
    """
    rate = float(check_in_range(rate, "dropout rate", 0.0, 0.95, high_inclusive=True))
    seed = _check_seed(seed)
    run = _dropout_run if check_bool(cache, "cache") else _dropout_run.__wrapped__
    c = {k: v.copy() for k, v in run(round(rate, 6), seed).items()}
    return {"rate": rate, "epochs": np.arange(1, len(c["train_loss"]) + 1), **c,
            "final_val_acc": float(c["val_acc"][-1]), "final_val_loss": float(c["val_loss"][-1]),
            "gap": float(c["train_acc"][-1] - c["val_acc"][-1])}


def draw_dropout_curves(ax, rate=0.0, seed=0):
    """Training and validation loss against epoch (log scale), accuracies in the title; a
    run that diverges (a large rate with few units left can) says so instead."""
    ax.set(xlabel="エポック", ylabel="損失 $L$（対数目盛）")
    try:
        r = compute_dropout_curves(rate, seed)
    except TrainingDiverged:
        ax.text(0.5, 0.5, "学習が発散しました（損失が NaN か極端に大きい値に）\n"
                "ドロップアウト率を下げるか、乱数の種を変えてみましょう",
                ha="center", va="center", transform=ax.transAxes, fontsize=9)
        ax.set_title(f"ドロップアウト率 {float(rate):.1f}：発散", fontsize=10)
        return
    ax.plot(r["epochs"], r["train_loss"], color="tab:blue", label="訓練データ")
    ax.plot(r["epochs"], r["val_loss"], color="tab:red", label="検証データ")
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 10)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(f"ドロップアウト率 {r['rate']:.1f}：検証正解率 {r['final_val_acc']:.1%}",
                 fontsize=10)


def show_dropout_curves():
    """A dropout-rate slider -> the learning curves (one training, about 0.5 s per change)."""
    import ipywidgets as widgets

    controls = {
        "rate": widgets.FloatSlider(value=0.3, min=0.0, max=0.8, step=0.1,
                                    description="ドロップアウト率",
                                    style={"description_width": "initial"}),
        "seed": widgets.IntSlider(value=0, min=0, max=4, description="乱数の種"),
    }
    return interactive_view(draw_dropout_curves, controls, heavy=True, figsize=(6, 4))


# --- batch normalization (slide 41) --------------------------------------------------------------

ACTIVATION_LABELS = {"relu": "ReLU", "sigmoid": "シグモイド"}
"""The activations the batch-normalization widget offers, with their Japanese names."""

STATUS_LABELS = {"trained": "学習できた", "stalled": "停滞（学習が進まない）", "diverged": "発散"}
"""Japanese words for the "status" of compute_batchnorm_curves."""


@lru_cache(maxsize=32)
def _batchnorm_run(batchnorm, lr, activation, seed):
    s = BATCHNORM_SETUP
    X, y, X_val, y_val = digits_data(s["n_train"], seed)
    model = build_mlp((64, *s["hidden"], 10), activation=activation, seed=seed,
                      batchnorm=batchnorm)
    record = {}

    def keep(epoch, history):  # the history survives a TrainingDiverged
        record["history"] = history

    diverged_epoch = None
    with one_blas_thread():
        try:
            train(model, SGD(lr), X, y, epochs=s["epochs"], batch_size=s["batch_size"],
                  validation_data=(X_val, y_val), seed=seed, callback=keep)
        except TrainingDiverged:
            diverged_epoch = record["history"].epochs + 1 if record else 1
    if record:
        return _curves(record["history"]), diverged_epoch
    return {k: np.zeros(0) for k in ("train_loss", "train_acc", "val_loss", "val_acc")}, 1


def compute_batchnorm_curves(batchnorm=True, lr=0.01, activation="relu", seed=0, cache=True):
    """Learning curves of BATCHNORM_SETUP's network with or without batch normalization.

    With ``batchnorm`` every hidden layer is Linear -> BatchNorm -> f: each unit's u is
    normalized over the mini-batch, û = (u - μ_B)/sqrt(σ²_B + ε), then o = γ û + β
    (slide 41); f is ``activation`` ("relu" with He or "sigmoid" with Xavier initial
    weights). Trained by SGD with learning rate ``lr`` (slide 29) for BATCHNORM_SETUP's epochs;
    ``seed`` fixes the training subset, the initial weights and the batch order, and
    ``cache=False`` trains afresh instead of reusing a cached run.

    Returns {"batchnorm", "lr", "activation", "epochs", "train_loss", "train_acc",
    "val_loss", "val_acc" (one value per completed epoch), "status", "diverged_epoch",
    "final_val_acc"}. status is "diverged" when the loss became NaN or inf (TrainingDiverged;
    diverged_epoch is the epoch it happened in, else None), "stalled" when the final training
    loss is above STALLED_LOSS (no better than guessing), otherwise "trained".
    final_val_acc is NaN when nothing was recorded.
    """
    if not isinstance(batchnorm, (bool, np.bool_)):
        raise TypeError(f"batchnorm must be True or False, got {batchnorm!r}")
    lr = float(check_positive(lr, "learning rate lr"))
    if not isinstance(activation, str) or activation not in ACTIVATION_LABELS:
        raise ValueError(f"activation must be one of {list(ACTIVATION_LABELS)}, "
                         f"got {activation!r}")
    run = _batchnorm_run if check_bool(cache, "cache") else _batchnorm_run.__wrapped__
    curves, diverged_epoch = run(bool(batchnorm), float(f"{lr:.6g}"), activation,
                                 _check_seed(seed))
    c = {k: v.copy() for k, v in curves.items()}
    if diverged_epoch is not None:
        status = "diverged"
    elif c["train_loss"][-1] > STALLED_LOSS:
        status = "stalled"
    else:
        status = "trained"
    return {"batchnorm": bool(batchnorm), "lr": lr, "activation": activation,
            "epochs": np.arange(1, len(c["train_loss"]) + 1), **c, "status": status,
            "diverged_epoch": diverged_epoch,
            "final_val_acc": float(c["val_acc"][-1]) if len(c["val_acc"]) else float("nan")}


def draw_batchnorm_curves(ax, batchnorm=True, lr=0.01, activation="relu", seed=0):
    """Training and validation loss against epoch (log scale); a cross where it diverged.

    The dotted line is ln 10 ≈ 2.30, the loss of guessing among the 10 digits.
    """
    r = compute_batchnorm_curves(batchnorm, lr, activation, seed)
    ax.plot(r["epochs"], r["train_loss"], "o-", ms=3, color="tab:blue", label="訓練データ")
    ax.plot(r["epochs"], r["val_loss"], "o-", ms=3, color="tab:red", label="検証データ")
    if r["status"] == "diverged":
        ax.plot([r["diverged_epoch"]], [5.0], "kx", ms=12, mew=2,
                label=f"発散（エポック {r['diverged_epoch']}）")
    ax.axhline(np.log(10), color="gray", ls=":", lw=1)
    ax.set_yscale("log")
    ax.set(xlim=(0, BATCHNORM_SETUP["epochs"] + 1), ylim=(1e-4, 20),
           xlabel="エポック", ylabel="損失 $L$（対数目盛）")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="lower left", fontsize=8)
    result = STATUS_LABELS[r["status"]]
    if r["status"] != "diverged":
        result += f"、検証正解率 {r['final_val_acc']:.0%}"
    name = "BN あり" if r["batchnorm"] else "BN なし"
    seed_text = f", 乱数の種 {seed}" if seed else ""
    ax.set_title(f"{ACTIVATION_LABELS[activation]}, {name}, η = {r['lr']:g}{seed_text}\n{result}",
                 fontsize=10)


def show_batchnorm_curves():
    """Batch norm on/off, activation, a logarithmic learning rate and the seed -> the
    learning curves.

    One training takes about half a second, so the controls update on release.
    """
    import ipywidgets as widgets

    from . import log_slider

    controls = {
        "batchnorm": widgets.ToggleButtons(options=[("BN なし", False), ("BN あり", True)],
                                           value=True, description="バッチ正規化"),
        "activation": widgets.ToggleButtons(
            options=[(label, key) for key, label in ACTIVATION_LABELS.items()], value="relu",
            description="活性化関数"),
        "lr": log_slider("学習率 η", 0.01, -3, 1),
        "seed": widgets.IntSlider(value=0, min=0, max=4, description="乱数の種"),
    }
    return interactive_view(draw_batchnorm_curves, controls, heavy=True, figsize=(6, 4))
