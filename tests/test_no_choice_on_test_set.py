"""No notebook makes a choice on its test set (slide 38; notebook 10's own lesson).

The test set is touched once, at the end, to report. This test reads every code cell and
fails where a name of test data (X_test, y_test, test_acc, scores_test, ...) appears
- as validation data during training (``validation_data=...``),
- as training data (``train(...)``, ``.fit(...)``, ``cross_val_score(...)``, ...), or
- inside a selection (``min``/``max``/``argmin``/``argmax``/``sorted``/``.index``), i.e.
  picking a setting by its test score.

An ``assert`` checks a claim and chooses nothing, so calls inside one are not counted. A line
that shows the wrong procedure on purpose (notebook 10 measures how optimistic a
choice on test data is) says so in a comment containing 「悪い手順」, and is not counted.
"""

import ast
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
TEST_NAME = re.compile(r"(^|_)test($|_)|(^|_)te$", re.IGNORECASE)
TRAINING_CALLS = {"train", "fit", "partial_fit", "fit_transform", "cross_val_score",
                  "cross_validate", "GridSearchCV", "train_perceptron"}
SELECTIONS = {"min", "max", "argmin", "argmax", "sorted", "index", "nanargmin", "nanargmax"}


def names_of_test_data(node):
    return sorted({n.id for n in ast.walk(node) if isinstance(n, ast.Name) and TEST_NAME.search(n.id)}
                  | {n.attr for n in ast.walk(node)
                     if isinstance(n, ast.Attribute) and TEST_NAME.search(n.attr)})


def call_name(call):
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def findings(source):
    """(line, what) for every use of test data in training or selection code."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: the scan reads plain Python cells only
        return []
    found = []
    lines = source.splitlines()
    in_asserts = {id(n) for a in ast.walk(tree) if isinstance(a, ast.Assert) for n in ast.walk(a)}
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n) not in in_asserts):
        name = call_name(call)
        if "悪い手順" in lines[call.lineno - 1]:
            continue
        for kw in call.keywords:
            if kw.arg == "validation_data" and names_of_test_data(kw.value):
                found.append((call.lineno, f"validation_data={names_of_test_data(kw.value)}"))
        if name in TRAINING_CALLS or name in SELECTIONS:
            args = [*call.args, *(kw.value for kw in call.keywords if kw.arg != "validation_data")]
            names = sorted({t for a in args for t in names_of_test_data(a)})
            if names:
                found.append((call.lineno, f"{name}(...) uses {names}"))
    return found


def test_the_scan_finds_the_three_kinds_of_misuse():
    assert findings("history = train(m, opt, X, y, validation_data=(X_test, y_test))")
    assert findings("clf.fit(X_test, y_test)")
    assert findings("best = max(lams, key=lambda lam: test_acc[lam])")
    assert findings("best = np.argmin(errors_test)")
    assert not findings("bad = np.argmin(err_test)  # 悪い手順：テストデータで選ぶ")
    assert not findings("assert min(test_err[3:]) > test_err[2]")
    assert not findings("train(m, opt, X_train, y_train, validation_data=(X_val, y_val))\n"
                        "print(m.accuracy(X_test, y_test))")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_tunes_on_its_test_set(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    problems = [f"cell {i} line {line}: {what}"
                for i, cell in enumerate(cells) if cell["cell_type"] == "code"
                for line, what in findings("".join(cell["source"]))]
    assert not problems, f"{path.name} uses the test set for a choice:\n" + "\n".join(problems)
