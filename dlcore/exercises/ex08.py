"""Checkers for the exercises of notebook 08_optimizers.

    check_momentum(MyMomentum)          問 1  the Momentum update as a small class (slides 31, 33)
    check_adam(MyAdam)                  問 2  the Adam update with bias correction (slide 33)
    check_ravine_steps(answer)          問 3  steps until |y| falls to 1 % in a ravine (slide 32)
    check_momentum_by_hand(answer)      問 4  two Momentum steps on f(x) = x² by hand
    check_adam_first_step(answer)       問 5  Adam's first step for a huge gradient

A student's optimizer is a class built as ``MyMomentum(lr, beta)`` / ``MyAdam(lr, beta1,
beta2, eps)`` whose ``step(w, g)`` returns the new weights (w and g unchanged). It is run for
several steps on fixed gradient sequences and its whole path compared with dlcore.optimizers.
Each checker prints 「正解です！」, 「未解答です」 or 「まだ違います。…」 (never the expected value).
"""

import math

import numpy as np

from ..optimizers import Adam, Momentum
from .checking import Wrong, call, expect_close, expect_number, run_check

STEPS = 6
"""Steps of every optimizer path the checkers compare."""


def _gradient_cases(seed):
    """(name, w0, gradients) cases: positive gradients of order 1, mixed signs of several
    shapes, and tiny gradients (where ε matters)."""
    rng = np.random.default_rng(seed)
    return [
        ("正の勾配", rng.normal(size=3), rng.uniform(0.5, 2.0, size=(STEPS, 3))),
        ("正負の勾配", rng.normal(size=(2, 4)), rng.normal(size=(STEPS, 2, 4))),
        ("とても小さい勾配", rng.normal(size=5), 1e-4 * rng.normal(size=(STEPS, 5))),
    ]


def _student_path(cls, args, w0, gradients, what):
    """The weights after each of the student's steps, shape (STEPS, *w0.shape)."""
    optimizer = call(cls, *args, name=what)
    w, path = w0, []
    for g in gradients:
        w = call(getattr(optimizer, "step", None), w, g, name=f"{what}.step")
        w = np.asarray(w, dtype=np.float64)
        if w.shape != w0.shape:
            raise Wrong(f"{what}.step が返した重みの形が {w.shape} になっています。"
                        f"w と同じ {w0.shape} になるはずです")
        path.append(w)
    return np.array(path)


def _dlcore_path(optimizer, w0, gradients):
    w, path = w0.copy(), []
    for g in gradients:
        optimizer.step({"w": w}, {"w": g.copy()})
        path.append(w.copy())
    return np.array(path)


def _path(update, w0, gradients):
    """The path of a hand-written rule ``update(w, g, state, t) -> w`` (t = 1, 2, ...)."""
    w, state, path = w0.copy(), {}, []
    for t, g in enumerate(gradients, start=1):
        w = update(w, g, state, t)
        path.append(w)
    return np.array(path)


# --- 問 1: Momentum ----------------------------------------------------------------------------

def _momentum_variant(lr, beta, kind):
    """Typical wrong Momentum rules, as update(w, g, state, t)."""

    def update(w, g, state, t):
        v = state.get("v", np.zeros_like(w))
        if kind == "ascent":           # v ← β v + η g (the same path as W ← W − v)
            state["v"] = beta * v + lr * g
            return w + state["v"]
        if kind == "late_v":           # W moved with the old v, then v updated
            state["v"] = beta * v - lr * g
            return w + v
        if kind == "swapped":          # v ← η v − β g
            state["v"] = lr * v - beta * g
            return w + state["v"]
        if kind == "no_memory":        # v forgotten between steps
            return w - lr * g
        raise ValueError(kind)

    return update


MOMENTUM_MISTAKES = (
    ("ascent", "勾配の向きに進んでいます（v ← βv + ηg か W ← W − v になっていませんか）。"
               "v ← βv − ηg、W ← W + v です"),
    ("late_v", "古い v で W を動かしてから v を更新しています。先に v を更新し、その新しい v で W を動かします"),
    ("swapped", "β と η が入れ替わっています。前の速度に掛けるのが β、勾配に掛けるのが η です"),
    ("no_memory", "v が前の step の値を覚えていません（普通の勾配降下法になっています）。"
                  "v は self.v に残して次の step で使います"),
)


def check_momentum(momentum_class, quiet=False):
    """問 1: ``momentum_class(lr, beta)`` with ``step(w, g)`` returning the new w after
    v ← β v − η g, W ← W + v (v starts at 0). Compared with dlcore's Momentum over
    STEPS steps on several gradient sequences and shapes."""

    def body():
        for case, (name, w0, gradients) in enumerate(_gradient_cases(8001)):
            lr, beta = (0.1, 0.9) if case != 1 else (0.05, 0.8)
            got = _student_path(momentum_class, (lr, beta), w0, gradients, "MyMomentum")
            expected = _dlcore_path(Momentum(lr, beta=beta), w0, gradients)
            mistakes = [(_path(_momentum_variant(lr, beta, kind), w0, gradients), message)
                        for kind, message in MOMENTUM_MISTAKES]
            expect_close(got, expected, f"{name}で {STEPS} 回 step した重み", rtol=1e-9,
                         atol=1e-12, mistakes=mistakes)

    return run_check("問 1", body, quiet=quiet)


# --- 問 2: Adam --------------------------------------------------------------------------------

def _adam_variant(lr, beta1, beta2, eps, kind):
    """Typical wrong Adam rules, as update(w, g, state, t)."""

    def update(w, g, state, t):
        m = beta1 * state.get("m", np.zeros_like(w)) + (1 - beta1) * g
        square = g if kind == "no_square" else g * g
        v = beta2 * state.get("v", np.zeros_like(w)) + (1 - beta2) * square
        state["m"], state["v"] = m, v
        t_used = 1 if kind == "t_fixed" else t
        if kind == "no_correction":
            m_hat, v_hat = m, v
        else:
            m_hat, v_hat = m / (1 - beta1**t_used), v / (1 - beta2**t_used)
        with np.errstate(invalid="ignore"):
            if kind == "eps_inside":
                return w - lr * m_hat / np.sqrt(v_hat + eps)
            return w - lr * m_hat / (np.sqrt(v_hat) + eps)

    return update


ADAM_MISTAKES = (
    ("no_correction", "バイアス補正がありません。m̂ = m / (1 − β₁ᵗ)、v̂ = v / (1 − β₂ᵗ) で割ってから使います"),
    ("no_square", "v に勾配の 2 乗ではなく勾配そのものを入れています。v ← β₂v + (1 − β₂)g² です"),
    ("eps_inside", "ε を平方根の中に入れています。割る数は √v̂ + ε です"),
    ("t_fixed", "t が増えていません。step のたびに self.t を 1 増やしてから補正に使います"),
)


def check_adam(adam_class, quiet=False):
    """問 2: ``adam_class(lr, beta1, beta2, eps)`` with ``step(w, g)`` returning the new w
    (slide 33): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ),
    W ← W − η m̂/(√v̂ + ε), with t = 1, 2, ... Compared with dlcore's Adam over STEPS steps;
    the tiny-gradient case tells ε inside the square root apart."""

    def body():
        for name, w0, gradients in _gradient_cases(8002):
            lr, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-8
            got = _student_path(adam_class, (lr, beta1, beta2, eps), w0, gradients, "MyAdam")
            if not np.all(np.isfinite(got)):
                raise Wrong(f"{name}で NaN や inf が出ました。t を 1 から数えていますか（t = 0 だと "
                            "1 − βᵗ = 0 で割ります）。v に g² ではなく g を入れて、負の数の平方根を"
                            "取っていませんか")
            expected = _dlcore_path(Adam(lr, beta1=beta1, beta2=beta2, eps=eps), w0, gradients)
            mistakes = [(_path(_adam_variant(lr, beta1, beta2, eps, kind), w0, gradients),
                         message) for kind, message in ADAM_MISTAKES]
            expect_close(got, expected, f"{name}で {STEPS} 回 step した重み", rtol=1e-9,
                         atol=1e-12, mistakes=mistakes)

    return run_check("問 2", body, quiet=quiet)


# --- 問 3–5: numbers by hand -------------------------------------------------------------------

RAVINE_A, RAVINE_B, RAVINE_LR = 100.0, 1.0, 0.019
"""問 3: f(x, y) = (a x² + b y²)/2 with a = 100, b = 1, and η = 0.019."""


def check_ravine_steps(answer, quiet=False):
    """問 3: the first step n with |y_n| <= 1 % of |y_0| under gradient descent, where
    y_{i+1} = (1 − η b) y_i: n = ceil(ln 0.01 / ln(1 − η b))."""

    def body():
        exact = math.log(0.01) / math.log(1 - RAVINE_LR * RAVINE_B)
        sharp = math.log(0.01) / math.log(abs(1 - RAVINE_LR * RAVINE_A))
        expect_number(answer, math.ceil(exact), "回数", tol=0.0, mistakes=[
            (math.floor(exact), "切り捨てています。(1 − ηb)ⁿ ≤ 0.01 を満たす最小の整数なので切り上げます"),
            (exact, "回数は整数です。(1 − ηb)ⁿ ≤ 0.01 を満たす最小の整数 n を答えます"),
            (math.ceil(sharp), "それは x 方向（曲率 a）の回数です。遅いのは y 方向（曲率 b）です"),
        ])

    return run_check("問 3", body, quiet=quiet)


def check_momentum_by_hand(answer, quiet=False):
    """問 4: x_2 of Momentum (η = 0.1, β = 0.9, v_0 = 0) on f(x) = x² from x_0 = 1."""

    def body():
        lr, beta = 0.1, 0.9

        def run(update):  # two steps of a hand-written rule on f'(x) = 2x
            x, state = np.array([1.0]), {}
            for t in (1, 2):
                x = update(x, 2 * x, state, t)
            return float(x[0])

        x, optimizer = np.array([1.0]), Momentum(lr, beta=beta)
        for _ in range(2):
            optimizer.step({"x": x}, {"x": 2 * x})
        expect_number(answer, float(x[0]), "x₂", tol=1e-9, mistakes=[
            (run(lambda x, g, state, t: x - lr * g),
             "それは普通の勾配降下法の値です。2 回目は前の速度 βv も足します"),
            (run(_momentum_variant(lr, beta, "late_v")), "古い v で x を動かしています。先に v を更新します"),
            (run(_momentum_variant(lr, beta, "swapped")), "β と η が入れ替わっています"),
            (run(_momentum_variant(lr, beta, "ascent")),
             "勾配の向きに進んでいます（v ← βv + ηg か x ← x − v になっていませんか）"),
        ])

    return run_check("問 4", body, quiet=quiet)


ADAM_W0, ADAM_GRADIENT, ADAM_LR = 5.0, 1000.0, 0.01
"""問 5: W = 5, g = 1000, η = 0.01 (β₁ = 0.9, β₂ = 0.999, ε = 1e-8)."""


def check_adam_first_step(answer, quiet=False):
    """問 5: W after Adam's first step: the bias correction makes it W − η g / (|g| + ε)."""

    def body():
        w = np.array([ADAM_W0])
        Adam(ADAM_LR).step({"w": w}, {"w": np.array([ADAM_GRADIENT])})
        g = np.array([ADAM_GRADIENT])
        uncorrected = _path(_adam_variant(ADAM_LR, 0.9, 0.999, 1e-8, "no_correction"),
                            np.array([ADAM_W0]), g[None, :])
        expect_number(answer, float(w[0]), "1 回目の更新後の W", tol=1e-6, mistakes=[
            (float(uncorrected[0, 0]), "バイアス補正を忘れています。1 回目は m̂ = g、v̂ = g² です"),
            (ADAM_W0 - ADAM_LR * ADAM_GRADIENT, "それは SGD（W − ηg）の値です。Adam は √v̂ で割ります"),
            (2 * ADAM_W0 - float(w[0]), "符号が逆です。勾配が正なら W は減ります"),
        ])

    return run_check("問 5", body, quiet=quiet)
