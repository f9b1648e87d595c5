"""Checking the answers of the notebooks' exercises (練習問題).

A student's answer starts as ``None``; ``check`` then reports 「未解答」 instead of failing, so
an untouched notebook still runs top to bottom. The worked answer cells assert ``check(...)``,
so CI fails if a worked answer stops being right.
"""

import numpy as np


def check(label, answer, *, expected=None, condition=None, tol=1e-6, hint=None):
    """Print whether ``answer`` is right and return True/False.

    Right means ``condition(answer)`` is true when a condition is given, otherwise that
    ``answer`` equals ``expected`` within ``tol`` (arrays are compared element-wise).
    """
    if answer is None or answer is Ellipsis:
        print(f"{label}: 未解答です（answer を書き換えてから実行してください）")
        return False
    try:
        if condition is not None:
            ok = bool(condition(answer))
        else:
            answer_arr, expected_arr = np.asarray(answer), np.asarray(expected)
            ok = answer_arr.shape == expected_arr.shape and bool(
                np.allclose(answer_arr, expected_arr, atol=tol, rtol=0))
    except (TypeError, ValueError) as error:
        print(f"{label}: 答えの形が想定と違います（{error}）")
        return False
    if ok:
        print(f"{label}: 正解です！")
    else:
        print(f"{label}: まだ違います。" + (f"ヒント: {hint}" if hint else ""))
    return ok
