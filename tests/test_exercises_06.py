"""The checkers of notebook 06's exercises (dlcore.exercises.ex06): the right answer passes,
typical wrong answers are named, an untouched exercise says 「未解答」, and no expected value
is ever printed."""

import numpy as np
from exercise_asserts import run

from dlcore.exercises import ex06


def not_written(*args, **kwargs):
    """The student edition's stub: a docstring and nothing else."""


# --- 問 1-3: numbers ------------------------------------------------------------------------

def test_sigmoid_grad_at_zero():
    assert run(ex06.check_sigmoid_grad_at_zero, 0.5 * (1 - 0.5)) == (True, "問 1: 正解です！\n")
    ok, text = run(ex06.check_sigmoid_grad_at_zero, 0.5)
    assert not ok and "σ(0) の値" in text and "0.25" not in text
    ok, text = run(ex06.check_sigmoid_grad_at_zero, 1.0)
    assert not ok and "e^0" in text
    assert "未解答" in run(ex06.check_sigmoid_grad_at_zero, None)[1]


def test_logit_gradient():
    s = 1 / (1 + np.exp(-np.log(3)))
    assert run(ex06.check_logit_gradient, s - 1)[0]
    ok, text = run(ex06.check_logit_gradient, 1 - s)
    assert not ok and "符号が逆" in text and "0.25" not in text
    ok, text = run(ex06.check_logit_gradient, s)
    assert not ok and "y を引いていません" in text
    ok, text = run(ex06.check_logit_gradient, s * (1 - s))
    assert not ok and "σ'(u) です" in text
    assert "未解答" in run(ex06.check_logit_gradient, None)[1]


def test_logsumexp():
    assert run(ex06.check_logsumexp, 1000 + np.log(np.exp(0) + np.exp(0)))[0]
    ok, text = run(ex06.check_logsumexp, 1000.0)
    assert not ok and "log(e^0 + e^0) が抜けて" in text and "1000.69" not in text
    ok, text = run(ex06.check_logsumexp, np.inf)
    assert not ok and "NaN や inf" in text
    ok, text = run(ex06.check_logsumexp, 2000.0)
    assert not ok and "log a + log b ではありません" in text
    assert "未解答" in run(ex06.check_logsumexp, None)[1]


# --- 問 4: ReLU backward ---------------------------------------------------------------------

def relu_backward(dout, u):
    return dout * (u > 0)


def relu_backward_one_everywhere(dout, u):
    return dout.copy()


def relu_backward_mask_at_zero(dout, u):
    return dout * (u >= 0)


def relu_backward_mask_from_output(dout, u):
    o = np.maximum(u, 0)
    return dout * (o >= 0)


def test_relu_backward():
    assert run(ex06.check_relu_backward, relu_backward) == (True, "問 4: 正解です！\n")
    ok, text = run(ex06.check_relu_backward, relu_backward_one_everywhere)
    assert not ok and "そのまま流しています" in text
    ok, text = run(ex06.check_relu_backward, relu_backward_mask_at_zero)
    assert not ok and "u = 0 の所が違います" in text
    ok, text = run(ex06.check_relu_backward, relu_backward_mask_from_output)
    assert not ok and "そのまま流しています" in text
    ok, text = run(ex06.check_relu_backward, lambda dout, u: (u > 0) * 1.0)
    assert not ok and "dout を掛けていません" in text
    assert "未解答" in run(ex06.check_relu_backward, not_written)[1]


# --- 問 5: Leaky ReLU backward ---------------------------------------------------------------

def leaky_relu_backward(dout, u, slope=0.03):
    return dout * np.where(u > 0, 1.0, slope)


def leaky_without_slope(dout, u, slope=0.03):
    return dout * (u > 0)


def leaky_slope_hard_coded(dout, u, slope=0.03):
    return dout * np.where(u > 0, 1.0, 0.03)


def leaky_mask_at_zero(dout, u, slope=0.03):
    return dout * np.where(u >= 0, 1.0, slope)


def leaky_one_everywhere(dout, u, slope=0.03):
    return dout


def test_leaky_relu_backward():
    assert run(ex06.check_leaky_relu_backward, leaky_relu_backward) == (True, "問 5: 正解です！\n")
    for wrong, needle in [
        (leaky_without_slope, "傾き slope が掛かっていません"),
        (leaky_slope_hard_coded, "引数 slope を使っていません"),
        (leaky_mask_at_zero, "u = 0 の所が違います"),
        (leaky_one_everywhere, "そのまま流しています"),
    ]:
        ok, text = run(ex06.check_leaky_relu_backward, wrong)
        assert not ok and needle in text, (wrong.__name__, text)
    assert "未解答" in run(ex06.check_leaky_relu_backward, not_written)[1]


# --- 問 6: a stable sigmoid ------------------------------------------------------------------

def stable_sigmoid(u):
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


def stable_sigmoid_by_tanh(u):
    return (1 + np.tanh(u / 2)) / 2


def naive_sigmoid(u):
    return 1 / (1 + np.exp(-u))


def sigmoid_inside_where(u):
    return np.where(u >= 0, 1 / (1 + np.exp(-u)), np.exp(u) / (1 + np.exp(u)))


def sigmoid_tanh_wrong_factor(u):
    return (1 + np.tanh(u)) / 2


def test_stable_sigmoid_accepts_both_stable_forms():
    assert run(ex06.check_stable_sigmoid, stable_sigmoid) == (True, "問 6: 正解です！\n")
    assert run(ex06.check_stable_sigmoid, stable_sigmoid_by_tanh)[0]


def test_stable_sigmoid_catches_the_overflow_of_the_naive_formula():
    with np.errstate(all="ignore"):  # the naive formula does return the right values
        assert np.allclose(naive_sigmoid(ex06.EXTREME_INPUTS),
                           stable_sigmoid(ex06.EXTREME_INPUTS))
    ok, text = run(ex06.check_stable_sigmoid, naive_sigmoid)
    assert not ok and "オーバーフロー" in text and "RuntimeWarning" in text
    ok, text = run(ex06.check_stable_sigmoid, sigmoid_inside_where)
    assert not ok and "オーバーフロー" in text and "np.where" in text


def test_stable_sigmoid_names_the_wrong_tanh_factor():
    ok, text = run(ex06.check_stable_sigmoid, sigmoid_tanh_wrong_factor)
    assert not ok and "tanh を使う式の係数が違います" in text
    ok, text = run(ex06.check_stable_sigmoid, lambda u: 1 / (1 + np.exp(-np.abs(u))))
    assert not ok and "まだ違います" in text
    assert "未解答" in run(ex06.check_stable_sigmoid, not_written)[1]
