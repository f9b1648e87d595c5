"""Exercises (練習問題): checking the student's code and answers.

    checking  the shared machinery: calling the student's code safely, comparing it with
              dlcore on fresh random inputs, and Japanese feedback that never gives the answer
    exNN      the checkers of notebook NN (e.g. ``from dlcore.exercises import ex05``)

Each checker prints 「正解です！」, 「未解答です」 or 「まだ違います。…」 and returns True or
False; an untouched exercise never raises, so the student edition runs top to bottom.
"""

from .checking import Wrong, require_answer, run_check

__all__ = ["check"]


def check(label, answer, *, condition, hint=None, quiet=False):
    """Print whether ``answer`` passes ``condition(answer)`` (e.g. "these weights compute
    NOR") and return True/False. For answers with one right value, a notebook's own checker
    in ``exNN`` computes that value itself, so it never stands in the student's cell."""

    def body():
        require_answer(answer)
        try:
            ok = bool(condition(answer))
        except (TypeError, ValueError, IndexError) as error:
            raise Wrong(f"答えの形が想定と違います（{error}）") from None
        if not ok:
            raise Wrong(f"ヒント：{hint}" if hint else "条件を満たしていません")

    return run_check(label, body, quiet=quiet)
