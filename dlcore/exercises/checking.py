"""The machinery shared by every exercise checker (練習問題).

A checker calls the student's code on fresh random inputs, compares what comes back with
dlcore's own implementation, and prints in Japanese what is wrong -- a shape, a sign, a
missing factor such as 1/n, a transposed matrix, which entry differs -- but never the
expected value. It returns True or False, so the teacher edition can ``assert`` it.

An untouched exercise reports 「未解答」 and returns False without raising: the student
edition (where every solution is replaced by a comment) still runs top to bottom.

Inside a check, the helpers below raise ``Wrong`` or ``Unanswered``; ``run_check`` turns
them into the printed feedback. A checker in ``dlcore.exercises.exNN`` therefore reads as a
list of expectations::

    def check_mse(mse, quiet=False):
        def body():
            for y_pred, y in fresh_pairs():
                got = call(mse, y_pred, y, name="mse")
                expect_close(got, F.mse(y_pred, y), "mse の値")
        return run_check("問 1", body, quiet=quiet)
"""

import inspect

import numpy as np

from ..gradcheck import numerical_gradient, relative_error


class Wrong(Exception):
    """The answer is wrong; the message says how (in Japanese, without the answer)."""


class Unanswered(Exception):
    """The exercise has not been answered yet (None, ..., NotImplementedError, no return)."""


def run_check(label, body, *, quiet=False):
    """Run ``body()`` and print 「正解です」, 「未解答です」 or 「まだ違います：…」 after ``label``.

    Returns True only when ``body`` finished without raising Wrong or Unanswered.
    """
    try:
        body()
    except Unanswered as reason:
        return _say(label, f"未解答です{_detail(reason)}", quiet, ok=False)
    except Wrong as reason:
        return _say(label, f"まだ違います。{reason}", quiet, ok=False)
    return _say(label, "正解です！", quiet, ok=True)


def _detail(reason):
    text = str(reason)
    return f"（{text}）" if text else "（答えを書いてから、このセルをもう一度実行してください）"


def _say(label, text, quiet, ok):
    if not quiet:
        print(f"{label}: {text}")
    return ok


def require_answer(answer, name="answer"):
    """Raise Unanswered when ``answer`` is still None or ``...`` (the starting value)."""
    if answer is None or answer is Ellipsis:
        raise Unanswered(f"{name} を書き換えてから、このセルをもう一度実行してください")
    return answer


def call(fn, *args, name, **kwargs):
    """``fn(*args, **kwargs)`` as the student wrote it, with every failure explained.

    Array arguments are passed as copies and compared afterwards, so a function that writes
    into its input is caught. NotImplementedError and a missing return value mean the
    function has not been written yet.
    """
    if fn is None or fn is Ellipsis:
        raise Unanswered(f"{name} がまだ定義されていません")
    if not callable(fn):
        raise Wrong(f"{name} は関数ではなく {type(fn).__name__} になっています")
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        with np.errstate(all="ignore"):  # overflow is reported below as NaN/inf, not warned
            result = fn(*copies, **kwargs)
    except NotImplementedError:
        raise Unanswered(f"{name} の中身がまだ書かれていません") from None
    except Exception as error:  # the student's own error, shown as one line
        raise Wrong(f"{name} を呼ぶとエラーになりました：{type(error).__name__}: {error}") from None
    for k, (before, after) in enumerate(zip(args, copies)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            raise Wrong(f"{name} が {_ordinal(k)} の引数の配列を書き換えています。"
                        "入力は変えずに、新しい配列を作って返してください")
    if result is None and not _returns_nothing_by_design(fn):
        raise Unanswered(f"{name} が何も返していません。書き終えたら return を忘れずに")
    return result


def _returns_nothing_by_design(fn):
    """False for an ordinary function (None means "not written yet"); True for a method
    such as ``__init__`` whose job is not to return anything."""
    return getattr(fn, "__name__", "") == "__init__" or inspect.isclass(fn)


def _ordinal(k):
    return f"{k + 1} 番目"


def expect_close(got, expected, what, *, rtol=1e-6, atol=1e-9, mistakes=(), n=None):
    """Raise Wrong unless ``got`` equals ``expected`` element-wise within the tolerances.

    ``mistakes`` is a list of (value, message): what typical wrong formulas give on the same
    inputs, with the message to show when the answer matches one of them. ``n`` (the batch
    size, when there is one) lets the diagnosis name a missing or extra 1/n.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if got is None:
        raise Unanswered(f"{what} が None です。return を忘れていませんか")
    try:
        got_arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{what} が数（または数の配列）になっていません（{type(got).__name__}）") from None
    if got_arr.shape != expected.shape:
        raise Wrong(_shape_message(what, got_arr.shape, expected.shape))
    if _close(got_arr, expected, rtol, atol):
        return
    for wrong_value, message in mistakes:
        wrong_value = np.asarray(wrong_value, dtype=np.float64)
        if wrong_value.shape == got_arr.shape and _close(got_arr, wrong_value, rtol, atol):
            raise Wrong(f"{what}：{message}")
    raise Wrong(f"{what}：{describe_difference(got_arr, expected, n=n, rtol=rtol, atol=atol)}")


def _close(a, b, rtol, atol):
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _shape_message(what, got_shape, expected_shape):
    text = f"{what} の形が {got_shape} になっています。{expected_shape} になるはずです"
    if len(got_shape) == 2 and got_shape == expected_shape[::-1]:
        text += "（行と列が逆です。転置 .T や掛ける順番を確かめましょう）"
    elif got_shape == () and expected_shape != ():
        text += "（平均や和を取りすぎていませんか）"
    elif expected_shape == () and got_shape != ():
        text += "（最後に平均や和を取って 1 つの数にしましょう）"
    return text


def describe_difference(got, expected, *, n=None, rtol=1e-6, atol=1e-9):
    """A Japanese sentence on how ``got`` differs from ``expected`` (same shape), naming a
    pattern when one fits and never printing an expected value."""
    if not np.all(np.isfinite(got)):
        return "NaN や inf が出ています（大きな入力でも溢れない式になっていますか）"
    if _close(got, -expected, rtol, atol):
        return "符号が逆です"
    if got.ndim == 2 and got.shape[0] == got.shape[1] and _close(got, expected.T, rtol, atol):
        return "転置した形になっています（W と Wᵀ、掛ける順番を確かめましょう）"
    ratio = _constant_ratio(got, expected)
    if ratio is not None:
        if n is not None and n > 1 and np.isclose(ratio, n):
            return f"ちょうど {n} 倍（バッチの大きさ n 倍）になっています。1/n（平均）が抜けていませんか"
        if n is not None and n > 1 and np.isclose(ratio, 1 / n):
            return f"ちょうど 1/{n} 倍になっています。n で割る回数が多すぎませんか"
        if np.isclose(ratio, 2.0) or np.isclose(ratio, 0.5):
            return "2 倍か 1/2 倍ずれています。係数 1/2 や 2 を確かめましょう"
        if got.ndim == 0:  # any wrong number is a multiple of the right one
            return "値が違います"
        return "どの要素も同じ倍率でずれています。掛けている係数を確かめましょう"
    wrong = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    count = int(np.count_nonzero(wrong))
    if got.ndim == 0:
        return "値が違います"
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    where = first[0] if len(first) == 1 else first
    return f"{got.size} 個の要素のうち {count} 個が違います（最初は位置 {where}）"


def _constant_ratio(got, expected):
    """got / expected when it is the same number for every entry (and not 1), else None."""
    mask = np.abs(expected) > 1e-12
    if not mask.any() or np.any(np.abs(got[~mask]) > 1e-12):
        return None
    ratios = got[mask] / expected[mask]
    ratio = float(ratios.flat[0])
    if not np.allclose(ratios, ratio, rtol=1e-6) or np.isclose(ratio, 1.0) or ratio == 0.0:
        return None
    return ratio


def expect_number(answer, expected, what="答え", *, tol=1e-6, mistakes=()):
    """Raise Unanswered/Wrong for a hand-computed number (or tuple of numbers)."""
    require_answer(answer)
    expect_close(answer, expected, what, rtol=0.0, atol=tol, mistakes=mistakes)


def expect_gradients_consistent(forward_sum, arrays, analytic, what, *, tol=1e-6):
    """Gradient check (slide 19): each analytic gradient must match the central difference
    of ``forward_sum()``, a scalar that depends on every array in ``arrays`` (a dict).

    ``analytic`` holds the gradients the student's backward produced, with the same keys.
    """
    for key, array in arrays.items():
        numeric = numerical_gradient(lambda _: forward_sum(), array)
        got = analytic.get(key)
        if got is None:
            raise Wrong(f"{what}：∂L/∂{key} が計算されていません")
        got = np.asarray(got, dtype=np.float64)
        if got.shape != numeric.shape:
            raise Wrong(_shape_message(f"{what} の ∂L/∂{key}", got.shape, numeric.shape))
        error = relative_error(got, numeric)
        if error > tol:
            raise Wrong(f"{what}：∂L/∂{key} が数値微分と合いません（相対誤差 {error:.1e}）。"
                        "順伝播の式を微分し直してみましょう")


def expect_layer(student, reference, x, what, *, train=True, rng=None, tol=1e-6):
    """Check a student's layer against dlcore's layer ``reference`` on the input ``x``.

    Both must hold the same parameters. Checks, in this order: the forward output; the
    gradient check of the student's own backward against its own forward (slide 19); then
    dL/dx and every dL/d(parameter) against dlcore's backward. ``rng`` draws dL/d(output).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    expected = reference.forward(x.copy(), train)
    got = call(student.forward, x, train, name=f"{what}.forward")
    expect_close(got, expected, f"{what}.forward の出力", rtol=tol)
    dout = rng.normal(size=expected.shape)
    expected_dx = reference.backward(dout.copy())
    got_dx = call(student.backward, dout, name=f"{what}.backward")
    grads = {key: np.asarray(g, dtype=np.float64).copy()
             for key, g in getattr(student, "grads", {}).items()}
    n = x.shape[0] if x.ndim >= 1 else None
    # First against dlcore, whose differences the diagnosis can name (1/n, sign, transpose)
    expect_close(got_dx, expected_dx, f"{what}.backward が返す ∂L/∂x", rtol=tol, n=n)
    for key, expected_grad in reference.grads.items():
        expect_close(grads.get(key), expected_grad, f"{what}.grads['{key}']", rtol=tol, n=n)
    # then the gradient check of slide 19 on the student's own layer
    x_check = x.copy()
    arrays = {"x": x_check, **dict(getattr(student, "params", {}))}

    def forward_sum():
        with np.errstate(all="ignore"):
            return float(np.sum(np.asarray(student.forward(x_check, train)) * dout))

    expect_gradients_consistent(forward_sum, arrays, {"x": got_dx, **grads}, what, tol=tol)


FLOAT_ERROR_NAMES = {"overflow": "オーバーフロー", "divide by zero": "0 での割り算",
                     "invalid value": "不正な値（nan）"}
"""Japanese names of NumPy's floating-point errors, as its error callback reports them."""


def call_without_float_warnings(fn, *args, name, hint="", **kwargs):
    """``call``, but a floating-point warning inside ``fn`` (overflow, division by zero,
    invalid value -- what NumPy would print as RuntimeWarning) is a mistake: Wrong names it.

    For exercises on numerically stable formulas, where the naive formula may even return
    the right value (1/(1 + inf) = 0) but warns on the way. Underflow to 0 is not an error.
    ``hint`` is added to the message.
    """
    if not callable(fn):
        return call(fn, *args, name=name, **kwargs)
    seen = []

    def watched(*a, **k):
        with np.errstate(over="call", divide="call", invalid="call", under="ignore",
                         call=lambda kind, flag: seen.append(kind)):
            return fn(*a, **k)

    watched.__name__ = getattr(fn, "__name__", name)
    result = call(watched, *args, name=name, **kwargs)
    if seen:
        kinds = "・".join(dict.fromkeys(FLOAT_ERROR_NAMES.get(k, k) for k in seen))
        raise Wrong(f"{name} の計算の途中で「{kinds}」が起きています（NumPy が RuntimeWarning を出します）。"
                    f"大きな入力でも、途中の値が溢れない式にしましょう{hint}")
    return result
