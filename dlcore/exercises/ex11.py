"""Checkers for the exercises of notebook 11_training_techniques.

    check_standardize       問 1  standardizing a new value with the training statistics (slide 40)
    check_dropout_value     問 2  what inverted dropout passes on for a kept unit (slide 41)
    check_dropout_layer     問 3  inverted dropout forward/backward, against dlcore.layers.Dropout
    check_batchnorm_forward 問 4  batch normalization forward in training mode, against
                                  dlcore.layers.BatchNorm
    check_breaking_lr       問 5  a learning rate where the plain network fails but the one
                                  with batch normalization learns (the widget of section 4.3)

Each prints 「正解です！」, 「未解答です」 or 「まだ違います。…」 (naming the typical mistake
when the answer matches one) and returns True or False; none prints an expected value.
"""

import numpy as np

from ..layers import BatchNorm, Dropout
from .checking import (
    Wrong,
    call,
    expect_close,
    expect_gradients_consistent,
    expect_number,
    require_answer,
    run_check,
)

__all__ = ["check_standardize", "check_dropout_value", "check_dropout_layer",
           "check_batchnorm_forward", "check_breaking_lr"]


# --- 問 1: standardizing with the training statistics ----------------------------------------

def check_standardize(answer, quiet=False):
    """問 1: z = (x - μ) / s for x = 10, with μ and s (divided by n) of the training values
    2, 4, 6, 8 only (slide 40)."""
    train_values, x = np.array([2.0, 4.0, 6.0, 8.0]), 10.0
    with_new = np.append(train_values, x)
    mu, s = train_values.mean(), train_values.std()

    def body():
        expect_number(answer, (x - mu) / s, "z", tol=5e-3, mistakes=[
            ((x - mu) / train_values.std(ddof=1),
             "標準偏差を n − 1 で割って求めています。ここでは np.std と同じく n で割ります"),
            ((x - with_new.mean()) / with_new.std(),
             "新しいデータ x = 10 も統計量の計算に入れています。平均と標準偏差は訓練データだけから求めます"),
            (x / s, "平均を引いていません"),
            ((x - mu) / s**2, "標準偏差ではなく分散で割っています"),
            ((x - train_values.min()) / np.ptp(train_values),
             "それは min-max 正規化の値です。問は標準化（平均 0・標準偏差 1）です"),
        ])

    return run_check("問 1", body, quiet=quiet)


# --- 問 2: the value inverted dropout passes on -----------------------------------------------

def check_dropout_value(answer, quiet=False):
    """問 2: a unit with output o = 3 kept by inverted dropout with p = 0.2 passes on
    o / (1 - p) (slide 41)."""
    o, p = 3.0, 0.2

    def body():
        expect_number(answer, o / (1 - p), "õ", tol=1e-6, mistakes=[
            (o, "残した出力は、そのままではなく 1/(1 − p) 倍します（期待値を保つため）"),
            (o * (1 - p), "(1 − p) 倍ではなく 1/(1 − p) 倍です"),
            (o / p, "p ではなく 1 − p（残す確率）で割ります"),
            (o * p, "p 倍ではなく 1/(1 − p) 倍です"),
        ])

    return run_check("問 2", body, quiet=quiet)


# --- 問 3: inverted dropout as a layer --------------------------------------------------------

# (shape of x, dropout rate p, seed of the layer's generator)
_DROPOUT_CASES = [((4, 6), 0.5, 11), ((32, 10), 0.2, 12), ((1, 7), 0.8, 13),
                  ((2, 3, 4), 0.3, 14), ((5, 5), 0.0, 15)]

_MASK_HOW = ("マスクは self.rng.random(x.shape) >= self.rate で作ってください"
             "（dlcore.layers.Dropout と同じ乱数の使い方なので、同じ seed なら同じマスクになります）")


def check_dropout_layer(layer_class, quiet=False):
    """問 3: ``layer_class(rate, seed)`` is inverted dropout (slide 41).

    Training: õ = o · r / (1 - p) with the mask r = (rng.random(shape) >= p), backward
    ∂L/∂o = r / (1 - p) · ∂L/∂õ; evaluation: õ = o and ∂L/∂o = ∂L/∂õ. Compared with
    dlcore.layers.Dropout(rate, seed), which draws the same mask from the same generator;
    the backward also passes a gradient check with the mask held fixed (slide 19).
    """
    rng = np.random.default_rng(1101)

    def body():
        for shape, rate, seed in _DROPOUT_CASES:
            x = rng.normal(size=shape)  # no exact zeros: a zero in the output is a dropped unit
            dout = rng.normal(size=shape)
            _check_dropout_training(layer_class, x, dout, rate, seed)
            _check_dropout_evaluation(layer_class, x, dout, rate, seed)

    return run_check("問 3", body, quiet=quiet)


def _make_layer(layer_class, rate, seed):
    layer = call(layer_class, rate, seed, name="DropoutLayer")
    for method in ("forward", "backward"):
        if not callable(getattr(layer, method, None)):
            raise Wrong(f"DropoutLayer に {method} メソッドがありません")
    return layer


def _check_dropout_training(layer_class, x, dout, rate, seed):
    student, reference = _make_layer(layer_class, rate, seed), Dropout(rate, seed)
    expected = reference.forward(x.copy(), train=True)
    keep = expected != 0
    got = call(student.forward, x, True, name="DropoutLayer.forward")
    _check_mask(got, x, keep, rate)
    expect_close(got, expected, "訓練時の forward の出力", mistakes=[
        (x * keep, "残した出力を 1/(1 − p) 倍していません（期待値が変わってしまいます）"),
        (x * keep * (1 - rate), "(1 − p) 倍ではなく 1/(1 − p) 倍します"),
        (x * keep / rate if rate > 0 else x, "p ではなく 1 − p（残す確率）で割ります"),
    ])
    expected_dx = reference.backward(dout.copy())
    got_dx = call(student.backward, dout, name="DropoutLayer.backward")
    expect_close(got_dx, expected_dx, "訓練時の backward が返す ∂L/∂o", mistakes=[
        (dout, "逆伝播で、順伝播と同じマスクを掛けていません"),
        (dout * keep, "逆伝播でも、マスクに加えて 1/(1 − p) を掛けます"),
        (dout / (1 - rate), "逆伝播で、順伝播と同じマスクを掛けていません"),
    ])
    # Gradient check (slide 19) with the mask held fixed: the generator restarts each time
    x_check = x.copy()

    def forward_sum():
        student.rng = np.random.default_rng(seed)
        with np.errstate(all="ignore"):
            return float(np.sum(np.asarray(student.forward(x_check, True)) * dout))

    expect_gradients_consistent(forward_sum, {"x": x_check}, {"x": got_dx}, "DropoutLayer")


def _check_mask(got, x, keep, rate):
    """Name the mistake when the student's training output zeroes other units than dlcore's."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return  # expect_close explains what is not an array
    if got.shape != x.shape or np.array_equal(got != 0, keep):
        return
    if rate > 0 and np.array_equal(got, x):
        raise Wrong("訓練時（train=True）なのに、入力をそのまま返しています")
    if rate > 0 and np.array_equal(got != 0, ~keep):
        raise Wrong("訓練時の forward の出力：マスクの向きが逆です。確率 1 − p で残し、"
                    "確率 p で 0 にします")
    raise Wrong(f"訓練時の forward の出力：0 になった所が dlcore と違います。{_MASK_HOW}")


def _check_dropout_evaluation(layer_class, x, dout, rate, seed):
    student = _make_layer(layer_class, rate, seed)
    would_keep = np.random.default_rng(seed).random(x.shape) >= rate  # the training mask
    got = call(student.forward, x, False, name="DropoutLayer.forward")
    expect_close(got, x, "評価時（train=False）の forward の出力", mistakes=[
        (x * would_keep / (1 - rate), "評価時にもドロップアウトしています。評価時は何もせず、入力をそのまま返します"),
        (x * would_keep, "評価時にもドロップアウトしています。評価時は何もせず、入力をそのまま返します"),
        (x * (1 - rate), "評価時に (1 − p) 倍しています。inverted dropout では訓練時に 1/(1 − p) 倍して"
                         "あるので、評価時は何もしません"),
        (x / (1 - rate), "評価時に 1/(1 − p) 倍しています。評価時は何もしません"),
    ])
    got_dx = call(student.backward, dout, name="DropoutLayer.backward")
    expect_close(got_dx, dout, "評価時の backward が返す ∂L/∂o", mistakes=[
        (dout * would_keep / (1 - rate), "評価時は何もしない層なので、逆伝播も ∂L/∂õ をそのまま返します"),
        (dout * (1 - rate), "評価時は何もしない層なので、逆伝播も ∂L/∂õ をそのまま返します"),
    ])


# --- 問 4: batch normalization forward ---------------------------------------------------------

def _batchnorm_cases(rng):
    """(u, γ, β, ε): mixed scales, a batch of 2, a square batch (rows and columns can be
    confused), a feature of tiny spread (ε matters) and a constant feature (σ²_B = 0)."""
    cases = []
    for m, d, eps in [(6, 4, 1e-5), (2, 3, 1e-5), (5, 5, 1e-5), (32, 6, 1e-5), (8, 3, 1e-2)]:
        u = rng.normal(loc=rng.uniform(-5, 5, d), scale=rng.uniform(0.5, 20, d), size=(m, d))
        if m == 32:
            u[:, 1] = 3.0 + 1e-3 * rng.normal(size=m)  # σ_B ≈ 0.001: sqrt(σ² + ε) ≠ σ + ε
            u[:, 2] = -1.5                              # σ_B = 0: only ε avoids 0/0
        cases.append((u, rng.uniform(0.5, 2.0, d), rng.normal(size=d), eps))
    return cases


def check_batchnorm_forward(batchnorm_forward, quiet=False):
    """問 4: ``batchnorm_forward(u, gamma, beta, eps)`` in training mode (slide 41).

    μ_B and σ²_B (divided by m) per feature over the mini-batch (axis 0), û = (u - μ_B) /
    sqrt(σ²_B + ε), ũ = γ û + β. Compared with dlcore.layers.BatchNorm(d, eps=eps) in
    training mode.
    """
    rng = np.random.default_rng(1102)

    def body():
        for u, gamma, beta, eps in _batchnorm_cases(rng):
            reference = BatchNorm(u.shape[1], eps=eps)
            reference.params["gamma"][...] = gamma
            reference.params["beta"][...] = beta
            expected = reference.forward(u.copy(), train=True)
            got = call(batchnorm_forward, u, gamma, beta, eps, name="batchnorm_forward")
            expect_close(got, expected, "batchnorm_forward の出力",
                         mistakes=_batchnorm_mistakes(u, gamma, beta, eps))

    return run_check("問 4", body, quiet=quiet)


def _batchnorm_mistakes(u, gamma, beta, eps):
    def normalize(axis=0, ddof=0, eps_inside=True, eps_used=eps):
        mu = u.mean(axis=axis, keepdims=True)
        var = u.var(axis=axis, ddof=ddof, keepdims=True)
        with np.errstate(all="ignore"):
            if eps_inside:
                return (u - mu) / np.sqrt(var + eps_used)
            return (u - mu) / (np.sqrt(var) + eps_used)

    u_hat = normalize()
    mistakes = [
        (gamma * normalize(axis=1) + beta,
         "サンプルごと（行ごと、axis=1）に正規化しています。平均と分散は、ミニバッチの中で"
         "特徴量ごと（列ごと、axis=0）に求めます"),
        (gamma * normalize(eps_inside=False) + beta,
         "ε を平方根の外で足しています。ε は分散に足してから平方根を取ります：√(σ²_B + ε)"),
        (gamma * normalize(eps_used=0.0) + beta, "ε を足していません（分散が 0 の特徴量で 0 で割ってしまいます）"),
        (gamma * normalize(ddof=1) + beta,
         "分散を m − 1 で割っています（不偏分散、ddof=1）。BN の σ²_B はミニバッチの数 m で割ります"),
        (u_hat, "γ と β を使っていません。最後に ũ = γ û + β とします"),
        (gamma * u_hat, "β を足していません"),
        (u_hat + beta, "γ を掛けていません"),
    ]
    if eps != 1e-5:
        mistakes.append((gamma * normalize(eps_used=1e-5) + beta,
                         "引数の eps ではなく、決まった値の ε を使っています"))
    return mistakes


# --- 問 5: a learning rate where only batch normalization copes ------------------------------

def check_breaking_lr(answer, quiet=False):
    """問 5: a learning rate η < 2 (below the contact sheet's η = 2) for which, in the setting
    of section 4.3 (ReLU, seed 0), the network without batch normalization does not train
    (status "diverged" or "stalled") while the one with it reaches a validation accuracy of
    at least 85 %."""
    from ..widgets.techniques import STATUS_LABELS, compute_batchnorm_curves

    def body():
        require_answer(answer)
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.number)):
            raise Wrong(f"η は数で答えてください（{type(answer).__name__} になっています）")
        lr = float(answer)
        if not np.isfinite(lr) or lr <= 0:
            raise Wrong("学習率 η は正の数です")
        if lr >= 2:
            raise Wrong("一覧図の η = 2 より小さい η で探してください")
        plain = compute_batchnorm_curves(batchnorm=False, lr=lr)
        if plain["status"] == "trained":
            raise Wrong(f"η = {lr:g} では BN なしでも学習できてしまいます"
                        f"（{STATUS_LABELS['trained']}）。η をもっと大きくしてみましょう")
        with_bn = compute_batchnorm_curves(batchnorm=True, lr=lr)
        if not with_bn["final_val_acc"] >= 0.85:
            raise Wrong(f"η = {lr:g} では BN ありでも検証正解率が 85% に届きません。"
                        "η が大きすぎます")

    return run_check("問 5", body, quiet=quiet)

