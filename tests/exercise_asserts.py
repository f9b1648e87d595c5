"""Shared by the tests of the exercise checkers (tests/test_exercises_NN.py)."""

import contextlib
import io


def run(checker, answer):
    """(what the checker returned, what it printed) for ``checker(answer)``."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        ok = checker(answer)
    return ok, buffer.getvalue()


def rejected(checker, answer, words):
    """Assert that ``answer`` is judged wrong with a message containing ``words``; return it."""
    ok, text = run(checker, answer)
    assert not ok and "まだ違います" in text and words in text, text
    return text
