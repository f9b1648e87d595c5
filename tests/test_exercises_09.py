"""Notebook 09's exercise checkers: right answers pass, typical mistakes are named,
unanswered exercises say 「未解答」, and no expected value is ever printed."""

import numpy as np
import pytest

from dlcore.exercises import ex09


def he_right(shape, rng):
    """The answer of 問 1."""
    return rng.normal(0.0, np.sqrt(2.0 / shape[1]), size=shape)


def xavier_right(shape, rng):
    """The answer of 問 2."""
    return rng.normal(0.0, np.sqrt(2.0 / (shape[0] + shape[1])), size=shape)


def unanswered(shape, rng):
    """ここに解答を書いてください"""


def run(checker, answer, capsys):
    ok = checker(answer)
    return ok, capsys.readouterr().out


@pytest.mark.parametrize("checker, right, label", [(ex09.check_he_init, he_right, "問 1"),
                                                   (ex09.check_xavier_init, xavier_right, "問 2")])
def test_right_initializers_pass_and_stubs_are_unanswered(checker, right, label, capsys):
    assert run(checker, right, capsys) == (True, f"{label}: 正解です！\n")
    ok, out = run(checker, unanswered, capsys)
    assert not ok and "未解答" in out
    ok, out = run(checker, None, capsys)
    assert not ok and "未解答" in out


@pytest.mark.parametrize("wrong, words", [
    (lambda shape, rng: rng.normal(0.0, np.sqrt(2.0 / shape[0]), size=shape), "n_out"),
    (lambda shape, rng: rng.normal(0.0, np.sqrt(1.0 / shape[1]), size=shape), "係数 2"),
    (lambda shape, rng: rng.normal(0.0, 2.0 / shape[1], size=shape), "標準偏差として"),
    (lambda shape, rng: np.random.default_rng(0).normal(0.0, np.sqrt(2.0 / shape[1]), size=shape),
     "rng を使い"),
    (lambda shape, rng: rng.normal(0.0, np.sqrt(2.0 / shape[1]), size=shape[::-1]), "形"),
    (lambda shape, rng: rng.normal(np.sqrt(2.0 / shape[1]), size=shape), "平均"),
])
def test_he_mistakes_are_named(wrong, words, capsys):
    ok, out = run(ex09.check_he_init, wrong, capsys)
    assert not ok and "まだ違います" in out and words in out, out


@pytest.mark.parametrize("wrong, words", [
    (lambda shape, rng: rng.normal(0.0, np.sqrt(1.0 / sum(shape)), size=shape), "分子は 2"),
    (lambda shape, rng: rng.normal(0.0, 2.0 / sum(shape), size=shape), "標準偏差として"),
    (he_right, "He の式"),
    (lambda shape, rng: rng.uniform(-1, 1, size=shape) * np.sqrt(6.0 / sum(shape)), "一様分布"),
])
def test_xavier_mistakes_are_named(wrong, words, capsys):
    ok, out = run(ex09.check_xavier_init, wrong, capsys)
    assert not ok and "まだ違います" in out and words in out, out


def test_initializer_feedback_never_prints_the_variance(capsys):
    for wrong in (lambda shape, rng: rng.normal(0.0, 0.3, size=shape),
                  lambda shape, rng: rng.normal(0.0, np.sqrt(2.0 / shape[0]), size=shape)):
        out = run(ex09.check_he_init, wrong, capsys)[1]
        for shape in ex09.INIT_SHAPES:
            for value in (2.0 / shape[1], np.sqrt(2.0 / shape[1])):
                assert f"{value:.3f}" not in out and f"{value:.2g}" not in out


def test_he_std(capsys):
    assert run(ex09.check_he_std, np.sqrt(2 / 32), capsys) == (True, "問 3: 正解です！\n")
    assert run(ex09.check_he_std, 0.25, capsys)[0]
    for wrong, words in ((2 / 32, "分散です"), (np.sqrt(1 / 32), "係数 2")):
        ok, out = run(ex09.check_he_std, wrong, capsys)
        assert not ok and words in out and "0.25" not in out
    assert "未解答" in run(ex09.check_he_std, None, capsys)[1]


def test_vanishing_depth(capsys):
    depth = ex09.vanishing_depth()
    ratio = {d: (lambda n: n[0] / n[-1])(ex09.initial_gradient_norms(d, "sigmoid", "xavier"))
             for d in (depth - 1, depth)}
    # the answer stands clear of the limit 10^-3 on both sides (a factor 2 or more)
    assert ratio[depth - 1] > 2e-3 and ratio[depth] < 0.5e-3
    assert run(ex09.check_vanishing_depth, depth, capsys)[0]
    for wrong, words in ((depth - 1, "まだ"), (depth + 1, "初めて")):
        ok, out = run(ex09.check_vanishing_depth, wrong, capsys)
        assert not ok and words in out and str(depth) not in out.replace("10^-3", "")
    ok, out = run(ex09.check_vanishing_depth, 2.5, capsys)
    assert not ok and "整数" in out
    assert "未解答" in run(ex09.check_vanishing_depth, None, capsys)[1]


def test_resnet_learning_rate(capsys):
    assert run(ex09.check_resnet_learning_rate, 0.01, capsys) == (True, "問 5: 正解です！\n")
    ok, out = run(ex09.check_resnet_learning_rate, 0.1, capsys)
    assert not ok and "発散" in out
    ok, out = run(ex09.check_resnet_learning_rate, 1e-6, capsys)
    assert not ok and "未満になっていません" in out
    ok, out = run(ex09.check_resnet_learning_rate, -1, capsys)
    assert not ok and "正の数" in out
    assert "未解答" in run(ex09.check_resnet_learning_rate, None, capsys)[1]
