"""The widgets' bad-input table: what a student may feed the widget compute functions (and
the draw helpers that take numbers), and what they must answer.

The method of tests/test_bad_inputs.py: every case calls one function with one kind of bad
input (NaN/inf, None, a string, a bool, complex, a list where an array or a number is
expected, zero/negative/huge/non-integer sizes, out-of-range rates and probabilities, unknown
option names, huge epochs / steps / neuron counts / degrees) and is classified clear,
obscure, silent or slow (tests/bad_input_table.py).

The test prints the counts and fails unless at least 95 % are clear and none is silent or
slow. A second test writes into every array of every compute function's result and checks
that the next call still returns what a fresh computation returns (no aliasing of
module-level or cached arrays), and that the modules' constant arrays are read-only.
"""

import copy

import numpy as np
import pytest
from bad_input_table import assert_clear, assert_table
from matplotlib.figure import Figure

from dlcore import datasets
from dlcore.optimizers import SGD
from dlcore.widgets import (
    activations,
    descent,
    gradients,
    intro,
    losses,
    mlp,
    optimizers,
    overfitting,
    perceptron,
    playground,
    techniques,
)

# Bad values by kind: for a real number, a count, a positive rate, a probability and a seed.
BAD_NUMBERS = {"NaN": float("nan"), "inf": float("inf"), "None": None, "string": "1",
               "bool": True, "complex": 1 + 2j, "list": [1.0, 2.0]}
BAD_COUNTS = {"zero": 0, "negative": -3, "float": 2.5, "string": "10", "None": None,
              "bool": True, "huge": 10**12}
BAD_RATES = {"zero": 0.0, "negative": -0.1, "NaN": float("nan"), "inf": float("inf"),
             "string": "0.1", "None": None, "bool": True}
BAD_SEEDS = {"negative": -1, "float": 1.5, "string": "0", "huge": 2**80}


def ax():
    return Figure().subplots()


def two_axes():
    return Figure().subplots(1, 2)


def cases():
    """(case id, function of no arguments, word the error message must contain)."""
    out = []

    def add(name, call, word):
        out.append((name, call, word))

    def each(label, kinds, call, word):
        """One case per bad value: ``call(bad)`` must refuse it naming ``word``."""
        for kind, bad in kinds.items():
            add(f"{label}={kind}", lambda bad=bad: call(bad), word)

    # --- 00 intro ---------------------------------------------------------------------------
    each("compute_line_fit(slope", BAD_NUMBERS, lambda v: intro.compute_line_fit(v, 0.0),
         "slope")
    each("compute_line_fit(intercept", BAD_NUMBERS,
         lambda v: intro.compute_line_fit(0.5, v), "intercept")
    add("draw_line_fit(slope=NaN)", lambda: intro.draw_line_fit(ax(), np.nan, 0.0), "slope")
    add("draw_line_fit(intercept='0')", lambda: intro.draw_line_fit(ax(), 0.5, "0"),
        "intercept")

    # --- 01 perceptron ----------------------------------------------------------------------
    for p in ("w1", "w2", "c"):
        each(f"compute_separating_line({p}", BAD_NUMBERS,
             lambda v, p=p: perceptron.compute_separating_line(**{"w1": 1.0, "w2": 1.0,
                                                                  "c": -1.5, p: v}), p)
    each("compute_separating_line(gate", {"unknown": "NOR", "None": None, "list": ["AND"]},
         lambda v: perceptron.compute_separating_line(1.0, 1.0, -1.5, gate=v), "gate")
    each("compute_separating_line(points", {"unknown": "grid", "None": None},
         lambda v: perceptron.compute_separating_line(1.0, 1.0, -1.5, points=v), "points")
    add("draw_separating_line(w1=inf)",
        lambda: perceptron.draw_separating_line(ax(), np.inf, 1.0, -1.5), "w1")
    add("draw_separating_line(gate='XNOR')",
        lambda: perceptron.draw_separating_line(ax(), 1.0, 1.0, -1.5, gate="XNOR"), "gate")

    # --- 02 mlp -----------------------------------------------------------------------------
    each("compute_step_regions(n_hidden", BAD_COUNTS | {"above max": mlp.MAX_HIDDEN + 1},
         lambda v: mlp.compute_step_regions(v), "n_hidden")
    each("compute_step_regions(seed", BAD_SEEDS, lambda v: mlp.compute_step_regions(4, v),
         "seed")
    each("compute_step_regions(dataset", {"unknown": "swiss roll", "None": None, "int": 3},
         lambda v: mlp.compute_step_regions(4, 0, v), "dataset")
    each("compute_bump_approximation(n_bumps", BAD_COUNTS,
         lambda v: mlp.compute_bump_approximation(v), "n_bumps")
    each("compute_bump_approximation(steepness", BAD_RATES | {"huge": 1e300},
         lambda v: mlp.compute_bump_approximation(5, v), "steepness")
    each("compute_bump_approximation(heights",
         {"wrong length": [0.5] * 4, "NaN": [np.nan] * 5, "strings": ["a"] * 5,
          "2-D": np.full((5, 1), 0.5), "number": 0.5},
         lambda v: mlp.compute_bump_approximation(5, 100.0, v), "heights")
    each("compute_bump_challenge(heights",
         {"None": None, "4 numbers": [0.5] * 4, "NaN": [0.5] * 4 + [np.nan],
          "string": "0.5", "complex": [0.5j] * 5, "inf": [np.inf] * 5},
         mlp.compute_bump_challenge, "heights")
    add("draw_step_regions(n_hidden=0)", lambda: mlp.draw_step_regions(ax(), 0), "n_hidden")
    add("draw_bump_approximation(n_bumps=2.5)",
        lambda: mlp.draw_bump_approximation(ax(), 2.5), "n_bumps")
    add("draw_bump_approximation(steepness=NaN)",
        lambda: mlp.draw_bump_approximation(ax(), 5, np.nan), "steepness")
    add("draw_bump_challenge(h0=NaN)", lambda: mlp.draw_bump_challenge(ax(), h0=np.nan),
        "heights")
    add("draw_bump_challenge(h3='0.5')", lambda: mlp.draw_bump_challenge(ax(), h3="0.5"),
        "heights")
    xor_w = (np.ones((2, 2)), np.zeros(2), np.ones((1, 2)), np.zeros(1))
    add("step_network(X 1-D)", lambda: mlp.step_network(np.ones(2), *xor_w), "X")
    add("step_network(W0 wrong width)",
        lambda: mlp.step_network(np.ones((4, 3)), *xor_w), "W0")
    add("draw_step_network(xlim NaN)",
        lambda: mlp.draw_step_network(ax(), *xor_w, xlim=(np.nan, 1.0)), "xlim")
    add("bump_edges(0)", lambda: mlp.bump_edges(0), "n_bumps")
    add("build_bump_network(steepness=0)", lambda: mlp.build_bump_network([0.5], 0),
        "steepness")

    # --- 03 losses --------------------------------------------------------------------------
    each("compute_loss_values(y", {"negative": -0.5, "above one": 1.5, "NaN": np.nan,
                                   "None": None, "string": "1", "complex": 1j,
                                   "list": [0, 1]},
         lambda v: losses.compute_loss_values(v, 0.7), "y")
    each("compute_loss_values(p", {"negative": -0.1, "above one": 1.1, "NaN": np.nan,
                                   "inf": np.inf, "None": None, "string": "0.5",
                                   "list": [0.5]},
         lambda v: losses.compute_loss_values(1, v), "p")
    each("compute_outlier_fit(n_outliers", {"negative": -1, "float": 2.5, "string": "3",
                                            "None": None, "bool": True, "above n/2": 13,
                                            "huge": 10**12},
         lambda v: losses.compute_outlier_fit(v), "n_outliers")
    each("compute_outlier_fit(shift", {"NaN": np.nan, "inf": np.inf, "None": None,
                                       "string": "4", "complex": 4j, "huge": 1e300},
         lambda v: losses.compute_outlier_fit(3, v), "shift")
    each("compute_outlier_fit(seed", BAD_SEEDS, lambda v: losses.compute_outlier_fit(3, 4.0, v),
         "seed")
    add("draw_loss_values(p=1.5)", lambda: losses.draw_loss_values(ax(), 1, 1.5), "p")
    add("draw_outlier_fit(n_outliers=-2)", lambda: losses.draw_outlier_fit(ax(), -2),
        "n_outliers")
    add("draw_outlier_fit(shift=NaN)", lambda: losses.draw_outlier_fit(ax(), 3, np.nan),
        "shift")
    x_line = np.linspace(0.0, 1.0, 5)
    add("fit_line(loss='l3')", lambda: losses.fit_line(x_line, x_line, "l3"), "loss")
    add("fit_line(n_iter=0)", lambda: losses.fit_line(x_line, x_line, "l1", n_iter=0),
        "n_iter")
    add("fit_line(n_iter=huge)", lambda: losses.fit_line(x_line, x_line, "l1", n_iter=10**12),
        "n_iter")
    add("fit_line(eps=0)", lambda: losses.fit_line(x_line, x_line, "l1", eps=0.0), "eps")
    add("fit_line(x NaN)", lambda: losses.fit_line([np.nan] * 5, x_line), "x")
    add("fit_line(lengths differ)", lambda: losses.fit_line(x_line, x_line[:3]), "points")
    add("loss_curve(loss='L3')", lambda: losses.loss_curve("L3", [0.5], 1.0), "loss")
    add("loss_curve(preds None)", lambda: losses.loss_curve("L2", None, 1.0), "preds")
    add("loss_curve(y NaN)", lambda: losses.loss_curve("L2", [0.5], np.nan), "y")
    add("loss_curve(preds huge)",
        lambda: losses.loss_curve("L2", np.zeros(10**7), 1.0), "preds")
    add("loss_derivative(h=0)", lambda: losses.loss_derivative("L2", [0.5], 1.0, h=0), "h")
    add("make_outlier_data(n=0)", lambda: losses.make_outlier_data(0, n=0), "n")
    add("make_outlier_data(n=huge)", lambda: losses.make_outlier_data(0, n=10**12), "n")
    add("make_outlier_data(noise=-1)", lambda: losses.make_outlier_data(0, noise=-1.0),
        "noise")

    # --- 04 descent -------------------------------------------------------------------------
    each("compute_descent_1d(lr", BAD_RATES, lambda v: descent.compute_descent_1d(v), "lr")
    each("compute_descent_1d(x0", BAD_NUMBERS | {"huge": 1e300},
         lambda v: descent.compute_descent_1d(0.3, v), "x0")
    each("compute_descent_1d(curvature", BAD_RATES | {"huge": 1e300},
         lambda v: descent.compute_descent_1d(0.3, 2.5, v), "curvature")
    each("compute_descent_1d(steps", {k: v for k, v in BAD_COUNTS.items() if k != "zero"},
         lambda v: descent.compute_descent_1d(0.3, 2.5, 1.0, v), "steps")
    add("draw_descent_1d(lr=NaN)", lambda: descent.draw_descent_1d(ax(), np.nan), "lr")
    add("draw_descent_1d(steps=-1)", lambda: descent.draw_descent_1d(ax(), 0.3, steps=-1),
        "steps")
    add("gradient_descent(steps=huge)",
        lambda: descent.gradient_descent(lambda x: x, 1.0, 0.1, 10**12), "steps")
    add("gradient_descent(grad not callable)",
        lambda: descent.gradient_descent(2.0, 1.0, 0.1, 10), "grad")
    add("gradient_descent(x0 2-D)",
        lambda: descent.gradient_descent(lambda x: x, np.ones((2, 2)), 0.1, 10), "x0")
    add("gradient_descent(x0 string)",
        lambda: descent.gradient_descent(lambda x: x, "1", 0.1, 10), "x0")
    add("gradient_descent(max_abs=0)",
        lambda: descent.gradient_descent(lambda x: x, 1.0, 0.1, 10, max_abs=0), "max_abs")
    add("quadratic_status(curvature=0)", lambda: descent.quadratic_status(0.1, 0.0),
        "curvature")

    # --- 06 activations ---------------------------------------------------------------------
    act_fit = activations.compute_activation_fit
    each("compute_activation_fit(activation",
         {"unknown": "swish", "None": None, "int": 3, "list": ["tanh"]},
         lambda v: act_fit(v), "activation")
    each("compute_activation_fit(hidden", BAD_COUNTS, lambda v: act_fit("tanh", v), "hidden")
    each("compute_activation_fit(steps", BAD_COUNTS, lambda v: act_fit("tanh", 16, v), "steps")
    each("compute_activation_fit(lr", BAD_RATES, lambda v: act_fit("tanh", 16, 800, v), "lr")
    each("compute_activation_fit(seed", BAD_SEEDS, lambda v: act_fit("tanh", 16, 800, 0.01, v),
         "seed")
    add("draw_activation_fit(hidden=0)", lambda: activations.draw_activation_fit(ax(), "tanh", 0),
        "hidden")
    add("draw_activation_fit(lr=inf)",
        lambda: activations.draw_activation_fit(ax(), "tanh", lr=np.inf), "lr")
    add("activation_curves(activation='gelu')", lambda: activations.activation_curves("gelu"),
        "activation")
    add("activation_curves(u NaN)", lambda: activations.activation_curves("tanh", [np.nan]),
        "u")
    add("activation_curves(u strings)", lambda: activations.activation_curves("tanh", ["a"]),
        "u")
    each("compare_activations(seeds", {"empty": [], "int": 5, "negative": [-1],
                                       "huge range": range(10**9), "string": "0123"},
         activations.compare_activations, "seeds")
    add("compare_activations(steps=huge)",
        lambda: activations.compare_activations(seeds=[0], steps=10**12), "steps")

    # --- 07 playground ----------------------------------------------------------------------
    play = playground.compute_playground
    each("compute_playground(dataset", {"unknown": "swiss roll", "None": None, "int": 1},
         lambda v: play(dataset=v), "dataset")
    each("compute_playground(noise", {"negative": -0.1, "above max": 1.5, "NaN": np.nan,
                                      "string": "0.1", "None": None},
         lambda v: play(noise=v), "noise")
    each("compute_playground(train_ratio", {"zero": 0.0, "one": 1.0, "negative": -0.1,
                                            "NaN": np.nan, "string": "0.5",
                                            "no training points": 0.001},
         lambda v: play(train_ratio=v), "train_ratio")
    each("compute_playground(hidden_layers", {"negative": -1, "above max": 5, "float": 1.5,
                                              "string": "2", "huge": 10**12},
         lambda v: play(hidden_layers=v), "hidden_layers")
    each("compute_playground(neurons", BAD_COUNTS | {"above max": playground.MAX_NEURONS + 1},
         lambda v: play(neurons=v), "neurons")
    each("compute_playground(activation", {"unknown": "softplus", "None": None},
         lambda v: play(activation=v), "activation")
    each("compute_playground(lr", BAD_RATES, lambda v: play(lr=v), "lr")
    each("compute_playground(batch_size",
         {k: v for k, v in BAD_COUNTS.items() if k != "huge"},  # a batch larger than the data
         lambda v: play(batch_size=v), "batch_size")             # is fine
    each("compute_playground(l2", {"negative": -1.0, "NaN": np.nan, "inf": np.inf,
                                   "string": "0"},
         lambda v: play(l2=v), "l2")
    each("compute_playground(epochs", BAD_COUNTS, lambda v: play(epochs=v), "epochs")
    each("compute_playground(seed", BAD_SEEDS, lambda v: play(seed=v), "seed")
    each("compute_playground(optimizer", {"unknown": "adagrad", "None": None},
         lambda v: play(optimizer=v), "optimizer")
    each("compute_playground(resolution", {"one": 1, "float": 2.5, "huge": 10**6},
         lambda v: play(resolution=v), "resolution")
    add("compute_playground(too many updates)", lambda: play(epochs=5000, batch_size=1),
        "updates")
    add("compute_playground(unknown setting)", lambda: play(learning_rate=0.1),
        "learning_rate")
    add("draw_playground_boundary(epochs=0)",
        lambda: playground.draw_playground_boundary(ax(), epochs=0), "epochs")
    add("draw_playground(neurons=0)",
        lambda: playground.draw_playground(two_axes(), neurons=0), "neurons")
    add("iterations_per_epoch(batch_size=0)", lambda: playground.iterations_per_epoch(10, 0),
        "batch_size")
    add("iterations_per_epoch(n=-1)", lambda: playground.iterations_per_epoch(-1, 1), "n")

    # --- 08 optimizers ----------------------------------------------------------------------
    path = optimizers.compute_path
    add("compute_path(surface='bowl')", lambda: path("bowl", "sgd", 0.01), "surface")
    add("compute_path(surface=None)", lambda: path(None, "sgd", 0.01), "surface")
    add("compute_path(surface=['ravine'])", lambda: path(["ravine"], "sgd", 0.01), "surface")
    each("compute_path(name", {"unknown": "adagrad", "None": None, "list": ["sgd"]},
         lambda v: path("ravine", v, 0.01), "optimizer")
    each("compute_path(lr", BAD_RATES, lambda v: path("ravine", "sgd", v), "lr")
    each("compute_path(beta", {"negative": -0.1, "one": 1.0, "NaN": np.nan, "string": "0.9",
                               "None": None},
         lambda v: path("ravine", "momentum", 0.01, v), "beta")
    each("compute_path(steps", {k: v for k, v in BAD_COUNTS.items() if k != "zero"},
         lambda v: path("ravine", "sgd", 0.01, steps=v), "steps")
    each("compute_path(x0", {"NaN": np.nan, "inf": np.inf, "string": "1", "complex": 1j,
                             "list": [1.0]},
         lambda v: path("ravine", "sgd", 0.01, x0=v), "x0")
    add("compute_path(y0=NaN)", lambda: path("ravine", "sgd", 0.01, y0=np.nan), "y0")
    search = optimizers.compute_lr_search
    add("compute_lr_search(surface='bowl')", lambda: search("bowl"), "surface")
    add("compute_lr_search(steps=0)", lambda: search("ravine", steps=0), "steps")
    add("compute_lr_search(steps=huge)", lambda: search("ravine", steps=10**12), "steps")
    add("compute_lr_search(beta=1.5)", lambda: search("ravine", beta=1.5), "beta")
    add("compute_lr_search(x0=inf)", lambda: search("ravine", x0=np.inf), "x0")
    each("compute_lr_search(lrs", {"empty": [], "negative": [-0.1], "NaN": [np.nan],
                                   "strings": ["a"], "2-D": [[0.1]],
                                   "huge": np.logspace(-4, 1, 10**6), "number": 0.1},
         lambda v: search("ravine", steps=10, lrs=v), "lrs")
    race = optimizers.compute_race
    add("compute_race(surface=None)", lambda: race(None), "surface")
    add("compute_race(tuned='yes')", lambda: race(tuned="yes"), "tuned")
    add("compute_race(lr=0)", lambda: race(lr=0.0), "lr")
    add("compute_race(steps=huge)", lambda: race(steps=10**12), "steps")
    add("compute_race(beta=NaN)", lambda: race(beta=np.nan), "beta")
    add("compute_race(y0='0')", lambda: race(y0="0"), "y0")
    add("draw_race(lr=-1)", lambda: optimizers.draw_race(two_axes(), lr=-1.0), "lr")
    add("draw_race(surface='bowl')", lambda: optimizers.draw_race(two_axes(), "bowl"),
        "surface")
    add("draw_lr_search(steps=-5)", lambda: optimizers.draw_lr_search(ax(), steps=-5), "steps")
    add("draw_lr_search(beta=2)", lambda: optimizers.draw_lr_search(ax(), beta=2.0), "beta")
    add("make_race_optimizer('nadam')", lambda: optimizers.make_race_optimizer("nadam", 0.1),
        "optimizer")
    add("make_race_optimizer(lr=NaN)", lambda: optimizers.make_race_optimizer("sgd", np.nan),
        "lr")
    add("run_optimizer(optimizer='sgd')",
        lambda: optimizers.run_optimizer(lambda w: w, 1.0, "sgd", 10), "optimizer")
    add("run_optimizer(steps=huge)",
        lambda: optimizers.run_optimizer(lambda w: w, 1.0, SGD(0.1), 10**12), "steps")
    add("run_optimizer(x0 NaN)",
        lambda: optimizers.run_optimizer(lambda w: w, np.nan, SGD(0.1), 10), "x0")

    # --- 09 gradients -----------------------------------------------------------------------
    flow = gradients.compute_gradient_flow
    each("compute_gradient_flow(depth", BAD_COUNTS, lambda v: flow(depth=v), "depth")
    each("compute_gradient_flow(activation", {"unknown": "elu", "None": None,
                                              "list": ["relu"]},
         lambda v: flow(activation=v), "activation")
    each("compute_gradient_flow(init", {"unknown": "lecun", "negative": -0.1, "zero": 0.0,
                                        "NaN": np.nan, "list": [0.1], "bool": True},
         lambda v: flow(init=v), "init")
    each("compute_gradient_flow(shortcut", {"string": "yes", "int": 1, "None": None},
         lambda v: flow(shortcut=v), "shortcut")
    each("compute_gradient_flow(width", BAD_COUNTS, lambda v: flow(width=v), "width")
    each("compute_gradient_flow(epochs", BAD_COUNTS, lambda v: flow(epochs=v), "epochs")
    each("compute_gradient_flow(lr", BAD_RATES, lambda v: flow(lr=v), "lr")
    each("compute_gradient_flow(batch_size", {k: v for k, v in BAD_COUNTS.items()
                                              if k != "huge"},
         lambda v: flow(batch_size=v), "batch_size")
    each("compute_gradient_flow(n_train", BAD_COUNTS, lambda v: flow(n_train=v), "n_train")
    each("compute_gradient_flow(seed", BAD_SEEDS, lambda v: flow(seed=v), "seed")
    add("compute_gradient_flow(too much training)",
        lambda: flow(depth=30, width=512, epochs=5, n_train=1000), "weights")
    add("draw_gradient_flow(depth=0)", lambda: gradients.draw_gradient_flow(ax(), depth=0),
        "depth")
    add("draw_gradient_flow(epochs=huge)",
        lambda: gradients.draw_gradient_flow(ax(), epochs=10**12), "epochs")
    add("initial_gradient_norms(width=huge)",
        lambda: gradients.initial_gradient_norms(width=10**12), "width")
    add("initial_gradient_norms(n_train=5)", lambda: gradients.initial_gradient_norms(n_train=5),
        "n_train")
    add("build_deep_net(depth=31)", lambda: gradients.build_deep_net(depth=31), "depth")
    add("build_deep_net(init='zeros')", lambda: gradients.build_deep_net(init="zeros"),
        "init")
    add("digits_subset(n_train='500')", lambda: gradients.digits_subset("500"), "n_train")

    # --- 10 overfitting ---------------------------------------------------------------------
    poly = overfitting.compute_polynomial_fit
    each("compute_polynomial_fit(degree", BAD_COUNTS | {"above max": 31},
         lambda v: poly(v), "degree")
    each("compute_polynomial_fit(n", BAD_COUNTS | {"above max": overfitting.MAX_POINTS + 1},
         lambda v: poly(3, v), "n")
    each("compute_polynomial_fit(noise", {"negative": -0.1, "NaN": np.nan, "inf": np.inf,
                                          "string": "0.2", "None": None},
         lambda v: poly(3, 20, v), "noise")
    each("compute_polynomial_fit(seed", BAD_SEEDS, lambda v: poly(3, 20, 0.2, v), "seed")
    each("compute_polynomial_fit(lam", {"negative": -1.0, "NaN": np.nan, "inf": np.inf,
                                        "string": "0", "None": None},
         lambda v: poly(3, 20, 0.2, 0, v), "lam")
    each("compute_degree_errors(degrees", {"empty": [], "zero": [0], "float": [2.5],
                                           "huge list": [3] * 10**6, "string": "123",
                                           "int": 5},
         lambda v: overfitting.compute_degree_errors(degrees=v), "degree")
    add("compute_degree_errors(n=0)", lambda: overfitting.compute_degree_errors(n=0), "n")
    add("compute_degree_errors(noise=NaN)",
        lambda: overfitting.compute_degree_errors(noise=np.nan), "noise")
    each("compute_ridge_fit(lam", {"negative": -1e-3, "NaN": np.nan, "string": "1e-3",
                                   "None": None},
         overfitting.compute_ridge_fit, "lam")
    add("compute_ridge_fit(degree=100)", lambda: overfitting.compute_ridge_fit(1e-3, 100),
        "degree")
    each("compute_lambda_errors(lams", {"empty": [], "negative": [-1.0], "NaN": [np.nan],
                                        "strings": ["a"], "huge": np.logspace(-12, 2, 10**6),
                                        "2-D": [[1e-3]]},
         lambda v: overfitting.compute_lambda_errors(lams=v), "lam")
    add("compute_lambda_errors(degree=0)", lambda: overfitting.compute_lambda_errors(0),
        "degree")
    add("draw_polynomial_fit(degree=0)", lambda: overfitting.draw_polynomial_fit(ax(), 0),
        "degree")
    add("draw_polynomial_fit(n='20')", lambda: overfitting.draw_polynomial_fit(ax(), 3, "20"),
        "n")
    add("draw_degree_errors(mark='x')",
        lambda: overfitting.draw_degree_errors(ax(), mark="x"), "mark")
    add("draw_polynomial_view(degree=99)",
        lambda: overfitting.draw_polynomial_view(two_axes(), 99), "degree")
    add("draw_ridge_fit(lam=-1)", lambda: overfitting.draw_ridge_fit(ax(), -1.0), "lam")
    add("draw_lambda_errors(mark=NaN)",
        lambda: overfitting.draw_lambda_errors(ax(), mark=np.nan), "mark")
    add("draw_ridge_view(lam=NaN)", lambda: overfitting.draw_ridge_view(two_axes(), np.nan),
        "lam")
    x_poly = np.linspace(-1.0, 1.0, 10)
    add("fit_polynomial(lengths differ)",
        lambda: overfitting.fit_polynomial(x_poly, x_poly[:5], 3), "points")
    add("polynomial_features(degree=huge)",
        lambda: overfitting.polynomial_features(x_poly, 10**6), "degree")
    add("predict_polynomial(x strings)",
        lambda: overfitting.predict_polynomial([1.0, 2.0], ["a"]), "x")
    add("polynomial_mse(w NaN)", lambda: overfitting.polynomial_mse([np.nan], x_poly, x_poly),
        "w")
    add("polynomial_data(n_test=huge)",
        lambda: overfitting.polynomial_data(n_test=10**12), "n")
    add("polynomial_validation_data(seed=-1)",
        lambda: overfitting.polynomial_validation_data(seed=-1), "seed")

    # --- 11 techniques ----------------------------------------------------------------------
    aug = techniques.compute_augmentation_accuracies
    each("compute_augmentation_accuracies(seed", BAD_SEEDS | {"None": None, "bool": True},
         aug, "seed")
    each("compute_augmentation_accuracies(cache", {"string": "no", "None": None},
         lambda v: aug(0, cache=v), "cache")
    drop = techniques.compute_dropout_curves
    each("compute_dropout_curves(rate", {"negative": -0.1, "above max": 0.96, "one": 1.0,
                                         "NaN": np.nan, "string": "0.3", "None": None},
         drop, "rate")
    each("compute_dropout_curves(seed", BAD_SEEDS, lambda v: drop(0.3, v), "seed")
    each("compute_dropout_curves(cache", {"string": "yes", "int": 1},
         lambda v: drop(0.3, 0, cache=v), "cache")
    bn = techniques.compute_batchnorm_curves
    each("compute_batchnorm_curves(batchnorm", {"string": "no", "int": 1, "None": None},
         bn, "batchnorm")
    each("compute_batchnorm_curves(lr", BAD_RATES, lambda v: bn(True, v), "lr")
    each("compute_batchnorm_curves(activation", {"unknown": "tanh", "None": None,
                                                 "list": ["relu"]},
         lambda v: bn(True, 0.01, v), "activation")
    each("compute_batchnorm_curves(seed", BAD_SEEDS, lambda v: bn(True, 0.01, "relu", v),
         "seed")
    add("compute_batchnorm_curves(cache='no')", lambda: bn(True, 0.01, "relu", 0, cache="no"),
        "cache")
    add("draw_dropout_curves(rate=2)", lambda: techniques.draw_dropout_curves(ax(), 2.0),
        "rate")
    add("draw_batchnorm_curves(lr=0)", lambda: techniques.draw_batchnorm_curves(ax(), lr=0.0),
        "lr")
    add("digits_data(n_train=0)", lambda: techniques.digits_data(0), "n_train")
    add("digits_data(n_train=huge)", lambda: techniques.digits_data(10**12), "n_train")
    add("digits_data(seed=-1)", lambda: techniques.digits_data(100, -1), "seed")
    add("moved_and_tilted(images 2-D)",
        lambda: techniques.moved_and_tilted(np.zeros((3, 64)), 10.0, 0), "images")
    add("moved_and_tilted(max_tilt NaN)",
        lambda: techniques.moved_and_tilted(np.zeros((3, 8, 8)), np.nan, 0), "max_tilt")
    return out


CASES = cases()


@pytest.fixture(scope="module", autouse=True)
def loaded_data():
    """Import scikit-learn and load the digits once before the clock runs: on a busy machine
    the first import alone can take seconds, which is no fault of the case that triggers it."""
    datasets.make_2d_dataset("circle", n=10)
    gradients.digits_subset(10)
    techniques.digits_data(100)


def test_the_table_is_large_and_its_errors_clear():
    assert_table(CASES, 150, "widget bad-input table")


@pytest.mark.parametrize("name, call, word", CASES, ids=[c[0] for c in CASES])
def test_each_bad_input_is_refused(name, call, word):
    assert_clear(name, call, word)


# --- aliasing: a result is the caller's to change ---------------------------------------------

_HEIGHTS = np.linspace(0.2, 0.8, 5)  # arrays a student passes in (the same object each call)
_U = np.linspace(-2.0, 2.0, 9)
_X_LINE, _Y_LINE = np.linspace(0.0, 4.0, 9), np.linspace(1.0, 3.0, 9)

RESULT_CALLS = {
    "compute_line_fit": lambda: intro.compute_line_fit(0.5, 0.1),
    "compute_separating_line": lambda: perceptron.compute_separating_line(1.0, 1.0, -1.5),
    "compute_separating_line(no line)":
        lambda: perceptron.compute_separating_line(0.0, 0.0, 0.5, points="cloud"),
    "compute_step_regions": lambda: mlp.compute_step_regions(4),
    "compute_bump_approximation": lambda: mlp.compute_bump_approximation(5, 100.0),
    "compute_bump_approximation(heights)":
        lambda: mlp.compute_bump_approximation(5, 100.0, _HEIGHTS),
    "compute_bump_challenge": lambda: mlp.compute_bump_challenge(_HEIGHTS),
    "bump_edges": lambda: mlp.bump_edges(5),
    "compute_loss_values": lambda: losses.compute_loss_values(1, 0.7),
    "compute_outlier_fit": lambda: losses.compute_outlier_fit(3, 4.0),
    "make_outlier_data": lambda: losses.make_outlier_data(3),
    "fit_line": lambda: losses.fit_line(_X_LINE, _Y_LINE, "l1"),
    "loss_curve": lambda: losses.loss_curve("CE", _U[5:] / 3, 1.0),
    "compute_descent_1d": lambda: descent.compute_descent_1d(0.3),
    "gradient_descent": lambda: descent.gradient_descent(lambda x: x, _U, 0.1, 5),
    "activation_curves": lambda: activations.activation_curves("tanh"),
    "activation_curves(u)": lambda: activations.activation_curves("relu", _U),
    "compute_activation_fit": lambda: activations.compute_activation_fit("tanh", 4, 20),
    "compare_activations": lambda: activations.compare_activations([0], 4, 20),
    "compute_playground": lambda: playground.compute_playground(epochs=2),
    "compute_path": lambda: optimizers.compute_path("ravine", "adam", 0.1, steps=20),
    "compute_lr_search": lambda: optimizers.compute_lr_search("ravine", steps=20),
    "compute_race": lambda: optimizers.compute_race("saddle", steps=20),
    "compute_race(tuned)": lambda: optimizers.compute_race("ravine", steps=20, tuned=True),
    "compute_gradient_flow": lambda: gradients.compute_gradient_flow(depth=3, epochs=1),
    "initial_gradient_norms": lambda: gradients.initial_gradient_norms(depth=3),
    "digits_subset": lambda: gradients.digits_subset(100),
    "compute_polynomial_fit": lambda: overfitting.compute_polynomial_fit(3),
    "compute_degree_errors": lambda: overfitting.compute_degree_errors(degrees=(1, 3)),
    "compute_ridge_fit": lambda: overfitting.compute_ridge_fit(1e-3),
    "compute_lambda_errors": lambda: overfitting.compute_lambda_errors(lams=[0.0, 1e-3]),
    "polynomial_data": lambda: overfitting.polynomial_data(),
    "compute_augmentation_accuracies": lambda: techniques.compute_augmentation_accuracies(0),
    "compute_dropout_curves": lambda: techniques.compute_dropout_curves(0.3),
    "compute_batchnorm_curves": lambda: techniques.compute_batchnorm_curves(True, 0.1),
    "digits_data": lambda: techniques.digits_data(100),
}


def _scribble(result):
    """Write into every array of ``result`` as a careless student might (read-only arrays
    must refuse with NumPy's clear error instead), and replace every other entry of its
    dicts and lists."""
    if isinstance(result, np.ndarray):
        if result.flags.writeable:
            result[...] = ~result if result.dtype == bool else 7
        else:
            with pytest.raises(ValueError, match="read-only"):
                result[...] = 7
    elif isinstance(result, (dict, list, tuple)):
        keys = result.keys() if isinstance(result, dict) else range(len(result))
        for key in keys:
            if isinstance(result[key], (np.ndarray, dict, list, tuple)):
                _scribble(result[key])
            elif not isinstance(result, tuple):
                result[key] = "scribbled"


def _same(a, b, where="result"):
    """Assert that two results are equal, array by array and number by number."""
    if isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            if key != "model":  # a trained network: compared through its outputs above
                _same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (u, v) in enumerate(zip(a, b)):
            _same(u, v, f"{where}[{i}]")
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b), where
    else:
        assert a == b, where


@pytest.mark.parametrize("name", list(RESULT_CALLS))
def test_writing_into_a_result_changes_no_later_result(name):
    call = RESULT_CALLS[name]
    first = call()
    fresh = copy.deepcopy(first)
    _scribble(first)
    _same(call(), fresh, name)


WIDGET_MODULES = (activations, descent, gradients, intro, losses, mlp, optimizers,
                  overfitting, perceptron, playground, techniques)


@pytest.mark.parametrize("module", WIDGET_MODULES, ids=lambda m: m.__name__.split(".")[-1])
def test_constant_arrays_are_read_only(module):
    borrowed = [v for v in vars(datasets).values() if isinstance(v, np.ndarray)]
    constants = {name: value for name, value in vars(module).items()
                 if isinstance(value, np.ndarray) and not any(value is b for b in borrowed)}
    writable = [name for name, value in constants.items() if value.flags.writeable]
    assert not writable, f"{module.__name__}: writable module-level arrays {writable}"
