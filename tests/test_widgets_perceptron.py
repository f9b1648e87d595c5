"""Notebook 01: the perceptron (dlcore.perceptron) and its widget (dlcore.widgets.perceptron)."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcore.datasets import logic_gate
from dlcore.perceptron import perceptron_output, train_perceptron
from dlcore.widgets.perceptron import (
    GATES,
    POINT_SETS,
    VIEW_BOX,
    compute_separating_line,
    draw_separating_line,
)

HAND_WEIGHTS = {"AND": (0.5, 0.5, -0.7), "OR": (0.5, 0.5, -0.2), "NAND": (-0.5, -0.5, 0.7)}


def polygon_area(p):
    """Shoelace formula."""
    if len(p) < 3:
        return 0.0
    x, y = p[:, 0], p[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


BOX_AREA = (VIEW_BOX[1] - VIEW_BOX[0]) * (VIEW_BOX[3] - VIEW_BOX[2])


# --- dlcore.perceptron -------------------------------------------------------------------------

@pytest.mark.parametrize("gate", sorted(HAND_WEIGHTS))
def test_hand_chosen_weights_give_the_truth_table(gate):
    X, y = logic_gate(gate)
    w1, w2, c = HAND_WEIGHTS[gate]
    o = perceptron_output(X, [w1, w2], c)
    np.testing.assert_array_equal(o, y)
    assert o.dtype == np.float64 and o.shape == (4,)


def test_output_single_input_and_bias_as_w0():
    # u = w1 x1 + w2 x2 + c equals Σ_{i=0..2} w_i x_i with x0 = 1, w0 = c
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    w, c = rng.normal(size=2), 0.3
    X_aug = np.column_stack([np.ones(50), X])
    np.testing.assert_array_equal(perceptron_output(X, w, c),
                                  perceptron_output(X_aug, np.r_[c, w], 0.0))
    assert perceptron_output([1.0, 1.0], [0.5, 0.5], -0.7).shape == ()
    assert perceptron_output([1.0, 0.0], [0.5, 0.5], -0.5) == 0.0  # f(0) = 0


@pytest.mark.parametrize("batch", [False, True])
@pytest.mark.parametrize("gate", ["and", "or", "nand"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_training_converges_on_separable_gates(gate, batch, seed):
    X, y = logic_gate(gate)
    rng = np.random.default_rng(seed)
    r = train_perceptron(X, y, lr=0.1, epochs=100, w=rng.normal(size=2),
                         c=float(rng.normal()), batch=batch)
    assert r["converged_epoch"] is not None
    assert r["errors"][-1] == 0 and np.all(r["errors"][r["converged_epoch"]:] == 0)
    np.testing.assert_array_equal(perceptron_output(X, r["w"], r["c"]), y)
    assert r["w_history"].shape == (101, 2) and r["c_history"].shape == (101,)
    assert r["errors"].shape == (101,)
    # once all points are right nothing changes any more
    k = r["converged_epoch"]
    np.testing.assert_array_equal(r["w_history"][k:], np.broadcast_to(r["w"], (101 - k, 2)))


@pytest.mark.parametrize("batch", [False, True])
@pytest.mark.parametrize("lr", [0.01, 0.1, 1.0])
def test_training_never_converges_on_xor(batch, lr):
    X, y = logic_gate("xor")
    r = train_perceptron(X, y, lr=lr, epochs=50, w=[0.3, -0.2], c=0.1, batch=batch)
    assert r["converged_epoch"] is None
    assert r["errors"].min() >= 1


def test_one_online_step_by_hand():
    # w = 0, c = 0, x = (1, 1), y = 1: o = f(0) = 0, so w <- (0.5, 0.5), c <- 0.5
    r = train_perceptron([[1.0, 1.0]], [1], lr=0.5, epochs=1)
    np.testing.assert_allclose(r["w"], [0.5, 0.5])
    assert r["c"] == 0.5
    np.testing.assert_array_equal(r["errors"], [1, 0])


def test_online_rule_matches_a_plain_loop():
    X, y = logic_gate("and")
    w, c = np.array([0.13, -0.13]), 0.64
    r = train_perceptron(X, y, lr=0.1, epochs=12, w=w, c=c)
    w = w.copy()
    for _ in range(12):
        for x_n, y_n in zip(X, y):
            o = 1.0 if x_n @ w + c > 0 else 0.0
            w = w + 0.1 * (y_n - o) * x_n
            c = c + 0.1 * (y_n - o)
    np.testing.assert_allclose(r["w"], w)
    assert r["c"] == pytest.approx(c)


def test_training_does_not_modify_its_inputs():
    X, y = logic_gate("and")
    w = np.array([0.2, -0.4])
    train_perceptron(X, y, w=w, c=0.1)
    np.testing.assert_array_equal(w, [0.2, -0.4])


@pytest.mark.parametrize("kwargs, error", [
    (dict(lr=0), ValueError), (dict(lr=-0.1), ValueError), (dict(epochs=0), ValueError),
    (dict(epochs=2.5), TypeError), (dict(w=[1.0, 2.0, 3.0]), ValueError),
    (dict(c=np.nan), ValueError), (dict(c="1"), ValueError),
])
def test_training_bad_arguments(kwargs, error):
    X, y = logic_gate("and")
    with pytest.raises(error):
        train_perceptron(X, y, **kwargs)


def test_training_bad_data():
    X, y = logic_gate("and")
    with pytest.raises(ValueError):
        train_perceptron(X, [0, 1, 2, 1])          # targets must be 0 or 1
    with pytest.raises(ValueError):
        train_perceptron(X, y[:3])                 # one target per input
    with pytest.raises(ValueError):
        train_perceptron(X[0], y)                  # a batch is needed
    with pytest.raises(ValueError):
        perceptron_output(X, [1.0], 0.0)           # one weight per feature
    with pytest.raises(ValueError):
        perceptron_output(np.zeros((2, 2, 2)), [1.0, 1.0], 0.0)


# --- dlcore.widgets.perceptron -----------------------------------------------------------------

GRID = list(itertools.product([-1.0, 0.0, 0.5], [-0.5, 0.0, 1.0], [-0.7, 0.0, 0.3],
                              GATES, POINT_SETS))


@pytest.mark.parametrize("w1, w2, c, gate, points", GRID)
def test_compute_grid(w1, w2, c, gate, points):
    r = compute_separating_line(w1, w2, c, gate, points)
    n = 4 if points == "gate" else 80
    assert r["X"].shape == (n, 2) and r["y"].shape == r["o"].shape == r["correct"].shape == (n,)
    assert r["n_total"] == n and 0 <= r["n_correct"] <= n
    assert r["n_correct"] == int(np.sum(r["o"] == r["y"]))
    np.testing.assert_array_equal(r["o"], perceptron_output(r["X"], [w1, w2], c))
    # the two half-planes tile the view box
    assert polygon_area(r["region_1"]) + polygon_area(r["region_0"]) == pytest.approx(BOX_AREA)
    # every vertex of region_1 has u >= 0, of region_0 has u <= 0
    for region, sign in ((r["region_1"], 1), (r["region_0"], -1)):
        if len(region):
            assert np.all(sign * (region @ [w1, w2] + c) >= -1e-12)
    assert r["has_line"] == (w1 != 0 or w2 != 0)
    if r["segment"] is not None:
        np.testing.assert_allclose(r["segment"] @ [w1, w2] + c, 0.0, atol=1e-12)
        assert r["segment"].shape == (2, 2)
    if r["points"] == "gate" and gate == "XOR":
        assert r["n_correct"] <= 3                  # no straight line separates XOR


@pytest.mark.parametrize("gate", sorted(HAND_WEIGHTS))
def test_compute_hand_weights_are_all_correct(gate):
    assert compute_separating_line(*HAND_WEIGHTS[gate], gate)["n_correct"] == 4
    assert compute_separating_line(*HAND_WEIGHTS[gate], gate, "cloud")["n_correct"] >= 76


def test_compute_count_changes_with_c():
    # w = (0.5, 0.5): lowering c moves the line up-right: OR-like, then AND-like, then all 0
    counts = [compute_separating_line(0.5, 0.5, c, "AND")["n_correct"]
              for c in (0.3, -0.2, -0.7, -1.2)]
    assert counts == [1, 2, 4, 3]


def test_compute_xor_best_is_three_of_four():
    values = np.arange(-2.0, 2.01, 0.25)
    best = max(compute_separating_line(a, b, c, "XOR")["n_correct"]
               for a in values for b in values for c in values[::2])
    assert best == 3


@pytest.mark.parametrize("c, expected_o", [(0.5, 1), (-0.5, 0), (0.0, 0)])
def test_compute_no_line_when_both_weights_are_zero(c, expected_o):
    r = compute_separating_line(0.0, 0.0, c, "NAND")
    assert not r["has_line"] and r["segment"] is None
    assert np.all(r["o"] == expected_o)
    full, empty = (r["region_1"], r["region_0"]) if expected_o else (r["region_0"], r["region_1"])
    assert polygon_area(full) == pytest.approx(BOX_AREA) and len(empty) == 0
    assert r["n_correct"] == (3 if expected_o else 1)


def test_compute_line_outside_the_box():
    r = compute_separating_line(1.0, 1.0, 10.0)          # line x1 + x2 = -10, far away
    assert r["has_line"] and r["segment"] is None
    assert polygon_area(r["region_1"]) == pytest.approx(BOX_AREA) and len(r["region_0"]) == 0


def test_compute_line_through_a_corner_of_the_box():
    x_lo, _, y_lo, _ = VIEW_BOX
    r = compute_separating_line(1.0, 1.0, -(x_lo + y_lo))  # touches the box at one corner only
    assert r["segment"] is None


def test_compute_is_case_insensitive_and_pure():
    a = compute_separating_line(0.5, 0.5, -0.7, " and ", "Cloud")
    b = compute_separating_line(0.5, 0.5, -0.7, "AND", "cloud")
    assert a["gate"] == "AND" and a["points"] == "cloud"
    np.testing.assert_array_equal(a["X"], b["X"])
    a["X"][:] = 0                                          # callers get copies
    assert compute_separating_line(0.5, 0.5, -0.7, "AND", "cloud")["X"].any()


@pytest.mark.parametrize("kwargs, error", [
    (dict(w1=np.nan), ValueError), (dict(c=np.inf), ValueError), (dict(w2="1"), TypeError),
    (dict(w1=True), TypeError), (dict(gate="NOR"), ValueError), (dict(gate=1), TypeError),
    (dict(points="grid"), ValueError),
])
def test_compute_bad_arguments(kwargs, error):
    settings = dict(w1=0.5, w2=0.5, c=-0.7, gate="AND", points="gate") | kwargs
    with pytest.raises(error):
        compute_separating_line(**settings)


@pytest.mark.parametrize("w1, w2, c, gate, points", [
    (0.5, 0.5, -0.7, "AND", "gate"), (0.0, 0.0, 0.5, "NAND", "gate"),
    (1.0, -0.3, -0.5, "XOR", "cloud"), (1.0, 1.0, 10.0, "OR", "gate"),
])
def test_draw_once(w1, w2, c, gate, points):
    fig, ax = plt.subplots()
    draw_separating_line(ax, w1, w2, c, gate, points)
    assert ax.get_title() and ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert ax.get_legend() is not None
    r = compute_separating_line(w1, w2, c, gate, points)
    assert f"{r['n_correct']}/{r['n_total']}" in ax.get_title()
    if not r["has_line"]:
        assert "直線なし" in ax.get_title()
    fig.canvas.draw()


def test_draw_bad_arguments():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError):
        draw_separating_line(ax, 0.5, 0.5, -0.7, gate="NOR")


# --- the pictures of notebooks 00 and 01 (dlcore.plotting) -------------------------------------

def test_layer_and_perceptron_diagrams():
    from dlcore.plotting import draw_layer_diagram, draw_perceptron_diagram

    fig, ax = plt.subplots()
    draw_layer_diagram(ax, [3, 5, 5, 1], "隠れ層を重ねる")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["入力", "隠れ層", "隠れ層", "出力"]
    assert len(ax.lines) == 3 * 5 + 5 * 5 + 5 * 1          # every connection is drawn
    assert ax.get_title() == "隠れ層を重ねる"
    fig = draw_perceptron_diagram()
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"$x_0$", "$x_1$", "$x_2$", "$w_0$", "$w_1$", "$w_2$", "$o$"} <= texts
    assert fig.axes[0].get_title()
    plt.close("all")
