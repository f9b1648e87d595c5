"""Checkers for the exercises of notebook 12_outlook (CNN, RNN and attention, slides 42-43).

    check_conv_shape        問 1  output size and parameter count of Conv2D(3, 16, 5) on 32x32
    check_im2col            問 2  im2col(x, kh, kw, stride, pad) against dlcore.conv.im2col
    check_conv2d_forward    問 3  a convolution through im2col against dlcore.conv.Conv2D
    check_vanishing_steps   問 4  first T with 0.9^T < 0.01
    check_query_for_key     問 5  a query that puts weight > 0.9 on key 2 of KEYS_Q5
    check_attention         問 6  softmax(Q K^T / √d) V (with a mask) against dlcore.attention

Each checker builds its own inputs from a fixed generator (not the notebook's examples),
computes the expected values with dlcore, and prints only what is wrong.
"""

import numpy as np

from .. import functions as F
from ..attention import causal_mask, scaled_dot_product_attention
from ..conv import Conv2D, conv_output_size, im2col
from .checking import Wrong, call, expect_close, expect_number, require_answer, run_check

KEYS_Q5 = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])  # the keys of 問 5


def check_conv_shape(answer, quiet=False):
    """問 1: (height, width, number of parameters) of Conv2D(3, 16, 5) on a 32x32x3 image."""

    def body():
        require_answer(answer)
        size = conv_output_size(32, 5)
        layer = Conv2D(3, 16, 5, seed=0)
        expected = (size, size, sum(p.size for p in layer.params.values()))
        weights = layer.params["W"].size
        expect_number(answer, expected, "(高さ, 幅, パラメータ数)", mistakes=[
            ((size - 1, size - 1, expected[2]),
             "高さと幅が 1 小さくなっています。出力の大きさの式の最後の「+ 1」を忘れていませんか"),
            ((size + 1, size + 1, expected[2]),
             "高さと幅が 1 大きくなっています。(入力 − カーネル) / stride + 1 を確かめましょう"),
            ((size, size, weights), "パラメータ数にバイアス（出力チャネルごとに 1 つ）が入っていません"),
            ((size, size, 16 * 5 * 5 + 16),
             "パラメータ数に入力チャネル数が掛かっていません。1 つのフィルタは 3 チャネル分の重みを持ちます"),
        ])

    return run_check("問 1", body, quiet=quiet)


def check_vanishing_steps(answer, quiet=False):
    """問 4: the smallest integer T with 0.9^T < 0.01."""

    def body():
        require_answer(answer)
        expected = int(np.ceil(np.log(0.01) / np.log(0.9)))
        if np.ndim(answer) == 0 and isinstance(answer, (int, float, np.number)) and (
                float(answer) != round(float(answer))):
            raise Wrong("T は整数（時刻）です。初めて 0.01 より小さくなる整数を答えましょう")
        expect_number(answer, expected, "T", mistakes=[
            (expected - 1, "その T ではまだ 0.01 以上です。log の比を切り上げましょう（切り捨てではなく）"),
        ])

    return run_check("問 4", body, quiet=quiet)


def check_query_for_key(answer, quiet=False):
    """問 5: a query q of length 2 whose attention weight on key 2 of KEYS_Q5 exceeds 0.9."""

    def body():
        require_answer(answer)
        try:
            q = np.asarray(answer, dtype=np.float64).reshape(1, 2)
        except (TypeError, ValueError):
            raise Wrong("q は長さ 2 のベクトル（例えば [x, y]）で答えてください") from None
        if not np.all(np.isfinite(q)):
            raise Wrong("q に NaN や inf が入っています")
        _, A = scaled_dot_product_attention(q, KEYS_Q5, np.eye(3))
        if A[0, 2] > 0.9:
            return
        if A[0].argmax() == 2:
            raise Wrong("見出し 2 に一番注目していますが、重みがまだ 0.9 以下です。"
                        "向きはそのままで、q を長くしてみましょう")
        raise Wrong("見出し 2 より他の見出しに多く注目しています。"
                    "q と見出し 2 の内積が大きくなる向きを考えましょう")

    return run_check("問 5", body, quiet=quiet)


# ---- 問 2, 3: convolution through im2col ----------------------------------------------------

# (x shape, kh, kw, stride, pad): several strides and paddings, non-square kernels and images
CONV_CASES = [((2, 3, 5, 6), 3, 2, 1, 0), ((1, 2, 7, 7), 3, 3, 2, 1), ((3, 1, 4, 4), 2, 2, 2, 0),
              ((1, 2, 3, 3), 3, 3, 1, 1), ((2, 2, 6, 5), 1, 1, 1, 0)]


def _wrong_size_message(n_rows, n, h, w, kh, kw, stride, pad):
    """A message when the number of windows fits a typical wrong output-size formula."""
    formulas = [
        (lambda s, k: (s + 2 * pad - k) // stride, "最後の「+ 1」を忘れていませんか"),
        (lambda s, k: (s - k) // stride + 1, "パディング 2·pad を入れ忘れていませんか"),
        (lambda s, k: s + 2 * pad - k + 1, "stride で割るのを忘れていませんか"),
    ]
    hints = [hint for size, hint in formulas
             if size(h, kh) > 0 and size(w, kw) > 0 and n_rows == n * size(h, kh) * size(w, kw)]
    if hints:
        return "窓の数（出力の大きさ）が違います。" + "。または、".join(hints)
    return None


def _channels_last_cols(cols, n_rows, c, kh, kw):
    """What im2col gives when a row is ordered (p, q, channel) instead of (channel, p, q)."""
    return cols.reshape(n_rows, c, kh, kw).transpose(0, 2, 3, 1).reshape(n_rows, -1)


def check_im2col(fn, quiet=False):
    """問 2: fn(x, kh, kw, stride, pad) must equal dlcore.conv.im2col on fresh images."""

    def body():
        rng = np.random.default_rng(1204)
        for shape, kh, kw, stride, pad in CONV_CASES:
            x = rng.normal(size=shape)
            expected = im2col(x, kh, kw, stride, pad)
            what = f"形 {shape} の画像、{kh}×{kw} の窓、stride={stride}、pad={pad} での im2col"
            got = call(fn, x, kh, kw, stride, pad, name="my_im2col")
            got_shape = np.shape(got)
            n_rows, n_cols = expected.shape
            if len(got_shape) == 2 and got_shape != expected.shape:
                message = _wrong_size_message(got_shape[0], shape[0], shape[2], shape[3],
                                              kh, kw, stride, pad)
                if message:
                    raise Wrong(f"{what}：{message}")
            c = shape[1]
            mistakes = []
            if c > 1:
                mistakes.append((_channels_last_cols(expected, n_rows, c, kh, kw),
                                 "1 行の中の並びが（縦, 横, チャネル）の順になっています。"
                                 "フィルタ W[o] と同じ（チャネル, 縦, 横）の順に並べましょう"))
            flipped = expected.reshape(n_rows, c, kh, kw)[:, :, ::-1, ::-1].reshape(n_rows, -1)
            mistakes.append((flipped, "窓の中の画素が上下左右とも逆順に並んでいます"))
            expect_close(got, expected, what, mistakes=mistakes)

    return run_check("問 2", body, quiet=quiet)


def check_conv2d_forward(fn, quiet=False):
    """問 3: fn(x, W, b, stride, pad) must equal dlcore.conv.Conv2D's forward pass."""

    def body():
        rng = np.random.default_rng(1205)
        for shape, kh, kw, stride, pad in CONV_CASES:
            n, c, h, w = shape
            out_ch = 2 + len(shape) % 2 + kh  # 3 to 6 output channels
            layer = Conv2D(c, out_ch, (kh, kw), stride=stride, pad=pad, seed=rng)
            layer.params["b"][...] = rng.normal(size=out_ch)
            x = rng.normal(size=shape)
            W, b = layer.params["W"], layer.params["b"]
            expected = layer.forward(x)
            what = f"形 {shape} の画像、W の形 {W.shape}、stride={stride}、pad={pad} での出力"
            got = call(fn, x, W.copy(), b.copy(), stride, pad, name="conv2d_forward")
            got_shape = np.shape(got)
            if len(got_shape) == 4 and got_shape != expected.shape:
                _, oh, ow = layer.output_shape(h, w)
                if got_shape == (n, oh, ow, out_ch):
                    raise Wrong(f"{what}：形が（枚数, 縦, 横, チャネル）の順です。"
                                "（枚数, 出力チャネル, 縦, 横）に並べ替えましょう（transpose）")
                message = _wrong_size_message(got_shape[0] * got_shape[2] * got_shape[3], n,
                                              h, w, kh, kw, stride, pad)
                if message:
                    raise Wrong(f"{what}：{message}")
            cols = im2col(x, kh, kw, stride, pad)
            u = cols @ W.reshape(out_ch, -1).T + b
            flipped = Conv2D(c, out_ch, (kh, kw), stride=stride, pad=pad, seed=0)
            flipped.params["W"][...] = W[:, :, ::-1, ::-1]
            flipped.params["b"][...] = b
            mistakes = [
                (flipped.forward(x), "フィルタを上下左右に反転させています（数学の畳み込み）。"
                 "CNN の「畳み込み」は反転しない相互相関 Σ w_pq x_(i+p, j+q) です"),
                (u.reshape(n, out_ch, *expected.shape[2:]),
                 "値の並びがずれています。行列積の結果は（枚数, 縦, 横, チャネル）の順なので、"
                 "reshape のあと transpose でチャネルを 2 番目に移しましょう"),
                (expected - b[:, None, None], "バイアス b が足されていません"),
            ]
            expect_close(got, expected, what, mistakes=mistakes)

    return run_check("問 3", body, quiet=quiet)


# ---- 問 6: scaled dot-product attention -------------------------------------------------------

def _attention_cases(rng):
    """(Q, K, V, mask): square d = n_k first (so Q K, without the transpose, can be computed),
    then other shapes, a batch axis, large scores, and a causal mask."""
    yield rng.normal(size=(4, 5)), rng.normal(size=(5, 5)), rng.normal(size=(5, 2)), None
    yield rng.normal(size=(3, 4)), rng.normal(size=(6, 4)), rng.normal(size=(6, 3)), None
    yield (rng.normal(size=(2, 3, 8)), rng.normal(size=(2, 4, 8)), rng.normal(size=(2, 4, 2)),
           None)
    yield 40 * rng.normal(size=(3, 4)), 40 * rng.normal(size=(5, 4)), rng.normal(size=(5, 2)), None
    yield rng.normal(size=(5, 3)), rng.normal(size=(5, 3)), rng.normal(size=(5, 2)), causal_mask(5)


def check_attention(fn, quiet=False):
    """問 6: fn(Q, K, V, mask=None) must equal softmax(Q K^T / √d) V (dlcore.attention)."""

    def body():
        rng = np.random.default_rng(1206)
        for Q, K, V, mask in _attention_cases(rng):
            d = Q.shape[-1]
            expected, _ = scaled_dot_product_attention(Q, K, V, mask=mask)
            what = f"Q {Q.shape}, K {K.shape}, V {V.shape}" + ("、マスクあり" if mask is not None
                                                              else "") + " での出力"
            if mask is None:
                got = call(fn, Q, K, V, name="attention")
            else:
                got = call(fn, Q, K, V, mask=mask.copy(), name="attention")
            S = Q @ np.swapaxes(K, -1, -2)
            masked = np.where(mask, S, -np.inf) if mask is not None else S

            def out(scores, axis=-1):
                with np.errstate(all="ignore"):
                    return F.softmax(scores, axis=axis) @ V

            mistakes = [
                (out(masked), "√d で割っていません（スケーリング 1/√d が抜けています）"),
                (out(masked / d), "d で割っています。割るのは √d です"),
                (out(masked / np.sqrt(d), axis=-2),
                 "softmax を取る向きが違います。各問い合わせ（行）について、見出しの向き（最後の軸）で足して 1 にしましょう"),
            ]
            if Q.shape[-1] == K.shape[-2] and mask is None:
                mistakes.append((out(Q @ K / np.sqrt(d)),
                                 "Q K を計算しています。内積は Q Kᵀ（K の転置）です"))
            if mask is not None:
                mistakes.append((scaled_dot_product_attention(Q, K, V)[0],
                                 "マスクが使われていません。mask が False の所のスコアを −∞ にして"
                                 "から softmax を取りましょう"))
            expect_close(got, expected, what, mistakes=mistakes)

    return run_check("問 6", body, quiet=quiet)


__all__ = ["KEYS_Q5", "check_conv_shape", "check_vanishing_steps", "check_query_for_key",
           "check_im2col", "check_conv2d_forward", "check_attention"]
