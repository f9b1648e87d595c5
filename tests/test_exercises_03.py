"""The checkers of notebook 03's exercises (dlcore.exercises.ex03): the right answer passes,
typical wrong answers are named, an untouched exercise says 「未解答」, and no expected value
is ever printed."""

import numpy as np
import pytest
from exercise_asserts import run

from dlcore import functions as F
from dlcore.exercises import ex03


def not_written(*args):
    """The student edition's stub: a docstring and nothing else."""


# --- 問 1: L1 -----------------------------------------------------------------------------

def l1_right(f, y):
    return np.mean(np.abs(y - f))


def l1_sum(f, y):
    return np.sum(np.abs(y - f))


def l1_no_abs(f, y):
    return np.mean(y - f)


def test_l1_loss():
    assert run(ex03.check_l1_loss, l1_right) == (True, "問 1: 正解です！\n")
    ok, text = run(ex03.check_l1_loss, l1_sum)
    assert not ok and "和になっています" in text
    ok, text = run(ex03.check_l1_loss, l1_no_abs)
    assert not ok and "絶対値が抜けています" in text
    ok, text = run(ex03.check_l1_loss, not_written)
    assert not ok and "未解答" in text


# --- 問 2: MSE ----------------------------------------------------------------------------

def mse_right(f, y):
    return np.sum((y - f) ** 2) / len(y)


def mse_sum(f, y):
    return np.sum((y - f) ** 2)


def mse_no_square(f, y):
    return np.mean(y - f)


def mse_rmse(f, y):
    return np.sqrt(np.mean((f - y) ** 2))


def test_mse_loss():
    assert run(ex03.check_mse_loss, mse_right)[0]
    for wrong, needle in ((mse_sum, "和になっています"), (mse_no_square, "2 乗が抜けています"),
                          (mse_rmse, "平方根")):
        ok, text = run(ex03.check_mse_loss, wrong)
        assert not ok and needle in text, text
    assert "未解答" in run(ex03.check_mse_loss, not_written)[1]


# --- 問 3: binary cross-entropy ------------------------------------------------------------

def bce_right(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_no_minus(p, y):
    return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_sum(p, y):
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_wrong_class(p, y):
    return -np.mean(y * np.log(1 - p) + (1 - y) * np.log(p))


def bce_slide16_only(p, y):
    return -np.mean(y * np.log(p))


@pytest.mark.parametrize("wrong, needle", [
    (bce_no_minus, "マイナス符号が抜けています"), (bce_sum, "和になっています"),
    (bce_wrong_class, "逆のクラス"), (bce_slide16_only, "y log p の項だけ"),
])
def test_binary_cross_entropy_wrong_answers(wrong, needle):
    ok, text = run(ex03.check_binary_cross_entropy, wrong)
    assert not ok and needle in text, text


def test_binary_cross_entropy_right_and_unanswered():
    assert run(ex03.check_binary_cross_entropy, bce_right) == (True, "問 3: 正解です！\n")
    assert "未解答" in run(ex03.check_binary_cross_entropy, not_written)[1]


# --- 問 4: softmax cross-entropy -----------------------------------------------------------

def softmax(u):
    e = np.exp(u - u.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sce_right(u, labels):
    p = softmax(u)
    return -np.mean(np.log(p[np.arange(len(labels)), labels]))


def sce_one_hot(u, labels):  # the one-hot form of the notebook is right too
    y = np.eye(u.shape[1])[labels]
    return -np.sum(y * np.log(softmax(u))) / len(u)


def sce_no_minus(u, labels):
    return np.mean(np.log(softmax(u)[np.arange(len(labels)), labels]))


def sce_sum(u, labels):
    return -np.sum(np.log(softmax(u)[np.arange(len(labels)), labels]))


def sce_no_softmax(u, labels):
    return -np.mean(u[np.arange(len(labels)), labels])


def sce_class_zero(u, labels):
    return -np.mean(np.log(softmax(u)[:, 0]))


def test_softmax_cross_entropy():
    assert run(ex03.check_softmax_cross_entropy, sce_right)[0]
    assert run(ex03.check_softmax_cross_entropy, sce_one_hot)[0]
    for wrong, needle in ((sce_no_minus, "マイナス符号"), (sce_sum, "和になっています"),
                          (sce_no_softmax, "ソフトマックスを通していません"),
                          (sce_class_zero, "クラス 0")):
        ok, text = run(ex03.check_softmax_cross_entropy, wrong)
        assert not ok and needle in text, text
    assert "未解答" in run(ex03.check_softmax_cross_entropy, not_written)[1]


# --- 問 5, 6: numbers ---------------------------------------------------------------------

def test_constant_predictions():
    assert run(ex03.check_constant_predictions, (4.0, 2.5))[0]
    assert run(ex03.check_constant_predictions, (4, 2))[0]  # any median is right for L1
    ok, text = run(ex03.check_constant_predictions, (2.5, 4.0))
    assert not ok and "入れ替わっています" in text
    ok, text = run(ex03.check_constant_predictions, (4.0, 4.0))
    assert not ok and "L1 の c が違います" in text
    ok, text = run(ex03.check_constant_predictions, (16 / 4 + 1, 2.5))
    assert not ok and "L2 の c が違います" in text
    assert "未解答" in run(ex03.check_constant_predictions, None)[1]
    assert "2 つの数の組" in run(ex03.check_constant_predictions, 4.0)[1]


def test_min_probability():
    assert run(ex03.check_min_probability, np.exp(-0.1))[0]
    assert run(ex03.check_min_probability, 0.905)[0]  # three decimals are enough
    ok, text = run(ex03.check_min_probability, 0.9)
    assert not ok and "近似" in text
    ok, text = run(ex03.check_min_probability, 10 ** -0.1)
    assert not ok and "常用対数" in text
    assert "未解答" in run(ex03.check_min_probability, None)[1]


# --- no expected value in any message -----------------------------------------------------

def test_no_expected_value_is_printed():
    printed = "".join(run(checker, answer)[1] for checker, answer in (
        (ex03.check_l1_loss, l1_sum), (ex03.check_mse_loss, mse_no_square),
        (ex03.check_binary_cross_entropy, bce_no_minus),
        (ex03.check_softmax_cross_entropy, sce_sum),
        (ex03.check_constant_predictions, (2.5, 4.0)), (ex03.check_min_probability, 0.5)))
    for value in (np.exp(-0.1), 4.0, 2.5, F.binary_cross_entropy(np.array([0.8]), np.array([1.0]))):
        assert f"{value:.3f}" not in printed and f"{value:.2f}" not in printed
    assert "0.9" not in printed
