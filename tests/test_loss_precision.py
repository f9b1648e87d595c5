"""The two numeric findings of the bad-input audit, each checked against an independent
computation: binary cross-entropy keeps full precision for confident answers, and soft or
one-hot targets are validated so that softmax cross-entropy's gradient is right."""

import math

import numpy as np
import pytest

from dlcore import functions as F
from dlcore.gradcheck import numerical_gradient
from dlcore.layers import SigmoidCrossEntropy, SoftmaxCrossEntropy


def reference_bce(u, y):
    """-[y log σ(u) + (1 - y) log(1 - σ(u))] with math.log1p/exp in full precision, one
    sample at a time (log σ(u) = -log(1 + e^{-u}), log(1 - σ(u)) = -log(1 + e^{u}))."""
    if u >= 0:
        log_p, log_not_p = -math.log1p(math.exp(-u)), -u - math.log1p(math.exp(-u))
    else:
        log_p, log_not_p = u - math.log1p(math.exp(u)), -math.log1p(math.exp(u))
    return -(y * log_p + (1 - y) * log_not_p)


@pytest.mark.parametrize("u, y", [(30.0, 1.0), (40.0, 1.0), (-40.0, 0.0), (50.0, 1.0),
                                  (-30.0, 1.0), (30.0, 0.0), (0.3, 0.7), (-800.0, 1.0),
                                  (800.0, 0.0), (12.0, 0.25)])
def test_binary_cross_entropy_with_logits_is_accurate_to_the_last_digits(u, y):
    got = F.binary_cross_entropy_with_logits(np.array([u]), np.array([y]))
    assert got == pytest.approx(reference_bce(u, y), rel=1e-12, abs=0)
    layer = SigmoidCrossEntropy()
    assert layer.forward(np.array([[u]]), np.array([y])) == pytest.approx(got, rel=1e-15)


def test_binary_cross_entropy_rejects_targets_outside_0_1():
    with pytest.raises(ValueError, match=r"target y must lie in \[0, 1\].*from 0 to 5"):
        F.binary_cross_entropy_with_logits(np.array([1.0, 2.0]), np.array([0.0, 5.0]))
    with pytest.raises(ValueError, match=r"binary labels y must lie in \[0, 1\]"):
        SigmoidCrossEntropy().forward(np.zeros((2, 1)), np.array([np.nan, 1.0]))


def test_soft_targets_give_the_gradient_of_their_loss():
    rng = np.random.default_rng(0)
    u = rng.normal(size=(4, 3))
    T = rng.dirichlet(np.ones(3), size=4)  # soft labels: rows sum to 1
    layer = SoftmaxCrossEntropy()
    layer.forward(u, T)
    numeric = numerical_gradient(lambda v: SoftmaxCrossEntropy().forward(v, T), u.copy())
    np.testing.assert_allclose(layer.backward(), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("T, message", [
    (np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 0.0]]), "row 0 sums to 2"),      # multi-hot
    (np.array([[-1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]), r"probabilities in \[0, 1\]"),
    (np.array([[0.2, 0.2, 0.2], [0.0, 1.0, 0.0]]), "row 0 sums to 0.6"),
])
def test_targets_that_are_not_distributions_are_refused(T, message):
    with pytest.raises(ValueError, match=message):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), T)
    with pytest.raises(ValueError, match=message):
        F.softmax_cross_entropy(np.zeros((2, 3)), T)
