"""Checkers for the exercises of notebook 01_perceptron (slides 4-6).

問 1: weights (w1, w2, c) that make one perceptron compute NOR (judged by its truth table).
問 2: u and o of one perceptron for one sample, computed by hand.
問 3: one step of the perceptron learning rule, computed by hand.
問 4 (コード): ``perceptron_epoch(X, y, w, lr)``: one epoch of the learning rule with the
bias written as w_0 (x_0 = 1, slide 5), checked against ``dlcore.perceptron.train_perceptron``
on fresh samples.
"""

import numbers

import numpy as np

from ..datasets import GATE_POINTS, logic_gate
from ..functions import step
from ..perceptron import perceptron_output, train_perceptron
from .checking import Wrong, call, expect_close, expect_number, require_answer, run_check


def _numbers(answer, names):
    """``answer`` as a tuple of len(names) finite floats, or Wrong saying what to write."""
    require_answer(answer)
    if (not isinstance(answer, (tuple, list)) or len(answer) != len(names)
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in answer)):
        raise Wrong(f"answer は {len(names)} つの数の組 ({', '.join(names)}) にしてください")
    if not all(np.isfinite(v) for v in answer):
        raise Wrong("answer に NaN や inf が入っています")
    return tuple(float(v) for v in answer)


def check_nor(answer, quiet=False):
    """問 1: ``answer = (w1, w2, c)`` with f(w1 x1 + w2 x2 + c) = NOR(x1, x2) on the four
    inputs (f: the unit step function, f(0) = 0)."""

    def body():
        w1, w2, c = _numbers(answer, ("w1", "w2", "c"))
        o = perceptron_output(GATE_POINTS, [w1, w2], c)
        nor = 1.0 - logic_gate("or")[1]
        if np.array_equal(o, nor):
            return
        if np.array_equal(o, logic_gate("or")[1]):
            raise Wrong("これは OR です。NOR は OR の出力を 0 と 1 で入れ替えたものです")
        wrong = [f"({x1:.0f}, {x2:.0f})" for (x1, x2), a, b in zip(GATE_POINTS, o, nor) if a != b]
        raise Wrong(f"入力 {', '.join(wrong)} で出力が NOR と違います。"
                    "NAND を AND から作ったときのことを思い出しましょう")

    return run_check("問 1", body, quiet=quiet)


OUTPUT_QUESTION = {"w": (0.8, -0.4), "c": -0.3, "x": (1.0, 1.0)}
"""問 2's perceptron and sample (as stated in the notebook's task)."""


def check_output_by_hand(answer, quiet=False):
    """問 2: ``answer = (u, o)`` for OUTPUT_QUESTION: u = w1 x1 + w2 x2 + c, o = f(u)."""

    def body():
        u_got, o_got = _numbers(answer, ("u", "o"))
        w, c, x = np.array(OUTPUT_QUESTION["w"]), OUTPUT_QUESTION["c"], np.array(OUTPUT_QUESTION["x"])
        u = float(w @ x + c)
        o = float(step(u))
        if not np.isclose(u_got, u, rtol=0, atol=1e-6):
            mistakes = [(float(w @ x), "定数 c を足し忘れていませんか"),
                        (float(w @ x - c), "c の符号が逆です。u = w1 x1 + w2 x2 + c です"),
                        (float(np.abs(w) @ x + c), "w2 の符号（マイナス）を落としていませんか")]
            expect_number(u_got, u, "u", mistakes=mistakes)
        if o_got not in (0.0, 1.0):
            raise Wrong("o は単位ステップ関数の出力なので 0 か 1 です")
        expect_number(o_got, o, "o", mistakes=[(1.0 - o, "u > 0 なら o = 1、u ≤ 0 なら o = 0 です")])

    return run_check("問 2", body, quiet=quiet)


UPDATE_QUESTION = {"w": (0.2, -0.1), "c": 0.1, "x": (1.0, 1.0), "y": 0, "lr": 0.5}
"""問 3's perceptron, sample, label and learning rate (as stated in the notebook's task)."""


def check_update_by_hand(answer, quiet=False):
    """問 3: ``answer = (w1, w2, c)`` after one step of the learning rule on UPDATE_QUESTION:
    w_i ← w_i + η (y − o) x_i, c ← c + η (y − o)."""

    def body():
        got = _numbers(answer, ("w1", "w2", "c"))
        q = UPDATE_QUESTION
        w, c, x, lr = np.array(q["w"]), q["c"], np.array(q["x"]), q["lr"]
        r = train_perceptron([x], [q["y"]], lr=lr, epochs=1, w=w, c=c)
        u = float(w @ x + c)
        delta = q["y"] - float(step(u))
        mistakes = [
            ((*(w - lr * delta * x), c - lr * delta),
             "符号が逆です。y − o（正解 − 出力）に η を掛けて足します"),
            ((*(w + lr * delta * x), c), "定数 c も c ← c + η (y − o) で更新します（x0 = 1 の重み）"),
            ((*(w + lr * (q["y"] - u) * x), c + lr * (q["y"] - u)),
             "y − u を使っています。学習則は出力 o = f(u) との差 y − o を使います"),
        ]
        expect_number(got, (*r["w"], r["c"]), "更新後の (w1, w2, c)", mistakes=mistakes)

    return run_check("問 3", body, quiet=quiet)


def _epoch_variant(X, y, w, lr, variant):
    """One epoch of a (possibly wrong) learning rule with w = (w0, w1, ..., wd), x0 = 1."""
    w = np.array(w, dtype=np.float64)
    X_aug = np.column_stack([np.ones(len(X)), X])
    if variant == "batch":                       # every o from the weights at the start
        return w + lr * ((y - step(X_aug @ w)) @ X_aug)
    for x_n, y_n in zip(X_aug, y):
        u = x_n @ w
        delta = {"flipped": step(u) - y_n, "u": y_n - u}.get(variant, y_n - step(u))
        update = lr * delta * x_n
        if variant == "no_bias":
            update[0] = 0.0
        w = w + update
    return w


def _epoch_cases(seed=101):
    """(X, y, w, lr): the four gate inputs, random samples of several sizes and widths, a
    single sample, and a case where every sample is already right (nothing may change)."""
    rng = np.random.default_rng(seed)
    cases = [(GATE_POINTS.copy(), logic_gate("xor")[1], rng.normal(size=3), 0.3)]
    for n, d in ((6, 2), (9, 3), (1, 4)):
        X, w = rng.normal(size=(n, d)), rng.normal(size=d + 1)
        y = rng.integers(0, 2, n)
        y[0] = 1 - step(w[0] + X[0] @ w[1:])     # the first sample is always misclassified
        cases.append((X, y, w, float(rng.uniform(0.2, 1.0))))
    cases.append((GATE_POINTS.copy(), logic_gate("and")[1], np.array([-0.7, 0.5, 0.5]), 0.4))
    return cases


def check_perceptron_epoch(perceptron_epoch, quiet=False):
    """問 4 (コード): ``perceptron_epoch(X, y, w, lr)`` returns the weights (w0, ..., wd) after
    one epoch of the perceptron learning rule: for each sample x_n (row of X, with x0 = 1) in
    order, o = f(Σ_i w_i x_i), w_i ← w_i + η (y_n − o) x_i. X: (n, d), y: (n,), w: (d + 1,)."""

    def body():
        for X, y, w, lr in _epoch_cases():
            got = call(perceptron_epoch, X, y, w, lr, name="perceptron_epoch")
            r = train_perceptron(X, y, lr=lr, epochs=1, w=w[1:], c=float(w[0]))
            expected = np.r_[r["c"], r["w"]]
            mistakes = [
                (_epoch_variant(X, y, w, lr, "flipped"),
                 "符号が逆です。w_i に η (y − o) x_i を「足す」と、間違えたサンプルの u が正解の側に動きます"),
                (_epoch_variant(X, y, w, lr, "no_bias"),
                 "w0（定数 c）が更新されていません。x0 = 1 を付け足して、w0 も同じ式で更新します"),
                (_epoch_variant(X, y, w, lr, "u"),
                 "y − u を使っています。学習則は出力 o = f(u)（0 か 1）との差 y − o を使います"),
                (_epoch_variant(X, y, w, lr, "batch"),
                 "エポックの始めの重みで全部の o を計算しています。サンプルを 1 つ見るたびに"
                 "重みを直し、次のサンプルの o は直した後の重みで計算します"),
                (w, "重みが変わっていません。間違えたサンプルで重みを更新しましょう"),
            ]
            expect_close(got, expected, "perceptron_epoch が返す w", mistakes=mistakes)

    return run_check("問 4", body, quiet=quiet)
