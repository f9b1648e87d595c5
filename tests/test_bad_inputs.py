"""dlcore's bad-input table: what a student may feed the public API, and what it must answer.

Every case calls one public function with one kind of bad input (NaN/inf, empty, wrong
dimensions, a list of strings, None, a string, a bool, complex or object data, labels out of
range, zero/negative/huge/non-integer sizes, bad probabilities, unknown options, backward
before forward) and is classified:

clear, obscure, silent or slow (tests/bad_input_table.py). The test prints the counts and
fails unless at least 95 % are clear and none is silent or slow. Element-wise functions
(sigmoid, relu, ...) follow NumPy's NaN semantics by design and are therefore not in the
table. Widget compute functions have their own table in
tests/test_bad_inputs_widgets.py.
"""


import numpy as np
import pytest
from bad_input_table import assert_clear, assert_table

from dlcore import SGD, Adam, build_mlp, train
from dlcore import functions as F
from dlcore.attention import causal_mask, positional_encoding, scaled_dot_product_attention
from dlcore.augment import add_noise, augment_dataset, rotate, shift
from dlcore.conv import Conv2D, MaxPool2D, conv_output_size, im2col
from dlcore.datasets import (
    cubic_with_noise,
    load_digits_split,
    logic_gate,
    make_2d_dataset,
    make_circles,
    make_gaussians,
    make_moons,
    make_spirals,
    make_xor_points,
)
from dlcore.gradcheck import numerical_gradient, relative_error
from dlcore.initializers import get_initializer, normal
from dlcore.layers import BatchNorm, Dropout, LeakyReLU, Linear, activation_layer, loss_layer
from dlcore.network import Sequential
from dlcore.optimizers import AdaGrad, Momentum, RMSProp, make_optimizer
from dlcore.perceptron import perceptron_output, train_perceptron
from dlcore.rnn import RNN

# Bad values by kind, for an array argument, a size, a rate and an option.
BAD_ARRAYS = {
    "NaN": np.array([[np.nan, 1.0], [0.0, 1.0]]),
    "inf": np.array([[np.inf, 1.0], [0.0, 1.0]]),
    "empty": np.zeros((0, 2)),
    "None": None,
    "string": "abc",
    "strings": [["a", "b"], ["c", "d"]],
    "complex": np.array([[1 + 2j, 1.0], [0.0, 1.0]]),
    "object": np.array([[object(), 1.0], [0.0, 1.0]], dtype=object),
}
BAD_SIZES = {"zero": 0, "negative": -3, "float": 2.5, "string": "10", "None": None,
             "bool": True, "huge": 10**12}
BAD_RATES = {"zero": 0.0, "negative": -0.1, "NaN": float("nan"), "inf": float("inf"),
             "string": "0.1", "None": None, "bool": True}
BAD_FRACTIONS = {"negative": -0.1, "one": 1.0, "above one": 1.5, "NaN": float("nan"),
                 "string": "0.5", "None": None}


def X2():
    return np.random.default_rng(0).normal(size=(6, 2))


def y2():
    return np.array([0, 1, 0, 1, 1, 0])


def cases():
    """(case id, function of no arguments, word the error message must contain)."""
    out = []

    def add(name, call, word):
        out.append((name, call, word))

    # --- losses (functions) -----------------------------------------------------------------
    good = np.array([0.2, 0.7])
    for kind, bad in BAD_ARRAYS.items():
        for fname in ("l1_loss", "mse_loss"):
            fn = getattr(F, fname)
            add(f"{fname}(pred={kind})", lambda fn=fn, bad=bad: fn(bad, good), "")
        add(f"binary_cross_entropy(p={kind})",
            lambda bad=bad: F.binary_cross_entropy(bad, good), "p")
        add(f"binary_cross_entropy_with_logits(u={kind})",
            lambda bad=bad: F.binary_cross_entropy_with_logits(bad, good), "u")
        add(f"softmax_cross_entropy(y={kind})",
            lambda bad=bad: F.softmax_cross_entropy(np.zeros((2, 2)), bad), "y")
    add("l1_loss(shapes differ)", lambda: F.l1_loss(np.zeros(3), np.zeros(2)), "shape")
    add("mse_loss(shapes differ)", lambda: F.mse_loss(np.zeros((2, 1)), np.zeros(2)), "shape")
    add("binary_cross_entropy(p=1.5)", lambda: F.binary_cross_entropy(np.array([1.5]),
                                                                      np.array([1.0])), "p")
    add("binary_cross_entropy_with_logits(y=5)",
        lambda: F.binary_cross_entropy_with_logits(np.array([1.0]), np.array([5.0])), "y")
    add("binary_cross_entropy_with_logits(y=-1)",
        lambda: F.binary_cross_entropy_with_logits(np.array([1.0]), np.array([-1.0])), "y")
    add("softmax_cross_entropy(label 3 of 2)",
        lambda: F.softmax_cross_entropy(np.zeros((2, 2)), np.array([0, 3])), "label")
    add("softmax_cross_entropy(label -1)",
        lambda: F.softmax_cross_entropy(np.zeros((2, 2)), np.array([0, -1])), "label")
    add("softmax_cross_entropy(label 0.5)",
        lambda: F.softmax_cross_entropy(np.zeros((2, 2)), np.array([0, 0.5])), "integer")
    add("softmax_cross_entropy(multi-hot)",
        lambda: F.softmax_cross_entropy(np.zeros((2, 2)), np.ones((2, 2))), "sum to 1")
    add("softmax_cross_entropy(negative target)",
        lambda: F.softmax_cross_entropy(np.zeros((2, 2)), np.array([[-1.0, 2.0]] * 2)),
        "probabilities")
    add("softmax_cross_entropy(logits 1-D)",
        lambda: F.softmax_cross_entropy(np.zeros(2), np.array([0, 1])), "logits")
    add("one_hot(label 5 of 3)", lambda: F.one_hot(np.array([5]), 3), "label")

    # --- layers --------------------------------------------------------------------------------
    layer_makers = {
        "Linear": lambda: Linear(2, 3, seed=0), "BatchNorm": lambda: BatchNorm(2),
        "ReLU": lambda: activation_layer("relu"), "Sigmoid": lambda: activation_layer("sigmoid"),
        "Tanh": lambda: activation_layer("tanh"), "LeakyReLU": lambda: LeakyReLU(),
        "Dropout": lambda: Dropout(0.5, seed=0), "Identity": lambda: activation_layer("identity"),
    }
    for lname, make in layer_makers.items():
        if lname != "Identity":  # dL/du = dL/do needs nothing from forward
            add(f"{lname}.backward before forward",
                lambda make=make: make().backward(np.ones((2, 3))), "before forward")
        add(f"{lname}.forward(list)", lambda make=make: make().forward([[1.0, 2.0]]),
            "NumPy array")
    for kind, bad in BAD_SIZES.items():
        add(f"Linear(in={kind})", lambda bad=bad: Linear(bad, 3), "in_features")
        add(f"Linear(out={kind})", lambda bad=bad: Linear(2, bad), "out_features")
        add(f"BatchNorm(num_features={kind})", lambda bad=bad: BatchNorm(bad), "num_features")
    add("Linear(2, 10**9)", lambda: Linear(2, 10**9), "weights")
    add("Linear.forward(wrong width)", lambda: Linear(3, 2, seed=0).forward(np.ones((4, 2))),
        "shape")
    add("Linear.forward(1-D)", lambda: Linear(2, 2, seed=0).forward(np.ones(2)), "shape")
    add("BatchNorm.forward(one sample)", lambda: BatchNorm(2).forward(np.ones((1, 2))),
        "2 samples")
    add("BatchNorm.forward(wrong width)", lambda: BatchNorm(2).forward(np.ones((4, 3))), "shape")
    for kind, bad in BAD_FRACTIONS.items():
        add(f"Dropout(rate={kind})", lambda bad=bad: Dropout(bad), "rate")
        add(f"LeakyReLU(slope={kind})", lambda bad=bad: LeakyReLU(bad), "slope")
    add("activation_layer('relu6')", lambda: activation_layer("relu6"), "relu6")
    add("loss_layer('hinge')", lambda: loss_layer("hinge"), "hinge")
    for lname in ("softmax_cross_entropy", "sigmoid_cross_entropy", "mse", "l1"):
        add(f"{lname}.backward before forward", lambda n=lname: loss_layer(n).backward(),
            "before forward")
    add("SigmoidCrossEntropy(y=NaN)", lambda: loss_layer("sigmoid_cross_entropy").forward(
        np.zeros((2, 1)), np.array([np.nan, 1.0])), "y")
    add("SoftmaxCrossEntropy(scores 1-D)",
        lambda: loss_layer("softmax_cross_entropy").forward(np.zeros(3), np.array([0])), "shape")
    add("MSELoss(y shape)", lambda: loss_layer("mse").forward(np.zeros((3, 1)), np.zeros(4)),
        "shape")
    add("MSELoss(y NaN)", lambda: loss_layer("mse").forward(np.zeros((2, 1)),
                                                          np.array([np.nan, 1.0])), "y")

    # --- network --------------------------------------------------------------------------------
    for kind, bad in BAD_SIZES.items():
        add(f"build_mlp(size={kind})", lambda bad=bad: build_mlp((2, bad, 2)), "size")
    add("build_mlp(one size)", lambda: build_mlp((2,)), "sizes")
    add("build_mlp(activation='relu6')", lambda: build_mlp((2, 3, 2), activation="relu6"),
        "relu6")
    add("build_mlp(loss='hinge')", lambda: build_mlp((2, 3, 2), loss="hinge"), "hinge")
    add("build_mlp(init='zeros')", lambda: build_mlp((2, 3, 2), init="zeros"), "initializer")
    add("build_mlp(batchnorm='no')", lambda: build_mlp((2, 3, 2), batchnorm="no"), "batchnorm")
    add("build_mlp(batchnorm=1)", lambda: build_mlp((2, 3, 2), batchnorm=1), "batchnorm")
    add("build_mlp(seed=-1)", lambda: build_mlp((2, 3, 2), seed=-1), "seed")
    add("build_mlp(seed='a')", lambda: build_mlp((2, 3, 2), seed="a"), "seed")
    for kind, bad in BAD_FRACTIONS.items():
        add(f"build_mlp(dropout={kind})", lambda bad=bad: build_mlp((2, 3, 2), dropout=bad),
            "dropout")
    add("Sequential([])", lambda: Sequential([]), "layer")
    for kind, bad in BAD_ARRAYS.items():
        add(f"model.forward(X={kind})", lambda bad=bad: build_mlp((2, 3, 2)).forward(bad), "X")
        add(f"model.predict(X={kind})", lambda bad=bad: build_mlp((2, 3, 2)).predict(bad), "X")
    add("model.forward(X 1-D)", lambda: build_mlp((2, 3, 2)).forward(np.ones(2)), "2-D")
    add("model.forward(3 features)", lambda: build_mlp((2, 3, 2)).forward(np.ones((4, 3))),
        "shape")
    add("model.accuracy(y length)", lambda: build_mlp((2, 3, 2)).accuracy(X2(), y2()[:3]),
        "labels")
    add("model.predict_proba(regression)",
        lambda: build_mlp((2, 3, 1), loss="mse").predict_proba(X2()), "classification")
    add("load_state_dict(missing)", lambda: build_mlp((2, 3, 2)).load_state_dict({}), "missing")

    # --- optimizers -----------------------------------------------------------------------------
    for cls in (SGD, Momentum, AdaGrad, RMSProp, Adam):
        for kind, bad in BAD_RATES.items():
            add(f"{cls.__name__}(lr={kind})", lambda cls=cls, bad=bad: cls(lr=bad), "lr")
        add(f"{cls.__name__}(weight_decay=-1)", lambda cls=cls: cls(lr=0.1, weight_decay=-1.0),
            "weight_decay")
    for kind, bad in BAD_FRACTIONS.items():
        add(f"Momentum(beta={kind})", lambda bad=bad: Momentum(lr=0.1, beta=bad), "beta")
        add(f"Adam(beta1={kind})", lambda bad=bad: Adam(lr=0.1, beta1=bad), "beta1")
        add(f"RMSProp(rho={kind})", lambda bad=bad: RMSProp(lr=0.1, rho=bad), "rho")
    add("make_optimizer('adamw')", lambda: make_optimizer("adamw", lr=0.1), "adamw")

    # --- training -------------------------------------------------------------------------------
    def fit(**kw):
        args = dict(model=build_mlp((2, 3, 2)), optimizer=SGD(lr=0.1), X=X2(), y=y2(), epochs=1)
        args.update(kw)
        return train(args.pop("model"), args.pop("optimizer"), args.pop("X"), args.pop("y"),
                     **args)

    for kind, bad in BAD_SIZES.items():
        add(f"train(epochs={kind})", lambda bad=bad: fit(epochs=bad), "epochs")
        if kind not in ("huge", "None"):  # a batch larger than the data, or no early stopping,
            add(f"train(batch_size={kind})", lambda bad=bad: fit(batch_size=bad), "batch_size")
            add(f"train(patience={kind})", lambda bad=bad: fit(patience=bad,  # are fine
                                                                 validation_fraction=0.3),
                "patience")
    for kind, bad in BAD_ARRAYS.items():
        add(f"train(X={kind})", lambda bad=bad: fit(X=bad), "X")
        add(f"train(y={kind})", lambda bad=bad: fit(y=bad), "y")
    for kind, bad in BAD_FRACTIONS.items():
        if kind == "None":  # None means: no validation split
            continue
        add(f"train(validation_fraction={kind})",
            lambda bad=bad: fit(validation_fraction=bad), "validation_fraction")
    add("train(label 7 of 2)", lambda: fit(y=np.array([0, 1, 7, 1, 1, 0])), "label")
    add("train(y length)", lambda: fit(y=y2()[:4]), "y")
    add("train(X 1-D)", lambda: fit(X=np.ones(6)), "X")
    add("train(optimizer='sgd')", lambda: fit(optimizer="sgd"), "optimizer")
    add("train(train_metrics='fast')", lambda: fit(train_metrics="fast"), "train_metrics")
    add("train(patience without validation)", lambda: fit(patience=2), "patience")
    add("train(both validations)", lambda: fit(validation_data=(X2(), y2()),
                                               validation_fraction=0.2), "validation")
    add("train(validation_data X wrong width)",
        lambda: fit(validation_data=(np.ones((3, 5)), y2()[:3])), "shape")
    add("train(lr=1e6, regression)", lambda: fit(model=build_mlp((2, 8, 1), loss="mse"),
                                                 optimizer=SGD(lr=1e6), y=X2()[:, 0] * 1e3,
                                                 epochs=20), "diverged")

    # --- gradient check, initializers ---------------------------------------------------------
    add("numerical_gradient(h=0)", lambda: numerical_gradient(lambda x: 0.0, np.ones(2), h=0),
        "h")
    add("numerical_gradient(h=-1)", lambda: numerical_gradient(lambda x: 0.0, np.ones(2), h=-1),
        "h")
    add("numerical_gradient(int array)",
        lambda: numerical_gradient(lambda x: 0.0, np.ones(2, dtype=int)), "float")
    add("numerical_gradient(list)", lambda: numerical_gradient(lambda x: 0.0, [1.0, 2.0]),
        "float")
    add("relative_error(shapes)", lambda: relative_error(np.ones(2), np.ones(3)), "shape")
    add("get_initializer('zeros')", lambda: get_initializer("zeros"), "initializer")
    for kind, bad in BAD_RATES.items():
        add(f"normal(std={kind})", lambda bad=bad: normal(bad), "std")

    # --- data sets ----------------------------------------------------------------------------
    for gen in (make_moons, make_circles, make_spirals, make_xor_points, make_gaussians,
                cubic_with_noise):
        for kind, bad in BAD_SIZES.items():
            add(f"{gen.__name__}(n={kind})", lambda gen=gen, bad=bad: gen(n=bad), "n")
        for kind, bad in {"negative": -0.1, "NaN": float("nan"), "string": "0.1"}.items():
            add(f"{gen.__name__}(noise={kind})", lambda gen=gen, bad=bad: gen(noise=bad),
                "noise")
        add(f"{gen.__name__}(seed=-1)", lambda gen=gen: gen(seed=-1), "seed")
    add("make_spirals(n_classes=1)", lambda: make_spirals(n_classes=1), "n_classes")
    add("make_2d_dataset('swirl')", lambda: make_2d_dataset("swirl"), "swirl")
    add("logic_gate('nor')", lambda: logic_gate("nor"), "nor")
    add("cubic_with_noise(x_range reversed)", lambda: cubic_with_noise(x_range=(1, -1)),
        "x_range")
    for kind, bad in BAD_FRACTIONS.items():
        add(f"load_digits_split(test_size={kind})",
            lambda bad=bad: load_digits_split(test_size=bad), "test_size")
    add("load_digits_split(sizes sum to 1)",
        lambda: load_digits_split(test_size=0.5, val_size=0.5), "size")

    # --- perceptron ------------------------------------------------------------------------------
    X_gate, y_gate = logic_gate("and")
    add("perceptron_output(w length)", lambda: perceptron_output(X_gate, [1.0], 0.0), "w")
    add("perceptron_output(X strings)", lambda: perceptron_output([["a", "b"]], [1.0, 1.0], 0.0),
        "X")
    for kind, bad in BAD_RATES.items():
        add(f"train_perceptron(lr={kind})", lambda bad=bad: train_perceptron(X_gate, y_gate,
                                                                              lr=bad), "lr")
    for kind, bad in BAD_SIZES.items():
        add(f"train_perceptron(epochs={kind})",
            lambda bad=bad: train_perceptron(X_gate, y_gate, epochs=bad), "epochs")
    add("train_perceptron(label 2)", lambda: train_perceptron(X_gate, [0, 1, 2, 1]), "y")
    add("train_perceptron(y length)", lambda: train_perceptron(X_gate, [0, 1]), "y")

    # --- augmentation, convolution, RNN, attention -----------------------------------------------
    images = np.zeros((2, 8, 8))
    add("shift(images 1-D)", lambda: shift(np.zeros(5), 1), "images")
    add("shift(dx=0.5)", lambda: shift(images, 0.5), "dx")
    add("rotate(angle=NaN)", lambda: rotate(images, float("nan")), "angle")
    add("add_noise(std=-1)", lambda: add_noise(images, -1.0), "std")
    add("augment_dataset(copies=-1)", lambda: augment_dataset(images, np.array([0, 1]), -1),
        "copies")
    add("augment_dataset(y length)", lambda: augment_dataset(images, np.array([0]), 1), "y")
    add("conv_output_size(kernel too big)", lambda: conv_output_size(3, 5), "kernel")
    add("conv_output_size(stride=0)", lambda: conv_output_size(8, 3, stride=0), "stride")
    add("im2col(x 3-D)", lambda: im2col(np.zeros((2, 8, 8)), 3, 3), "shape")
    add("Conv2D(out_channels=0)", lambda: Conv2D(1, 0, 3), "out_channels")
    add("Conv2D.forward(channels)", lambda: Conv2D(1, 2, 3, seed=0).forward(np.zeros((2, 3, 8, 8))),
        "channel")
    add("Conv2D.backward before forward",
        lambda: Conv2D(1, 2, 3, seed=0).backward(np.zeros((2, 2, 6, 6))), "before forward")
    add("MaxPool2D(size=0)", lambda: MaxPool2D(0), "size")
    add("MaxPool2D.backward before forward", lambda: MaxPool2D(2).backward(np.zeros((1, 1, 2, 2))),
        "before forward")
    add("RNN(hidden_size=0)", lambda: RNN(2, 0), "hidden_size")
    add("RNN.forward(2-D)", lambda: RNN(2, 3, seed=0).forward(np.zeros((4, 2))), "shape")
    add("RNN.backward before forward", lambda: RNN(2, 3, seed=0).backward(np.zeros((1, 2, 3))),
        "before forward")
    add("attention(d mismatch)", lambda: scaled_dot_product_attention(
        np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 4))), "shape")
    add("attention(NaN)", lambda: scaled_dot_product_attention(
        np.full((2, 3), np.nan), np.zeros((2, 3)), np.zeros((2, 3))), "NaN")
    add("attention(mask shape)", lambda: scaled_dot_product_attention(
        np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3)), mask=np.ones((3, 3), bool)),
        "mask")
    add("causal_mask(T=0)", lambda: causal_mask(0), "T")
    add("positional_encoding(d=0)", lambda: positional_encoding(4, 0), "d")
    add("positional_encoding(T='4')", lambda: positional_encoding("4", 8), "T")
    return out


CASES = cases()


def test_the_table_is_large_and_its_errors_clear():
    assert_table(CASES, 300, "bad-input table")


@pytest.mark.parametrize("name, call, word", CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_is_refused(name, call, word):
    assert_clear(name, call, word)
