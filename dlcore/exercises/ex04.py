"""Checkers for the exercises of notebook 04_gradient_descent (slides 17-19).

問 1, 3, 4: hand-computed numbers (one step of descent, the largest learning rate on a
quadratic, two partial derivatives). 問 2 (コード): the gradient-descent loop of slide 18,
checked against ``dlcore.widgets.descent.gradient_descent``. 問 5 (コード): the central-difference
gradient of a function of a vector (slide 19), checked against ``dlcore.gradcheck``.
"""

import numpy as np

from ..gradcheck import numerical_gradient as reference_gradient
from ..widgets.descent import gradient_descent as reference_descent
from .checking import Wrong, call, expect_close, expect_number, run_check


def check_one_step(answer, quiet=False):
    """問 1: x^(1) for f(x) = x² − 2x, x^(0) = 3, η = 0.1."""

    def body():
        x0, lr = 3.0, 0.1
        slope = 2 * x0 - 2
        expect_number(answer, x0 - lr * slope, "x^(1)", mistakes=[
            (x0 + lr * slope, "x が増えています。勾配降下法は傾きと逆向き（− η f'）に進みます"),
            (x0 - slope, "学習率 η が掛かっていません"),
            (x0 - lr * 2 * x0, "f'(x) = 2x − 2 の −2 が抜けています"),
        ])

    return run_check("問 1", body, quiet=quiet)


def _descent_cases():
    """(grad, x0, lr, steps): a function of a number and two functions of a vector."""
    A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])  # positive definite
    b = np.array([1.0, -2.0, 0.5])
    return [
        (lambda x: x - np.exp(-x), 2.0, 0.3, 7),           # f(x) = x²/2 + e^{-x}
        (lambda x: A @ x - b, np.array([1.5, -1.0, 2.0]), 0.2, 12),  # f(x) = xᵀAx/2 − bᵀx
        (lambda x: 4 * x**3 + x, np.array([0.8, -0.6]), 0.05, 9),
        (lambda x: A @ x - b, np.array([0.5, 0.5, 0.5]), 0.2, 0),    # 0 steps: just x^(0)
    ]


def check_gradient_descent(gradient_descent, quiet=False):
    """問 2: ``gradient_descent(grad, x0, lr, steps)`` returns the path [x^(0), ..., x^(steps)]
    of x^(i+1) = x^(i) − η grad(x^(i)) as an array of shape (steps + 1,) or (steps + 1, d)."""

    def body():
        for grad, x0, lr, steps in _descent_cases():
            x_in = np.array(x0, dtype=np.float64) if np.ndim(x0) else float(x0)
            got = call(gradient_descent, grad, x_in, lr, steps, name="gradient_descent")
            try:
                got = np.asarray(got, dtype=np.float64)
            except (TypeError, ValueError):
                raise Wrong("gradient_descent は経路を数の配列（またはリスト）で返してください") from None
            expected = reference_descent(grad, x0, lr, steps)
            if got.ndim >= 1 and got.shape[0] == steps and got.shape[1:] == expected.shape[1:]:
                raise Wrong("経路が 1 点足りません。最初の点 x^(0) も入れて、steps + 1 個の点を返します")
            if steps > 1 and got.shape == expected.shape and np.all(got == got[-1]):
                raise Wrong("経路のすべての点が同じ値です。x をその場で書き換えて（x -= …）同じ配列を"
                            "何度もリストに入れていませんか。x = x − η ∇f のように新しい配列を作りましょう")
            expect_close(got, expected, "gradient_descent の経路", mistakes=[
                (_path(grad, x0, steps, lambda x, g: x + lr * g),
                 "+ で更新しています（上り坂に進んでいます）。x − η ∇f のように傾きと逆向きに進みます"),
                (_path(grad, x0, steps, lambda x, g: x - lr * lr * g),
                 "η が 2 回掛かっています（η² になっています）。1 回の更新で掛ける η は 1 回です"),
                (_path(grad, x0, steps, lambda x, g: _twice(grad, x, lr)),
                 "1 回の繰り返しで 2 歩進んでいます。更新は 1 回ごとに 1 歩です"),
            ])

    return run_check("問 2", body, quiet=quiet)


def _path(grad, x0, steps, update):
    x = np.array(x0, dtype=np.float64)
    path = [x]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            x = update(x, grad(x))
            path.append(x)
    return np.array(path)


def _twice(grad, x, lr):
    x = x - lr * grad(x)
    return x - lr * grad(x)


def check_max_learning_rate(answer, quiet=False):
    """問 3: the learning rate above which descent on f(x) = 4x² + 1 no longer converges."""

    def body():
        curvature = 8.0  # f''(x) for f(x) = 4x² + 1
        expect_number(answer, 2 / curvature, "学習率の上限", mistakes=[
            (1 / curvature, "それは 1 回で最小点に着く η = 1/f'' です。上限は 2/f'' です"),
            (2 / 4, "f'' を 4 としています。f(x) = 4x² + 1 を 2 回微分しましょう"),
            (1 / 4, "f'' を 4 としていませんか。f(x) = 4x² + 1 を 2 回微分しましょう"),
        ])

    return run_check("問 3", body, quiet=quiet)


def check_partial_derivatives(answer, quiet=False):
    """問 4: (∂f/∂x0, ∂f/∂x1) of f(x0, x1) = x0² x1 + 3 x1 at (2, 1)."""

    def body():
        x0, x1 = 2.0, 1.0
        d0, d1 = 2 * x0 * x1, x0**2 + 3
        expect_number(answer, (d0, d1), "偏微分の組", mistakes=[
            ((d1, d0), "2 つの順番が逆です。(∂f/∂x0, ∂f/∂x1) の順に書きます"),
            ((d0, x0**2), "∂f/∂x1 に 3 x1 の微分 3 が入っていません"),
            ((2 * x0 * x1 + 3, d1), "∂f/∂x0 に 3 x1 の微分が入っています。x0 で微分するとき x1 は定数です"),
        ])

    return run_check("問 4", body, quiet=quiet)


def _gradient_cases():
    """(f, x, h): functions of a vector with mixed terms, so errors in one entry show in others."""
    rng = np.random.default_rng(405)
    return [
        (lambda x: np.sum(x**3) + x[0] * x[-1], rng.normal(size=4), 1e-3),
        (lambda x: np.sin(x[0]) * np.exp(x[1]) + x[0] ** 2 * x[1], rng.normal(size=2), 1e-3),
        (lambda x: np.sum(x) ** 2 + np.sum(np.cos(3 * x)), rng.normal(size=5), 1e-4),
        (lambda x: float(x[0]) ** 4, rng.normal(size=1), 1e-3),
    ]


def check_numerical_gradient(numerical_gradient, quiet=False):
    """問 5: ``numerical_gradient(f, x, h)`` returns the central differences
    (f(x + h e_i) − f(x − h e_i)) / 2h for every entry i of x (shape (d,)), and leaves x as it was."""

    def body():
        for f, x, h in _gradient_cases():
            x_student = x.copy()
            # the student's function may shift x[i] and put it back: call it on x itself
            got = call(lambda: numerical_gradient(f, x_student, h), name="numerical_gradient")
            if not np.allclose(x_student, x, rtol=0, atol=1e-12):
                raise Wrong("呼んだあと x が元の値に戻っていません。x[i] を ± h ずらして f を計算したら、"
                            "x[i] を元の値に戻しましょう（戻さないと次の要素の計算がずれます）")
            expect_close(got, reference_gradient(f, x.copy(), h=h), "numerical_gradient の値",
                         rtol=1e-6, atol=1e-8, mistakes=[
                             (_differences(f, x, h, "forward"),
                              "前進差分 (f(x + h) − f(x)) / h になっています。左右に h ずつずらす中心差分にしましょう"),
                             (_differences(f, x, h, "no 2"),
                              "2h ではなく h で割っています。左右の点の間隔は 2h です"),
                             (_differences(f, x, h, "not restored"),
                              "x[i] を元に戻さないまま次の要素に進んでいます。f を計算したら x[i] を元の値に戻しましょう"),
                             (_differences(f, x, h, "shifted twice"),
                              "x − h の点が正しくありません。x + h にずらしたあとは 2h 戻して x − h にします"),
                         ])

    return run_check("問 5", body, quiet=quiet)


def _differences(f, x, h, mistake):
    """What a typical wrong numerical gradient returns on (f, x, h)."""
    x = x.astype(np.float64).copy()
    grad = np.zeros_like(x)
    for i in range(x.size):
        keep = x[i]
        x[i] = keep + h
        f_plus = f(x)
        if mistake == "forward":
            x[i] = keep
            grad[i] = (f_plus - f(x)) / h
            continue
        x[i] = x[i] - h if mistake == "shifted twice" else keep - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (h if mistake == "no 2" else 2 * h)
        if mistake != "not restored":
            x[i] = keep
    return grad
