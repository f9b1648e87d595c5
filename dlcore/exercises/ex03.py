"""Checkers for the exercises of notebook 03_loss_functions (slides 14-16).

問 1-4 (コード): the student writes the L1 loss, the L2 loss (MSE), the binary cross-entropy
and the softmax cross-entropy, each as a mean over the samples (notebook 03, 3.2 節). The
checkers call them on fresh random inputs and compare with ``dlcore.functions``.
問 5-6: hand-computed numbers (the best constant predictions; a probability from a loss).
"""

import numpy as np

from .. import functions as F
from .checking import Wrong, call, expect_close, expect_number, require_answer, run_check

_SIZES = (6, 1, 11)  # numbers of samples n (n = 1: the sum and the mean coincide)


def _regression_pairs(seed):
    """(f, y) pairs of shape (n,), and one pair where the prediction is already right."""
    rng = np.random.default_rng(seed)
    pairs = [(rng.normal(size=n), rng.normal(size=n)) for n in _SIZES]
    y = rng.normal(size=4)
    return pairs + [(y.copy(), y)]


def _check_regression_loss(fn, name, reference, mistakes_of, seed):
    for f, y in _regression_pairs(seed):
        got = call(fn, f, y, name=name)
        expect_close(got, reference(f, y), f"{name} の値", mistakes=mistakes_of(f, y),
                     n=len(y))


def check_l1_loss(l1_loss, quiet=False):
    """問 1: ``l1_loss(f, y)`` = (1/n) Σ |y_i − f_i| (slide 16, as a mean) for f, y of shape (n,)."""

    def mistakes(f, y):
        return [(np.sum(np.abs(y - f)), "和になっています。サンプル数 n で割って平均にしましょう（3.2 節）"),
                (np.mean(y - f), "絶対値が抜けています。正と負の誤差が打ち消し合ってしまいます"),
                (np.mean((y - f) ** 2), "2 乗しています。それは L2 損失です"),
                (-np.mean(np.abs(y - f)), "符号が逆です。損失は 0 以上の数です")]

    return run_check("問 1", lambda: _check_regression_loss(
        l1_loss, "l1_loss", F.l1_loss, mistakes, seed=301), quiet=quiet)


def check_mse_loss(mse_loss, quiet=False):
    """問 2: ``mse_loss(f, y)`` = (1/n) Σ (y_i − f_i)² (slide 16's L2 loss, as a mean)."""

    def mistakes(f, y):
        return [(np.sum((y - f) ** 2), "和になっています。サンプル数 n で割って平均にしましょう（3.2 節）"),
                (np.mean(y - f), "2 乗が抜けています。誤差 y − f を 2 乗してから平均します"),
                (np.mean(np.abs(y - f)), "2 乗ではなく絶対値を取っています。それは L1 損失です"),
                (np.sqrt(np.mean((y - f) ** 2)), "平方根を取っています。MSE は 2 乗の平均のままです"),
                (np.mean((y - f) ** 2) / 2, "1/2 が掛かっています。このコースの MSE は 2 乗の平均そのものです")]

    return run_check("問 2", lambda: _check_regression_loss(
        mse_loss, "mse_loss", F.mse_loss, mistakes, seed=302), quiet=quiet)


def check_binary_cross_entropy(binary_cross_entropy, quiet=False):
    """問 3: ``binary_cross_entropy(p, y)`` = −(1/n) Σ [y_i log p_i + (1 − y_i) log(1 − p_i)]
    for probabilities p in (0, 1) and labels y in {0, 1}, both of shape (n,)."""

    def body():
        rng = np.random.default_rng(303)
        cases = [(rng.uniform(0.05, 0.95, n), rng.integers(0, 2, n).astype(float))
                 for n in (7, 12)]
        cases.append((np.array([0.3, 0.8, 0.6]), np.array([1.0, 1.0, 1.0])))  # only y = 1
        cases.append((np.array([0.3, 0.8]), np.array([0.0, 0.0])))            # only y = 0
        for p, y in cases:
            got = call(binary_cross_entropy, p, y, name="binary_cross_entropy")
            first = y * np.log(p)
            second = (1 - y) * np.log(1 - p)
            mistakes = [
                (np.mean(first + second), "マイナス符号が抜けています（スライド 16 の式の誤植。3.4 節）"),
                (-np.sum(first + second), "和になっています。サンプル数 n で割って平均にしましょう"),
                (-np.mean(y * np.log(1 - p) + (1 - y) * np.log(p)),
                 "log を取る確率が逆のクラスのものです。y = 1 なら p、y = 0 なら 1 − p の対数です"),
                (-np.mean(first), "y log p の項だけです。y = 0 のサンプルの (1 − y) log(1 − p) も足しましょう"),
                (-np.mean(second), "(1 − y) log(1 − p) の項だけです。y log p も足しましょう"),
                (-np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)),
                 "常用対数 log10 になっています。自然対数 np.log を使います"),
            ]
            expect_close(got, F.binary_cross_entropy(p, y), "binary_cross_entropy の値",
                         mistakes=mistakes, n=len(y))

    return run_check("問 3", body, quiet=quiet)


def check_softmax_cross_entropy(softmax_cross_entropy, quiet=False):
    """問 4: ``softmax_cross_entropy(u, labels)`` = −(1/n) Σ_i log softmax(u_i)_{y_i} for scores
    u of shape (n, K) and integer labels of shape (n,)."""

    def body():
        rng = np.random.default_rng(304)
        cases = [(rng.normal(0.0, 2.0, size=(n, k)), rng.integers(0, k, n))
                 for n, k in ((5, 3), (8, 4), (1, 2))]
        for u, labels in cases:
            got = call(softmax_cross_entropy, u, labels, name="softmax_cross_entropy")
            n = len(labels)
            log_p = F.log_softmax(u)
            picked = log_p[np.arange(n), labels]
            wrong_axis = u - np.log(np.exp(u).sum(axis=0, keepdims=True))
            mistakes = [
                (np.mean(picked), "マイナス符号が抜けています（損失は 0 以上の数です）"),
                (-np.sum(picked), "和になっています。サンプル数 n で割って平均にしましょう"),
                (-np.mean(u[np.arange(n), labels]),
                 "ソフトマックスを通していません。スコア u を確率 f_k に変えてから log を取ります"),
                (-np.mean(log_p.sum(axis=1)),
                 "すべてのクラスの log を足しています。正解クラス y_i の確率だけを使います"),
                (-np.mean(log_p[:, 0]), "いつもクラス 0 の確率を使っています。正解クラス y_i の確率を使います"),
                (-np.mean(wrong_axis[np.arange(n), labels]),
                 "ソフトマックスの和を取る向きが違います。各サンプル（行）ごとに、クラスの向き（axis=1）で割ります"),
            ]
            expect_close(got, F.softmax_cross_entropy(u, labels), "softmax_cross_entropy の値",
                         mistakes=mistakes, n=n)

    return run_check("問 4", body, quiet=quiet)


_Y_CONSTANT = np.array([1.0, 2.0, 3.0, 10.0])  # 問 5's labels; 10 is the outlier


def check_constant_predictions(answer, quiet=False):
    """問 5: the constants c minimizing the L2 loss and the L1 loss of y = (1, 2, 3, 10) when
    every prediction is c; ``answer`` = (c for L2, c for L1). Any median works for L1."""

    def body():
        require_answer(answer)
        try:
            c2, c1 = (float(c) for c in answer)
        except (TypeError, ValueError):
            raise Wrong("answer は (L2 の c, L1 の c) のように 2 つの数の組で書いてください") from None
        mean, low, high = np.mean(_Y_CONSTANT), *np.sort(_Y_CONSTANT)[1:3]
        l2_ok = np.isclose(c2, mean, rtol=0, atol=1e-6)
        l1_ok = low - 1e-9 <= c1 <= high + 1e-9
        if l2_ok and l1_ok:
            return
        if not l2_ok and low <= c2 <= high and np.isclose(c1, mean, rtol=0, atol=1e-6):
            raise Wrong("2 つが入れ替わっています。L2 と L1 のどちらが平均、どちらが中央値に関係するか考えましょう")
        if not l2_ok:
            raise Wrong("L2 の c が違います。L2 損失 Σ(y_i − c)² を c で微分して 0 とおいてみましょう")
        raise Wrong("L1 の c が違います。Σ|y_i − c| の微分 Σ sign(c − y_i) が 0 になるのはどこでしょう")

    return run_check("問 5", body, quiet=quiet)


def check_min_probability(answer, quiet=False):
    """問 6: the smallest probability q of the right class with cross-entropy −log q ≤ 0.1."""

    def body():
        expect_number(answer, np.exp(-0.1), "確率", tol=1e-3, mistakes=[
            (0.9, "−log q ≈ 1 − q という近似を使っていませんか。−log q = 0.1 を正確に解きましょう"),
            (np.exp(0.1), "符号が逆です。確率は 1 以下です"),
            (10 ** -0.1, "常用対数で解いています。log は自然対数です"),
        ])

    return run_check("問 6", body, quiet=quiet)
