"""The checker of notebook 00's exercise (dlcore.exercises.ex00): a good line passes, wrong
answers are named, an untouched exercise says 「未解答」, no answer is printed."""


from exercise_asserts import run

from dlcore.exercises import ex00


def test_line_fit():
    assert run(ex00.check_line_fit, (0.8, 0.3)) == (True, "問 1: 正解です！\n")
    assert run(ex00.check_line_fit, [0.75, 0.3])[0]            # near enough also passes
    ok, text = run(ex00.check_line_fit, (0.3, 0.8))            # a and b swapped
    assert not ok and "逆" in text
    ok, text = run(ex00.check_line_fit, (1.0, 0.0))            # the widget's start: too far
    assert not ok and "0.03 以上" in text
    for answer in (None, ...):
        ok, text = run(ex00.check_line_fit, answer)
        assert not ok and "未解答" in text
    for answer in ((0.8,), "0.8, 0.3", (0.8, True), (0.8, float("nan"))):
        ok, text = run(ex00.check_line_fit, answer)
        assert not ok and "まだ違います" in text
    for answer in ((0.3, 0.8), (1.0, 0.0), (0.0, 0.0)):
        assert "0.8" not in run(ex00.check_line_fit, answer)[1].split("：", 1)[-1].replace("0.03", "")
