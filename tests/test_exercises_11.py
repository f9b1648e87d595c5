"""The exercises of notebook 11 (dlcore.exercises.ex11): the right answers pass, typical wrong
answers are rejected with a message that names the mistake, untouched exercises report
「未解答」, and no feedback prints the expected value."""

import numpy as np
import pytest

from dlcore.exercises import ex11


def feedback(capsys, checker, answer):
    ok = checker(answer)
    return ok, capsys.readouterr().out


def assert_rejected(capsys, checker, answer, *phrases):
    ok, text = feedback(capsys, checker, answer)
    assert not ok and "まだ違います" in text, text
    for phrase in phrases:
        assert phrase in text, text
    return text


def assert_unanswered(capsys, checker, answer):
    ok, text = feedback(capsys, checker, answer)
    assert not ok and "未解答" in text, text


# --- 問 1 and 問 2: numbers ------------------------------------------------------------------------


def test_standardize(capsys):
    train_values = np.array([2.0, 4.0, 6.0, 8.0])
    ok, text = feedback(capsys, ex11.check_standardize,
                        (10 - train_values.mean()) / train_values.std())
    assert ok and "正解" in text
    assert feedback(capsys, ex11.check_standardize, 2.24)[0]  # rounded by hand: still right
    assert_rejected(capsys, ex11.check_standardize, 2.2)
    assert_unanswered(capsys, ex11.check_standardize, None)
    for wrong, phrase in [
        ((10 - 5) / np.std(train_values, ddof=1), "n − 1"),
        ((10 - 6) / np.std([2, 4, 6, 8, 10]), "統計量の計算に入れています"),
        (10 / np.sqrt(5), "平均を引いていません"),
        ((10 - 2) / 6, "min-max"),
    ]:
        text = assert_rejected(capsys, ex11.check_standardize, wrong, phrase)
        assert "2.23" not in text and "2.24" not in text  # √5, the answer


def test_dropout_value(capsys):
    ok, text = feedback(capsys, ex11.check_dropout_value, 3 / (1 - 0.2))
    assert ok and "正解" in text
    assert_unanswered(capsys, ex11.check_dropout_value, None)
    for wrong, phrase in [(3.0, "1/(1 − p) 倍"), (3 * 0.8, "(1 − p) 倍ではなく"), (3 / 0.2, "1 − p（残す確率）")]:
        text = assert_rejected(capsys, ex11.check_dropout_value, wrong, phrase)
        assert "3.75" not in text


# --- 問 3: inverted dropout ----------------------------------------------------------------------


class RightDropout:
    def __init__(self, rate, seed=0):
        self.rate = rate
        self.rng = np.random.default_rng(seed)

    def forward(self, x, train=True):
        if not train:
            self.scale = 1.0
            return x
        self.scale = (self.rng.random(x.shape) >= self.rate) / (1 - self.rate)
        return x * self.scale

    def backward(self, dout):
        return dout * self.scale


class NotRescaled(RightDropout):
    def forward(self, x, train=True):
        if not train:
            self.scale = 1.0
            return x
        self.scale = self.rng.random(x.shape) >= self.rate
        return x * self.scale


class DropsAtEvaluation(RightDropout):
    def forward(self, x, train=True):
        self.scale = (self.rng.random(x.shape) >= self.rate) / (1 - self.rate)
        return x * self.scale


class BackwardWithoutMask(RightDropout):
    def backward(self, dout):
        return dout


class ScalesAtEvaluation(RightDropout):
    def forward(self, x, train=True):
        out = super().forward(x, train)
        return out if train else x * (1 - self.rate)


class MaskReversed(RightDropout):
    def forward(self, x, train=True):
        if not train:
            self.scale = 1.0
            return x
        self.scale = (self.rng.random(x.shape) < self.rate) / (1 - self.rate)
        return x * self.scale


class OtherRandomNumbers(RightDropout):
    def forward(self, x, train=True):
        if not train:
            self.scale = 1.0
            return x
        self.scale = self.rng.binomial(1, 1 - self.rate, x.shape) / (1 - self.rate)
        return x * self.scale


class Unwritten:
    def __init__(self, rate, seed=0):
        self.rate = rate
        self.rng = np.random.default_rng(seed)

    def forward(self, x, train=True):
        """the student edition's stub: a docstring and a comment"""
        # ここに解答を書いてください

    def backward(self, dout):
        """the student edition's stub"""
        # ここに解答を書いてください


def test_dropout_layer_right_answer_passes(capsys):
    ok, text = feedback(capsys, ex11.check_dropout_layer, RightDropout)
    assert ok and text == "問 3: 正解です！\n"


def test_dropout_layer_unanswered(capsys):
    assert_unanswered(capsys, ex11.check_dropout_layer, Unwritten)
    assert_unanswered(capsys, ex11.check_dropout_layer, None)


@pytest.mark.parametrize("wrong, phrases", [
    (NotRescaled, ["訓練時の forward", "1/(1 − p) 倍していません"]),
    (DropsAtEvaluation, ["評価時", "入力をそのまま返します"]),
    (BackwardWithoutMask, ["backward", "マスクを掛けていません"]),
    (ScalesAtEvaluation, ["評価時に (1 − p) 倍"]),
    (MaskReversed, ["マスクの向きが逆"]),
    (OtherRandomNumbers, ["self.rng.random(x.shape) >= self.rate"]),
])
def test_dropout_layer_typical_mistakes_are_named(capsys, wrong, phrases):
    assert_rejected(capsys, ex11.check_dropout_layer, wrong, *phrases)


def test_dropout_layer_gradient_check_catches_an_inconsistent_backward(capsys):
    # dlcore's backward is matched only for the shapes compared; a backward that ignores the
    # mask of THIS forward (here: a fresh mask) is caught by the comparison or the gradient check
    class FreshMaskInBackward(RightDropout):
        def backward(self, dout):
            return dout * (self.rng.random(dout.shape) >= self.rate) / (1 - self.rate)

    assert_rejected(capsys, ex11.check_dropout_layer, FreshMaskInBackward, "backward")


# --- 問 4: batch normalization forward --------------------------------------------------------------


def right_bn(u, gamma, beta, eps=1e-5):
    mu = u.mean(axis=0)
    var = u.var(axis=0)
    return gamma * (u - mu) / np.sqrt(var + eps) + beta


def bn_over_features(u, gamma, beta, eps=1e-5):
    mu = u.mean(axis=1, keepdims=True)
    var = u.var(axis=1, keepdims=True)
    return gamma * (u - mu) / np.sqrt(var + eps) + beta


def bn_eps_outside(u, gamma, beta, eps=1e-5):
    return gamma * (u - u.mean(axis=0)) / (np.sqrt(u.var(axis=0)) + eps) + beta


def bn_unbiased(u, gamma, beta, eps=1e-5):
    return gamma * (u - u.mean(axis=0)) / np.sqrt(u.var(axis=0, ddof=1) + eps) + beta


def bn_without_gamma_beta(u, gamma, beta, eps=1e-5):
    return (u - u.mean(axis=0)) / np.sqrt(u.var(axis=0) + eps)


def bn_fixed_eps(u, gamma, beta, eps=1e-5):
    return right_bn(u, gamma, beta, 1e-5)


def bn_unwritten(u, gamma, beta, eps=1e-5):
    """the student edition's stub"""
    # ここに解答を書いてください


def test_batchnorm_forward_right_answer_passes(capsys):
    ok, text = feedback(capsys, ex11.check_batchnorm_forward, right_bn)
    assert ok and text == "問 4: 正解です！\n"


def test_batchnorm_forward_unanswered(capsys):
    assert_unanswered(capsys, ex11.check_batchnorm_forward, bn_unwritten)


@pytest.mark.parametrize("wrong, phrase", [
    (bn_over_features, "axis=1"),
    (bn_eps_outside, "平方根の外"),
    (bn_unbiased, "ddof=1"),
    (bn_without_gamma_beta, "γ と β を使っていません"),
    (bn_fixed_eps, "引数の eps"),
])
def test_batchnorm_forward_typical_mistakes_are_named(capsys, wrong, phrase):
    text = assert_rejected(capsys, ex11.check_batchnorm_forward, wrong, phrase)
    assert "[" not in text  # no array of expected values


# --- 問 5: a learning rate only batch normalization copes with -----------------------------


def test_breaking_lr(capsys):
    ok, text = feedback(capsys, ex11.check_breaking_lr, 1.5)
    assert ok and "正解" in text
    assert_rejected(capsys, ex11.check_breaking_lr, 2.0, "η = 2 より小さい")
    assert_unanswered(capsys, ex11.check_breaking_lr, None)
    assert_rejected(capsys, ex11.check_breaking_lr, 0.1, "BN なしでも学習できてしまいます")
    assert_rejected(capsys, ex11.check_breaking_lr, -1.0, "正の数")
    assert_rejected(capsys, ex11.check_breaking_lr, "2", "数で答えて")
