"""The checkers of notebook 05's exercises (dlcore.exercises.ex05): the right answer passes,
typical wrong answers are named, an untouched exercise says 「未解答」, and no expected value
is ever printed."""

import numpy as np
from exercise_asserts import run

from dlcore.backprop_demo import slide22_example
from dlcore.exercises import ex05
from dlcore.functions import sigmoid, sigmoid_grad


def shows_no_number(text, value):
    return f"{value:.4f}" not in text and f"{value:.3f}" not in text


# --- 問 1-3: numbers ------------------------------------------------------------------------

def slide22_parts():
    """The notebook's worked example, written out as a student would (slide 25's pieces)."""
    W0, W1, x, y = slide22_example()
    u0 = W0 @ x
    u1 = W1 @ sigmoid(u0)
    return 2 * (sigmoid(u1[0]) - y), sigmoid_grad(u1[0]), sigmoid_grad(u0), W0, W1


def test_dx2():
    dL_do, df1, df0, W0, W1 = slide22_parts()
    right = dL_do * df1 * (W1[0, 0] * df0[0] * W0[0, 2] + W1[0, 1] * df0[1] * W0[1, 2])
    assert run(ex05.check_dx2, right) == (True, "問 1: 正解です！\n")
    ok, text = run(ex05.check_dx2, dL_do * df1 * (W1[0, 0] * df0[0] * W0[0, 1]
                                                 + W1[0, 1] * df0[1] * W0[1, 1]))
    assert not ok and "∂L/∂x₁ の値" in text and shows_no_number(text, right)
    ok, text = run(ex05.check_dx2, dL_do * df1 * W1[0, 0] * df0[0] * W0[0, 2])
    assert not ok and "u⁰₁ を通る道筋が抜けて" in text
    ok, text = run(ex05.check_dx2, dL_do * (W1[0, 0] * df0[0] * W0[0, 2]
                                           + W1[0, 1] * df0[1] * W0[1, 2]))
    assert not ok and "(f¹)'(u¹₀) が抜けて" in text
    ok, text = run(ex05.check_dx2, -right)
    assert not ok and "符号が逆" in text
    assert "未解答" in run(ex05.check_dx2, None)[1]


def test_chain_rule():
    t = np.tanh(0.7 ** 2)
    right = 2 * 0.7 * (1 - t ** 2) * 2 * (t - 1)
    assert run(ex05.check_chain_rule, right)[0]
    ok, text = run(ex05.check_chain_rule, (1 - t ** 2) * 2 * (t - 1))
    assert not ok and "2x が掛かっていません" in text and shows_no_number(text, right)
    ok, text = run(ex05.check_chain_rule, 2 * 0.7 * (1 - t) * 2 * (t - 1))
    assert not ok and "1 − tanh²(u)" in text
    assert "未解答" in run(ex05.check_chain_rule, None)[1]


def test_forward_passes():
    assert run(ex05.check_forward_passes, 2 * (64 * 100 + 100 + 100 * 10 + 10))[0]
    ok, text = run(ex05.check_forward_passes, 64 * 100 + 100 + 100 * 10 + 10)
    assert not ok and "2 回の順伝播" in text and "15020" not in text
    ok, text = run(ex05.check_forward_passes, 2 * (64 * 100 + 100 * 10))
    assert not ok and "バイアスの数も足しましょう" in text
    assert "未解答" in run(ex05.check_forward_passes, None)[1]


# --- 問 4: the sigmoid layer -----------------------------------------------------------------

class SigmoidLayer:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x, train=True):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout, need_dx=True):
        return dout * self.out * (1 - self.out)


class SigmoidDerivativeIsSigma(SigmoidLayer):
    def backward(self, dout, need_dx=True):
        return dout * self.out  # σ' = σ


class SigmoidWithoutDout(SigmoidLayer):
    def backward(self, dout, need_dx=True):
        return self.out * (1 - self.out)


class SigmoidFromInput(SigmoidLayer):
    def forward(self, x, train=True):
        self.x = x
        return 1 / (1 + np.exp(-x))

    def backward(self, dout, need_dx=True):
        return dout * self.x * (1 - self.x)  # σ(1 − σ) with u in place of σ(u)


class SigmoidNotWritten:
    """The student edition: the skeleton with docstrings only."""

    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x, train=True):
        """o = σ(x)"""

    def backward(self, dout, need_dx=True):
        """dL/dx"""


def test_sigmoid_layer():
    assert run(ex05.check_sigmoid_layer, SigmoidLayer) == (True, "問 4: 正解です！\n")
    ok, text = run(ex05.check_sigmoid_layer, SigmoidDerivativeIsSigma)
    assert not ok and "σ′(u) を σ(u) にしています" in text
    ok, text = run(ex05.check_sigmoid_layer, SigmoidWithoutDout)
    assert not ok and "dout を掛けていません" in text
    ok, text = run(ex05.check_sigmoid_layer, SigmoidFromInput)
    assert not ok and "入力 u をそのまま使っています" in text
    ok, text = run(ex05.check_sigmoid_layer, SigmoidNotWritten)
    assert not ok and "未解答" in text
    assert "未解答" in run(ex05.check_sigmoid_layer, None)[1]


# --- 問 5: the linear layer ------------------------------------------------------------------

class LinearLayer:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, x, train=True):
        self.x = x
        return x @ self.params["W"].T + self.params["b"]

    def backward(self, dout, need_dx=True):
        self.grads["W"][...] = dout.T @ self.x  # written in place
        self.grads["b"][...] = dout.sum(axis=0)
        return dout @ self.params["W"]


class LinearAssigning(LinearLayer):
    def backward(self, dout, need_dx=True):
        self.grads["W"] = dout.T @ self.x  # assigned: also fine
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"]


class LinearTransposedGradient(LinearLayer):
    def backward(self, dout, need_dx=True):
        self.grads["W"] = self.x.T @ dout  # x dUᵀ: the transposed shape
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"]


class LinearDividedByN(LinearLayer):
    def backward(self, dout, need_dx=True):
        self.grads["W"] = dout.T @ self.x / len(dout)
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"]


class LinearWTransposedInDx(LinearLayer):
    def backward(self, dout, need_dx=True):
        self.grads["W"] = dout.T @ self.x
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"].T


class LinearBiasNotSummed(LinearLayer):
    def backward(self, dout, need_dx=True):
        self.grads["W"] = dout.T @ self.x
        self.grads["b"] = dout
        return dout @ self.params["W"]


class LinearNoBias(LinearLayer):
    def forward(self, x, train=True):
        self.x = x
        return x @ self.params["W"].T


class LinearNotWritten:
    def __init__(self, W, b):
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}

    def forward(self, x, train=True):
        """u = x Wᵀ + b"""

    def backward(self, dout, need_dx=True):
        """grads and dL/dx"""


def test_linear_layer_right_both_ways():
    assert run(ex05.check_linear_layer, LinearLayer) == (True, "問 5: 正解です！\n")
    assert run(ex05.check_linear_layer, LinearAssigning) == (True, "問 5: 正解です！\n")


def test_linear_layer_names_the_typical_mistakes():
    for wrong, needle in [
        (LinearTransposedGradient, "転置した形"),
        (LinearDividedByN, "4 で割っています"),
        (LinearWTransposedInDx, "W の向きが逆です"),
        (LinearBiasNotSummed, "バッチ全体で足し合わせます"),
        (LinearNoBias, "バイアス b を足していません"),
    ]:
        ok, text = run(ex05.check_linear_layer, wrong)
        assert not ok and needle in text, (wrong.__name__, text)
    assert "未解答" in run(ex05.check_linear_layer, LinearNotWritten)[1]
    assert "未解答" in run(ex05.check_linear_layer, None)[1]


def test_linear_layer_feedback_shows_no_expected_value():
    ok, text = run(ex05.check_linear_layer, LinearDividedByN)
    rng_values = [f"{v:.3f}" for v in np.random.default_rng(5005).normal(size=20)]
    assert not ok and not any(v in text for v in rng_values)
