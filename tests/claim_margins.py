"""Margin tests for the course's headline claims (DEVELOPERS.md: every claim holds on every CPU).

NumPy computes exp, log and sums with different instructions on different CPUs (AVX-512,
AVX2, SSE), so a training run differs in its last bits from machine to machine, and a
chaotic run amplifies that. A claim is robust when it survives such differences. These
helpers imitate them: ``perturbed_init`` multiplies every initial weight that dlcore draws
by (1 + ε ξ) with ξ ~ N(0, 1) and ε = 1e-10 by default -- a change far below anything a
notebook prints -- and ``outcomes`` re-runs a claim over several seeds with and without
that noise, so a test can assert "holds in every run" or "holds in at least k of n runs".
"""

import contextlib

import numpy as np

from dlcore import conv, layers, rnn
from dlcore.initializers import get_initializer

MODULES_THAT_INITIALIZE = (layers, conv, rnn)


@contextlib.contextmanager
def perturbed_init(rel=1e-10, seed=0):
    """Inside the block, every weight array made through ``get_initializer`` (Linear, Conv2D,
    RNN) is multiplied by (1 + rel * ξ) with ξ drawn from its own generator ``seed``; the
    layers' own random streams are left untouched."""
    noise = np.random.default_rng(seed)

    def perturbing(init):
        make = get_initializer(init)

        def perturbed(shape, rng):
            W = make(shape, rng)
            return W * (1.0 + rel * noise.normal(size=W.shape))

        return perturbed

    saved = [(m, m.get_initializer) for m in MODULES_THAT_INITIALIZE]
    try:
        for module in MODULES_THAT_INITIALIZE:
            module.get_initializer = perturbing
        yield
    finally:
        for module, original in saved:
            module.get_initializer = original


def outcomes(run, seeds, rel=1e-10, noise_seeds=(1, 2)):
    """[run(seed) for each seed, unperturbed and under ``perturbed_init`` with each noise
    seed]: 1 + len(noise_seeds) results per seed, in that order."""
    results = []
    for seed in seeds:
        results.append(run(seed))
        for k in noise_seeds:
            with perturbed_init(rel, seed=1000 * k + seed):
                results.append(run(seed))
    return results
