"""The checkers of notebook 08 (dlcore.exercises.ex08): the right answer passes, typical wrong
answers are rejected with a message naming the mistake, an untouched exercise says 「未解答」,
and the expected value never appears in the output."""

import numpy as np
import pytest

from dlcore.exercises import ex08


def run(checker, answer, capsys):
    ok = checker(answer)
    return ok, capsys.readouterr().out


class MyMomentum:
    def __init__(self, lr, beta=0.9):
        self.lr, self.beta = lr, beta
        self.v = None

    def step(self, w, g):
        if self.v is None:
            self.v = np.zeros_like(w)
        self.v = self.beta * self.v - self.lr * g
        return w + self.v


class MomentumAscends(MyMomentum):
    def step(self, w, g):
        if self.v is None:
            self.v = np.zeros_like(w)
        self.v = self.beta * self.v + self.lr * g
        return w + self.v


class MomentumMovesBeforeUpdatingV(MyMomentum):
    def step(self, w, g):
        if self.v is None:
            self.v = np.zeros_like(w)
        w = w + self.v
        self.v = self.beta * self.v - self.lr * g
        return w


class MomentumSubtractsV(MyMomentum):
    def step(self, w, g):
        if self.v is None:
            self.v = np.zeros_like(w)
        self.v = self.beta * self.v - self.lr * g
        return w - self.v


class MomentumUnanswered(MyMomentum):
    def step(self, w, g):
        """v ← β v − η g、W ← W + v。"""
        # ここに解答を書いてください


class MyAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def moments(self, g, square=True):
        if self.m is None:
            self.m, self.v = np.zeros_like(g), np.zeros_like(g)
        self.m = self.beta1 * self.m + (1 - self.beta1) * g
        self.v = self.beta2 * self.v + (1 - self.beta2) * (g**2 if square else g)

    def step(self, w, g):
        self.t += 1
        self.moments(g)
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamWithoutBiasCorrection(MyAdam):
    def step(self, w, g):
        self.t += 1
        self.moments(g)
        return w - self.lr * self.m / (np.sqrt(self.v) + self.eps)


class AdamWithoutSquare(MyAdam):
    def step(self, w, g):
        self.t += 1
        self.moments(g, square=False)
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamEpsInsideTheRoot(MyAdam):
    def step(self, w, g):
        self.t += 1
        self.moments(g)
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return w - self.lr * m_hat / np.sqrt(v_hat + self.eps)


class AdamTNotIncremented(MyAdam):
    def step(self, w, g):
        self.moments(g)
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamTStaysOne(MyAdam):
    def step(self, w, g):
        self.t = 1
        self.moments(g)
        m_hat = self.m / (1 - self.beta1)
        v_hat = self.v / (1 - self.beta2)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamUnanswered(MyAdam):
    def step(self, w, g):
        """Adam の 1 回分。"""
        # ここに解答を書いてください


def test_momentum_right_answer_passes(capsys):
    ok, out = run(ex08.check_momentum, MyMomentum, capsys)
    assert ok and "正解です" in out


@pytest.mark.parametrize("wrong, phrase", [
    (MomentumAscends, "勾配の向きに進んでいます"),
    (MomentumMovesBeforeUpdatingV, "古い v"),
    (MomentumSubtractsV, "W ← W − v"),
])
def test_momentum_wrong_answers_are_named(wrong, phrase, capsys):
    ok, out = run(ex08.check_momentum, wrong, capsys)
    assert not ok and phrase in out, out


def test_momentum_unanswered(capsys):
    ok, out = run(ex08.check_momentum, MomentumUnanswered, capsys)
    assert not ok and "未解答" in out


def test_adam_right_answer_passes(capsys):
    ok, out = run(ex08.check_adam, MyAdam, capsys)
    assert ok and "正解です" in out


@pytest.mark.parametrize("wrong, phrase", [
    (AdamWithoutBiasCorrection, "バイアス補正"),
    (AdamWithoutSquare, "2 乗"),
    (AdamEpsInsideTheRoot, "平方根の中"),
    (AdamTNotIncremented, "t を 1 から"),
    (AdamTStaysOne, "t が増えていません"),
])
def test_adam_wrong_answers_are_named(wrong, phrase, capsys):
    ok, out = run(ex08.check_adam, wrong, capsys)
    assert not ok and phrase in out, out


def test_adam_unanswered(capsys):
    ok, out = run(ex08.check_adam, AdamUnanswered, capsys)
    assert not ok and "未解答" in out


@pytest.mark.parametrize("checker, right, wrongs", [
    (ex08.check_ravine_steps, 241, [(240, "切り捨て"), (44, "x 方向")]),
    (ex08.check_momentum_by_hand, 0.8 + (0.9 * (-0.2) - 0.1 * 2 * 0.8),
     [(0.64, "普通の勾配降下法"), (1.2 - (0.9 * (-0.2) - 0.1 * 2 * 1.2), "勾配の向き")]),
    (ex08.check_adam_first_step, 5 - 0.01 * 1000 / (1000 + 1e-8),
     [(5.01, "符号が逆"), (-5.0, "SGD")]),
])
def test_numeric_questions(checker, right, wrongs, capsys):
    ok, out = run(checker, right, capsys)
    assert ok and "正解です" in out
    for wrong, phrase in wrongs:
        ok, out = run(checker, wrong, capsys)
        assert not ok and phrase in out, out
        assert f"{right:g}" not in out and str(round(right, 2)) not in out
    ok, out = run(checker, None, capsys)
    assert not ok and "未解答" in out
