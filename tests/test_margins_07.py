"""Margin tests for notebook 07's claims that rest on training runs.

Each re-runs a claim with the notebook's settings, for the notebook's seed with the initial
weights perturbed by 1e-10 (another CPU's last bits), and, where the notebook states the
claim as a general fact, over several seeds:

- §4, batch size: after one epoch the loss is ordered m = 1 < 32 < full batch; the batch
  losses vary less for larger batches; after 10 epochs the full batch stays > 0.1 above
  m = 32 (seeds 0-2), and m = 32 ends within 0.05 of m = 1 (the notebook's run).
- §7, digits: training accuracy 100 %, validation >= 95 %, test >= 97 %, and the gap between
  validation and training loss (seeds 0-2).
- §8, the playground's contact sheets: gaussian without hidden layers, circle/XOR/moons
  helped by hidden layers, the spiral unsolved; small η needs many updates; η = 3 kills the
  ReLUs (m = 5 for seeds 0-3; m = 5 and 20 in the notebook's run).
- 問 4: the worked settings pass on the fresh test set, a linear model does not.
"""

import numpy as np
import pytest
from claim_margins import outcomes, perturbed_init

import dlcore
from dlcore.datasets import load_digits_split, make_2d_dataset, make_moons
from dlcore.network import build_mlp
from dlcore.optimizers import SGD, Adam
from dlcore.widgets.playground import DEFAULTS, N_POINTS, compute_playground

N = 300


def batch_size_run(seed):
    """Notebook 07 §4 for one seed: one-epoch losses, batch-loss variances, final losses."""
    X, y = make_moons(n=N, noise=0.2, seed=0)
    one, variance, final = {}, {}, {}
    for m in (1, 32, N):
        losses = []
        model = build_mlp([2, 16, 16, 1], activation="tanh", loss="sigmoid_cross_entropy",
                          seed=seed)
        dlcore.train(model, SGD(lr=0.1), X, y, epochs=10, batch_size=m, seed=seed,
                     train_metrics="running", batch_callback=losses.append)
        variance[m] = np.var(losses[len(losses) // 2:])
        final[m] = model.loss(X, y)
        model = build_mlp([2, 16, 16, 1], activation="tanh", loss="sigmoid_cross_entropy",
                          seed=seed)
        one[m] = dlcore.train(model, SGD(lr=0.1), X, y, epochs=1, batch_size=m,
                              seed=seed).train_loss[0]
    return one, variance, final


def test_batch_size_effect_holds_for_every_seed_and_perturbation():
    notebook_runs = outcomes(batch_size_run, seeds=[0])  # seed 0, plain and perturbed
    for one, variance, final in notebook_runs + [batch_size_run(seed) for seed in (1, 2)]:
        assert one[1] < one[32] < one[N], one
        assert variance[1] > 10 * variance[32] > 100 * variance[N], variance
        assert final[N] - final[32] > 0.1, final
    for _, _, final in notebook_runs:  # m = 32 ends close to m = 1 (the notebook's run)
        assert abs(final[32] - final[1]) < 0.05, final


def digits_run(seed):
    split = load_digits_split(test_size=0.25, val_size=0.1, seed=0)
    model = build_mlp([64, 100, 10], activation="relu", seed=seed)
    h = dlcore.train(model, Adam(lr=3e-3), split.X_train, split.y_train, epochs=20,
                     batch_size=32, validation_data=(split.X_val, split.y_val), seed=seed)
    return h, model.accuracy(split.X_test, split.y_test)


def test_digits_accuracy_holds_for_seeds_and_perturbations():
    for h, test_acc in outcomes(digits_run, seeds=range(3), noise_seeds=(1,)):
        assert h.train_acc[-1] == 1.0 and h.train_loss[-1] < h.train_loss[0] / 20
        assert h.val_acc[-1] >= 0.96 and test_acc >= 0.974, (h.val_acc[-1], test_acc)
        assert h.val_loss[-1] > 8 * h.train_loss[-1]
        assert 0.8 * h.val_loss[h.epochs // 2] < h.val_loss[-1]


def sheet(seed):
    return {(d, layers): compute_playground(**DEFAULTS | dict(dataset=d, hidden_layers=layers,
                                                               seed=seed))["val_acc"]
            for d in ("gaussian", "circle", "xor", "moons", "spiral") for layers in (0, 2)}


def test_hidden_layer_sheet_holds_for_seeds_and_perturbations():
    for acc in outcomes(sheet, seeds=range(3), noise_seeds=(1,)):
        assert acc["gaussian", 0] >= 0.95
        for d in ("circle", "xor", "moons"):
            assert acc[d, 0] + 0.05 < acc[d, 2], (d, acc)
        for d in ("circle", "xor"):
            assert acc[d, 0] < 0.7 and acc[d, 2] >= 0.85, (d, acc)
        assert max(acc["spiral", 0], acc["spiral", 2]) < 0.7


def dead_relu(result):
    inside = result["proba"][np.hypot(result["xx"], result["yy"]) <= 1.2]
    return np.ptp(inside) < 0.1 and result["val_acc"] < 0.7


def lr_sheet(seed):
    return {(lr, m): compute_playground(**DEFAULTS | dict(lr=lr, batch_size=m, seed=seed))
            for lr in (0.03, 0.3, 3.0) for m in (5, 20, 100)}


def test_learning_rate_batch_sheet_holds_for_seeds_and_perturbations():
    for k, runs in enumerate(outcomes(lr_sheet, seeds=range(4), noise_seeds=(1,))):
        acc = {key: r["val_acc"] for key, r in runs.items()}
        assert acc[0.03, 5] > acc[0.03, 100] + 0.3
        assert acc[0.3, 5] >= 0.95 and acc[0.3, 20] >= 0.95
        assert acc[0.3, 100] < acc[0.3, 20] - 0.1
        assert dead_relu(runs[3.0, 5])  # every seed
        if k < 2:  # the notebook's seed 0, plain and perturbed: m = 20 dies too
            assert dead_relu(runs[3.0, 20])


SPIRAL = dict(dataset="spiral", noise=0.05, train_ratio=0.8, hidden_layers=2, neurons=16,
              activation="relu", lr=0.3, batch_size=10, epochs=200)


@pytest.mark.parametrize("perturb", [False, True])
def test_spiral_answer_passes_the_fresh_test_set_with_a_margin(perturb):
    X_test, y_test = make_2d_dataset("spiral", n=N_POINTS, noise=0.05, seed=1000)
    with perturbed_init(1e-10, seed=3) if perturb else np.errstate():
        deep = compute_playground(**DEFAULTS | SPIRAL)
        linear = compute_playground(**DEFAULTS | SPIRAL | dict(hidden_layers=0))
    assert deep["model"].accuracy(X_test, y_test) >= 0.93      # 問 4 asks for 85 %
    assert linear["model"].accuracy(X_test, y_test) < 0.7
