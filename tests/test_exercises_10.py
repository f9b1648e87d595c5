"""Notebook 10's exercise checkers: right answers pass, typical mistakes are named,
unanswered exercises say 「未解答」, and no expected value is ever printed."""

import numpy as np
import pytest
from sklearn.base import clone

from dlcore.exercises import ex10
from dlcore.widgets.overfitting import fit_polynomial, polynomial_mse


def run(checker, answer, capsys):
    ok = checker(answer)
    return ok, capsys.readouterr().out


# --- 問 1: kfold_split ------------------------------------------------------------------------

def kfold_right(n, k):
    """The answer of 問 1."""
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    fold_of = np.repeat(np.arange(k), sizes)
    return [(np.flatnonzero(fold_of != i), np.flatnonzero(fold_of == i)) for i in range(k)]


def kfold_drops_the_rest(n, k):
    size = n // k
    return [(np.setdiff1d(np.arange(n), np.arange(i * size, (i + 1) * size)),
             np.arange(i * size, (i + 1) * size)) for i in range(k)]


def kfold_overlapping(n, k):
    size = -(-n // k)  # ceil: every block as large as the largest
    starts = np.linspace(0, n - size, k).astype(int)
    return [(np.setdiff1d(np.arange(n), np.arange(s, s + size)), np.arange(s, s + size))
            for s in starts]


def kfold_trains_on_all(n, k):
    return [(np.arange(n), val) for _, val in kfold_right(n, k)]


def kfold_rest_at_the_end(n, k):
    sizes = np.full(k, n // k)
    sizes[k - n % k:] += 1 if n % k else 0
    fold_of = np.repeat(np.arange(k), sizes)
    return [(np.flatnonzero(fold_of != i), np.flatnonzero(fold_of == i)) for i in range(k)]


def kfold_strided(n, k):
    return [(np.setdiff1d(np.arange(n), np.arange(i, n, k)), np.arange(i, n, k)) for i in range(k)]


def kfold_masks(n, k):
    return [(~val_mask, val_mask) for val_mask in (np.isin(np.arange(n), v) for _, v in kfold_right(n, k))]


def kfold_unanswered(n, k):
    """ここに解答を書いてください"""


def test_kfold_right_answer_passes(capsys):
    assert run(ex10.check_kfold_split, kfold_right, capsys) == (True, "問 1: 正解です！\n")
    assert "未解答" in run(ex10.check_kfold_split, kfold_unanswered, capsys)[1]


@pytest.mark.parametrize("wrong, words", [
    (kfold_drops_the_rest, "余りを忘れて"),
    (kfold_overlapping, "重なっています"),
    (kfold_trains_on_all, "検証に使うデータで訓練"),
    (kfold_rest_at_the_end, "先頭のブロックから"),
    (kfold_strided, "続いた番号"),
    (kfold_masks, "番号（整数）"),
])
def test_kfold_mistakes_are_named(wrong, words, capsys):
    ok, out = run(ex10.check_kfold_split, wrong, capsys)
    assert not ok and "まだ違います" in out and words in out, out


# --- 問 2: cross_val_mean ---------------------------------------------------------------------

def cv_right(model, X, y, folds):
    """The answer of 問 2."""
    scores = []
    for train, val in folds:
        fitted = clone(model).fit(X[train], y[train])
        scores.append(fitted.score(X[val], y[val]))
    return np.mean(scores)


def cv_trains_on_everything(model, X, y, folds):
    return np.mean([clone(model).fit(X, y).score(X[val], y[val]) for _, val in folds])


def cv_scores_the_training_part(model, X, y, folds):
    return np.mean([clone(model).fit(X[tr], y[tr]).score(X[tr], y[tr]) for tr, _ in folds])


def cv_sums(model, X, y, folds):
    return np.sum([clone(model).fit(X[tr], y[tr]).score(X[va], y[va]) for tr, va in folds])


def cv_pooled(model, X, y, folds):
    correct = sum(np.sum(clone(model).fit(X[tr], y[tr]).predict(X[va]) == y[va]) for tr, va in folds)
    return correct / len(X)


def cv_returns_the_list(model, X, y, folds):
    return [clone(model).fit(X[tr], y[tr]).score(X[va], y[va]) for tr, va in folds]


def test_the_checkers_reference_is_scikit_learns_cross_val_score():
    from sklearn.model_selection import cross_val_score

    X, y = ex10._cv_data()
    for k in (3, 4):
        folds = ex10.reference_folds(len(X), k)
        for _, model in ex10._cv_models():
            ours = ex10._fold_scores(model, X, y, folds, "train", "val")
            assert np.array_equal(ours, cross_val_score(model, X, y, cv=folds))


def test_cv_right_answer_passes(capsys):
    assert run(ex10.check_cross_val_mean, cv_right, capsys) == (True, "問 2: 正解です！\n")

    def unanswered(model, X, y, folds):
        """ここに解答を書いてください"""

    assert "未解答" in run(ex10.check_cross_val_mean, unanswered, capsys)[1]


@pytest.mark.parametrize("wrong, words", [
    (cv_trains_on_everything, "全データで訓練"),
    (cv_scores_the_training_part, "訓練に使ったデータで正解率"),
    (cv_sums, "和"),
    (cv_pooled, "重み付け"),
    (cv_returns_the_list, "1 つの数"),
    (lambda model, X, y, folds: "高い", "数"),
])
def test_cv_mistakes_are_named(wrong, words, capsys):
    ok, out = run(ex10.check_cross_val_mean, wrong, capsys)
    assert not ok and "まだ違います" in out and words in out, out


def test_cv_feedback_never_prints_the_score(capsys):
    out = run(ex10.check_cross_val_mean, lambda m, X, y, f: 0.123, capsys)[1]
    X, y = ex10._cv_data()
    for _, model in ex10._cv_models():
        for k in (3, 4):
            expected = cv_right(model, X, y, ex10.reference_folds(len(X), k))
            assert f"{expected:.2f}"[1:] not in out


# --- 問 3-5 -------------------------------------------------------------------------------------

def test_data_roles(capsys):
    assert run(ex10.check_data_roles, ("訓練", "検証", "テスト"), capsys)[0]
    for wrong, words in ((("訓練", "テスト", "テスト"), "楽観的"), (("訓練", "訓練", "テスト"), "複雑"),
                         (("検証", "検証", "テスト"), "作業 A"), (("訓練", "検証", "検証"), "作業 C"),
                         (("train", "val", "test"), "文字列")):
        ok, out = run(ex10.check_data_roles, wrong, capsys)
        assert not ok and words in out, out
    assert "未解答" in run(ex10.check_data_roles, None, capsys)[1]


def test_validation_lambda(capsys):
    assert run(ex10.check_validation_lambda, 1e-3, capsys)[0]
    ok, out = run(ex10.check_validation_lambda, 0.0, capsys)
    assert not ok and "過学習" in out
    ok, out = run(ex10.check_validation_lambda, 10.0, capsys)
    assert not ok and "未学習" in out
    assert "未解答" in run(ex10.check_validation_lambda, None, capsys)[1]


def cv_degree_right():
    x, y = ex10.cv_degree_data()
    fold_of = np.repeat(np.arange(3), 10)
    return np.array([np.mean([polynomial_mse(fit_polynomial(x[fold_of != i], y[fold_of != i], d),
                                             x[fold_of == i], y[fold_of == i]) for i in range(3)])
                     for d in range(1, 9)])


def test_cv_degree_reference_is_scikit_learns():
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures

    x, y = ex10.cv_degree_data()
    theirs = [-cross_val_score(make_pipeline(PolynomialFeatures(d), LinearRegression()),
                               x[:, None], y, cv=KFold(n_splits=3),
                               scoring="neg_mean_squared_error").mean() for d in ex10.DEGREES]
    assert np.allclose(ex10.cv_degree_errors(x, y), theirs, rtol=1e-8)


def test_cv_degree_errors(capsys):
    right = cv_degree_right()
    assert np.argmin(right) + 1 == 3
    assert run(ex10.check_cv_degree_errors, right, capsys) == (True, "問 5: 正解です！\n")
    x, y = ex10.cv_degree_data()
    fold_of = np.repeat(np.arange(3), 10)
    on_training = np.array([np.mean([polynomial_mse(
        fit_polynomial(x[fold_of != i], y[fold_of != i], d), x[fold_of != i], y[fold_of != i])
        for i in range(3)]) for d in range(1, 9)])
    for wrong, words in ((on_training, "訓練に使った"), (3 * right, "倍率"), (right[:, None] * [1, 1, 1], "形")):
        ok, out = run(ex10.check_cv_degree_errors, wrong, capsys)
        assert not ok and words in out, out
        assert f"{right[2]:.4f}" not in out
    assert "未解答" in run(ex10.check_cv_degree_errors, None, capsys)[1]
