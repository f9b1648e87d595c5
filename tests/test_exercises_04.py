"""The checkers of notebook 04's exercises (dlcore.exercises.ex04): the right answer passes,
typical wrong answers are named, an untouched exercise says 「未解答」, and no expected value
is ever printed."""

import numpy as np
import pytest
from exercise_asserts import run

from dlcore.exercises import ex04


def not_written(*args):
    """The student edition's stub: a docstring and nothing else."""


# --- 問 1, 3, 4: numbers ------------------------------------------------------------------

def test_one_step():
    assert run(ex04.check_one_step, 3 - 0.1 * (2 * 3 - 2)) == (True, "問 1: 正解です！\n")
    ok, text = run(ex04.check_one_step, 3 + 0.1 * 4)
    assert not ok and "傾きと逆向き" in text and "2.6" not in text
    ok, text = run(ex04.check_one_step, 3 - 4)
    assert not ok and "学習率 η が掛かっていません" in text
    assert "未解答" in run(ex04.check_one_step, None)[1]


def test_max_learning_rate():
    assert run(ex04.check_max_learning_rate, 2 / 8)[0]
    ok, text = run(ex04.check_max_learning_rate, 1 / 8)
    assert not ok and "1/f''" in text and "0.25" not in text
    ok, text = run(ex04.check_max_learning_rate, 0.5)
    assert not ok and "f'' を 4 としています" in text
    assert "未解答" in run(ex04.check_max_learning_rate, None)[1]


def test_partial_derivatives():
    assert run(ex04.check_partial_derivatives, (4, 7))[0]
    ok, text = run(ex04.check_partial_derivatives, (7, 4))
    assert not ok and "順番が逆" in text
    ok, text = run(ex04.check_partial_derivatives, (4, 4))
    assert not ok and "微分 3 が入っていません" in text
    assert "未解答" in run(ex04.check_partial_derivatives, None)[1]


# --- 問 2: the gradient-descent loop -------------------------------------------------------

def gd_right(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x - lr * grad(x)
        path.append(x)
    return np.array(path)


def gd_plus(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x = x + lr * grad(x)
        path.append(x)
    return np.array(path)


def gd_eta_twice(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        step = lr * grad(x)
        x = x - lr * step
        path.append(x)
    return np.array(path)


def gd_in_place(grad, x0, lr, steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(steps):
        x -= lr * grad(x)
        path.append(x)
    return np.array(path)


def gd_without_start(grad, x0, lr, steps):
    return gd_right(grad, x0, lr, steps)[1:]


def test_gradient_descent_right_answer_and_a_list_of_floats():
    assert run(ex04.check_gradient_descent, gd_right) == (True, "問 2: 正解です！\n")

    def as_list(grad, x0, lr, steps):
        path = [x0]
        for _ in range(steps):
            path.append(path[-1] - lr * grad(path[-1]))
        return path

    assert run(ex04.check_gradient_descent, as_list)[0]


@pytest.mark.parametrize("wrong, needle", [
    (gd_plus, "+ で更新しています"), (gd_eta_twice, "η が 2 回掛かっています"),
    (gd_in_place, "その場で書き換えて"), (gd_without_start, "1 点足りません"),
])
def test_gradient_descent_wrong_answers(wrong, needle):
    ok, text = run(ex04.check_gradient_descent, wrong)
    assert not ok and needle in text, text


def test_gradient_descent_unanswered():
    assert "未解答" in run(ex04.check_gradient_descent, not_written)[1]


# --- 問 5: central differences -------------------------------------------------------------

def ng_right(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.size):
        keep = x[i]
        x[i] = keep + h
        f_plus = f(x)
        x[i] = keep - h
        f_minus = f(x)
        x[i] = keep
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def ng_right_by_adding(f, x, h=1e-5):  # restores x by arithmetic: equal up to rounding
    grad = np.zeros_like(x)
    for i in range(x.size):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        x[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def ng_forward(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.size):
        shifted = x.copy()
        shifted[i] += h
        grad[i] = (f(shifted) - f(x)) / h
    return grad


def ng_missing_2(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.size):
        plus, minus = x.copy(), x.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / h
    return grad


def ng_not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.size):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        grad[i] = (f_plus - f(x)) / (2 * h)
    return grad


def ng_not_restored_on_a_copy(f, x, h=1e-5):
    return ng_not_restored(f, x.copy(), h)


def test_numerical_gradient_right_answers():
    assert run(ex04.check_numerical_gradient, ng_right) == (True, "問 5: 正解です！\n")
    assert run(ex04.check_numerical_gradient, ng_right_by_adding)[0]


@pytest.mark.parametrize("wrong, needle", [
    (ng_forward, "前進差分"), (ng_missing_2, "2h ではなく h で割っています"),
    (ng_not_restored, "元の値に戻っていません"),
    (ng_not_restored_on_a_copy, "元に戻さないまま次の要素"),
])
def test_numerical_gradient_wrong_answers(wrong, needle):
    ok, text = run(ex04.check_numerical_gradient, wrong)
    assert not ok and needle in text, text


def test_numerical_gradient_unanswered():
    assert "未解答" in run(ex04.check_numerical_gradient, not_written)[1]
