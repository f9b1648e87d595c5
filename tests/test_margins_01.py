"""Margin tests for notebook 01's claims that rest on a run of the perceptron learning rule:
AND, OR and NAND are learned (AND in 9 epochs from the notebook's start), XOR never is and
its weights cycle with 3 errors from epoch 4 on; the same for the batch rule.

The rule only branches on the sign of u = w · x + c, so a run can differ between CPUs only if
some u lands within rounding error of 0. The tests measure the smallest |u| the notebook's runs
ever test, and re-run every claim from initial weights perturbed by a relative 1e-10 (as
tests/claim_margins.py does for dlcore's layers) and from ten other seeds.
"""

import numpy as np
import pytest

from dlcore.datasets import logic_gate
from dlcore.functions import step
from dlcore.perceptron import train_perceptron

LR, EPOCHS = 0.1, 50          # notebook 01, sections 6.1-6.2


def notebook_start(seed=0):
    """The notebook's initial weights: w ~ N(0, 1)², c ~ N(0, 1) from default_rng(seed)."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=2), float(rng.normal())


def perturbed(w, c, noise_seed, rel=1e-10):
    xi = np.random.default_rng(noise_seed).normal(size=3)
    return w * (1 + rel * xi[:2]), c * (1 + rel * xi[2])


def starts(seeds=range(10), noise_seeds=(1, 2)):
    for seed in seeds:
        w, c = notebook_start(seed)
        yield seed, w, c
        for k in noise_seeds:
            yield (seed, *perturbed(w, c, 1000 * k + seed))


def smallest_u(gate, w, c):
    """The smallest |u| the online rule tests in EPOCHS epochs (and at each epoch's end)."""
    X, y = logic_gate(gate)
    w, seen = np.array(w, dtype=float), []
    for _ in range(EPOCHS):
        for x_n, y_n in zip(X, y):
            u = x_n @ w + c
            seen.append(abs(u))
            w, c = w + LR * (y_n - step(u)) * x_n, c + LR * (y_n - step(u))
        seen.extend(np.abs(X @ w + c))
    return min(seen)


@pytest.mark.parametrize("gate", ["and", "or", "nand", "xor"])
def test_the_notebook_runs_never_come_near_a_tie(gate):
    # measured: 8.3e-3 (AND, OR, XOR) and 3.4e-2 (NAND); rounding differences are ~1e-16
    assert smallest_u(gate, *notebook_start()) > 1e-3


@pytest.mark.parametrize("batch", [False, True])
def test_separable_gates_are_learned_and_xor_never_from_every_start(batch):
    for seed, w, c in starts():
        for gate in ("and", "or", "nand"):
            r = train_perceptron(*logic_gate(gate), lr=LR, epochs=EPOCHS, w=w, c=c, batch=batch)
            assert r["converged_epoch"] is not None and r["errors"][-1] == 0, (gate, seed)
        r = train_perceptron(*logic_gate("xor"), lr=LR, epochs=EPOCHS, w=w, c=c, batch=batch)
        assert r["converged_epoch"] is None and r["errors"].min() >= 1, seed


def test_the_notebook_numbers_survive_a_perturbed_start():
    w0, c0 = notebook_start()
    for noise_seed in range(5):
        w, c = perturbed(w0, c0, noise_seed)
        and_run = train_perceptron(*logic_gate("and"), lr=LR, epochs=EPOCHS, w=w, c=c)
        assert and_run["converged_epoch"] == 9
        xor_run = train_perceptron(*logic_gate("xor"), lr=LR, epochs=EPOCHS, w=w, c=c)
        assert np.all(xor_run["errors"][4:] == 3)
        assert np.allclose(xor_run["w_history"][4:], xor_run["w_history"][4])
