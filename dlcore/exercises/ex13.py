"""Checkers for the exercises of notebook 13_to_pytorch (slide 44).

問 1: the shape of ``nn.Linear(784, 128).weight`` (no PyTorch needed). 問 2 (コード): the
multilayer perceptron as a ``torch.nn.Module`` subclass, checked against dlcore's network with
the same weights (``dlcore.torch_bridge``): outputs, and the gradients autograd finds through
the student's ``forward``. 問 3: the size of the float32 rounding difference.

PyTorch is optional. Without it the checkers of 問 2 and 問 3 say so (and report 「未解答」,
since nothing could be checked) instead of failing; ``torch_available()`` lets a notebook's
hidden test accept that case.
"""

import numpy as np

from .. import functions as F
from ..network import build_mlp
from ..torch_bridge import copy_linears_to_torch, import_torch, torch_available
from .checking import (
    Unanswered,
    Wrong,
    call,
    expect_close,
    expect_number,
    require_answer,
    run_check,
)

__all__ = ["torch_available", "check_linear_weight_shape", "check_mlp_module",
           "check_float32_gap"]

NO_TORCH = ("PyTorch がインストールされていないので、この問題は確かめられません。"
            "pip install torch で入れて、カーネルを再起動してから実行してください")


def _require_torch():
    if not torch_available():
        raise Unanswered(NO_TORCH)
    return import_torch()


def check_linear_weight_shape(answer, quiet=False):
    """問 1: the shape (rows, columns) of ``torch.nn.Linear(784, 128).weight``: (out, in)."""

    def body():
        n_in, n_out = 784, 128
        expect_number(answer, (n_out, n_in), "weight の形", mistakes=[
            ((n_in, n_out), "(入力の数, 出力の数) の順になっています。weight は dlcore の W と同じく "
                            "(出力の数, 入力の数) です（3.1 節）"),
        ])

    return run_check("問 1", body, quiet=quiet)


_MLP_CASES = (((5, 7, 3), 4, 1), ((6, 8, 5, 4), 6, 2), ((3, 2), 2, 3))  # (sizes, n, seed)


def check_mlp_module(MLP, quiet=False):
    """問 2: ``MLP(sizes)`` is an ``nn.Module`` whose ``forward(x)`` returns the scores u of
    dlcore's ``build_mlp(sizes, activation="relu")`` (Linear, ReLU, ..., Linear) for the same
    weights, and autograd through it gives dlcore's gradients of the softmax cross-entropy."""

    def body():
        torch = _require_torch()
        for sizes, n, seed in _MLP_CASES:
            net = call(MLP, sizes, name="MLP")
            if not isinstance(net, torch.nn.Module):
                raise Wrong("MLP が torch.nn.Module を継承していません（class MLP(nn.Module): と書きます）")
            reference = build_mlp(sizes, activation="relu", seed=seed)
            try:
                copy_linears_to_torch(reference, net.double())
            except ValueError:
                raise Wrong("MLP の nn.Linear の数や形が sizes と合いません。__init__ は書き換えずに、"
                            "forward だけを書いてください") from None
            rng = np.random.default_rng(1300 + seed)
            X = rng.normal(size=(n, sizes[0]))
            out = call(net, torch.from_numpy(X), name="MLP の forward")
            if not torch.is_tensor(out):
                raise Wrong(f"forward が torch のテンソルではなく {type(out).__name__} を返しています")
            if not out.requires_grad:
                raise Wrong("forward の出力が重みにつながっていません（forward の中で .detach() や "
                            ".numpy()、torch.no_grad() を使っていませんか）。autograd が微分できなくなります")
            expected = reference.forward(X, train=False)
            expect_close(out.detach().numpy(), expected, "forward が返すスコア u",
                         mistakes=_mlp_mistakes(reference, X, expected))
            labels = rng.integers(0, sizes[-1], size=n)
            torch.nn.functional.cross_entropy(out, torch.from_numpy(labels)).backward()
            reference.loss(X, labels)
            reference.backward()
            linears = [m for m in net.modules() if isinstance(m, torch.nn.Linear)]
            ours = [layer for layer in reference.layers if "W" in layer.params]
            for k, (linear, layer) in enumerate(zip(linears, ours)):
                expect_close(linear.weight.grad.numpy(), layer.grads["W"],
                             f"{k + 1} 番目の nn.Linear の weight の勾配")

    return run_check("問 2", body, quiet=quiet)


def _mlp_mistakes(reference, X, expected):
    """What typical wrong forwards return: no ReLU, ReLU after the last layer too, sigmoid in
    place of ReLU, softmax inside forward."""
    Ws = [layer.params for layer in reference.layers if "W" in layer.params]

    def chain(hidden):
        o = X
        for p in Ws[:-1]:
            o = hidden(o @ p["W"].T + p["b"])
        return o @ Ws[-1]["W"].T + Ws[-1]["b"]

    return [
        (F.relu(expected), "出力層のあとにも ReLU を掛けています。最後の nn.Linear の出力（スコア u）は"
                           "そのまま返します。負のスコアも必要です"),
        (chain(lambda u: u), "隠れ層のあとの ReLU が抜けています（これでは 1 層の線形変換と同じです）"),
        (chain(F.sigmoid), "ReLU の代わりにシグモイドを使っています"),
        (F.softmax(expected), "forward の中でソフトマックスを掛けています。F.cross_entropy が中でソフトマックスを"
                              "計算するので、forward はソフトマックスの前のスコア u を返します"),
    ]


def check_float32_gap(answer, quiet=False):
    """問 3: the largest difference between the float32 network's outputs and dlcore's float64
    outputs: rounding of float32 (about 7 significant digits), neither 0 nor large."""

    def body():
        _require_torch()
        gap = require_answer(answer)
        try:
            gap = float(gap)
        except (TypeError, ValueError):
            raise Wrong("answer は差の最大値（1 つの数）にしてください") from None
        if not np.isfinite(gap) or gap < 0:
            raise Wrong("差の最大値は 0 以上の有限の数です。np.abs(...).max() を取りましたか")
        if gap < 1e-9:
            raise Wrong("差がほとんど 0 です。64 ビット同士を比べていませんか（ネットワークは "
                        "to_torch(model, dtype=torch.float32)、入力は .float() で 32 ビットにします）")
        if gap > 1e-4:
            raise Wrong("差が大きすぎます。同じ重み（6 節で学習した model）と同じ入力 X_batch の出力を"
                        "比べていますか")

    return run_check("問 3", body, quiet=quiet)
