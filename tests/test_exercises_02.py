"""The checkers of notebook 02's exercises (dlcore.exercises.ex02): the right answer passes,
typical wrong answers are named, an untouched exercise says 「未解答」, and no expected value
is ever printed."""

import numpy as np
import pytest
from exercise_asserts import rejected, run

from dlcore.exercises import ex02
from dlcore.functions import sigmoid


@pytest.mark.parametrize("checker", [ex02.check_weight_index, ex02.check_xor_via_or_and,
                                     ex02.check_max_regions, ex02.check_bump_challenge])
def test_unanswered(checker):
    for answer in (None, ...):
        ok, text = run(checker, answer)
        assert not ok and "未解答" in text


def test_weight_index():
    assert run(ex02.check_weight_index, (0, 0, 1)) == (True, "問 2: 正解です！\n")
    rejected(ex02.check_weight_index, (0, 1, 0), "順番が逆")
    rejected(ex02.check_weight_index, (1, 0, 1), "出ていく")
    assert "(0, 0, 1)" not in run(ex02.check_weight_index, (0, 1, 0))[1]


XOR_VIA_OR_AND = (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5]),
                  np.array([[1.0, -1.0]]), np.array([-0.5]))


def test_xor_via_or_and():
    assert run(ex02.check_xor_via_or_and, XOR_VIA_OR_AND)[0]
    W0, b0, W1, b1 = XOR_VIA_OR_AND
    rejected(ex02.check_xor_via_or_and, (W0, b0[::-1], W1, b1), "ニューロン 0 が OR")
    rejected(ex02.check_xor_via_or_and, (W0, b0, np.array([[1.0, 1.0]]), b1), "出力が XOR")
    rejected(ex02.check_xor_via_or_and, (W0, b0, W1.T, b1), "形が合いません")
    rejected(ex02.check_xor_via_or_and, (W0, b0, W1), "4 つの組")


def test_max_regions():
    assert run(ex02.check_max_regions, 1 + 1 + 2 + 3 + 4 + 5)[0]
    rejected(ex02.check_max_regions, 15, "数え忘れ")
    rejected(ex02.check_max_regions, 32, "2^5")
    rejected(ex02.check_max_regions, 16.0, "整数")
    for answer in (15, 32, 10, 20):
        assert "16" not in run(ex02.check_max_regions, answer)[1]


# --- 問 5 (コード): the forward pass for a batch, as a student would write it -----------------

def forward_right(X, W0, b0, W1, b1):
    """The answer: one sample per row, so U = X Wᵀ + b."""
    o0 = sigmoid(X @ W0.T + b0)
    return o0, sigmoid(o0 @ W1.T + b1)


def forward_no_transpose(X, W0, b0, W1, b1):
    o0 = sigmoid(X @ W0 + b0)
    return o0, sigmoid(o0 @ W1 + b1)


def forward_no_hidden_activation(X, W0, b0, W1, b1):
    o0 = X @ W0.T + b0
    return o0, sigmoid(o0 @ W1.T + b1)


def forward_no_bias(X, W0, b0, W1, b1):
    o0 = sigmoid(X @ W0.T)
    return o0, sigmoid(o0 @ W1.T)


def forward_no_output_activation(X, W0, b0, W1, b1):
    o0 = sigmoid(X @ W0.T + b0)
    return o0, o0 @ W1.T + b1


def forward_returns_only_o(X, W0, b0, W1, b1):
    return forward_right(X, W0, b0, W1, b1)[1]


def forward_one_sample_at_a_time(X, W0, b0, W1, b1):
    """Also right: slide 13's column form W x for each sample, stacked."""
    o0 = np.array([sigmoid(W0 @ x + b0) for x in X])
    return o0, np.array([sigmoid(W1 @ h + b1) for h in o0])


def forward_not_written(X, W0, b0, W1, b1):
    """The student edition's stub: a docstring and nothing else."""


def test_two_layer_forward():
    assert run(ex02.check_two_layer_forward, forward_right) == (True, "問 5: 正解です！\n")
    assert run(ex02.check_two_layer_forward, forward_one_sample_at_a_time)[0]
    rejected(ex02.check_two_layer_forward, forward_no_transpose, "X @ W0.T")
    rejected(ex02.check_two_layer_forward, forward_no_hidden_activation, "隠れ層に活性化関数")
    rejected(ex02.check_two_layer_forward, forward_no_bias, "バイアス b0")
    rejected(ex02.check_two_layer_forward, forward_no_output_activation, "出力層に活性化関数")
    rejected(ex02.check_two_layer_forward, forward_returns_only_o, "return o0, o")
    ok, text = run(ex02.check_two_layer_forward, forward_not_written)
    assert not ok and "未解答" in text
    for wrong in (forward_no_transpose, forward_no_hidden_activation, forward_no_bias):
        assert "." not in run(ex02.check_two_layer_forward, wrong)[1].replace("。", "").replace(
            "@ W0.T", "").replace("@ W1.T", "")


def test_bump_challenge():
    assert run(ex02.check_bump_challenge, [0.45, 0.43, 0.2, 0.63, 0.85])[0]
    text = rejected(ex02.check_bump_challenge, [0.5] * 5, "0.075 以上")
    assert "0.45" not in text
    rejected(ex02.check_bump_challenge, [0.5] * 4, "5 つの")
    rejected(ex02.check_bump_challenge, ["a"] * 5, "5 つの")
