"""Margin tests for notebook 08's claims that rest on floating-point numerics.

- §5, the optimizer race: who wins on each surface with each optimizer's best η, and the
  readings of the contact sheet with the shared η. The race has no random weights; another
  CPU's last bits are imitated by moving the start point by a relative 1e-10.
- §6, the digits network: the best η of each optimizer lies inside its grid, every one
  reaches 95 % validation accuracy, Adam has the lowest and SGD the highest validation loss
  after 10 epochs (the notebook's seed 0), with the initial weights perturbed by 1e-10.
"""

import numpy as np
import pytest
from claim_margins import perturbed_init

from dlcore.datasets import load_digits_split
from dlcore.network import build_mlp
from dlcore.optimizers import make_optimizer
from dlcore.training import train
from dlcore.widgets.optimizers import RIDGE_X, SURFACES, compute_race

NOISE_SEEDS = (1, 2)


def nudged_start(surface, k, rel=1e-10):
    start = np.array(SURFACES[surface].start)
    return tuple(start * (1 + rel * np.random.default_rng(k).normal(size=2)))


def races_from(start_of):
    return {(key, tuned): compute_race(key, x0=start_of(key)[0], y0=start_of(key)[1], tuned=tuned)
            for key in SURFACES for tuned in (False, True)}


@pytest.mark.parametrize("k", NOISE_SEEDS)
def test_race_claims_survive_a_nudged_start(k):
    races = races_from(lambda key: nudged_start(key, k))

    def final(key, tuned, name):
        return races[key, tuned]["runs"][name]["final_gap"]

    # the shared η (left column of the contact sheet)
    assert final("ravine", False, "momentum") < final("ravine", False, "sgd") / 5
    assert min(final("ravine", False, n) for n in ["rmsprop", "adam"]) > 10 * final(
        "ravine", False, "sgd")
    assert races["beale", False]["runs"]["momentum"]["diverged"]
    saddle = races["saddle", False]["runs"]
    assert abs(saddle["sgd"]["path"][-1, 1]) < 0.1
    assert all(abs(saddle[n]["path"][-1, 1]) > 0.9 for n in ["momentum", "rmsprop", "adam"])
    local_end = {n: r["path"][-1, 0] for n, r in races["local", False]["runs"].items()}
    assert local_end["momentum"] < RIDGE_X < min(local_end[n] for n in ["sgd", "rmsprop", "adam"])
    # each optimizer's best η (right column): the winners the notebook names
    assert final("ravine", True, "sgd") == max(final("ravine", True, n)
                                               for n in ["sgd", "momentum", "rmsprop", "adam"])
    assert races["ravine", True]["winner"] == "momentum"
    assert races["rosenbrock", True]["winner"] == "momentum"
    assert final("rosenbrock", True, "sgd") > 100 * final("rosenbrock", True, "adam")
    assert races["beale", True]["winner"] == "adam"
    saddle_tuned = races["saddle", True]["runs"]
    tied = [saddle_tuned[n]["final_gap"] for n in ["sgd", "rmsprop"]]
    others = [saddle_tuned[n]["final_gap"] for n in ["momentum", "adam"]]
    assert max(tied) < 1e-10 < 1e-7 < min(others)
    assert round(saddle_tuned["sgd"]["lr"], 2) == 0.18
    assert races["local", True]["winner"] == "sgd"
    assert races["local", True]["runs"]["sgd"]["path"][1, 0] < RIDGE_X


LR_GRIDS = {"sgd": [0.1, 0.3, 1.0], "momentum": [0.01, 0.03, 0.1],
            "rmsprop": [3e-4, 1e-3, 3e-3], "adam": [1e-3, 3e-3, 1e-2]}


def digits_history(data, name, lr):
    return train(build_mlp((64, 100, 10), seed=0), make_optimizer(name, lr=lr), data.X_train,
                 data.y_train, epochs=10, batch_size=32,
                 validation_data=(data.X_val, data.y_val), seed=0)


def test_digits_race_survives_perturbed_initial_weights():
    data = load_digits_split(val_size=0.2, seed=0)
    with perturbed_init(1e-10, seed=NOISE_SEEDS[0]):
        runs = {(n, lr): digits_history(data, n, lr) for n, grid in LR_GRIDS.items()
                for lr in grid}
    final = {key: h.val_loss[-1] for key, h in runs.items()}
    for name, grid in LR_GRIDS.items():  # the middle η wins by a clear margin
        assert final[name, grid[1]] < 0.95 * min(final[name, grid[0]], final[name, grid[2]])
        assert runs[name, grid[1]].val_acc[-1] > 0.95
    best = {name: final[name, grid[1]] for name, grid in LR_GRIDS.items()}
    ranked = sorted(best, key=best.get)
    assert ranked[0] == "adam" and best["adam"] < 0.97 * best[ranked[1]]
    assert ranked[-1] == "sgd" and best["sgd"] > 1.1 * best[ranked[-2]]
    sgd, adam = runs["sgd", 0.3], runs["adam", 3e-3]
    assert sgd.val_loss[0] < 0.8 * adam.val_loss[0]
