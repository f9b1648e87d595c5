"""The checkers of notebook 07 (dlcore.exercises.ex07): the right answer passes, typical wrong
answers are rejected with a message naming the mistake, an untouched exercise says 「未解答」,
and the expected value never appears in the output."""

import math

import numpy as np
import pytest

from dlcore.datasets import load_digits_split
from dlcore.exercises import ex07


def run(checker, answer, capsys):
    ok = checker(answer)
    return ok, capsys.readouterr().out


# --- 問 1: one epoch of mini-batch SGD ----------------------------------------------------------

def sgd_epoch(model, X, y, order, lr, batch_size):
    params, grads = model.params(), model.grads()
    losses = []
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        losses.append(model.loss(X[idx], y[idx]))
        model.backward()
        for name in params:
            params[name] -= lr * grads[name]
    return np.array(losses)


def no_shuffle(model, X, y, order, lr, batch_size):
    params, grads = model.params(), model.grads()
    losses = []
    for start in range(0, len(X), batch_size):
        losses.append(model.loss(X[start:start + batch_size], y[start:start + batch_size]))
        model.backward()
        for name in params:
            params[name] -= lr * grads[name]
    return losses


def gradient_added(model, X, y, order, lr, batch_size):
    params, grads = model.params(), model.grads()
    losses = []
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        losses.append(model.loss(X[idx], y[idx]))
        model.backward()
        for name in params:
            params[name] += lr * grads[name]
    return losses


def last_batch_dropped(model, X, y, order, lr, batch_size):
    params, grads = model.params(), model.grads()
    losses = []
    for start in range(0, len(X) - batch_size + 1, batch_size):
        idx = order[start:start + batch_size]
        losses.append(model.loss(X[idx], y[idx]))
        model.backward()
        for name in params:
            params[name] -= lr * grads[name]
    return losses


def summed_gradient(model, X, y, order, lr, batch_size):
    params, grads = model.params(), model.grads()
    losses = []
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        losses.append(model.loss(X[idx], y[idx]))
        model.backward()
        for name in params:
            params[name] -= lr * len(idx) * grads[name]
    return losses


def per_sample(model, X, y, order, lr, batch_size):
    params, grads = model.params(), model.grads()
    losses = []
    for i in order:
        losses.append(model.loss(X[i:i + 1], y[i:i + 1]))
        model.backward()
        for name in params:
            params[name] -= lr * grads[name]
    return losses


def rebinds_the_arrays(model, X, y, order, lr, batch_size):
    params, grads = model.params(), model.grads()
    losses = []
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        losses.append(model.loss(X[idx], y[idx]))
        model.backward()
        for name in params:
            params[name] = params[name] - lr * grads[name]
    return losses


def unanswered_epoch(model, X, y, order, lr, batch_size):
    """1 エポックのミニバッチ SGD。"""
    # ここに解答を書いてください


def test_the_reference_epoch_is_dlcore_train():
    from dlcore.network import build_mlp
    from dlcore.optimizers import SGD
    from dlcore.training import train

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 3)), rng.integers(0, 3, size=50)
    ours, theirs = (build_mlp([3, 5, 3], seed=1) for _ in range(2))
    ex07.reference_epoch(ours, X, y, np.random.default_rng(4).permutation(50), 0.3, 8)
    train(theirs, SGD(0.3), X, y, epochs=1, batch_size=8, seed=4)
    for name, p in ours.params().items():
        assert np.allclose(p, theirs.params()[name], rtol=1e-12, atol=1e-14)


def test_sgd_epoch_right_answer_passes(capsys):
    ok, out = run(ex07.check_sgd_epoch, sgd_epoch, capsys)
    assert ok and "正解です" in out


@pytest.mark.parametrize("wrong, phrase", [
    (no_shuffle, "元の順番"),
    (gradient_added, "勾配を足しています"),
    (last_batch_dropped, "足りないバッチ"),
    (summed_gradient, "和で更新"),
    (per_sample, "1 個ごとに更新"),
    (rebinds_the_arrays, "重みが変わっていません"),
])
def test_sgd_epoch_wrong_answers_are_named(wrong, phrase, capsys):
    ok, out = run(ex07.check_sgd_epoch, wrong, capsys)
    assert not ok and "まだ違います" in out and phrase in out, out


def test_sgd_epoch_unanswered(capsys):
    ok, out = run(ex07.check_sgd_epoch, unanswered_epoch, capsys)
    assert not ok and "未解答" in out


# --- 問 2: the number of updates ---------------------------------------------------------------

N_TRAIN = len(load_digits_split(test_size=0.25, val_size=0.1, seed=0).X_train)


def test_update_count(capsys):
    right = 20 * math.ceil(N_TRAIN / 32)
    ok, out = run(ex07.check_update_count, right, capsys)
    assert ok and str(right) not in out
    for wrong, phrase in [(20 * (N_TRAIN // 32), "切り上げ"), (math.ceil(N_TRAIN / 32), "1 エポック分"),
                          (20 * N_TRAIN, "m = 1")]:
        ok, out = run(ex07.check_update_count, wrong, capsys)
        assert not ok and phrase in out and str(right) not in out, out
    ok, out = run(ex07.check_update_count, None, capsys)
    assert not ok and "未解答" in out


# --- 問 3: recall per class --------------------------------------------------------------------

def test_recall(capsys):
    ok, out = run(ex07.check_recall, lambda c: np.diag(c) / c.sum(axis=1), capsys)
    assert ok
    ok, out = run(ex07.check_recall, lambda c: np.diag(c) / c.sum(axis=0), capsys)
    assert not ok and "適合率" in out
    ok, out = run(ex07.check_recall, lambda c: np.diag(c) / c.sum(), capsys)
    assert not ok and "全体の枚数" in out
    ok, out = run(ex07.check_recall, lambda c: None, capsys)
    assert not ok and "未解答" in out


# --- 問 4: the spiral --------------------------------------------------------------------------

SOLVED = dict(dataset="spiral", noise=0.05, train_ratio=0.8, hidden_layers=2, neurons=16,
              activation="relu", lr=0.3, batch_size=10, epochs=200)


def test_spiral_settings(capsys):
    ok, out = run(ex07.check_spiral_settings, SOLVED, capsys)
    assert ok and "正解です" in out
    ok, out = run(ex07.check_spiral_settings, SOLVED | dict(hidden_layers=0), capsys)
    assert not ok and "85%" in out  # a straight line cannot follow the arms
    ok, out = run(ex07.check_spiral_settings, SOLVED | dict(noise=0.0), capsys)
    assert not ok and "ノイズ" in out
    ok, out = run(ex07.check_spiral_settings, SOLVED | dict(dataset="circle"), capsys)
    assert not ok and "渦巻き" in out
    ok, out = run(ex07.check_spiral_settings, None, capsys)
    assert not ok and "未解答" in out
