"""Checkers for the exercises of notebook 02_multilayer_perceptron (slides 7-13).

問 1 (チャレンジ): five bump heights whose network approximates the target function with a
mean absolute error below the bound (slide 11).
問 2: the indices (k, i, j) of the weight w^k_ij from x_1 to u^0_0 (slide 8).
問 3: weights of a two-layer step network whose hidden neurons compute OR and AND and whose
output is XOR (slide 10), judged by the truth tables.
問 4: the largest number of regions 5 straight lines cut the plane into.
問 5 (コード): ``two_layer_forward(X, W0, b0, W1, b1)``: the forward pass of slide 13 for a
batch, o⁰ = σ(W⁰x + b⁰), o = σ(W¹o⁰ + b¹) for every row x of X, checked against
``dlcore.layers`` on fresh random shapes.
"""

import numbers

import numpy as np

from ..datasets import GATE_POINTS, logic_gate
from ..functions import sigmoid
from ..layers import Linear, Sigmoid
from ..widgets.mlp import CHALLENGE_BOUND, CHALLENGE_BUMPS, compute_bump_challenge, step_network
from .checking import Wrong, call, expect_close, expect_number, require_answer, run_check


def check_weight_index(answer, quiet=False):
    """問 2: ``answer = (k, i, j)`` for the weight from x_1 to u^0_0: k is the layer the edge
    leaves, i the neuron of the next layer it goes to, j the neuron it comes from (slide 8)."""

    def body():
        require_answer(answer)
        k = 0          # the edge leaves layer 0 (the input layer)
        i = 0          # it goes to neuron 0 of the next layer, u^0_0
        j = 1          # it comes from x_1
        mistakes = [((k, j, i), "下添え字の順番が逆です。行き先 i が先、出どころ j が後です"),
                    ((1, i, j), "上添え字 k は、重みが「出ていく」層の番号です（0 始まり）"),
                    ((1, j, i), "上添え字も下添え字の順番も違います。スライド 8 の表を見直しましょう")]
        expect_number(answer, (k, i, j), "(k, i, j)", mistakes=mistakes)

    return run_check("問 2", body, quiet=quiet)


def check_xor_via_or_and(answer, quiet=False):
    """問 3: ``answer = (W0, b0, W1, b1)`` of a step network (shapes (2, 2), (2,), (1, 2),
    (1,)) whose hidden neuron 0 computes OR, neuron 1 AND, and whose output is XOR."""

    def body():
        require_answer(answer)
        if not isinstance(answer, (tuple, list)) or len(answer) != 4:
            raise Wrong("answer は (W0, b0, W1, b1) の 4 つの組にしてください")
        try:
            o0, o = step_network(GATE_POINTS, *answer)
        except (TypeError, ValueError) as error:
            raise Wrong(f"重みの形が合いません（{error}）") from None
        for k, gate in enumerate(("or", "and")):
            if not np.array_equal(o0[:, k], logic_gate(gate)[1]):
                raise Wrong(f"隠れ層のニューロン {k} が {gate.upper()} になっていません"
                            f"（W0 の {k} 行目と b0[{k}] を見直しましょう）")
        if not np.array_equal(o[:, 0], logic_gate("xor")[1]):
            raise Wrong("隠れ層は正しいのですが、出力が XOR になっていません。ヒント：出力は"
                        "「OR が 1 のとき +、AND が 1 のとき −」の重み付き和が正になるときに 1 です")

    return run_check("問 3", body, quiet=quiet)


def check_max_regions(answer, quiet=False):
    """問 4: the largest number of regions 5 lines cut the plane into, 1 + (1 + 2 + ... + 5):
    line k crosses the k - 1 earlier lines at most k - 1 times and so adds at most k regions."""

    def body():
        require_answer(answer)
        if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
            raise Wrong("answer は整数にしてください")
        n_lines = 5
        expected = 1 + sum(range(1, n_lines + 1))
        mistakes = [(expected - 1, "直線を引く前の平面全体（1 個の領域）を数え忘れていませんか"),
                    (2 ** n_lines, "2^5 は 5 個の 0/1 の組み合わせの数です。直線 5 本では、"
                                   "そのすべての組み合わせの領域は作れません"),
                    (2 * n_lines, "直線 1 本ごとに 2 個ずつ増えるわけではありません。k 本目の直線が"
                                  "いくつの部分に切られるかを考えましょう")]
        expect_number(answer, expected, "領域の数", mistakes=mistakes)

    return run_check("問 4", body, quiet=quiet)


def _forward_cases(seed=202):
    """(X, W0, b0, W1, b1) of several shapes: a square case first (where W and Wᵀ both fit,
    so a missing transpose gives numbers, not an error), then wider and single-sample ones."""
    rng = np.random.default_rng(seed)
    cases = []
    for n, d, hidden, m in ((5, 3, 3, 3), (7, 2, 4, 1), (1, 3, 5, 2), (6, 4, 2, 3)):
        cases.append((rng.normal(size=(n, d)), rng.normal(size=(hidden, d)),
                      rng.normal(size=hidden), rng.normal(size=(m, hidden)), rng.normal(size=m)))
    return cases


def _reference_forward(X, W0, b0, W1, b1):
    """(o⁰, o) through dlcore's layers: Linear -> Sigmoid -> Linear -> Sigmoid."""
    hidden, output = Linear(W0.shape[1], W0.shape[0]), Linear(W1.shape[1], W1.shape[0])
    hidden.params["W"][...], hidden.params["b"][...] = W0, b0
    output.params["W"][...], output.params["b"][...] = W1, b1
    o0 = Sigmoid().forward(hidden.forward(X))
    return o0, Sigmoid().forward(output.forward(o0))


def check_two_layer_forward(two_layer_forward, quiet=False):
    """問 5 (コード): ``two_layer_forward(X, W0, b0, W1, b1)`` returns (o0, o) for a batch X of
    shape (n, d): o0 = σ(X W0ᵀ + b0) of shape (n, N) and o = σ(o0 W1ᵀ + b1) of shape (n, m),
    with W0: (N, d), b0: (N,), W1: (m, N), b1: (m,) (slide 13, one sample per row)."""

    def body():
        for X, W0, b0, W1, b1 in _forward_cases():
            result = call(two_layer_forward, X, W0, b0, W1, b1, name="two_layer_forward")
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise Wrong("two_layer_forward は隠れ層の出力 o0 と最後の出力 o の 2 つを "
                            "return o0, o の形で返してください")
            o0_got, o_got = result
            o0, o = _reference_forward(X, W0, b0, W1, b1)
            u0 = X @ W0.T + b0
            hidden_mistakes = [(u0, "隠れ層に活性化関数 σ が掛かっていません（o0 = σ(u0)）"),
                               (sigmoid(X @ W0.T), "隠れ層のバイアス b0 が足されていません"),
                               (sigmoid(X @ W0.T) + b0, "バイアスは σ の中（u0 = X W0ᵀ + b0）で足します")]
            if W0.shape[0] == W0.shape[1]:
                hidden_mistakes.append((sigmoid(X @ W0 + b0), "X @ W0 になっています。"
                                        "サンプルが行に並んでいるので X @ W0.T です"))
            expect_close(o0_got, o0, "o0（隠れ層の出力）", mistakes=hidden_mistakes)
            u1 = o0 @ W1.T + b1
            output_mistakes = [(u1, "出力層に活性化関数 σ が掛かっていません（o = σ(u1)）"),
                               (sigmoid(o0 @ W1.T), "出力層のバイアス b1 が足されていません"),
                               (sigmoid(u0 @ W1.T + b1), "出力層には隠れ層の σ を通した後の o0 を入れます")]
            if W1.shape[0] == W1.shape[1]:
                output_mistakes.append((sigmoid(o0 @ W1 + b1), "o0 @ W1 になっています。"
                                        "サンプルが行に並んでいるので o0 @ W1.T です"))
            expect_close(o_got, o, "o（出力）", mistakes=output_mistakes)

    return run_check("問 5", body, quiet=quiet)


def check_bump_challenge(heights, quiet=False):
    """問 1 (チャレンジ): ``heights`` = [h0, ..., h4]; solved when the 5-bump network's mean absolute
    error is below CHALLENGE_BOUND (the student's own error is printed, never an answer)."""

    def body():
        require_answer(heights, "my_heights")
        try:
            h = np.asarray(heights, dtype=np.float64)
        except (TypeError, ValueError):
            raise Wrong(f"my_heights は {CHALLENGE_BUMPS} つの数のリストにしてください") from None
        if h.shape != (CHALLENGE_BUMPS,) or not np.all(np.isfinite(h)):
            raise Wrong(f"my_heights は {CHALLENGE_BUMPS} つの（有限の）数のリストにしてください")
        r = compute_bump_challenge(h)
        if not r["solved"]:
            raise Wrong(f"平均絶対誤差は {r['mae']:.4f} で、まだ {CHALLENGE_BOUND} 以上です。ヒント："
                        "各こぶの高さを、その区間の中央での目標の関数の値に合わせてみましょう")

    return run_check("問 1", body, quiet=quiet)
