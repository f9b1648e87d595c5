"""Update rules (slides 18, 29-33) against values computed by hand from the textbook formulas."""

import math
import re

import numpy as np
import pytest

from dlcore.network import build_mlp
from dlcore.optimizers import SGD, AdaGrad, Adam, Momentum, RMSProp, make_optimizer

W0 = np.array([[1.0, -2.0], [0.5, 3.0]])
B0 = np.array([0.25, -0.75])
G1 = {"W": np.array([[0.1, -0.4], [2.0, 0.0]]), "b": np.array([-0.3, 0.05])}
G2 = {"W": np.array([[-0.2, 0.3], [1.0, 0.6]]), "b": np.array([0.4, -0.1])}


def fresh_params():
    return {"W": W0.copy(), "b": B0.copy()}


def run(optimizer, *grads):
    params = fresh_params()
    for g in grads:
        optimizer.step(params, {k: v.copy() for k, v in g.items()})
    return params


def assert_params(params, expected_W, expected_b):
    np.testing.assert_allclose(params["W"], expected_W, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(params["b"], expected_b, rtol=1e-13, atol=1e-15)


# --- SGD ---------------------------------------------------------------------------------------


def test_sgd_one_step_literal_numbers():
    # W ← W - η g with η = 0.1, written out element by element.
    params = run(SGD(lr=0.1), G1)
    assert_params(params,
                  [[1.0 - 0.01, -2.0 + 0.04], [0.5 - 0.2, 3.0]],
                  [0.25 + 0.03, -0.75 - 0.005])


def test_sgd_two_steps():
    lr = 0.05
    params = run(SGD(lr=lr), G1, G2)
    assert_params(params, W0 - lr * G1["W"] - lr * G2["W"], B0 - lr * G1["b"] - lr * G2["b"])


# --- Momentum ----------------------------------------------------------------------------------


def test_momentum_two_steps():
    lr, beta = 0.1, 0.8
    expected = {}
    for k, p0 in (("W", W0), ("b", B0)):
        v1 = -lr * G1[k]                 # v ← β·0 - η g₁
        p1 = p0 + v1                     # W ← W + v
        v2 = beta * v1 - lr * G2[k]      # v ← β v - η g₂
        expected[k] = p1 + v2
    params = run(Momentum(lr=lr, beta=beta), G1, G2)
    assert_params(params, expected["W"], expected["b"])


def test_momentum_first_step_equals_sgd_step():
    assert_params(run(Momentum(lr=0.1, beta=0.9), G1), *run(SGD(lr=0.1), G1).values())


def test_momentum_remembers_velocity_with_zero_gradient():
    zero = {k: np.zeros_like(v) for k, v in G1.items()}
    lr, beta = 0.1, 0.5
    params = run(Momentum(lr=lr, beta=beta), G1, zero)
    # second step: v = β (-η g₁), so W₂ = W₀ - η g₁ - β η g₁
    assert_params(params, W0 - lr * G1["W"] * (1 + beta), B0 - lr * G1["b"] * (1 + beta))


# --- AdaGrad -----------------------------------------------------------------------------------


def test_adagrad_two_steps():
    lr, eps = 0.1, 0.05  # a large ε, so a misplaced ε changes the result
    expected = {}
    for k, p0 in (("W", W0), ("b", B0)):
        h1 = G1[k] ** 2
        p1 = p0 - lr * G1[k] / (np.sqrt(h1) + eps)
        h2 = h1 + G2[k] ** 2
        expected[k] = p1 - lr * G2[k] / (np.sqrt(h2) + eps)
    params = run(AdaGrad(lr=lr, eps=eps), G1, G2)
    assert_params(params, expected["W"], expected["b"])


def test_adagrad_one_step_literal_number():
    params = {"w": np.array([2.0])}
    AdaGrad(lr=0.5, eps=1.0).step(params, {"w": np.array([3.0])})
    # h = 9, step = 0.5 * 3 / (3 + 1) = 0.375
    assert params["w"][0] == pytest.approx(2.0 - 0.375, rel=1e-15)


# --- RMSProp -----------------------------------------------------------------------------------


def test_rmsprop_two_steps():
    lr, rho, eps = 0.01, 0.7, 0.05
    expected = {}
    for k, p0 in (("W", W0), ("b", B0)):
        h1 = (1 - rho) * G1[k] ** 2
        p1 = p0 - lr * G1[k] / (np.sqrt(h1) + eps)
        h2 = rho * h1 + (1 - rho) * G2[k] ** 2
        expected[k] = p1 - lr * G2[k] / (np.sqrt(h2) + eps)
    params = run(RMSProp(lr=lr, rho=rho, eps=eps), G1, G2)
    assert_params(params, expected["W"], expected["b"])


def test_rmsprop_one_step_literal_number():
    params = {"w": np.array([1.0])}
    RMSProp(lr=0.1, rho=0.75, eps=0.5).step(params, {"w": np.array([4.0])})
    # h = 0.25 * 16 = 4, step = 0.1 * 4 / (2 + 0.5) = 0.16
    assert params["w"][0] == pytest.approx(1.0 - 0.16, rel=1e-15)


# --- Adam --------------------------------------------------------------------------------------


def adam_textbook(p0, grads, lr, beta1, beta2, eps):
    """Adam exactly as on slide 33, with the bias-corrected m̂ and v̂."""
    p, m, v = p0.copy(), np.zeros_like(p0), np.zeros_like(p0)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return p


@pytest.mark.parametrize("eps", [1e-8, 0.3])  # a large ε catches a wrongly rescaled ε
def test_adam_one_and_two_steps(eps):
    lr, beta1, beta2 = 0.01, 0.8, 0.95
    one = run(Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps), G1)
    assert_params(one, adam_textbook(W0, [G1["W"]], lr, beta1, beta2, eps),
                  adam_textbook(B0, [G1["b"]], lr, beta1, beta2, eps))
    two = run(Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps), G1, G2)
    assert_params(two, adam_textbook(W0, [G1["W"], G2["W"]], lr, beta1, beta2, eps),
                  adam_textbook(B0, [G1["b"], G2["b"]], lr, beta1, beta2, eps))


def test_adam_default_hyperparameters_ten_steps():
    rng = np.random.default_rng(0)
    grads = [{"W": rng.normal(size=(2, 2)), "b": rng.normal(size=2)} for _ in range(10)]
    params = run(Adam(lr=0.001), *grads)
    assert_params(params,
                  adam_textbook(W0, [g["W"] for g in grads], 0.001, 0.9, 0.999, 1e-8),
                  adam_textbook(B0, [g["b"] for g in grads], 0.001, 0.9, 0.999, 1e-8))


def test_adam_first_step_literal_number():
    # t = 1: m̂ = g, v̂ = g², so the step is η g / (|g| + ε) = 0.1 * 2 / (2 + 0.5) = 0.08
    params = {"w": np.array([1.0, 1.0])}
    Adam(lr=0.1, eps=0.5).step(params, {"w": np.array([2.0, -2.0])})
    np.testing.assert_allclose(params["w"], [1.0 - 0.08, 1.0 + 0.08], rtol=1e-14)


def test_adam_state_is_per_parameter():
    # Two parameters with the same values but different gradients evolve independently.
    params = {"a": np.array([1.0]), "b": np.array([1.0])}
    opt = Adam(lr=0.1, beta1=0.5, beta2=0.5, eps=0.1)
    opt.step(params, {"a": np.array([1.0]), "b": np.array([0.0])})
    opt.step(params, {"a": np.array([0.0]), "b": np.array([1.0])})
    assert params["a"][0] == pytest.approx(
        adam_textbook(np.array([1.0]), [np.array([1.0]), np.array([0.0])], 0.1, 0.5, 0.5, 0.1)[0],
        rel=1e-14)
    assert params["b"][0] == pytest.approx(
        adam_textbook(np.array([1.0]), [np.array([0.0]), np.array([1.0])], 0.1, 0.5, 0.5, 0.1)[0],
        rel=1e-14)


# --- weight decay ------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda wd: SGD(lr=0.1, weight_decay=wd),
    lambda wd: Momentum(lr=0.1, beta=0.9, weight_decay=wd),
    lambda wd: AdaGrad(lr=0.1, weight_decay=wd),
    lambda wd: RMSProp(lr=0.1, weight_decay=wd),
    lambda wd: Adam(lr=0.1, weight_decay=wd),
], ids=["sgd", "momentum", "adagrad", "rmsprop", "adam"])
def test_weight_decay_adds_lambda_W_to_matrices_only(make):
    lam = 0.3
    decayed = run(make(lam), G1, G2)
    # Same rule without decay, but with the L2 gradient λW added by hand to W's gradient.
    params = fresh_params()
    plain = make(0.0)
    for g in (G1, G2):
        plain.step(params, {"W": g["W"] + lam * params["W"], "b": g["b"].copy()})
    np.testing.assert_allclose(decayed["W"], params["W"], rtol=1e-13)
    np.testing.assert_allclose(decayed["b"], params["b"], rtol=1e-13)
    # and the bias update is exactly the one without any decay
    np.testing.assert_allclose(decayed["b"], run(make(0.0), G1, G2)["b"], rtol=1e-14)


def test_sgd_weight_decay_literal_numbers():
    params = fresh_params()
    zero = {"W": np.zeros((2, 2)), "b": np.zeros(2)}
    SGD(lr=0.1, weight_decay=0.5).step(params, zero)
    # W ← W - η λ W = 0.95 W; b has no decay
    np.testing.assert_allclose(params["W"], 0.95 * W0, rtol=1e-15)
    np.testing.assert_array_equal(params["b"], B0)


def test_weight_decay_does_not_modify_the_gradient_arrays():
    params = fresh_params()
    grads = {k: v.copy() for k, v in G1.items()}
    SGD(lr=0.1, weight_decay=0.5).step(params, grads)
    for k in grads:
        np.testing.assert_array_equal(grads[k], G1[k])


# --- hyperparameter validation -----------------------------------------------------------------


@pytest.mark.parametrize("make,exc,match", [
    (lambda: SGD(lr=0), ValueError, "learning rate lr must be positive, got 0"),
    (lambda: SGD(lr=-0.1), ValueError, "learning rate lr must be positive, got -0.1"),
    (lambda: SGD(lr=float("nan")), ValueError, "learning rate lr must be positive, got nan"),
    (lambda: Adam(lr=float("inf")), ValueError, "learning rate lr must be positive, got inf"),
    (lambda: SGD(lr="0.1"), TypeError, "learning rate lr must be a number, got '0.1'"),
    (lambda: Momentum(lr=0.1, beta=1.0), ValueError,
     r"momentum beta must be in [0.0, 1.0), got 1.0"),
    (lambda: Momentum(lr=0.1, beta=-0.1), ValueError,
     r"momentum beta must be in [0.0, 1.0), got -0.1"),
    (lambda: Adam(beta1=1.0), ValueError, r"beta1 must be in [0.0, 1.0), got 1.0"),
    (lambda: Adam(beta2=1.5), ValueError, r"beta2 must be in [0.0, 1.0), got 1.5"),
    (lambda: Adam(beta2=float("nan")), ValueError, "beta2 must be in"),
    (lambda: RMSProp(rho=1.0), ValueError, r"rho must be in [0.0, 1.0), got 1.0"),
    (lambda: Adam(eps=0.0), ValueError, "eps must be positive, got 0.0"),
    (lambda: AdaGrad(eps=-1e-8), ValueError, "eps must be positive, got -1e-08"),
    (lambda: RMSProp(eps=0), ValueError, "eps must be positive, got 0"),
    (lambda: SGD(lr=0.1, weight_decay=-0.01), ValueError,
     "weight_decay must be positive, got -0.01"),
    (lambda: Adam(weight_decay=float("nan")), ValueError, "weight_decay must be positive"),
], ids=["lr0", "lr_neg", "lr_nan", "lr_inf", "lr_str", "beta1.0", "beta_neg", "beta1",
        "beta2", "beta2_nan", "rho", "adam_eps0", "adagrad_eps_neg", "rmsprop_eps0",
        "wd_neg", "wd_nan"])
def test_hyperparameters_are_validated(make, exc, match):
    with pytest.raises(exc, match=re.escape(match)):
        make()


def test_valid_edge_hyperparameters_are_accepted():
    Momentum(lr=0.1, beta=0.0)
    Adam(beta1=0.0, beta2=0.0)
    SGD(lr=1e-12, weight_decay=0)


# --- in place ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, RMSProp, Adam])
def test_updates_are_in_place(cls):
    params = fresh_params()
    W, b = params["W"], params["b"]
    cls(lr=0.1).step(params, G1)
    assert params["W"] is W and params["b"] is b
    assert not np.array_equal(W, W0)
    assert not np.array_equal(b, B0)


def test_step_on_a_model_updates_the_layers_own_arrays():
    model = build_mlp((3, 4, 2), seed=0)
    W = model.layers[0].params["W"]
    before = W.copy()
    X = np.random.default_rng(0).normal(size=(5, 3))
    model.loss(X, [0, 1, 0, 1, 1])
    model.backward()
    Adam(lr=0.01).step(model.params(), model.grads())
    assert model.layers[0].params["W"] is W
    assert not np.array_equal(W, before)
    assert np.max(np.abs(W - before)) == pytest.approx(0.01, rel=1e-3)  # Adam's first step ≈ η


# --- make_optimizer ------------------------------------------------------------------------------


@pytest.mark.parametrize("name,cls", [("sgd", SGD), ("momentum", Momentum),
                                      ("adagrad", AdaGrad), ("rmsprop", RMSProp),
                                      ("adam", Adam)])
def test_make_optimizer_by_name(name, cls):
    opt = make_optimizer(name, lr=0.02)
    assert type(opt) is cls
    assert opt.lr == 0.02


def test_make_optimizer_passes_hyperparameters():
    opt = make_optimizer("momentum", lr=0.1, beta=0.5, weight_decay=0.01)
    assert (opt.beta, opt.weight_decay) == (0.5, 0.01)
    params = run(opt, G1)
    assert_params(params, W0 - 0.1 * (G1["W"] + 0.01 * W0), B0 - 0.1 * G1["b"])


def test_make_optimizer_unknown_name():
    with pytest.raises(ValueError, match=re.escape("unknown optimizer 'adamw'")) as info:
        make_optimizer("adamw", lr=0.1)
    assert "adam" in str(info.value) and "sgd" in str(info.value)  # lists the choices


def test_adam_bias_correction_matters():
    """Without bias correction the first step would be (1-β₁)/sqrt(1-β₂) ≈ 3.16 times smaller."""
    params = {"w": np.array([0.0])}
    Adam(lr=0.1, eps=1e-12).step(params, {"w": np.array([1e-3])})
    assert abs(params["w"][0]) == pytest.approx(0.1, rel=1e-6)
    assert not math.isclose(abs(params["w"][0]), 0.1 * 0.1 / math.sqrt(0.001), rel_tol=0.1)


# --- one update of the whole parameter vector ---------------------------------------------------


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
def test_step_vector_equals_step_array_by_array(name, weight_decay):
    """Updating θ in one go gives the same weights as updating every array (three steps)."""
    a = build_mlp((4, 5, 3), seed=0)
    b = build_mlp((4, 5, 3), seed=0)
    opt_a = make_optimizer(name, lr=0.1, weight_decay=weight_decay)
    opt_b = make_optimizer(name, lr=0.1, weight_decay=weight_decay)
    theta, grad_theta, is_weight = b.param_vector()
    rng = np.random.default_rng(1)
    for _ in range(3):
        grads = {k: rng.normal(size=g.shape) for k, g in a.grads().items()}
        for k, g in grads.items():
            a.grads()[k][...] = g
            b.grads()[k][...] = g  # writes into grad_theta through the views
        opt_a.step(a.params(), a.grads())
        opt_b.step_vector(theta, grad_theta, is_weight)
    for k, p in a.params().items():
        np.testing.assert_allclose(b.params()[k], p, rtol=1e-13, atol=1e-15, err_msg=k)
    assert opt_a.t == opt_b.t == 3
