"""Bad input gets a ValueError or TypeError whose message names the problem.

Each case is (what is wrong, the call, the exception type, a regex the message must match).
The regexes pin the part of the message a student needs to see, e.g. both shapes.
"""

import re

import numpy as np
import pytest

from dlcore import functions as F
from dlcore.checks import as_float_array, as_rng
from dlcore.gradcheck import numerical_gradient, relative_error
from dlcore.layers import (
    BatchNorm,
    Dropout,
    LeakyReLU,
    Linear,
    Residual,
    SigmoidCrossEntropy,
    SoftmaxCrossEntropy,
    activation_layer,
    loss_layer,
)
from dlcore.network import Sequential, build_mlp
from dlcore.optimizers import SGD, Adam, make_optimizer
from dlcore.training import train

RNG = np.random.default_rng(0)
X4 = RNG.normal(size=(4, 3))
Y4 = np.array([0, 1, 1, 0])


def clf():
    return build_mlp((3, 5, 2), seed=0)


def reg():
    return build_mlp((3, 5, 1), loss="mse", seed=0)


def fit(model=None, X=X4, y=Y4, **kw):
    kw.setdefault("epochs", 1)
    return train(model or clf(), SGD(lr=0.1), X, y, **kw)


def with_nan():
    X = X4.copy()
    X[1, 2] = np.nan
    return X


def with_inf():
    X = X4.copy()
    X[0, 0] = np.inf
    X[3, 1] = -np.inf
    return X


def load_missing():
    model = clf()
    state = model.state_dict()
    del state["0.W"]
    model.load_state_dict(state)


def load_wrong_shape():
    model = clf()
    state = model.state_dict()
    state["2.W"] = np.zeros((3, 5))
    model.load_state_dict(state)


E = re.escape

CASES = [
    # --- shapes ---------------------------------------------------------------------------
    ("linear width mismatch (both shapes)",
     lambda: Linear(3, 4).forward(np.ones((5, 2))), ValueError,
     E("expects input of shape (n, 3), got (5, 2)") + ".*" + E("(4, 3)")),
    ("network input width mismatch",
     lambda: clf().forward(np.ones((2, 7))), ValueError,
     E("expects input of shape (n, 3), got (2, 7)")),
    ("1-D X in a network",
     lambda: clf().forward(np.ones(3)), ValueError,
     E("X must be 2-D (samples, features), got shape (3,)") + ".*reshape"),
    ("1-D X in train",
     lambda: fit(X=np.ones(4)), ValueError, E("X must be 2-D") + ".*" + E("(4,)")),
    ("empty X in a network",
     lambda: clf().forward(np.empty((0, 3))), ValueError, E("X is empty (shape (0, 3))")),
    ("empty X in train",
     lambda: fit(X=np.empty((0, 3)), y=np.array([], dtype=int)), ValueError, "X is empty"),
    ("mse_loss shape mismatch",
     lambda: F.mse_loss(np.ones(3), np.ones(4)), ValueError,
     E("prediction has shape (3,) but target y has shape (4,)")),
    ("l1_loss shape mismatch",
     lambda: F.l1_loss(np.ones((2, 2)), np.ones((2, 1))), ValueError,
     E("prediction has shape (2, 2) but target y has shape (2, 1)")),
    ("regression target shape mismatch",
     lambda: build_mlp((3, 4, 2), loss="mse").loss(X4, np.ones(4)), ValueError,
     E("target y has shape (4,) but the network output has shape (4, 2)")),
    ("one-hot target with wrong shape (function)",
     lambda: F.softmax_cross_entropy(np.zeros((3, 3)), np.eye(2)[[0, 1, 0]]), ValueError,
     E("one-hot target y has shape (3, 2) but logits have shape (3, 3)")),
    ("one-hot target with wrong shape (layer)",
     lambda: SoftmaxCrossEntropy().forward(np.zeros((4, 2)), np.eye(3)[[0, 1, 2, 0]]),
     ValueError, E("one-hot target y has shape (4, 3) but logits have shape (4, 2)")),
    ("1-D logits",
     lambda: F.softmax_cross_entropy(np.zeros(3), [0, 1, 2]), ValueError,
     E("logits must be 2-D (samples, classes), got shape (3,)")),
    ("sigmoid loss on 2 output columns",
     lambda: SigmoidCrossEntropy().forward(np.zeros((4, 2)), Y4), ValueError,
     E("SigmoidCrossEntropy expects scores of shape (n, 1), got (4, 2)")),
    ("Residual that changes the shape",
     lambda: Residual(Linear(3, 4)).forward(np.ones((2, 3))), ValueError,
     E("Residual block changes the shape from (2, 3) to (2, 4)")),
    ("BatchNorm wrong width",
     lambda: BatchNorm(3).forward(np.ones((4, 2))), ValueError,
     E("BatchNorm expects input of shape (n, 3), got (4, 2)")),
    ("BatchNorm with 1 sample in training",
     lambda: BatchNorm(3).forward(np.ones((1, 3)), train=True), ValueError,
     "BatchNorm needs at least 2 samples per batch in training mode"),
    ("relative_error shape mismatch",
     lambda: relative_error(np.ones(3), np.ones(4)), ValueError,
     E("cannot compare gradients of shapes (3,) and (4,)")),
    # --- labels -----------------------------------------------------------------------------
    ("label out of range",
     lambda: clf().loss(X4, [0, 1, 5, 0]), ValueError,
     "y has label 5 out of range: labels must be in 0..1"),
    ("negative label",
     lambda: F.softmax_cross_entropy(np.zeros((2, 3)), [0, -1]), ValueError,
     "y has label -1 out of range: labels must be in 0..2"),
    ("label count != sample count (loss)",
     lambda: clf().loss(X4, [0, 1, 1]), ValueError, "y has 3 labels but there are 4 samples"),
    ("label count != sample count (train)",
     lambda: fit(y=np.array([0, 1, 0, 1, 1])), ValueError,
     "y has 5 labels but there are 4 samples"),
    ("label count != sample count (accuracy)",
     lambda: clf().accuracy(X4, [0, 1]), ValueError, "y has 2 labels but there are 4 samples"),
    ("regression rows != samples (train)",
     lambda: fit(reg(), y=np.ones(3)), ValueError, "y has 3 rows but X has 4 samples"),
    ("non-integer labels",
     lambda: clf().loss(X4, [0, 0.5, 1, 0]), ValueError, "y must hold integer class labels"),
    ("binary labels outside [0, 1]",
     lambda: SigmoidCrossEntropy().forward(np.zeros((2, 1)), [0, 2]), ValueError,
     E("binary labels y must lie in [0, 1]")),
    ("sigmoid label count mismatch",
     lambda: SigmoidCrossEntropy().forward(np.zeros((3, 1)), [0, 1]), ValueError,
     "y has 2 labels but there are 3 samples"),
    # --- values ---------------------------------------------------------------------------
    ("NaN in X", lambda: clf().forward(with_nan()), ValueError, "X contains 1 NaN and 0 inf"),
    ("inf in X", lambda: clf().forward(with_inf()), ValueError, "X contains 0 NaN and 2 inf"),
    ("NaN in X (train)", lambda: fit(X=with_nan()), ValueError, "X contains 1 NaN"),
    ("NaN in a regression target",
     lambda: fit(reg(), y=np.array([1.0, np.nan, 0.0, 2.0])), ValueError,
     "y contains 1 NaN and 0 inf"),
    ("strings in X", lambda: clf().forward([["a", "b", "c"]]), TypeError,
     "X must be numeric, got dtype <U1"),
    ("objects in X", lambda: clf().forward(np.array([[1, None, 2]], dtype=object)), TypeError,
     "X must be numeric, got dtype object"),
    ("complex X", lambda: as_float_array(np.ones((2, 2)) * 1j), TypeError,
     "X must be real, got complex"),
    ("strings in a regression target (train)", lambda: fit(reg(), y=["a", "b", "c", "d"]),
     TypeError, "y must be numeric"),
    ("probabilities outside [0, 1]",
     lambda: F.binary_cross_entropy(np.array([0.2, 1.5]), np.array([0.0, 1.0])), ValueError,
     E("probabilities p must lie in [0, 1]") + ".*binary_cross_entropy_with_logits"),
    ("negative probability",
     lambda: F.binary_cross_entropy(np.array([-0.1]), np.array([0.0])), ValueError,
     E("probabilities p must lie in [0, 1]")),
    # --- hyperparameters --------------------------------------------------------------------
    ("learning rate 0", lambda: SGD(lr=0), ValueError, "learning rate lr must be positive, got 0"),
    ("negative learning rate", lambda: Adam(lr=-1e-3), ValueError,
     "learning rate lr must be positive, got -0.001"),
    ("batch_size 0", lambda: fit(batch_size=0), ValueError, "batch_size must be >= 1, got 0"),
    ("batch_size negative", lambda: fit(batch_size=-4), ValueError,
     "batch_size must be >= 1, got -4"),
    ("batch_size float", lambda: fit(batch_size=8.0), TypeError,
     "batch_size must be an integer, got 8.0"),
    ("epochs 0", lambda: fit(epochs=0), ValueError, "epochs must be >= 1, got 0"),
    ("dropout rate 1.0", lambda: Dropout(1.0), ValueError,
     E("dropout rate must be in [0.0, 1.0), got 1.0")),
    ("dropout rate -0.1", lambda: Dropout(-0.1), ValueError,
     E("dropout rate must be in [0.0, 1.0), got -0.1")),
    ("build_mlp dropout 1.0", lambda: build_mlp((3, 4, 2), dropout=1.0), ValueError,
     E("dropout rate must be in [0.0, 1.0), got 1.0")),
    ("build_mlp dropout -0.1", lambda: build_mlp((3, 4, 2), dropout=-0.1), ValueError,
     E("dropout rate must be in [0.0, 1.0), got -0.1")),
    ("leaky slope 1.5", lambda: LeakyReLU(slope=1.5), ValueError,
     E("slope must be in [0.0, 1.0), got 1.5")),
    ("BatchNorm eps 0", lambda: BatchNorm(3, eps=0.0), ValueError, "eps must be positive"),
    ("validation_fraction 1.0", lambda: fit(validation_fraction=1.0), ValueError,
     E("validation_fraction must be in [0.0, 1.0), got 1.0")),
    ("patience 0", lambda: fit(patience=0, validation_fraction=0.25), ValueError,
     "patience must be >= 1, got 0"),
    # --- names ------------------------------------------------------------------------------
    ("unknown activation", lambda: build_mlp((3, 4, 2), activation="relu6"), ValueError,
     "unknown activation 'relu6'; choose one of .*'relu'"),
    ("unknown activation layer", lambda: activation_layer("softplus"), ValueError,
     "unknown activation 'softplus'"),
    ("unknown loss", lambda: build_mlp((3, 4, 2), loss="hinge"), ValueError,
     "unknown loss 'hinge'; choose one of .*'mse'"),
    ("unknown loss layer", lambda: loss_layer("cross_entropy"), ValueError,
     "unknown loss 'cross_entropy'"),
    ("unknown initializer", lambda: build_mlp((3, 4, 2), init="glorot"), ValueError,
     "unknown initializer 'glorot'; use one of .*'he'.*'xavier'"),
    ("unknown optimizer", lambda: make_optimizer("adamw", lr=0.1), ValueError,
     "unknown optimizer 'adamw'; choose one of"),
    # --- model structure --------------------------------------------------------------------
    ("build_mlp with one size", lambda: build_mlp((3,)), ValueError,
     E("sizes needs an input and an output width, got [3]")),
    ("build_mlp with size 0", lambda: build_mlp((3, 0, 2)), ValueError,
     "layer size must be >= 1, got 0"),
    ("empty Sequential", lambda: Sequential([]), ValueError, "Sequential needs at least one layer"),
    ("empty Residual", lambda: Residual(), ValueError, "Residual needs at least one layer"),
    ("bad seed", lambda: as_rng("seed"), TypeError,
     "seed must be an int, None or a numpy Generator, got 'seed'"),
    ("numerical_gradient on ints",
     lambda: numerical_gradient(lambda v: 0.0, np.arange(3)), TypeError,
     "x must be a float numpy array"),
    # --- training options -------------------------------------------------------------------
    ("patience without validation data", lambda: fit(patience=3), ValueError,
     E("early stopping (patience) needs validation_data or validation_fraction")),
    ("validation_data and validation_fraction",
     lambda: fit(validation_data=(X4, Y4), validation_fraction=0.25), ValueError,
     "give validation_data or validation_fraction, not both"),
    ("predict_proba on a regression model", lambda: reg().predict_proba(X4), TypeError,
     E("predict_proba needs a classification loss (softmax or sigmoid)")),
    ("load_state_dict with a missing key", load_missing, ValueError,
     E("state is missing parameters ['0.W']")),
    ("load_state_dict with a wrong shape", load_wrong_shape, ValueError,
     E("2.W: state has shape (3, 5), network (2, 5)")),
]


@pytest.mark.parametrize("what,call,exc,match", CASES, ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(what, call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_there_are_at_least_20_cases():
    assert len(CASES) >= 20


def test_errors_come_before_any_side_effect():
    """A rejected call to train() leaves the model untouched."""
    model = clf()
    before = model.state_dict()
    with pytest.raises(ValueError):
        fit(model, y=np.array([0, 1, 7, 0]))  # label 7 out of range for 2 classes
    for name, p in model.params().items():
        np.testing.assert_array_equal(p, before[name])


def test_valid_inputs_do_not_raise():
    """The same calls with good input pass, so the cases above fail for the stated reason."""
    Linear(3, 4).forward(np.ones((5, 3)))
    clf().loss(X4, Y4)
    clf().loss(X4.astype(np.float32), Y4.astype(np.float64))  # integral floats are labels
    F.mse_loss(np.ones(3), np.ones(3))
    F.binary_cross_entropy(np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    F.softmax_cross_entropy(np.zeros((3, 2)), np.eye(2)[[0, 1, 0]])
    Residual(Linear(3, 3)).forward(np.ones((2, 3)))
    BatchNorm(3).forward(np.ones((1, 3)), train=False)
    Dropout(0.0)
    build_mlp((3, 4, 2), dropout=0.0)
    fit(patience=1, validation_fraction=0.25)
    fit(validation_data=(X4, Y4))
    fit(reg(), y=np.ones(4))
    model = clf()
    model.load_state_dict(clf().state_dict())


def test_shared_integer_and_choice_checks():
    from dlcore.checks import check_choice, check_int_in_range

    assert check_int_in_range(3, "neurons", 1, 32) == 3
    with pytest.raises(ValueError, match="neurons must be between 1 and 32, got 33"):
        check_int_in_range(33, "neurons", 1, 32)
    with pytest.raises(TypeError, match="neurons must be an integer"):
        check_int_in_range(True, "neurons", 1, 32)
    assert check_choice(" ReLU ", "activation", ("relu", "tanh")) == "relu"
    with pytest.raises(ValueError, match="unknown activation 'step'; choose one of relu, tanh"):
        check_choice("step", "activation", ("relu", "tanh"))
    with pytest.raises(TypeError, match="activation must be a string"):
        check_choice(1, "activation", ("relu", "tanh"))


@pytest.mark.parametrize("make", [lambda: Linear(3, 2, seed=0), lambda: activation_layer("relu"),
                                  lambda: activation_layer("sigmoid"), lambda: BatchNorm(3)])
def test_backward_before_forward_and_a_list_as_input_are_named(make):
    layer = make()
    with pytest.raises(RuntimeError, match=r"\.backward was called before forward"):
        layer.backward(np.ones((2, 3)))
    with pytest.raises(TypeError, match=r"\.forward expects a NumPy array, got list"):
        layer.forward([[1.0, 2.0, 3.0]])


def test_loss_layers_refuse_backward_before_forward():
    for name in ("softmax_cross_entropy", "sigmoid_cross_entropy", "mse", "l1"):
        loss = loss_layer(name)
        with pytest.raises(RuntimeError, match="backward was called before forward"):
            loss.backward()


def test_switches_sizes_and_steps_are_checked():
    from dlcore.datasets import make_moons

    with pytest.raises(TypeError, match="batchnorm must be True or False, got 'no'"):
        build_mlp((2, 3, 2), batchnorm="no")
    with pytest.raises(ValueError, match=r"Linear\(2 -> 1000000000\) would have 2,000,000,000"):
        Linear(2, 10**9)
    with pytest.raises(ValueError, match="n must be at most 1,000,000"):
        make_moons(n=10**9)
    with pytest.raises(ValueError, match="step h must be positive, got 0"):
        numerical_gradient(lambda x: float(x.sum()), np.ones(3), h=0)


def test_identity_and_evaluation_dropout_return_new_arrays():
    x = np.ones((2, 3))
    for out in (activation_layer("identity").forward(x), Dropout(0.5, seed=0).forward(x, train=False)):
        out[0, 0] = 5.0
    assert x[0, 0] == 1.0
