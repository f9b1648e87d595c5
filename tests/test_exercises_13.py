"""The checkers of notebook 13's exercises (dlcore.exercises.ex13): the right answer passes,
typical wrong answers are named, an untouched exercise says 「未解答」, and without PyTorch
the PyTorch exercises say so (still 「未解答」) instead of failing."""


import pytest
from exercise_asserts import run

from dlcore.exercises import ex13


@pytest.fixture
def torch():
    return pytest.importorskip("torch", reason="PyTorch is optional for the course")


@pytest.fixture
def no_torch(monkeypatch):
    monkeypatch.setattr(ex13, "torch_available", lambda: False)


# --- 問 1 ---------------------------------------------------------------------------------

def test_linear_weight_shape():
    assert run(ex13.check_linear_weight_shape, (128, 784)) == (True, "問 1: 正解です！\n")
    ok, text = run(ex13.check_linear_weight_shape, (784, 128))
    assert not ok and "(入力の数, 出力の数) の順" in text
    assert "未解答" in run(ex13.check_linear_weight_shape, None)[1]


# --- 問 2: the MLP as an nn.Module ----------------------------------------------------------

def make_mlp_class(torch, forward):
    """The notebook's skeleton (given __init__) with one version of the student's forward."""
    nn = torch.nn

    class MLP(nn.Module):
        def __init__(self, sizes):
            super().__init__()
            self.linears = nn.ModuleList(
                nn.Linear(n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:]))

    MLP.forward = forward
    return MLP


def forward_right(self, x):
    import torch

    for linear in self.linears[:-1]:
        x = torch.relu(linear(x))
    return self.linears[-1](x)


def forward_relu_everywhere(self, x):
    import torch

    for linear in self.linears:
        x = torch.relu(linear(x))
    return x


def forward_no_relu(self, x):
    for linear in self.linears:
        x = linear(x)
    return x


def forward_softmax(self, x):
    return forward_right(self, x).softmax(dim=1)


def forward_detached(self, x):
    return forward_right(self, x).detach()


def forward_not_written(self, x):
    """The student edition's stub."""


def test_mlp_module_right_answer(torch):
    assert run(ex13.check_mlp_module, make_mlp_class(torch, forward_right)) == (
        True, "問 2: 正解です！\n")


@pytest.mark.parametrize("forward, needle", [
    (forward_relu_everywhere, "出力層のあとにも ReLU"), (forward_no_relu, "ReLU が抜けています"),
    (forward_softmax, "ソフトマックスを掛けています"), (forward_detached, "重みにつながっていません"),
])
def test_mlp_module_wrong_answers(torch, forward, needle):
    ok, text = run(ex13.check_mlp_module, make_mlp_class(torch, forward))
    assert not ok and needle in text, text


def test_mlp_module_unanswered_and_not_a_module(torch):
    ok, text = run(ex13.check_mlp_module, make_mlp_class(torch, forward_not_written))
    assert not ok and "未解答" in text

    class NotAModule:
        def __init__(self, sizes):
            self.sizes = sizes

    ok, text = run(ex13.check_mlp_module, NotAModule)
    assert not ok and "nn.Module を継承していません" in text


def test_mlp_module_without_torch_says_so_and_reports_unanswered(no_torch):
    ok, text = run(ex13.check_mlp_module, object)
    assert not ok and "未解答" in text and "PyTorch がインストールされていない" in text


# --- 問 3: float32 ------------------------------------------------------------------------

def test_float32_gap(torch):
    assert run(ex13.check_float32_gap, 3.2e-7)[0]
    ok, text = run(ex13.check_float32_gap, 1e-15)
    assert not ok and "64 ビット同士" in text
    ok, text = run(ex13.check_float32_gap, 0.3)
    assert not ok and "大きすぎます" in text
    assert "未解答" in run(ex13.check_float32_gap, None)[1]


def test_float32_gap_without_torch(no_torch):
    ok, text = run(ex13.check_float32_gap, 3.2e-7)
    assert not ok and "未解答" in text and "pip install torch" in text
