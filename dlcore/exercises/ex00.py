"""Checkers for the exercises of notebook 00_introduction (slides 1-3).

問 1: the student moves the sliders of the line-fitting widget and writes down a slope a and
an intercept b whose mean squared error on the widget's points is below 0.03.
"""

import numbers

import numpy as np

from ..widgets.intro import compute_line_fit
from .checking import Wrong, require_answer, run_check

LINE_FIT_BOUND = 0.03
"""問 1 is solved when the mean squared error of the line is below this."""


def _two_numbers(answer, names):
    require_answer(answer)
    if (not isinstance(answer, (tuple, list)) or len(answer) != len(names)
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in answer)):
        raise Wrong(f"answer は {len(names)} つの数の組 ({', '.join(names)}) にしてください")
    if not all(np.isfinite(v) for v in answer):
        raise Wrong("answer に NaN や inf が入っています")
    return answer


def check_line_fit(answer, quiet=False):
    """問 1: ``answer = (a, b)``; solved when the line f(x) = a x + b has a mean squared error
    below LINE_FIT_BOUND on the widget's points (the student's own error is printed, no
    answer)."""

    def body():
        a, b = _two_numbers(answer, ("a", "b"))
        mse = compute_line_fit(float(a), float(b))["mse"]
        if mse < LINE_FIT_BOUND:
            return
        if compute_line_fit(float(b), float(a))["mse"] < LINE_FIT_BOUND:
            raise Wrong("傾き a と切片 b が逆になっていませんか。answer = (a, b) の順です")
        raise Wrong(f"この直線の平均二乗誤差は {mse:.3f} で、まだ {LINE_FIT_BOUND} 以上です。"
                    "ヒント：点の並びの傾きと、x = 0 での高さを読み取ってみましょう")

    return run_check("問 1", body, quiet=quiet)
