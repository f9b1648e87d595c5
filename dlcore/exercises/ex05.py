"""Checkers for the exercises of notebook 05_backpropagation.

    check_dx2(answer)                   問 1  ∂L/∂x₂ in slide 22's network by the chain rule
    check_chain_rule(answer)            問 2  F'(0.7) for F(x) = (tanh(x²) − 1)² (slide 20)
    check_forward_passes(answer)        問 3  forward passes of one central-difference gradient
    check_sigmoid_layer(SigmoidLayer)   問 4  forward/backward of a sigmoid layer
    check_linear_layer(LinearLayer)     問 5  forward/backward of a linear layer (slides 26-27)

The layers are classes like dlcore.layers: ``SigmoidLayer()`` and ``LinearLayer(W, b)`` with
``forward(x, train=True)`` and ``backward(dout, need_dx=True)``; the linear layer keeps
``params`` and ``grads`` dicts. They are run on fresh random batches of several shapes and
compared with dlcore.layers.Sigmoid / Linear, typical mistakes get their own message, and a
gradient check (slide 19) runs on the student's own layer. Each checker prints 「正解です！」,
「未解答です」 or 「まだ違います。…」 (never the expected value).
"""

import numpy as np

from .. import functions as F
from ..backprop_demo import slide22_example
from ..layers import Linear, Sigmoid
from ..network import build_mlp
from .checking import Wrong, call, expect_close, expect_layer, expect_number, run_check

# --- 問 1: ∂L/∂x₂ in slide 22's network ------------------------------------------------------


def _slide22_pieces():
    """The parts of slide 25's formula for the notebook's example, with sigmoid activations
    and L = (o − y)²: (∂L/∂o, (f¹)'(u¹₀), (f⁰)'(u⁰) of shape (2,), W0, W1)."""
    W0, W1, x, y = slide22_example()
    u0 = W0 @ x
    u1 = (W1 @ F.sigmoid(u0))[0]
    return 2 * (F.sigmoid(u1) - y), F.sigmoid_grad(u1), F.sigmoid_grad(u0), W0, W1


def check_dx2(answer, quiet=False):
    """問 1: ∂L/∂x₂ = ∂L/∂o (f¹)'(u¹₀) [w¹₀₀ (f⁰)'(u⁰₀) w⁰₀₂ + w¹₀₁ (f⁰)'(u⁰₁) w⁰₁₂]."""
    dL_do, df1, df0, W0, W1 = _slide22_pieces()

    def paths(j, df0=df0):
        """The two terms of the bracket for input x_j, one per hidden neuron."""
        return [W1[0, i] * df0[i] * W0[i, j] for i in range(2)]

    def body():
        expect_number(answer, dL_do * df1 * sum(paths(2)), "∂L/∂x₂", tol=1e-9, mistakes=[
            (dL_do * df1 * sum(paths(1)),
             "それは ∂L/∂x₁ の値です。x₂ から u⁰_i への重みを使いましょう"),
            (dL_do * df1 * paths(2)[0],
             "u⁰₁ を通る道筋が抜けています。x₂ は u⁰₀ と u⁰₁ の両方に入っています"),
            (dL_do * df1 * paths(2)[1],
             "u⁰₀ を通る道筋が抜けています。x₂ は u⁰₀ と u⁰₁ の両方に入っています"),
            (dL_do * sum(paths(2)), "出力層の活性化関数の微分 (f¹)'(u¹₀) が抜けています"),
            (dL_do * df1 * sum(paths(2, df0=np.ones(2))),
             "隠れ層の活性化関数の微分 (f⁰)'(u⁰_i) が抜けています"),
        ])

    return run_check("問 1", body, quiet=quiet)


# --- 問 2: the chain rule for F(x) = (tanh(x²) − 1)² -------------------------------------------

CHAIN_RULE_X = 0.7
"""The point at which 問 2 asks for F'(x)."""


def check_chain_rule(answer, quiet=False):
    """問 2: F'(x) = 2x · (1 − tanh²(x²)) · 2(tanh(x²) − 1) at x = 0.7 (three factors)."""
    x = CHAIN_RULE_X
    t = np.tanh(x ** 2)

    def body():
        expect_number(answer, 2 * x * (1 - t ** 2) * 2 * (t - 1), "F'(0.7)", tol=1e-9, mistakes=[
            ((1 - t ** 2) * 2 * (t - 1), "いちばん内側 u = x² の微分 2x が掛かっていません"),
            (2 * x * (1 - t) * 2 * (t - 1), "tanh の微分は 1 − tanh(u) ではなく 1 − tanh²(u) です"),
            (2 * x * 2 * (t - 1), "真ん中の tanh の微分が掛かっていません"),
            (2 * x * (1 - t ** 2), "外側 (t − 1)² の微分 2(t − 1) が掛かっていません"),
        ])

    return run_check("問 2", body, quiet=quiet)


# --- 問 3: forward passes of a numerical gradient ---------------------------------------------

FORWARD_PASS_SIZES = (64, 100, 10)
"""The MLP of 問 3: 64 inputs, 100 hidden units, 10 classes."""


def check_forward_passes(answer, quiet=False):
    """問 3: central differences need 2 forward passes per parameter: 2P for the whole gradient."""
    n_params = build_mlp(FORWARD_PASS_SIZES).n_params
    n_weights = sum(a * b for a, b in zip(FORWARD_PASS_SIZES, FORWARD_PASS_SIZES[1:]))

    def body():
        expect_number(answer, 2 * n_params, "順伝播の回数", tol=1e-9, mistakes=[
            (n_params, "パラメータ 1 つにつき、+h と −h の 2 回の順伝播が要ります"),
            (2 * n_weights, "バイアスもパラメータです。バイアスの数も足しましょう"),
            (n_weights, "バイアスの数と、+h と −h の 2 回であることを確かめましょう"),
        ])

    return run_check("問 3", body, quiet=quiet)


# --- 問 4: a sigmoid layer --------------------------------------------------------------------

SIGMOID_SHAPES = ((4, 3), (1, 5), (6, 2))
"""Batch shapes on which the sigmoid layer is tried."""


def check_sigmoid_layer(SigmoidLayer, quiet=False):
    """問 4: ``SigmoidLayer()`` with forward o = σ(u) and backward dL/du = dL/do · σ(u)(1 − σ(u)),
    compared with dlcore.layers.Sigmoid on batches of several shapes, then gradient-checked."""
    rng = np.random.default_rng(505)

    def body():
        for shape in SIGMOID_SHAPES:
            x = rng.normal(scale=2.0, size=shape)
            s = F.sigmoid(x)
            layer = call(SigmoidLayer, name="SigmoidLayer")
            out = call(getattr(layer, "forward", None), x, True, name="SigmoidLayer.forward")
            expect_close(out, s, "SigmoidLayer.forward の出力", mistakes=[
                (F.sigmoid(-x), "e の肩の符号が逆です。σ(u) = 1/(1 + e^{−u}) です"),
            ])
            dout = rng.normal(size=shape)
            dx = call(getattr(layer, "backward", None), dout, name="SigmoidLayer.backward")
            expect_close(dx, dout * s * (1 - s), "SigmoidLayer.backward が返す ∂L/∂u", mistakes=[
                (dout * s, "σ′(u) を σ(u) にしています。(1 − σ(u)) が抜けています"),
                (dout * (1 - s), "σ′(u) の σ(u) の因子が抜けています"),
                (s * (1 - s), "右から届いた勾配 dout を掛けていません"),
                (dout, "局所的な微分 σ′(u) を掛けていません"),
                (dout * x * (1 - x), "σ(u)(1 − σ(u)) の σ(u) に、入力 u をそのまま使っています。"
                                     "forward で計算した出力を保存して使いましょう"),
            ])
            expect_layer(call(SigmoidLayer, name="SigmoidLayer"), Sigmoid(), x, "SigmoidLayer",
                         rng=rng)

    return run_check("問 4", body, quiet=quiet)


# --- 問 5: a linear layer ---------------------------------------------------------------------

LINEAR_SHAPES = ((4, 3, 3), (5, 2, 4), (1, 3, 2))
"""(batch size n, inputs, outputs) of the linear layers tried; the first is square, so a
transposed W still has the right shape and the mistake is recognised by its values."""


def _linear_case(rng, n, n_in, n_out):
    """dlcore's Linear with a random nonzero bias, and a batch x and an upstream gradient."""
    reference = Linear(n_in, n_out, seed=int(rng.integers(1000)))
    reference.params["b"][...] = rng.normal(size=n_out)
    return reference, rng.normal(size=(n, n_in)), rng.normal(size=(n, n_out))


def _check_linear_once(LinearLayer, reference, x, dout):
    W, b = reference.params["W"], reference.params["b"]
    n = x.shape[0]
    layer = call(LinearLayer, W.copy(), b.copy(), name="LinearLayer")
    out = call(getattr(layer, "forward", None), x, True, name="LinearLayer.forward")
    square = W.shape[0] == W.shape[1]
    expect_close(out, x @ W.T + b, "LinearLayer.forward の出力", mistakes=[
        (x @ W.T, "バイアス b を足していません"),
        *([(x @ W + b, "W の向きが逆です。W の形は (出力数, 入力数) です")] if square else []),
    ])
    dx = call(getattr(layer, "backward", None), dout, name="LinearLayer.backward")
    grads = getattr(layer, "grads", None)
    if not isinstance(grads, dict) or "W" not in grads or "b" not in grads:
        raise Wrong("LinearLayer.grads が 'W' と 'b' の勾配を持つ辞書になっていません")
    dW = dout.T @ x
    expect_close(grads["W"], dW, "grads['W']", n=n, mistakes=[
        (dW / n, f"{n} で割っています。損失の 1/n は dout に入っているので、ここでは割りません"),
        *([(dW.T, "転置した形です。∂L/∂w_ij = Σ_s δ_si x_sj の添字の順番を確かめましょう")]
          if square else []),
    ])
    if np.shape(grads["b"]) == dout.shape and dout.shape != b.shape:
        raise Wrong("grads['b'] がサンプルごとの形のままです。バイアスの勾配はバッチ全体で足し合わせます")
    expect_close(grads["b"], dout.sum(axis=0), "grads['b']", n=n, mistakes=[
        (dout.mean(axis=0), "平均をとっています。バイアスの勾配はバッチ全体の和です"),
    ])
    expect_close(dx, dout @ W, "LinearLayer.backward が返す ∂L/∂x", n=n, mistakes=[
        *([(dout @ W.T, "W の向きが逆です。形 (n, 出力数) の dout に掛けて "
                        "(n, 入力数) になる向きを確かめましょう")] if square else []),
        (dout @ W / n, f"{n} で割っています。∂L/∂x はサンプルごとの勾配で、割りません"),
    ])


def check_linear_layer(LinearLayer, quiet=False):
    """問 5: ``LinearLayer(W, b)`` with forward u = x Wᵀ + b and backward dL/dW = doutᵀ x,
    dL/db = Σ_s dout_s, dL/dx = dout W, compared with dlcore.layers.Linear on batches of
    several shapes (a square one first), then gradient-checked. ``grads`` may be written in
    place or assigned."""
    rng = np.random.default_rng(5005)

    def body():
        for n, n_in, n_out in LINEAR_SHAPES:
            reference, x, dout = _linear_case(rng, n, n_in, n_out)
            _check_linear_once(LinearLayer, reference, x, dout)
            W, b = reference.params["W"], reference.params["b"]
            student = call(LinearLayer, W.copy(), b.copy(), name="LinearLayer")
            expect_layer(student, reference, x, "LinearLayer", rng=rng)

    return run_check("問 5", body, quiet=quiet)
