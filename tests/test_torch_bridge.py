"""dlcore.torch_bridge: the same network in dlcore and PyTorch gives the same numbers.

PyTorch is optional: every test that needs it asks for the ``torch`` fixture, which skips
with a clear reason when it is not installed. The tests without the fixture check that the
module itself works without torch.
"""

import importlib
import sys

import numpy as np
import pytest

from dlcore.layers import Dropout, Linear, ReLU
from dlcore.network import Sequential, build_mlp
from dlcore.optimizers import Adam
from dlcore.torch_bridge import (
    INSTALL_HINT,
    copy_from_torch,
    copy_linears_to_torch,
    copy_to_torch,
    dlcore_name,
    import_torch,
    to_torch,
    torch_grads,
    torch_loss,
    torch_name,
    torch_nn,
)

TOL = 1e-10


@pytest.fixture
def torch():
    module = pytest.importorskip(
        "torch", reason="PyTorch is optional for the course (pip install torch); "
                        "the dlcore <-> torch comparison tests need it")
    module.manual_seed(0)
    return module


def _data(n=12, d=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng


# --- without torch ----------------------------------------------------------------------------

def test_names_map_both_ways():
    assert torch_name("0.W") == "0.weight" and torch_name("2.b") == "2.bias"
    assert dlcore_name("0.weight") == "0.W" and dlcore_name("2.bias") == "2.b"
    for bad in ("W", "0.gamma", ""):
        with pytest.raises(ValueError):
            torch_name(bad)
    for bad in ("weight", "0.running_mean"):
        with pytest.raises(ValueError):
            dlcore_name(bad)


def test_import_torch_without_torch_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now fails as if absent
    import dlcore.torch_bridge as bridge

    importlib.reload(bridge)  # the module itself imports without torch
    with pytest.raises(ImportError, match="pip install torch"):
        bridge.import_torch()
    with pytest.raises(ImportError, match="torch==2.13.0"):
        bridge.to_torch(build_mlp((2, 3, 1), loss="mse"))
    assert "CPU" in INSTALL_HINT
    assert bridge.torch_available() is False
    nn = bridge.torch_nn()  # a stand-in: a class can still be defined on it

    class Net(nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(ImportError, match="pip install torch"):
        Net()


# --- with torch -------------------------------------------------------------------------------

def test_import_torch_returns_the_module(torch):
    assert import_torch() is torch


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "leaky_relu", "identity"])
def test_outputs_match(torch, activation):
    model = build_mlp((5, 7, 6, 3), activation=activation, seed=1)
    net = to_torch(model)
    X, _ = _data()
    out = net(torch.from_numpy(X)).detach().numpy()
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, model.forward(X), rtol=0, atol=TOL)
    # the same layers, in the same places, with W and weight of the same (out, in) shape
    assert len(net) == len(model.layers)
    assert tuple(net[0].weight.shape) == model.layers[0].params["W"].shape == (7, 5)


@pytest.mark.parametrize("loss, n_out", [("softmax_cross_entropy", 4),
                                         ("sigmoid_cross_entropy", 1), ("mse", 3), ("l1", 2)])
def test_loss_and_gradients_match(torch, loss, n_out):
    model = build_mlp((5, 8, n_out), activation="tanh", loss=loss, seed=2)
    net = to_torch(model)
    X, rng = _data()
    if loss == "softmax_cross_entropy":
        y = rng.integers(0, n_out, size=len(X))
    elif loss == "sigmoid_cross_entropy":
        y = rng.integers(0, 2, size=len(X))
    else:
        y = rng.normal(size=(len(X), n_out))

    L = model.loss(X, y)
    model.backward()
    Lt = torch_loss(model)(net(torch.from_numpy(X)), torch.from_numpy(y))
    Lt.backward()

    assert abs(L - Lt.item()) < TOL
    theirs = torch_grads(net)
    assert set(theirs) == set(model.grads())
    for name, g in model.grads().items():
        np.testing.assert_allclose(theirs[name], g, rtol=0, atol=TOL, err_msg=name)


def test_input_gradient_matches(torch):
    model = build_mlp((5, 8, 3), seed=3)
    net = to_torch(model)
    X, rng = _data()
    y = rng.integers(0, 3, size=len(X))
    model.loss(X, y)
    dX = model.backward()
    Xt = torch.from_numpy(X.copy()).requires_grad_(True)
    torch_loss(model)(net(Xt), torch.from_numpy(y)).backward()
    np.testing.assert_allclose(Xt.grad.numpy(), dX, rtol=0, atol=TOL)


def test_adam_on_the_same_batches_stays_together(torch):
    model = build_mlp((5, 16, 3), seed=4)
    net = to_torch(model)
    X, rng = _data(n=40)
    y = rng.integers(0, 3, size=len(X))
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    opt, opt_t = Adam(lr=0.01), torch.optim.Adam(net.parameters(), lr=0.01)
    loss_fn = torch_loss(model)
    for _ in range(3):
        order = rng.permutation(len(X))
        for start in range(0, len(X), 8):
            idx = order[start:start + 8]
            L = model.loss(X[idx], y[idx])
            model.backward(need_dx=False)
            opt.step(model.params(), model.grads())
            opt_t.zero_grad()
            Lt = loss_fn(net(Xt[idx]), yt[idx])
            Lt.backward()
            opt_t.step()
            assert abs(L - Lt.item()) < 1e-9
    for name, p in model.params().items():
        q = dict(net.named_parameters())[torch_name(name)]
        np.testing.assert_allclose(q.detach().numpy(), p, rtol=0, atol=1e-9, err_msg=name)


def test_copy_from_torch_round_trip(torch):
    source = build_mlp((4, 6, 2), seed=5)
    net = to_torch(source)
    with torch.no_grad():
        for q in net.parameters():
            q.mul_(2.0)
    target = build_mlp((4, 6, 2), seed=6)
    copy_from_torch(net, target)
    for name, p in target.params().items():
        np.testing.assert_array_equal(p, 2.0 * source.params()[name])
    # and back again into a fresh torch network
    other = to_torch(build_mlp((4, 6, 2), seed=7))
    copy_to_torch(target, other)
    for a, b in zip(net.parameters(), other.parameters()):
        assert torch.equal(a, b)


def test_float32_is_close_but_not_exact(torch):
    model = build_mlp((64, 100, 10), seed=0)
    X, _ = _data(n=20, d=64)
    net = to_torch(model, dtype=torch.float32)
    assert net[0].weight.dtype == torch.float32
    diff = np.abs(net(torch.from_numpy(X).float()).detach().numpy() - model.forward(X)).max()
    assert 1e-9 < diff < 1e-4


def test_mismatched_networks_are_refused(torch):
    model = build_mlp((4, 6, 2), seed=0)
    with pytest.raises(ValueError, match="shape"):
        copy_to_torch(model, to_torch(build_mlp((4, 5, 2), seed=0)))
    with pytest.raises(ValueError, match="do not match"):
        copy_to_torch(model, to_torch(build_mlp((4, 6, 6, 2), seed=0)))
    with pytest.raises(ValueError, match="no PyTorch counterpart"):
        to_torch(Sequential([Linear(4, 6, seed=0), Dropout(0.5, seed=0), ReLU(),
                             Linear(6, 2, seed=0)]))
    with pytest.raises(ValueError, match="backward"):
        torch_grads(to_torch(model))


def test_an_nn_module_subclass_gets_dlcore_weights_in_order(torch):
    from dlcore.torch_bridge import torch_available

    assert torch_available() and torch_nn() is torch.nn

    class Net(torch.nn.Module):  # names of its own choosing, dropout in between
        def __init__(self):
            super().__init__()
            self.first = torch.nn.Linear(5, 8)
            self.drop = torch.nn.Dropout(0.5)
            self.second = torch.nn.Linear(8, 3)

        def forward(self, x):
            return self.second(self.drop(torch.relu(self.first(x))))

    model = build_mlp((5, 8, 3), dropout=0.5, seed=2)
    net = copy_linears_to_torch(model, Net().double())
    X, _ = _data()
    net.eval()
    with torch.no_grad():
        out = net(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(out, model.forward(X, train=False), rtol=0, atol=TOL)
    with pytest.raises(ValueError, match="Linear layers"):
        copy_linears_to_torch(build_mlp((5, 8, 8, 3), seed=0), Net())
    with pytest.raises(ValueError, match="shape"):
        copy_linears_to_torch(build_mlp((5, 7, 3), seed=0), Net())
