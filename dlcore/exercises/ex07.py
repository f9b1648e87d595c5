"""Checkers for the exercises of notebook 07_sgd_training.

    check_sgd_epoch(sgd_epoch)          問 1  one epoch of mini-batch SGD (slide 29)
    check_update_count(answer)          問 2  updates of the digits run: epochs x ceil(n/m)
    check_recall(recall_per_class)      問 3  recall per class from a confusion matrix
    check_spiral_settings(answer)       問 4  playground settings that solve the spiral

Each prints 「正解です！」, 「未解答です」 or 「まだ違います。…」 (never the expected value) and
returns True or False.
"""

import math

import numpy as np

from ..datasets import load_digits_split, make_2d_dataset
from ..network import build_mlp
from ..optimizers import SGD
from ..training import train
from ..widgets.playground import DEFAULTS, N_POINTS, compute_playground
from .checking import Wrong, call, expect_close, expect_number, require_answer, run_check

DIGITS_SPLIT = dict(test_size=0.25, val_size=0.1, seed=0)
"""The digits split of notebook 07 section 7 (load_digits_split's arguments)."""
DIGITS_EPOCHS, DIGITS_BATCH = 20, 32
"""Epochs and batch size of that run."""
SPIRAL_MIN_NOISE, SPIRAL_MIN_ACC = 0.05, 0.85
"""問 4: the spiral with noise >= 0.05, classified with test accuracy >= 85 %."""
TEST_SEED_OFFSET = 1000
"""問 4's test set: fresh spiral points from seed (settings' seed + TEST_SEED_OFFSET)."""

# (n, m, η) of the epochs the checker runs: a last batch smaller than m, m dividing n,
# the full batch, and m = 1
EPOCH_CASES = ((50, 8, 0.3), (48, 16, 0.5), (30, 30, 0.2), (9, 1, 0.1))


# --- 問 1: one epoch of mini-batch SGD ---------------------------------------------------------

def reference_epoch(model, X, y, order, lr, batch_size, *, sign=-1.0, drop_last=False,
                    scale="mean"):
    """One epoch of mini-batch SGD on ``model`` (slide 29), and the typical wrong variants.

    The batches are ``order[s:s + m]`` for s = 0, m, 2m, ...; each does L = (1/m) Σ_j L_j,
    backward, and W ← W − η g. Variants: ``sign=+1`` adds the gradient; ``drop_last`` skips
    the last batch when it has fewer than m samples; ``scale="sum"`` steps by η Σ_j ∂L_j/∂W
    (m times the mean); ``scale="per_sample"`` updates after every single sample.
    Returns the batch losses.
    """
    params, grads = model.params(), model.grads()
    stop = len(X) - len(X) % batch_size if drop_last else len(X)
    losses = []
    for start in range(0, stop, batch_size):
        idx = order[start:start + batch_size]
        pieces = [idx[k:k + 1] for k in range(len(idx))] if scale == "per_sample" else [idx]
        batch_loss = 0.0
        for piece in pieces:
            batch_loss += model.loss(X[piece], y[piece]) * len(piece) / len(idx)
            model.backward()
            factor = len(piece) if scale == "sum" else 1
            for name in params:
                params[name] += sign * lr * factor * grads[name]
        losses.append(batch_loss)
    return np.array(losses)


def _weights(model):
    return np.concatenate([p.ravel() for p in model.params().values()])


def _epoch_data(rng, n):
    X = rng.normal(size=(n, 3))
    y = rng.integers(0, 3, size=n)
    return X, y


def check_sgd_epoch(sgd_epoch, quiet=False):
    """問 1: ``sgd_epoch(model, X, y, order, lr, batch_size)`` runs one epoch of mini-batch
    SGD (slide 29) on ``model`` in place and returns the batch losses.

    Tried on small 3-class networks with m not dividing n, m dividing n, the full batch and
    m = 1; the weights must match ``dlcore.train`` with SGD for the same permutation (its
    seed), and the losses those of the batches. Recognized mistakes: no shuffling, the
    gradient added, the last smaller batch dropped, η times the sum instead of the mean,
    an update per sample, weights not written back into the model.
    """

    def body():
        rng = np.random.default_rng(7007)
        for k, (n, m, lr) in enumerate(EPOCH_CASES):
            X, y = _epoch_data(rng, n)
            seed = 70 + k
            order = np.random.default_rng(seed).permutation(n)  # what train(seed=seed) draws

            def fresh():
                return build_mlp([3, 5, 3], activation="tanh", seed=seed)

            expected = fresh()
            train(expected, SGD(lr), X, y, epochs=1, batch_size=m, seed=seed,
                  train_metrics="running")
            student = fresh()
            before = _weights(student)
            got_losses = call(sgd_epoch, student, X, y, order, lr, m, name="sgd_epoch")
            after = _weights(student)
            if np.array_equal(before, after):
                raise Wrong("model の重みが変わっていません。params = model.params() の配列そのものを "
                            "params[name] -= ... のようにその場で書き換えましょう")

            def variant(**how):
                model = fresh()
                reference_epoch(model, X, y, np.arange(n) if how.pop("no_shuffle", False)
                                else order, lr, m, **how)
                return _weights(model)

            mistakes = [
                (variant(no_shuffle=True), "order の順に並べ替えず、元の順番のままバッチを作っています"),
                (variant(sign=+1.0), "勾配を足しています。損失を下げるには W ← W − η g と引きます"),
                (variant(drop_last=True), "最後の、m 個に足りないバッチで更新していません。"
                                          "それも 1 回の更新として使いましょう"),
                (variant(scale="sum"), "バッチ内の勾配の和で更新しています。損失はバッチの平均なので、"
                                       "model.backward() の勾配をそのまま η 倍して引きます"),
                (variant(scale="per_sample"), "データ 1 個ごとに更新しています。バッチの m 個をまとめて"
                                              "1 回の損失・逆伝播・更新にします"),
            ]
            expect_close(after, _weights(expected), f"n = {n}、m = {m} の 1 エポック後の重み",
                         rtol=1e-7, atol=1e-10, mistakes=mistakes)
            check_model = fresh()
            losses = reference_epoch(check_model, X, y, order, lr, m)
            expect_close(got_losses, losses, f"n = {n}、m = {m} で返したバッチの損失",
                         rtol=1e-7, atol=1e-10)

    return run_check("問 1", body, quiet=quiet)


# --- 問 2: the number of updates ---------------------------------------------------------------

def check_update_count(answer, quiet=False):
    """問 2: the updates of notebook 07's digits run (Adam, batch size 32, 20 epochs on the
    training part of load_digits_split(**DIGITS_SPLIT)): epochs x ceil(n / m) (slide 29)."""

    def body():
        require_answer(answer)
        n = len(load_digits_split(**DIGITS_SPLIT).X_train)
        epochs, m = DIGITS_EPOCHS, DIGITS_BATCH
        expect_number(answer, epochs * math.ceil(n / m), "更新回数", tol=0.0, mistakes=[
            (epochs * (n // m), "最後の、m 個に足りないバッチも 1 回の更新として数えましょう（切り上げ）"),
            (epochs * n / m, "1 エポックの更新回数は整数です。n / m を切り上げましょう"),
            (math.ceil(n / m), "それは 1 エポック分の回数です。エポック数を掛けましょう"),
            (epochs * n, "それはデータ 1 個ずつ（m = 1）更新したときの回数です"),
        ])

    return run_check("問 2", body, quiet=quiet)


# --- 問 3: recall from the confusion matrix ----------------------------------------------------

def check_recall(recall_per_class, quiet=False):
    """問 3: ``recall_per_class(confusion)`` returns, for each class i, the share of the
    samples of class i (row i) that were predicted as i: diag / row sums. Tried on random
    confusion matrices of 2, 3 and 10 classes."""

    def body():
        rng = np.random.default_rng(7003)
        for k in (2, 3, 10):
            confusion = rng.integers(0, 8, size=(k, k)) + np.diag(rng.integers(10, 40, size=k))
            diag = np.diag(confusion)
            got = call(recall_per_class, confusion, name="recall_per_class")
            expect_close(got, diag / confusion.sum(axis=1), f"{k} クラスの再現率", mistakes=[
                (diag / confusion.sum(axis=0), "列の和で割っています（それは予測ごとの割合、適合率です）。"
                                               "正解のクラスごと、つまり行の和で割ります"),
                (diag / confusion.sum(), "全体の枚数で割っています。正解がクラス i の枚数（行 i の和）で割ります"),
                (confusion.sum(axis=1) / diag, "分子と分母が逆です"),
            ])

    return run_check("問 3", body, quiet=quiet)


# --- 問 4: the spiral in the playground --------------------------------------------------------

def check_spiral_settings(answer, quiet=False):
    """問 4: playground settings (a dict for compute_playground; missing keys take DEFAULTS)
    with dataset "spiral" and noise >= 0.05 whose trained network classifies fresh test
    points (make_2d_dataset with seed + TEST_SEED_OFFSET) with accuracy >= 85 %. The test
    set is touched here only, once the settings were chosen on the validation data."""

    def body():
        settings = require_answer(answer)
        if not isinstance(settings, dict):
            raise Wrong("answer は compute_playground に渡す設定の辞書 dict(...) にしてください")
        s = DEFAULTS | settings
        if s["dataset"] != "spiral":
            raise Wrong('渦巻きの設定にしてください（dataset="spiral"）')
        if not isinstance(s["noise"], (int, float)) or s["noise"] < SPIRAL_MIN_NOISE:
            raise Wrong(f"ノイズ noise は {SPIRAL_MIN_NOISE} 以上にしてください")
        try:
            result = compute_playground(**s)
        except (TypeError, ValueError) as error:
            raise Wrong(f"この設定では学習できません：{error}") from None
        if result["status"] != "ok":
            raise Wrong(f"学習がうまく進みませんでした。{result['message']}")
        X_test, y_test = make_2d_dataset("spiral", n=N_POINTS, noise=s["noise"],
                                         seed=s["seed"] + TEST_SEED_OFFSET)
        if result["model"].accuracy(X_test, y_test) < SPIRAL_MIN_ACC:
            raise Wrong(f"新しいテストデータでは正解率が {SPIRAL_MIN_ACC:.0%} に届きませんでした。"
                        "ウィジェットで検証データの正解率を見ながら、設定を選び直しましょう")

    return run_check("問 4", body, quiet=quiet)
