"""The checkers of notebook 01's exercises (dlcore.exercises.ex01): the right answer passes,
typical wrong answers are named, an untouched exercise says 「未解答」, and no expected value
is ever printed."""

import numpy as np
import pytest
from exercise_asserts import rejected, run

from dlcore.exercises import ex01
from dlcore.exercises.ex01 import _epoch_cases, _epoch_variant
from dlcore.perceptron import train_perceptron


@pytest.mark.parametrize("checker", [ex01.check_nor, ex01.check_output_by_hand,
                                     ex01.check_update_by_hand])
def test_unanswered_numbers(checker):
    for answer in (None, ...):
        ok, text = run(checker, answer)
        assert not ok and "未解答" in text


def test_nor():
    assert run(ex01.check_nor, (-0.5, -0.5, 0.2)) == (True, "問 1: 正解です！\n")
    assert run(ex01.check_nor, [-1, -2, 0.5])[0]                     # any NOR weights pass
    rejected(ex01.check_nor, (0.5, 0.5, -0.2), "これは OR です")
    rejected(ex01.check_nor, (-0.5, -0.5, 0.0), "(0, 0)")          # f(0) = 0: (0, 0) gives 0
    rejected(ex01.check_nor, (-0.5, 0.5), "3 つの数")


def test_output_by_hand():
    assert run(ex01.check_output_by_hand, (0.8 * 1 + (-0.4) * 1 - 0.3, 1))[0]
    rejected(ex01.check_output_by_hand, (0.4, 1), "c を足し忘れ")
    rejected(ex01.check_output_by_hand, (0.7, 1), "c の符号")
    rejected(ex01.check_output_by_hand, (0.1, 0), "u > 0 なら o = 1")
    for answer in ((0.4, 1), (0.7, 1), (0.1, 0), (0.3, 1)):
        assert "0.1" not in run(ex01.check_output_by_hand, answer)[1]


def test_update_by_hand():
    assert run(ex01.check_update_by_hand, (0.2 - 0.5, -0.1 - 0.5, 0.1 - 0.5))[0]
    rejected(ex01.check_update_by_hand, (0.7, 0.4, 0.6), "符号が逆")
    rejected(ex01.check_update_by_hand, (-0.3, -0.6, 0.1), "定数 c も")
    rejected(ex01.check_update_by_hand, (0.1, -0.2, 0.0), "y − u")
    for answer in ((0.7, 0.4, 0.6), (-0.3, -0.6, 0.1), (0.0, 0.0, 0.0)):
        assert "-0.3, -0.6, -0.4" not in run(ex01.check_update_by_hand, answer)[1]


# --- 問 4 (コード): one epoch of the learning rule, as a student would write it ---------------

def epoch_right(X, y, w, lr):
    """The answer: x0 = 1 in front of each sample, then w ← w + η (y − o) x."""
    for x_n, y_n in zip(X, y):
        x_aug = np.concatenate([[1.0], x_n])
        o = 1.0 if w @ x_aug > 0 else 0.0
        w = w + lr * (y_n - o) * x_aug
    return w


def epoch_flipped(X, y, w, lr):
    for x_n, y_n in zip(X, y):
        x_aug = np.concatenate([[1.0], x_n])
        o = 1.0 if w @ x_aug > 0 else 0.0
        w = w + lr * (o - y_n) * x_aug
    return w


def epoch_no_bias(X, y, w, lr):
    w = w.copy()
    for x_n, y_n in zip(X, y):
        o = 1.0 if w[1:] @ x_n + w[0] > 0 else 0.0
        w[1:] = w[1:] + lr * (y_n - o) * x_n
    return w


def epoch_with_u(X, y, w, lr):
    for x_n, y_n in zip(X, y):
        x_aug = np.concatenate([[1.0], x_n])
        w = w + lr * (y_n - w @ x_aug) * x_aug
    return w


def epoch_batch(X, y, w, lr):
    X_aug = np.column_stack([np.ones(len(X)), X])
    o = (X_aug @ w > 0).astype(float)
    return w + lr * (y - o) @ X_aug


def epoch_in_place(X, y, w, lr):
    for x_n, y_n in zip(X, y):
        x_aug = np.concatenate([[1.0], x_n])
        w += lr * (y_n - float(w @ x_aug > 0)) * x_aug
    return w


def epoch_not_written(X, y, w, lr):
    """The student edition's stub: a docstring and nothing else."""


def test_perceptron_epoch():
    assert run(ex01.check_perceptron_epoch, epoch_right) == (True, "問 4: 正解です！\n")
    rejected(ex01.check_perceptron_epoch, epoch_flipped, "符号が逆")
    rejected(ex01.check_perceptron_epoch, epoch_no_bias, "w0（定数 c）が更新されていません")
    rejected(ex01.check_perceptron_epoch, epoch_with_u, "y − u")
    rejected(ex01.check_perceptron_epoch, epoch_batch, "エポックの始めの重みで")
    rejected(ex01.check_perceptron_epoch, epoch_in_place, "書き換えています")
    ok, text = run(ex01.check_perceptron_epoch, epoch_not_written)
    assert not ok and "未解答" in text


def test_epoch_cases_tell_every_mistake_apart_and_print_no_weights():
    distinguished = set()
    for X, y, w, lr in _epoch_cases():
        r = train_perceptron(X, y, lr=lr, epochs=1, w=w[1:], c=float(w[0]))
        expected = np.r_[r["c"], r["w"]]
        assert np.allclose(_epoch_variant(X, y, w, lr, "right"), expected)
        distinguished |= {v for v in ("flipped", "no_bias", "u", "batch")
                          if not np.allclose(_epoch_variant(X, y, w, lr, v), expected)}
    assert distinguished == {"flipped", "no_bias", "u", "batch"}
    for wrong in (epoch_flipped, epoch_no_bias, epoch_with_u, epoch_batch):
        text = run(ex01.check_perceptron_epoch, wrong)[1]
        assert "." not in text.replace("。", ""), text   # no decimal number is printed
