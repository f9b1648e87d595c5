"""Margin tests for notebook 10's headline claims (the U-shaped test error, overfitting of
the MLP, early stopping, the λ chosen by cross-validation): each is re-run as the notebook
runs it, with the initial weights (or the data) perturbed by 1e-10 (tests/claim_margins.py),
and must hold in the form the notebook states it."""

import numpy as np
import pytest
from claim_margins import outcomes
from sklearn.model_selection import GridSearchCV, KFold

from dlcore.datasets import load_digits_split
from dlcore.network import build_mlp
from dlcore.optimizers import Adam
from dlcore.sklearn_api import DLClassifier
from dlcore.training import train
from dlcore.widgets.overfitting import fit_polynomial, polynomial_data, polynomial_mse

EPOCHS, LR = 40, 3e-3   # notebook 10, sections 4.3 and 5


@pytest.fixture(scope="module")
def noisy_digits():
    """Section 4.1: 20 % training digits with 30 % of their labels changed."""
    split = load_digits_split(test_size=0.6, val_size=0.2, seed=0)
    rng = np.random.default_rng(0)
    y_noisy = split.y_train.copy()
    flipped = rng.choice(len(y_noisy), size=int(0.3 * len(y_noisy)), replace=False)
    y_noisy[flipped] = (y_noisy[flipped] + rng.integers(1, 10, size=len(flipped))) % 10
    return split, y_noisy


def test_u_shaped_test_error_with_perturbed_data():
    """Section 2.3: the degree with the smallest test error is 3, also when every training
    value is perturbed by 1e-10 (as another CPU's rounding would)."""
    x, y, x_test, y_test = polynomial_data(n=20, noise=0.2, seed=0)
    rng = np.random.default_rng(1)
    for trial in range(3):
        y_t = y if trial == 0 else y * (1 + 1e-10 * rng.normal(size=y.shape))
        test = np.array([polynomial_mse(fit_polynomial(x, y_t, d), x_test, y_test)
                         for d in range(1, 16)])
        assert np.argmin(test) == 2 and min(test[3:]) - test[2] > 1e-4
        assert test[0] > test[2] < test[-1] and test[-1] > 100 * test[2]


def test_overfitting_and_early_stopping(noisy_digits):
    split, y_noisy = noisy_digits
    val = (split.X_val, split.y_val)

    def run(seed):
        base = build_mlp((64, 64, 10), seed=seed)
        hist = train(base, Adam(lr=LR), split.X_train, y_noisy, epochs=EPOCHS,
                     validation_data=val, seed=seed)
        es = build_mlp((64, 64, 10), seed=seed)
        hist_es = train(es, Adam(lr=LR), split.X_train, y_noisy, epochs=EPOCHS,
                        validation_data=val, patience=5, seed=seed)
        return (base.accuracy(split.X_train, y_noisy), base.accuracy(split.X_test, split.y_test),
                hist, hist_es, es.accuracy(split.X_test, split.y_test))

    results = outcomes(run, seeds=(0, 1))
    for train_acc, test_acc, hist, hist_es, es_test in results:
        assert train_acc > 0.95 and test_acc < train_acc - 0.2          # 5.3: memorized
        assert hist.best_epoch < EPOCHS // 2 and hist.val_loss[-1] > 1.1 * min(hist.val_loss)
        assert max(hist.val_acc) > hist.val_acc[-1] + 0.05
        assert hist_es.stopped_early and hist_es.epochs == hist_es.best_epoch + 5 < EPOCHS
        assert es_test > test_acc + 0.03                                # 5.8: it helps
    for *_, hist_es, _ in results[:3]:   # seed 0: the notebook prints best epoch 12, stop at 17
        assert (hist_es.best_epoch, hist_es.epochs) == (12, 17)
        losses = np.sort(hist_es.val_loss)
        assert losses[1] > losses[0] * 1.005   # the minimum is not a near tie


def test_cross_validation_chooses_lambda_0_1(noisy_digits):
    split, y_noisy = noisy_digits

    def run(seed):
        grid = GridSearchCV(DLClassifier(hidden_layer_sizes=(64,), lr=LR, epochs=EPOCHS, seed=seed),
                            {"weight_decay": [0.0, 1e-2, 1e-1, 1.0]}, cv=KFold(n_splits=3))
        grid.fit(split.X_train, y_noisy)
        return grid.cv_results_["mean_test_score"]

    for scores in outcomes(run, seeds=(0,), noise_seeds=(1,)):
        assert np.argmax(scores) == 2 and scores[2] > np.sort(scores)[-2] + 0.03
        assert scores[-1] < scores[0]
