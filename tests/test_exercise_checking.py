"""The shared machinery of the exercise checkers (dlcore.exercises.checking): how it calls a
student's code, and what its Japanese diagnosis says about typical mistakes."""

import numpy as np
import pytest

from dlcore.exercises.checking import (
    Unanswered,
    Wrong,
    call,
    expect_close,
    expect_layer,
    expect_number,
    run_check,
)
from dlcore.layers import Linear, Sigmoid


def message_of(body):
    """The text run_check prints for ``body`` (captured), and whether it passed."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        ok = run_check("問 9", body)
    return ok, buffer.getvalue()


def test_right_wrong_and_unanswered_are_reported_in_japanese():
    assert message_of(lambda: None) == (True, "問 9: 正解です！\n")
    ok, text = message_of(lambda: expect_number(None, 1.0))
    assert not ok and text.startswith("問 9: 未解答です")
    ok, text = message_of(lambda: expect_number(0.7, 0.25))
    assert not ok and text.startswith("問 9: まだ違います。") and "0.25" not in text


def test_quiet_prints_nothing(capsys):
    assert run_check("問 9", lambda: expect_number(2.0, 1.0), quiet=True) is False
    assert capsys.readouterr().out == ""


def test_call_explains_every_way_a_student_function_can_fail():
    def not_written(x):
        """docstring only: what the student edition's stub leaves"""

    def raises(x):
        raise NotImplementedError

    def crashes(x):
        return x @ np.ones((5, 5))

    def writes_into_input(x):
        x *= 2
        return x

    with pytest.raises(Unanswered, match="return を忘れず"):
        call(not_written, np.ones(3), name="f")
    with pytest.raises(Unanswered, match="中身がまだ"):
        call(raises, np.ones(3), name="f")
    with pytest.raises(Unanswered, match="まだ定義されていません"):
        call(None, np.ones(3), name="f")
    with pytest.raises(Wrong, match="エラーになりました：ValueError"):
        call(crashes, np.ones(3), name="f")
    with pytest.raises(Wrong, match="1 番目 の引数の配列を書き換えています"):
        call(writes_into_input, np.ones(3), name="f")
    with pytest.raises(Wrong, match="関数ではなく int"):
        call(3, name="f")


@pytest.mark.parametrize("got_of, needle", [
    (lambda e: -e, "符号が逆です"),
    (lambda e: e * 8, "1/n（平均）が抜けていませんか"),
    (lambda e: e / 8, "n で割る回数が多すぎませんか"),
    (lambda e: e * 2, "係数 1/2 や 2"),
    (lambda e: e * 3.7, "同じ倍率でずれています"),
    (lambda e: e.T, "転置"),
    (lambda e: np.where(e > 0, np.nan, e), "NaN や inf"),
])
def test_the_diagnosis_names_the_typical_mistake_without_the_answer(got_of, needle):
    expected = np.random.default_rng(0).normal(size=(4, 4))
    with pytest.raises(Wrong, match=needle) as error:
        expect_close(got_of(expected), expected, "値", n=8)
    assert f"{expected[0, 0]:.3f}" not in str(error.value)


def test_shape_mistakes_are_named():
    expected = np.zeros((3, 5))
    with pytest.raises(Wrong, match=r"\(5, 3\) になっています。\(3, 5\).*行と列が逆"):
        expect_close(np.zeros((5, 3)), expected, "出力")
    with pytest.raises(Wrong, match="平均や和を取りすぎ"):
        expect_close(0.0, expected, "出力")
    with pytest.raises(Wrong, match="1 つの数にしましょう"):
        expect_close(np.zeros(3), 0.0, "損失")


def test_a_known_mistake_gets_its_own_message_and_one_wrong_entry_is_located():
    expected = np.arange(6.0).reshape(2, 3) + 1
    with pytest.raises(Wrong, match="バイアス補正"):
        expect_close(expected + 0.5, expected, "更新後の W",
                     mistakes=[(expected + 0.5, "バイアス補正を忘れていませんか")])
    got = expected.copy()
    got[1, 2] += 1
    with pytest.raises(Wrong, match=r"6 個の要素のうち 1 個が違います（最初は位置 \(1, 2\)）"):
        expect_close(got, expected, "W")


class StudentLinear:
    """A student's linear layer; ``mistake`` selects one typical error."""

    def __init__(self, W, b, mistake=None):
        self.params = {"W": W, "b": b}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self.mistake = mistake

    def forward(self, x, train=True):
        self.x = x
        return x @ self.params["W"].T + self.params["b"]

    def backward(self, dout, need_dx=True):
        self.grads["W"] = dout.T @ self.x  # assigning is fine here
        self.grads["b"] = dout.sum(axis=0)
        if self.mistake == "mean":
            self.grads["W"] = self.grads["W"] / len(dout)
        if self.mistake == "W instead of W^T":
            return dout @ self.params["W"].T
        return dout @ self.params["W"]


def linear_pair(mistake=None, n_in=3, n_out=3):
    reference = Linear(n_in, n_out, seed=0)
    W, b = reference.params["W"].copy(), np.random.default_rng(1).normal(size=n_out)
    reference.params["b"][...] = b
    return StudentLinear(W.copy(), b.copy(), mistake), reference


def test_expect_layer_accepts_a_right_layer_and_names_two_typical_mistakes():
    x = np.random.default_rng(2).normal(size=(4, 3))
    student, reference = linear_pair()
    expect_layer(student, reference, x, "MyLinear")
    student, reference = linear_pair("mean")
    with pytest.raises(Wrong, match=r"grads\['W'\]：ちょうど 1/4 倍"):
        expect_layer(student, reference, x, "MyLinear")
    student, reference = linear_pair("W instead of W^T")
    with pytest.raises(Wrong, match="backward が返す ∂L/∂x：12 個の要素のうち"):
        expect_layer(student, reference, x, "MyLinear")
    student, reference = linear_pair("W instead of W^T", n_in=3, n_out=5)
    with pytest.raises(Wrong, match="backward を呼ぶとエラーになりました：ValueError"):
        expect_layer(student, reference, x, "MyLinear")


def test_expect_layer_runs_the_gradient_check_on_a_parameter_free_layer():
    class WrongSigmoid:
        def forward(self, x, train=True):
            self.o = 1 / (1 + np.exp(-x))
            return self.o

        def backward(self, dout, need_dx=True):
            return dout * self.o  # forgot the factor (1 - o)

    x = np.random.default_rng(3).normal(size=(5, 2))
    with pytest.raises(Wrong, match="backward が返す ∂L/∂x"):
        expect_layer(WrongSigmoid(), Sigmoid(), x, "MySigmoid")


def test_perturbed_init_changes_every_weight_by_a_tiny_relative_amount():
    from claim_margins import perturbed_init

    plain = Linear(4, 3, seed=0).params["W"]
    with perturbed_init(rel=1e-10, seed=5):
        noisy = Linear(4, 3, seed=0).params["W"]
    assert not np.array_equal(plain, noisy)
    np.testing.assert_allclose(noisy, plain, rtol=1e-9)
    np.testing.assert_array_equal(Linear(4, 3, seed=0).params["W"], plain)  # restored


def test_call_without_float_warnings_names_overflow_but_not_underflow():
    from dlcore.exercises.checking import call_without_float_warnings

    u = np.array([-1000.0, 0.0, 1000.0])
    with pytest.raises(Wrong, match="「オーバーフロー」が起きています.*RuntimeWarning.*ヒント"):
        call_without_float_warnings(lambda v: 1 / (1 + np.exp(-v)), u, name="f", hint="ヒント")
    with pytest.raises(Wrong, match="0 での割り算"):
        call_without_float_warnings(lambda v: 1 / v, u, name="f")
    result = call_without_float_warnings(lambda v: np.exp(-np.abs(v)), u, name="f")  # underflow
    np.testing.assert_array_equal(result, [0.0, 1.0, 0.0])
    with pytest.raises(Unanswered):
        call_without_float_warnings(None, u, name="f")
