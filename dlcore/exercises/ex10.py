"""Checkers for the exercises of notebook 10_overfitting.

問 1 (code) the k-fold split, 問 2 (code) the cross-validation loop (slide 38), 問 3 which
data each task uses, 問 4 a ridge strength λ chosen on the validation data (slides 38-39),
問 5 the cross-validation errors of polynomial degrees 1-8.
"""

import numbers

import numpy as np

from ..datasets import cubic_with_noise, load_digits_split
from ..sklearn_api import DLClassifier
from ..widgets.overfitting import (
    compute_lambda_errors,
    compute_ridge_fit,
    fit_polynomial,
    polynomial_mse,
)
from .checking import Wrong, call, expect_close, require_answer, run_check

SPLIT_CASES = ((10, 3), (359, 3), (12, 4), (7, 7), (11, 2), (100, 6), (3, 2))
"""(n, k) tried on kfold_split: n divisible by k and not, k = n (leave-one-out)."""

VAL_MSE_LIMIT = 0.05
"""問 4: the validation error the chosen λ must reach (the noise variance is 0.04)."""

DEGREES = tuple(range(1, 9))
"""問 5: the polynomial degrees compared by cross-validation."""


# --- 問 1: the k-fold split ------------------------------------------------------------------

def reference_folds(n, k):
    """scikit-learn's KFold(n_splits=k) without shuffling, as a list of (train, val) arrays."""
    from sklearn.model_selection import KFold

    return list(KFold(n_splits=k).split(np.zeros((n, 1))))


def _as_index_array(values, what):
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        raise Wrong(f"{what} が番号の配列になっていません") from None
    if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
        raise Wrong(f"{what} はデータの番号（整数）を並べた 1 次元の配列にします"
                    "（True/False のマスクではなく、np.flatnonzero などで番号に）")
    return array


def _student_folds(kfold_split, n, k):
    got = call(kfold_split, n, k, name="kfold_split")
    try:
        folds = list(got)
    except TypeError:
        raise Wrong(f"kfold_split({n}, {k}) が (訓練, 検証) の組のリストを返していません") from None
    if len(folds) != k:
        raise Wrong(f"kfold_split({n}, {k}) が {len(folds)} 組を返しました。"
                    "ブロックの数 k だけ (訓練, 検証) の組を返します")
    pairs = []
    for i, pair in enumerate(folds):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise Wrong(f"kfold_split({n}, {k}) の {i} 番目が (訓練の番号, 検証の番号) の組になっていません")
        pairs.append((_as_index_array(pair[0], f"kfold_split({n}, {k}) の {i} 番目の訓練の番号"),
                      _as_index_array(pair[1], f"kfold_split({n}, {k}) の {i} 番目の検証の番号")))
    return pairs


def _check_partition(pairs, n, k):
    """The validation blocks cover 0..n-1 exactly once; each training part is the rest."""
    where = f"n = {n}, k = {k} のとき"
    every = np.concatenate([val for _, val in pairs] + [tr for tr, _ in pairs])
    if every.size and (every.min() < 0 or every.max() >= n):
        raise Wrong(f"{where}、0 〜 n−1 の外の番号があります")
    counts = np.bincount(np.concatenate([val for _, val in pairs]).astype(int), minlength=n)
    if np.any(counts > 1):
        raise Wrong(f"{where}、検証ブロックどうしが重なっています（同じデータが 2 つのブロックに入っています）")
    if np.any(counts == 0):
        extra = "。n が k で割り切れないときの余りを忘れていませんか" if n % k else ""
        raise Wrong(f"{where}、どの検証ブロックにも入らないデータがあります{extra}")
    for i, (train, val) in enumerate(pairs):
        if np.intersect1d(train, val).size:
            raise Wrong(f"{where}、{i} 番目の訓練データに、その回の検証ブロックのデータが入っています"
                        "（検証に使うデータで訓練してはいけません）")
        if len(np.union1d(train, val)) != n or len(train) != n - len(val):
            raise Wrong(f"{where}、{i} 番目の訓練データが「検証ブロック以外のすべて」になっていません")


def check_kfold_split(kfold_split, quiet=False):
    """問 1: kfold_split(n, k) returns k pairs (train_idx, val_idx) equal to scikit-learn's
    KFold(n_splits=k) without shuffling: consecutive blocks from the start, the n % k
    leftover samples going one each to the first blocks."""

    def body():
        for n, k in SPLIT_CASES:
            pairs = _student_folds(kfold_split, n, k)
            _check_partition(pairs, n, k)
            expected = reference_folds(n, k)
            sizes = [len(val) for _, val in pairs]
            expected_sizes = [len(val) for _, val in expected]
            if sizes != expected_sizes:
                raise Wrong(f"n = {n}, k = {k} のとき、ブロックの大きさの並びが違います。"
                            "大きさは n // k で、余りの n % k 個は先頭のブロックから 1 つずつ足します")
            for i, ((_, val), (_, val_ref)) in enumerate(zip(pairs, expected)):
                if not np.array_equal(np.sort(val), val_ref):
                    raise Wrong(f"n = {n}, k = {k} のとき、{i} 番目の検証ブロックの中身が違います。"
                                "ブロックは先頭から順に、続いた番号で作ります")

    return run_check("問 1", body, quiet=quiet)


# --- 問 2: the cross-validation loop ---------------------------------------------------------

def _cv_data():
    """90 standardized digits (not the notebook's) for trying cross_val_mean."""
    split = load_digits_split(test_size=0.5, seed=5)
    return split.X_train[:90], split.y_train[:90]


def _cv_models():
    from sklearn.linear_model import RidgeClassifier

    return [("DLClassifier", DLClassifier(hidden_layer_sizes=(16,), lr=1e-2, epochs=8, seed=1)),
            ("RidgeClassifier", RidgeClassifier(alpha=1.0))]


def _fold_scores(model, X, y, folds, fit_on, score_on):
    from sklearn.base import clone

    parts = {"train": lambda tr, va: tr, "val": lambda tr, va: va,
             "all": lambda tr, va: np.arange(len(X))}
    scores = []
    for train, val in folds:
        fitted = clone(model).fit(X[parts[fit_on](train, val)], y[parts[fit_on](train, val)])
        rows = parts[score_on](train, val)
        scores.append(fitted.score(X[rows], y[rows]))
    return np.array(scores)


def _cv_mistakes(model, X, y, folds, scores):
    """(value, message) of the typical wrong cross-validation loops (computed only when the
    answer is wrong, as they cost several more trainings)."""
    sizes = np.array([len(val) for _, val in folds])
    return [
        (_fold_scores(model, X, y, folds, "all", "val").mean(),
         "検証ブロックも含めた全データで訓練しています。訓練は検証ブロック以外で行います"),
        (_fold_scores(model, X, y, folds, "val", "val").mean(),
         "検証ブロックで訓練しています。訓練は検証ブロック以外で行います"),
        (_fold_scores(model, X, y, folds, "train", "train").mean(),
         "訓練に使ったデータで正解率を測っています。測るのは検証ブロックです"),
        (scores.sum(), "k 個の正解率の和になっています。平均を返します"),
        (scores[-1], "最後のブロックの正解率だけになっています。k 個すべての平均を返します"),
        (scores[0], "最初のブロックの正解率だけになっています。k 個すべての平均を返します"),
        (np.sum(scores * sizes) / sizes.sum(),
         "ブロックの大きさで重み付けしています。ブロックごとの正解率の単純な平均を返します"),
    ]


def _is_close_number(got, expected):
    try:
        return np.ndim(got) == 0 and bool(np.isclose(float(got), expected, rtol=1e-9))
    except (TypeError, ValueError):
        return False


def check_cross_val_mean(cross_val_mean, quiet=False):
    """問 2: cross_val_mean(model, X, y, folds) trains a fresh copy of ``model`` on each
    training part, scores it on the validation block and returns the mean of the k scores:
    the mean of scikit-learn's cross_val_score(model, X, y, cv=folds), which is the same
    loop (tests/test_exercises_10.py checks that they agree)."""

    def body():
        X, y = _cv_data()
        for k in (3, 4):
            folds = reference_folds(len(X), k)
            for label, model in _cv_models():
                got = call(cross_val_mean, model, X, y, folds, name="cross_val_mean")
                scores = _fold_scores(model, X, y, folds, "train", "val")
                expected = scores.mean()
                what = f"{label}、k = {k} のときの返り値"
                if _is_close_number(got, expected):
                    continue
                mistakes = _cv_mistakes(model, X, y, folds, scores)
                expect_close(got, expected, what, rtol=1e-9,
                             mistakes=[(v, m) for v, m in mistakes if not np.isclose(v, expected)])

    return run_check("問 2", body, quiet=quiet)


# --- 問 3: which data for which task --------------------------------------------------------

DATA_NAMES = ("訓練", "検証", "テスト")


def check_data_roles(answer, quiet=False):
    """問 3: (task A, task B, task C) = (fit the weights, choose M and λ, report the result)."""

    def body():
        require_answer(answer)
        try:
            a, b, c = answer
        except (TypeError, ValueError):
            raise Wrong("answer = (作業 A, 作業 B, 作業 C) の 3 つの組にしてください") from None
        if any(v not in DATA_NAMES for v in (a, b, c)):
            raise Wrong('それぞれ "訓練"、"検証"、"テスト" のどれかの文字列で答えてください')
        if a != "訓練":
            raise Wrong("作業 A：重み w は、何に合わせて決めるものだったでしょうか（スライド 38 の表）")
        if b == "テスト":
            raise Wrong("作業 B：テストデータで選ぶと、3 節の実験のように報告が楽観的になります")
        if b == "訓練":
            raise Wrong("作業 B：訓練誤差で選ぶと、いつも一番複雑なモデルが選ばれます（2.3 節）")
        if c != "テスト":
            raise Wrong("作業 C：選択に使ったデータの誤差は楽観的です。最終的な評価には、"
                        "まだ何にも使っていないデータを 1 度だけ使います")

    return run_check("問 3", body, quiet=quiet)


# --- 問 4: λ on the validation data ---------------------------------------------------------

def check_validation_lambda(answer, quiet=False):
    """問 4: a λ whose degree-15 ridge fit (20 points, noise 0.2, seed 0) has a validation
    error below VAL_MSE_LIMIT (compute_ridge_fit(λ)["val_mse"])."""

    def body():
        require_answer(answer)
        if not isinstance(answer, numbers.Real) or isinstance(answer, bool) or answer < 0:
            raise Wrong("λ は 0 以上の数で答えてください")
        val_mse = compute_ridge_fit(float(answer))["val_mse"]
        if val_mse < VAL_MSE_LIMIT:
            return
        side = ("小さすぎて、まだ過学習しています" if answer < compute_lambda_errors()["best_lam"]
                else "大きすぎて、曲線が平らになりすぎています（未学習）")
        raise Wrong(f"この λ の検証誤差は {val_mse:.4f} で、{VAL_MSE_LIMIT} 以上です。λ が{side}")

    return run_check("問 4", body, quiet=quiet)


# --- 問 5: choosing the degree by cross-validation ------------------------------------------

def cv_degree_data():
    """The 30 shuffled points of 問 5, made exactly as the notebook makes them."""
    x_all, y_all = cubic_with_noise(n=30, noise=0.2, seed=2)
    order = np.random.default_rng(2).permutation(30)
    return x_all[order], y_all[order]


def cv_degree_errors(x, y, degrees=DEGREES, on_training=False):
    """Mean squared error of the least-squares polynomial of each degree, by 3-fold
    cross-validation over scikit-learn's KFold(3) blocks, the fits by dlcore's
    fit_polynomial (tests/test_exercises_10.py checks the result against scikit-learn's
    PolynomialFeatures + LinearRegression with cross_val_score). ``on_training`` measures
    on the two training blocks instead (the typical mistake)."""
    errors = []
    for d in degrees:
        per_fold = []
        for train, val in reference_folds(len(x), 3):
            w = fit_polynomial(x[train], y[train], d)
            rows = train if on_training else val
            per_fold.append(polynomial_mse(w, x[rows], y[rows]))
        errors.append(np.mean(per_fold))
    return np.array(errors)


def check_cv_degree_errors(answer, quiet=False):
    """問 5: the 3-fold cross-validation error of each degree M = 1..8 on the 30 points."""

    def body():
        require_answer(answer)
        x, y = cv_degree_data()
        expected = cv_degree_errors(x, y)
        expect_close(answer, expected, "8 個の平均誤差", rtol=1e-6, atol=1e-10, mistakes=[
            (cv_degree_errors(x, y, on_training=True),
             "訓練に使った 2 ブロックで誤差を測っています。測るのは残りの 1 ブロックです"),
            (cv_degree_errors(x, y, range(2, 10)),
             "次数が 1 つずれています。M = 1, 2, ..., 8 の順に並べます"),
        ])

    return run_check("問 5", body, quiet=quiet)
