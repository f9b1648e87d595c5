"""The exercises of notebook 12 (dlcore.exercises.ex12): right answers pass, typical wrong
answers are rejected with a message naming the mistake, unanswered stubs print 「未解答」,
and no expected value is ever printed."""

import numpy as np
import pytest

from dlcore import functions as F
from dlcore.exercises import ex12


def run(capsys, checker, answer):
    ok = checker(answer)
    return ok, capsys.readouterr().out


def expect_rejected(capsys, checker, answer, *phrases):
    ok, out = run(capsys, checker, answer)
    assert not ok and "まだ違います" in out, out
    for phrase in phrases:
        assert phrase in out, out
    return out


# ---- 問 1-3: numbers ------------------------------------------------------------------------

def test_conv_shape(capsys):
    ok, out = run(capsys, ex12.check_conv_shape, (28, 28, 1216))
    assert ok and "正解です" in out
    out = expect_rejected(capsys, ex12.check_conv_shape, (27, 27, 1216), "+ 1")
    out += expect_rejected(capsys, ex12.check_conv_shape, (28, 28, 1200), "バイアス")
    out += expect_rejected(capsys, ex12.check_conv_shape, (28, 28, 416), "入力チャネル")
    assert "1216" not in out and "28" not in out


def test_vanishing_steps(capsys):
    ok, out = run(capsys, ex12.check_vanishing_steps, 44)
    assert ok
    out = expect_rejected(capsys, ex12.check_vanishing_steps, 43, "切り上げ")
    out += expect_rejected(capsys, ex12.check_vanishing_steps, 43.7, "整数")
    out += expect_rejected(capsys, ex12.check_vanishing_steps, 10)
    assert "44" not in out


def test_query_for_key(capsys):
    assert run(capsys, ex12.check_query_for_key, [-3.0, -3.0])[0]
    assert run(capsys, ex12.check_query_for_key, np.array([-10.0, -2.0]))[0]
    expect_rejected(capsys, ex12.check_query_for_key, [-0.5, -0.5], "長く")  # right way, too short
    expect_rejected(capsys, ex12.check_query_for_key, [3.0, 3.0], "向き")    # the wrong way
    expect_rejected(capsys, ex12.check_query_for_key, [1.0, 2.0, 3.0], "長さ 2")


@pytest.mark.parametrize("checker", [ex12.check_conv_shape, ex12.check_vanishing_steps,
                                     ex12.check_query_for_key])
def test_numeric_unanswered(capsys, checker):
    ok, out = run(capsys, checker, None)
    assert not ok and "未解答" in out


# ---- 問 4: im2col ------------------------------------------------------------------------------

def im2col_right(x, kh, kw, stride=1, pad=0):
    """The student's loop version: one row per window, (channel, p, q) order."""
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    rows = []
    for s in range(n):
        for i in range(oh):
            for j in range(ow):
                window = xp[s, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                rows.append(window.ravel())
    return np.array(rows)


def im2col_channels_last(x, kh, kw, stride=1, pad=0):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    return np.array([xp[s, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                     .transpose(1, 2, 0).ravel()
                     for s in range(n) for i in range(oh) for j in range(ow)])


def im2col_no_plus_one(x, kh, kw, stride=1, pad=0):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride, (w + 2 * pad - kw) // stride
    return np.array([xp[s, :, i * stride:i * stride + kh, j * stride:j * stride + kw].ravel()
                     for s in range(n) for i in range(oh) for j in range(ow)])


def im2col_no_pad(x, kh, kw, stride=1, pad=0):
    return im2col_right(x, kh, kw, stride, 0)


def test_im2col_right_answers(capsys):
    from dlcore.conv import im2col
    assert run(capsys, ex12.check_im2col, im2col_right)[0]
    assert run(capsys, ex12.check_im2col, im2col)[0]


@pytest.mark.parametrize("wrong, phrase", [
    (im2col_channels_last, "（縦, 横, チャネル）"),
    (im2col_no_plus_one, "+ 1"),
    (im2col_no_pad, "パディング"),
])
def test_im2col_wrong_answers(capsys, wrong, phrase):
    expect_rejected(capsys, ex12.check_im2col, wrong, phrase)


# ---- 問 5: convolution through im2col ------------------------------------------------------------

def conv_right(x, W, b, stride=1, pad=0):
    from dlcore.conv import im2col
    n, c, h, w = x.shape
    out_ch, _, kh, kw = W.shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    u = im2col(x, kh, kw, stride, pad) @ W.reshape(out_ch, -1).T + b
    return u.reshape(n, oh, ow, out_ch).transpose(0, 3, 1, 2)


def conv_flipped(x, W, b, stride=1, pad=0):
    return conv_right(x, W[:, :, ::-1, ::-1], b, stride, pad)


def conv_no_transpose(x, W, b, stride=1, pad=0):
    from dlcore.conv import im2col
    n, c, h, w = x.shape
    out_ch, _, kh, kw = W.shape
    oh, ow = (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1
    u = im2col(x, kh, kw, stride, pad) @ W.reshape(out_ch, -1).T + b
    return u.reshape(n, out_ch, oh, ow)


def conv_channels_last(x, W, b, stride=1, pad=0):
    return conv_right(x, W, b, stride, pad).transpose(0, 2, 3, 1)


def conv_ignores_stride(x, W, b, stride=1, pad=0):
    return conv_right(x, W, b, 1, pad)


def test_conv_right_answer(capsys):
    ok, out = run(capsys, ex12.check_conv2d_forward, conv_right)
    assert ok, out


@pytest.mark.parametrize("wrong, phrase", [
    (conv_flipped, "反転"),
    (conv_no_transpose, "transpose"),
    (conv_channels_last, "（枚数, 縦, 横, チャネル）"),
    (conv_ignores_stride, "stride で割る"),
])
def test_conv_wrong_answers(capsys, wrong, phrase):
    expect_rejected(capsys, ex12.check_conv2d_forward, wrong, phrase)


# ---- 問 6: attention -------------------------------------------------------------------------------

def attention_right(Q, K, V, mask=None):
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    S = S - S.max(axis=-1, keepdims=True)
    A = np.exp(S) / np.exp(S).sum(axis=-1, keepdims=True)
    return A @ V


def attention_no_scale(Q, K, V, mask=None):
    S = Q @ np.swapaxes(K, -1, -2)
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return F.softmax(S, axis=-1) @ V


def attention_wrong_axis(Q, K, V, mask=None):
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return F.softmax(S, axis=-2) @ V


def attention_no_transpose(Q, K, V, mask=None):
    S = Q @ K / np.sqrt(Q.shape[-1])
    return F.softmax(S, axis=-1) @ V


def attention_ignores_mask(Q, K, V, mask=None):
    return attention_right(Q, K, V)


def attention_unstable(Q, K, V, mask=None):
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return np.exp(S) / np.exp(S).sum(axis=-1, keepdims=True) @ V


def test_attention_right_answer(capsys):
    ok, out = run(capsys, ex12.check_attention, attention_right)
    assert ok, out


@pytest.mark.parametrize("wrong, phrase", [
    (attention_no_scale, "√d で割っていません"),
    (attention_wrong_axis, "softmax を取る向き"),
    (attention_no_transpose, "Kᵀ"),
    (attention_ignores_mask, "マスクが使われていません"),
    (attention_unstable, "NaN や inf"),
])
def test_attention_wrong_answers(capsys, wrong, phrase):
    expect_rejected(capsys, ex12.check_attention, wrong, phrase)


# ---- unanswered coding exercises ----------------------------------------------------------------

def stub_im2col(x, kh, kw, stride=1, pad=0):
    """im2col（未解答）"""
    # ここに解答を書いてください


def stub_conv(x, W, b, stride=1, pad=0):
    """畳み込み（未解答）"""
    # ここに解答を書いてください


def stub_attention(Q, K, V, mask=None):
    """Attention（未解答）"""
    # ここに解答を書いてください


@pytest.mark.parametrize("checker, stub", [(ex12.check_im2col, stub_im2col),
                                           (ex12.check_conv2d_forward, stub_conv),
                                           (ex12.check_attention, stub_attention)])
def test_coding_unanswered(capsys, checker, stub):
    ok, out = run(capsys, checker, stub)
    assert not ok and "未解答" in out and "まだ違います" not in out


def test_quiet_prints_nothing(capsys):
    assert ex12.check_attention(attention_right, quiet=True)
    assert not ex12.check_im2col(im2col_no_pad, quiet=True)
    assert capsys.readouterr().out == ""
