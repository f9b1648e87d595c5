"""Checkers for the exercises of notebook 06_activation_functions.

    check_sigmoid_grad_at_zero(answer)          問 1  σ'(0) from σ' = σ(1 − σ)
    check_logit_gradient(answer)                問 2  ∂L/∂u = σ(u) − y at u = log 3, y = 1
    check_logsumexp(answer)                     問 3  log(e^1000 + e^1000) without overflow
    check_relu_backward(relu_backward)          問 4  ReLU backward: dL/du from dL/do and u
    check_leaky_relu_backward(leaky_relu_backward)  問 5  the same for Leaky ReLU (slope 0.03)
    check_stable_sigmoid(stable_sigmoid)        問 6  a sigmoid that never overflows

The backward functions are called on fresh random inputs of several shapes with some entries
exactly 0 (where the convention of slide 35 decides: ReLU' = 0, Leaky ReLU' = slope) and
compared with dlcore.functions. The stable sigmoid is also called on ±1000 with NumPy's
floating-point warnings counted as mistakes: the naive 1/(1 + e^{−u}) returns the right 0.0
for u = −1000 but overflows on the way. Each checker prints 「正解です！」, 「未解答です」 or
「まだ違います。…」 (never the expected value).
"""

import numpy as np

from .. import functions as F
from .checking import call, call_without_float_warnings, expect_close, expect_number, run_check

# --- 問 1-3: numbers -----------------------------------------------------------------------


def check_sigmoid_grad_at_zero(answer, quiet=False):
    """問 1: σ'(0) = σ(0)(1 − σ(0)) with σ(0) = 1/2."""

    def body():
        expect_number(answer, F.sigmoid_grad(0.0), "σ'(0)", mistakes=[
            (F.sigmoid(0.0), "それは σ(0) の値です。σ'(0) = σ(0)(1 − σ(0)) を計算しましょう"),
            (1.0, "σ(0) = 1/(1 + e^0) の e^0 を確かめましょう"),
        ])

    return run_check("問 1", body, quiet=quiet)


def check_logit_gradient(answer, quiet=False):
    """問 2: ∂L/∂u = σ(u) − y for sigmoid + cross-entropy, at u = log 3 and y = 1."""
    s = F.sigmoid(np.log(3.0))

    def body():
        expect_number(answer, s - 1.0, "∂L/∂u", mistakes=[
            (1.0 - s, "符号が逆です。∂L/∂u = σ(u) − y の順に引きます"),
            (s, "σ(u) から正解 y を引いていません"),
            (s * (1 - s), "それは σ'(u) です。クロスエントロピーと組み合わせた勾配は σ(u) − y でした"),
        ])

    return run_check("問 2", body, quiet=quiet)


def check_logsumexp(answer, quiet=False):
    """問 3: log(e^1000 + e^1000) = 1000 + log 2 (log-sum-exp, the maximum taken out)."""

    def body():
        expect_number(answer, np.logaddexp(1000.0, 1000.0), "log(e^1000 + e^1000)", tol=1e-9,
                      mistakes=[
                          (1000.0, "くくり出した残り log(e^0 + e^0) が抜けています"),
                          (2000.0, "log(a + b) は log a + log b ではありません"),
                      ])

    return run_check("問 3", body, quiet=quiet)


# --- 問 4, 5: ReLU and Leaky ReLU backward --------------------------------------------------

def _backward_cases(seed):
    """(dout, u) pairs of several shapes; about a quarter of the entries of u are exactly 0."""
    rng = np.random.default_rng(seed)
    cases = []
    for shape in ((8,), (3, 5), (2, 3, 4)):
        u = rng.normal(size=shape)
        u[rng.random(shape) < 0.25] = 0.0
        u.flat[0] = 0.0
        cases.append((rng.normal(size=shape), u))
    return cases


def check_relu_backward(relu_backward, quiet=False):
    """問 4: ``relu_backward(dout, u)`` returns dL/du = dL/do · f'(u) with f'(u) = 1 for u > 0
    and 0 otherwise (0 at u = 0 too, slide 35), for u of several shapes."""

    def body():
        for dout, u in _backward_cases(604):
            got = call(relu_backward, dout, u, name="relu_backward")
            positive = u > 0
            expect_close(got, dout * F.relu_grad(u), "relu_backward の戻り値", mistakes=[
                (dout, "u ≤ 0 の所でも勾配をそのまま流しています。ReLU の微分は u < 0 で 0 です"),
                (dout * (u >= 0), "u = 0 の所が違います。u = 0 での微分は 0 とする約束です"),
                (positive * 1.0, "右から届いた勾配 dout を掛けていません"),
                (dout * F.relu(u), "出力 max(0, u) そのものを掛けています。掛けるのは微分（0 か 1）です"),
            ])

    return run_check("問 4", body, quiet=quiet)


def check_leaky_relu_backward(leaky_relu_backward, quiet=False):
    """問 5: ``leaky_relu_backward(dout, u, slope=0.03)`` returns dL/du = dL/do · f'(u) with
    f'(u) = 1 for u > 0 and ``slope`` otherwise (also at u = 0), with the default slope and
    with another one."""

    def body():
        for k, (dout, u) in enumerate(_backward_cases(605)):
            slope = 0.03 if k == 0 else 0.2
            kwargs = {} if k == 0 else {"slope": slope}
            got = call(leaky_relu_backward, dout, u, name="leaky_relu_backward", **kwargs)
            what = f"leaky_relu_backward（slope = {slope}）の戻り値"
            expect_close(got, dout * F.leaky_relu_grad(u, slope), what, mistakes=[
                (dout * (u > 0), "負の側の傾き slope が掛かっていません（ReLU と同じになっています）"),
                (dout, "u ≤ 0 の所でも勾配をそのまま流しています。負の側の微分は slope です"),
                (dout * np.where(u >= 0, 1.0, slope),
                 "u = 0 の所が違います。u = 0 での微分は slope とする約束です"),
                (np.where(u > 0, 1.0, slope), "右から届いた勾配 dout を掛けていません"),
                (dout * F.leaky_relu_grad(u, 0.03),
                 "引数 slope を使っていません（0.03 と書いていませんか）"),
                (dout * F.leaky_relu(u, slope), "出力そのものを掛けています。掛けるのは微分（1 か slope）です"),
            ])

    return run_check("問 5", body, quiet=quiet)


# --- 問 6: a numerically stable sigmoid -----------------------------------------------------

EXTREME_INPUTS = np.array([[-1000.0, -710.0, -50.0, 0.0], [1000.0, 710.0, 50.0, -0.5]])
"""Inputs far out on both sides: e^{1000} and e^{710} overflow float64 (max ≈ e^{709.78})."""


WHERE_HINT = ("（±1000 のような入力で試しています。np.where(条件, 式1, 式2) は、"
              "式1 と式2 をどちらもすべての要素で計算することにも注意）")
"""Added to the overflow message: the classic trap of a stable formula inside np.where."""


def check_stable_sigmoid(stable_sigmoid, quiet=False):
    """問 6: ``stable_sigmoid(u)`` equals σ(u) = 1/(1 + e^{−u}) element-wise, for u of several
    shapes, and stays silent on ±1000: an overflow, division by zero or nan on the way (what
    NumPy prints as RuntimeWarning) counts as wrong, even when the returned value is right."""
    rng = np.random.default_rng(606)
    ordinary = [rng.normal(scale=4.0, size=shape) for shape in ((6,), (3, 4))]

    def body():
        for u in ordinary + [EXTREME_INPUTS]:
            got = call_without_float_warnings(stable_sigmoid, u, name="stable_sigmoid",
                                              hint=WHERE_HINT)
            expect_close(got, F.sigmoid(u), "stable_sigmoid の戻り値", rtol=1e-9, atol=1e-12,
                         mistakes=[
                             (F.sigmoid(-u), "符号が逆です。σ(u) = 1/(1 + e^{−u}) です"),
                             ((1 + np.tanh(u)) / 2,
                              "tanh を使う式の係数が違います。tanh u = 2σ(2u) − 1 から σ(u) を求め直しましょう"),
                             ((1 + np.tanh(2 * u)) / 2,
                              "tanh を使う式の係数が違います。tanh u = 2σ(2u) − 1 から σ(u) を求め直しましょう"),
                         ])

    return run_check("問 6", body, quiet=quiet)
