"""Checkers for the exercises of notebook 09_vanishing_gradients.

問 1 (code) He initialization, 問 2 (code) Xavier initialization (slide 35 context: the
variance-preserving initializations), 問 3 the standard deviation of He for n_in = 32,
問 4 the depth at which the sigmoid network's gradient ratio first drops below 10^-3,
問 5 a learning rate that trains the ReLU network with shortcuts.
"""

import numbers
from functools import lru_cache

import numpy as np

from .. import initializers
from ..widgets.gradients import CHANCE_LOSS, compute_gradient_flow, initial_gradient_norms
from .checking import Wrong, call, expect_close, expect_number, require_answer, run_check

INIT_SHAPES = ((300, 200), (80, 600), (1000, 60))
"""(out, in) shapes the initializers are tried on: n_out ≠ n_in, so mixing them up shows,
and 48 000 or more draws each, so the sample variance is within about 1 % of the target."""

VARIANCE_RTOL = 0.05
"""How close the sample variance must be to the target variance (5 %: far above the
sampling error of about 1 %, far below the factor 2 of a typical mistake)."""

RATIO_LIMIT = 1e-3
"""問 4: the first depth whose ratio (first layer / last layer) is below this."""

RESNET_LOSS_LIMIT = 2.0
"""問 5: after 5 epochs the loss must be below this, clearly under guessing (log 10 ≈ 2.30)."""


def _fan(shape):
    """(n_in, n_out) of a weight matrix of shape (out, in)."""
    return shape[1], shape[0]


def _check_initializer(student, reference, name, target_variance, mistakes):
    """Shared check of an initializer student(shape, rng) -> W ~ N(0, target_variance(shape)).

    First the statistics of a large draw (mean 0, variance); a variance that matches one of
    ``mistakes`` [(variance_function, message)] names that mistake. Then, with the same
    generator state, the weights must equal dlcore's ``reference`` exactly (one call to
    rng.normal with the standard deviation).
    """
    for k, shape in enumerate(INIT_SHAPES):
        seed = 9100 + k
        got = call(student, shape, np.random.default_rng(seed), name=name)
        try:
            W = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            raise Wrong(f"{name} が数の配列を返していません（{type(got).__name__}）") from None
        expected = reference(shape, np.random.default_rng(seed))
        if W.shape != expected.shape:
            expect_close(W, expected, f"{name}{shape} の重み")  # names the shape problem
        if not np.all(np.isfinite(W)):
            raise Wrong(f"{name}{shape} の重みに NaN や inf があります")
        target = target_variance(shape)
        if abs(W.mean()) > 0.1 * np.sqrt(target):
            raise Wrong(f"{name}{shape}：重みの平均が 0 になっていません。平均 0 の正規分布から選びます"
                        "（rng.normal の最初の引数は平均です）")
        variance = W.var()
        if not np.isclose(variance, target, rtol=VARIANCE_RTOL):
            for wrong_variance, message in mistakes:
                if np.isclose(variance, wrong_variance(shape), rtol=VARIANCE_RTOL):
                    raise Wrong(f"{name}{shape}：{message}")
            side = "大きすぎ" if variance > target else "小さすぎ"
            raise Wrong(f"{name}{shape}：重みの分散が{side}ます。分散の式と、"
                        "rng.normal に渡す標準偏差（分散の平方根）を確かめましょう")
        if not np.allclose(W, expected, rtol=1e-12, atol=0.0):
            raise Wrong(f"{name}{shape}：分散は合っていますが、重みが同じ乱数の種からの値と一致しません。"
                        "引数の rng を使い、rng.normal(0.0, 標準偏差, size=shape) を 1 回だけ"
                        "呼んで作りましょう（np.random や一様分布ではなく）")


def _variance_as_std(variance):
    return lambda shape: variance(shape) ** 2


def _he_variance(shape):
    n_in, _ = _fan(shape)
    return 2.0 / n_in


def _xavier_variance(shape):
    n_in, n_out = _fan(shape)
    return 2.0 / (n_in + n_out)


def check_he_init(he_init, quiet=False):
    """問 1: he_init(shape, rng) draws W ~ N(0, 2 / n_in) with n_in = shape[1], like
    dlcore.initializers.he (the same weights from the same generator state)."""
    mistakes = [
        (lambda s: 2.0 / s[0], "分散が 2 / n_out になっています。W の形は (出力の数, 入力の数) なので、"
                               "n_in は shape[1] です"),
        (lambda s: 1.0 / s[1], "分散が 1 / n_in になっています。ReLU で半分になる 2 乗平均を補う"
                               "係数 2 が抜けています"),
        (_variance_as_std(_he_variance), "分散 2 / n_in を標準偏差として rng.normal に渡しています。"
                                         "標準偏差は分散の平方根です"),
        (_xavier_variance, "Xavier の式になっています。He は n_in だけを使います"),
    ]

    def body():
        _check_initializer(he_init, initializers.he, "he_init", _he_variance, mistakes)

    return run_check("問 1", body, quiet=quiet)


def check_xavier_init(xavier_init, quiet=False):
    """問 2: xavier_init(shape, rng) draws W ~ N(0, 2 / (n_in + n_out)), like
    dlcore.initializers.xavier (the same weights from the same generator state)."""
    mistakes = [
        (lambda s: 1.0 / (s[0] + s[1]), "分散が 1 / (n_in + n_out) になっています。"
                                        "1/n_in と 1/n_out の間をとる式の分子は 2 です"),
        (_variance_as_std(_xavier_variance), "分散 2 / (n_in + n_out) を標準偏差として rng.normal に"
                                             "渡しています。標準偏差は分散の平方根です"),
        (_he_variance, "He の式（2 / n_in）になっています。Xavier は n_in と n_out の両方を使います"),
        (lambda s: 2.0 / s[0], "分散が 2 / n_out になっています。Xavier は n_in と n_out の両方を使います"),
        (lambda s: 1.0 / s[1], "分散が 1 / n_in になっています。Xavier は n_in と n_out の両方を使います"),
    ]

    def body():
        _check_initializer(xavier_init, initializers.xavier, "xavier_init", _xavier_variance,
                           mistakes)

    return run_check("問 2", body, quiet=quiet)


def check_he_std(answer, quiet=False):
    """問 3: the standard deviation of He initialization for n_in = 32, sqrt(2 / 32)."""
    n_in = 32

    def body():
        expect_number(answer, np.sqrt(2.0 / n_in), "標準偏差", tol=1e-4, mistakes=[
            (2.0 / n_in, "それは分散です。標準偏差は分散の平方根です"),
            (np.sqrt(1.0 / n_in), "係数 2 が抜けています（He の初期化は Var(w) = 2 / n_in）"),
            ((2.0 / n_in) ** 2, "分散の 2 乗になっています。標準偏差は分散の平方根です"),
        ])

    return run_check("問 3", body, quiet=quiet)


@lru_cache(maxsize=4)
def vanishing_depth(limit=RATIO_LIMIT, max_depth=20):
    """The smallest number of hidden layers d for which the freshly initialized sigmoid network
    (Xavier) has ||∂L/∂W^1|| / ||∂L/∂W^{d+1}|| < ``limit`` (notebook 09 問 4)."""
    for depth in range(1, max_depth + 1):
        norms = initial_gradient_norms(depth=depth, activation="sigmoid", init="xavier")
        if norms[0] / norms[-1] < limit:
            return depth
    raise ValueError(f"no depth up to {max_depth} has a ratio below {limit}")


def check_vanishing_depth(answer, quiet=False):
    """問 4: the first depth at which the gradient ratio drops below 10^-3."""

    def body():
        require_answer(answer)
        if not isinstance(answer, numbers.Integral) or isinstance(answer, bool) or answer < 1:
            raise Wrong("隠れ層の数（1 以上の整数）で答えてください")
        depth = vanishing_depth()
        expect_number(answer, depth, "深さ", tol=0.0, mistakes=[
            (depth - 1, "その深さでは、比はまだ 10^-3 以上です"),
            (depth + 1, "それより 1 つ浅いネットワークで、もう 10^-3 を下回っています（「初めて」下回る深さです）"),
        ])

    return run_check("問 4", body, quiet=quiet)


@lru_cache(maxsize=16)
def resnet_run(lr):
    """The run of 問 5: 10 hidden ReLU layers (He) with shortcuts, SGD(lr), 5 epochs."""
    return compute_gradient_flow(depth=10, activation="relu", init="he", shortcut=True, lr=lr)


def check_resnet_learning_rate(answer, quiet=False):
    """問 5: a learning rate with which the ReLU network with shortcuts does not diverge and
    ends 5 epochs with a training loss below RESNET_LOSS_LIMIT."""

    def body():
        require_answer(answer)
        if not isinstance(answer, numbers.Real) or isinstance(answer, bool) or not answer > 0:
            raise Wrong("学習率は正の数で答えてください")
        if answer > 1:
            raise Wrong("学習率が大きすぎます。η = 0.1 でも発散することを思い出しましょう")
        r = resnet_run(float(answer))
        if r["diverged"]:
            raise Wrong(f"この学習率ではエポック {r['diverged_epoch']} で発散します。もっと小さくしてみましょう")
        if not r["loss"][-1] < RESNET_LOSS_LIMIT:
            raise Wrong(f"発散はしませんが、5 エポック後の損失が {r['loss'][-1]:.2f} で、"
                        f"{RESNET_LOSS_LIMIT} 未満になっていません（当てずっぽうは {CHANCE_LOSS:.2f}）。"
                        "学習率を変えて、学習が進む値を探しましょう")

    return run_check("問 5", body, quiet=quiet)
