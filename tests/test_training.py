"""The training loop (slides 29, 38-39): accuracy reached, determinism, early stopping,
validation split, divergence, history, callbacks, summary and state round-trip."""

import re
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from dlcore import SGD, Adam, History, Sequential, TrainingDiverged, build_mlp, train
from dlcore.layers import BatchNorm, Dropout, Linear, ReLU, Residual

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


@pytest.fixture(scope="module")
def digits():
    """sklearn digits, stratified 80/20 split, standardized with the training statistics."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0  # pixels that are always 0 in the training set
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


def small_problem(n=60, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] - X[:, 1] + 0.5 * rng.normal(size=n) > 0).astype(int)
    return X, y


# --- reaching an accuracy --------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_xor_is_learned(activation):
    model = build_mlp((2, 8, 2), activation=activation, seed=0)
    assert model.accuracy(XOR_X, XOR_Y) < 1.0  # not solved before training
    history = train(model, Adam(lr=0.05), XOR_X, XOR_Y, epochs=300, batch_size=4, seed=0)
    assert model.accuracy(XOR_X, XOR_Y) == 1.0
    np.testing.assert_array_equal(model.predict(XOR_X), XOR_Y)
    assert history.train_acc[-1] == 1.0
    assert history.train_loss[-1] < 0.1


def test_xor_with_a_single_sigmoid_output():
    model = build_mlp((2, 8, 1), activation="tanh", loss="sigmoid_cross_entropy", seed=0)
    train(model, Adam(lr=0.05), XOR_X, XOR_Y, epochs=300, batch_size=4)
    np.testing.assert_array_equal(model.predict(XOR_X), XOR_Y)
    proba = model.predict_proba(XOR_X)
    assert proba.shape == (4, 2)
    np.testing.assert_array_equal(proba.argmax(axis=1), XOR_Y)


def test_digits_reaches_96_percent(digits):
    # measured 0.972-0.975 for seeds 0-2, with and without 1e-10 noise on the initial
    # weights: 97 % would rest on one or two test images
    X_train, X_test, y_train, y_test = digits
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    model = build_mlp((64, 100, 10), "relu", seed=0)
    history = train(model, Adam(lr=1e-3), X_train, y_train, epochs=30, batch_size=32,
                    seed=0)
    assert history.epochs == 30
    assert history.train_loss[-1] < history.train_loss[0]
    assert model.accuracy(X_test, y_test) >= 0.96


def test_one_hot_targets_train_like_labels():
    X, y = small_problem()
    a, b = build_mlp((5, 6, 2), seed=0), build_mlp((5, 6, 2), seed=0)
    h_labels = train(a, Adam(lr=1e-2), X, y, epochs=3, batch_size=16)
    h_onehot = train(b, Adam(lr=1e-2), X, np.eye(2)[y], epochs=3, batch_size=16)
    np.testing.assert_allclose(h_onehot.train_loss, h_labels.train_loss, rtol=1e-12)
    assert h_onehot.train_acc == h_labels.train_acc


# --- determinism -----------------------------------------------------------------------------


def seeded_run(digits, model_seed=0, train_seed=0):
    X_train, _, y_train, _ = digits
    model = build_mlp((64, 32, 10), "relu", seed=model_seed, dropout=0.2)
    history = train(model, Adam(lr=1e-3), X_train[:400], y_train[:400], epochs=3,
                    batch_size=32, validation_fraction=0.25, seed=train_seed)
    return model, history


def test_same_seed_gives_identical_history_and_weights(digits):
    m1, h1 = seeded_run(digits)
    m2, h2 = seeded_run(digits)
    assert h1.train_loss == h2.train_loss
    assert h1.train_acc == h2.train_acc
    assert h1.val_loss == h2.val_loss
    assert h1.val_acc == h2.val_acc
    assert h1 == h2
    p1, p2 = m1.params(), m2.params()
    assert p1.keys() == p2.keys()
    for name in p1:
        np.testing.assert_array_equal(p1[name], p2[name], err_msg=name)


def test_different_model_seed_gives_a_different_run(digits):
    m1, h1 = seeded_run(digits, model_seed=0)
    m2, h2 = seeded_run(digits, model_seed=1)
    assert h1.train_loss != h2.train_loss
    assert not np.array_equal(m1.params()["0.W"], m2.params()["0.W"])


def test_different_shuffle_seed_gives_a_different_run(digits):
    _, h1 = seeded_run(digits, train_seed=0)
    _, h2 = seeded_run(digits, train_seed=1)
    assert h1.train_loss != h2.train_loss


# --- early stopping --------------------------------------------------------------------------


def overfitting_setup():
    """30 noisy training samples, a wide net and a large step: the validation loss soon rises."""
    X, y = small_problem(n=60, d=10, seed=0)
    rng = np.random.default_rng(0)
    y = (X[:, 0] + rng.normal(size=60) > 0).astype(int)
    return build_mlp((10, 64, 64, 2), seed=0), X[:30], y[:30], X[30:], y[30:]


def test_early_stopping_stops_and_restores_the_best_weights():
    model, X, y, X_val, y_val = overfitting_setup()
    saved = {}

    def remember_best(epoch, history):
        if history.best_epoch == epoch:
            saved["state"] = model.state_dict()

    patience, max_epochs = 5, 200
    history = train(model, Adam(lr=1e-2), X, y, epochs=max_epochs, batch_size=10,
                    validation_data=(X_val, y_val), patience=patience,
                    callback=remember_best)
    assert history.stopped_early
    assert history.epochs < max_epochs
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1
    assert history.epochs == history.best_epoch + patience
    assert len(history.val_loss) == history.epochs
    assert min(history.val_loss[history.best_epoch:]) >= history.val_loss[history.best_epoch - 1]
    # the weights in the model are those of the best epoch, not of the last one
    assert model.loss(X_val, y_val, train=False) == history.val_loss[history.best_epoch - 1]
    assert model.loss(X_val, y_val, train=False) < history.val_loss[-1]
    for name, p in model.params().items():
        np.testing.assert_array_equal(p, saved["state"][name], err_msg=name)


def test_early_stopping_without_restore_keeps_the_last_weights():
    model, X, y, X_val, y_val = overfitting_setup()
    history = train(model, Adam(lr=1e-2), X, y, epochs=200, batch_size=10,
                    validation_data=(X_val, y_val), patience=5, restore_best=False)
    assert history.stopped_early
    assert model.loss(X_val, y_val, train=False) == history.val_loss[-1]


def test_no_early_stop_without_patience():
    model, X, y, X_val, y_val = overfitting_setup()
    history = train(model, Adam(lr=1e-2), X, y, epochs=20, batch_size=10,
                    validation_data=(X_val, y_val))
    assert history.epochs == 20 and not history.stopped_early
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1


def test_early_stopping_restores_batchnorm_statistics():
    X, y = small_problem(n=60, d=10, seed=1)
    model = build_mlp((10, 64, 2), batchnorm=True, seed=0)
    history = train(model, Adam(lr=3e-2), X[:30], y[:30], epochs=200, batch_size=10,
                    validation_data=(X[30:], y[30:]), patience=3)
    assert history.stopped_early
    assert model.loss(X[30:], y[30:], train=False) == history.val_loss[history.best_epoch - 1]


# --- validation split ------------------------------------------------------------------------


class Recording(Sequential):
    """A Sequential that records every batch it runs forward (training and evaluation)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = []

    def forward_checked(self, X, train=True):  # forward (checks, then this) and the batches
        self.calls.append((np.array(X, copy=True), train))
        return super().forward_checked(X, train)


@pytest.mark.parametrize("n,fraction,n_val", [(50, 0.2, 10), (37, 0.1, 4), (20, 0.5, 10)])
def test_validation_fraction_holds_out_the_right_count(n, fraction, n_val):
    X, y = small_problem(n=n)
    model = Recording(build_mlp((5, 4, 2), seed=0).layers)
    history = train(model, SGD(lr=0.1), X, y, epochs=2, batch_size=8,
                    validation_fraction=fraction)
    assert len(history.val_loss) == 2 and len(history.val_acc) == 2
    first_epoch = []
    for X_batch, is_train in model.calls:
        if not is_train:
            break
        first_epoch.append(X_batch)
    X_seen = np.concatenate(first_epoch)
    assert len(X_seen) == n - n_val
    evals = [X_batch for X_batch, is_train in model.calls if not is_train]
    assert [len(e) for e in evals] == [n - n_val, n_val] * 2  # train set, then validation set
    # training and validation sets are disjoint and together are the whole data set
    both = np.concatenate([X_seen, evals[1]])
    np.testing.assert_array_equal(both[np.lexsort(both.T)], X[np.lexsort(X.T)])


def test_every_training_sample_is_used_once_per_epoch():
    X, y = small_problem(n=45)
    model = Recording(build_mlp((5, 4, 2), seed=0).layers)
    train(model, SGD(lr=0.1), X, y, epochs=2, batch_size=16, seed=3)
    batches = [len(b) for b, is_train in model.calls if is_train]
    assert batches == [16, 16, 13] * 2
    epoch1 = np.concatenate([b for b, is_train in model.calls[:3]])
    np.testing.assert_array_equal(epoch1[np.lexsort(epoch1.T)], X[np.lexsort(X.T)])
    assert not np.array_equal(epoch1, X)  # shuffled


# --- divergence ------------------------------------------------------------------------------


def test_huge_learning_rate_raises_training_diverged(digits):
    X_train, _, y_train, _ = digits
    model = build_mlp((64, 100, 10), "relu", seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(TrainingDiverged, match="learning rate") as info:
            train(model, SGD(lr=1e6), X_train, y_train, epochs=5, batch_size=32)
    assert [w for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert caught == []
    message = str(info.value)
    assert re.search(r"lr=1000000\.0", message)
    assert isinstance(info.value, FloatingPointError)  # catchable as a float error too


def test_moderate_learning_rate_does_not_diverge(digits):
    X_train, _, y_train, _ = digits
    model = build_mlp((64, 100, 10), "relu", seed=0)
    history = train(model, SGD(lr=0.1), X_train[:300], y_train[:300], epochs=2)
    assert all(np.isfinite(history.train_loss))


# --- history, callback -----------------------------------------------------------------------


def test_history_of_a_regression_model_has_none_accuracies():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(40, 1))
    y = X[:, 0] ** 3 + 0.05 * rng.normal(size=40)
    model = build_mlp((1, 16, 1), "tanh", loss="mse", seed=0)
    history = train(model, Adam(lr=1e-2), X, y, epochs=5, batch_size=8,
                    validation_fraction=0.25)
    assert isinstance(history, History)
    assert history.train_acc == [None] * 5
    assert history.val_acc == [None] * 5
    assert len(history.train_loss) == 5 and all(v > 0 for v in history.train_loss)
    assert history.train_loss[-1] < history.train_loss[0]
    assert model.predict(X).shape == (40, 1)


def test_history_of_a_classifier_has_accuracies():
    X, y = small_problem()
    history = train(build_mlp((5, 6, 2), seed=0), Adam(lr=1e-2), X, y, epochs=3,
                    validation_data=(X[:10], y[:10]))
    assert len(history.train_acc) == 3 and all(0.0 <= a <= 1.0 for a in history.train_acc)
    assert len(history.val_acc) == 3 and all(0.0 <= a <= 1.0 for a in history.val_acc)
    assert history.best_epoch is not None and not history.stopped_early


def test_callback_is_called_once_per_epoch():
    X, y = small_problem()
    calls = []

    def callback(epoch, history):
        calls.append((epoch, history.epochs, len(history.val_loss)))

    returned = train(build_mlp((5, 6, 2), seed=0), SGD(lr=0.1), X, y, epochs=4,
                     validation_fraction=0.2, callback=callback)
    assert calls == [(1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, 4)]
    assert returned.epochs == 4


def test_callback_receives_the_returned_history():
    X, y = small_problem()
    seen = []
    returned = train(build_mlp((5, 6, 2), seed=0), SGD(lr=0.1), X, y, epochs=2,
                     callback=lambda epoch, history: seen.append(history))
    assert seen and all(h is returned for h in seen)


def test_batch_callback_sees_every_update_with_its_batch_loss():
    X, y = small_problem(n=60)
    losses = []
    model, opt = build_mlp((5, 6, 2), seed=0), SGD(lr=0.1)
    history = train(model, opt, X, y, epochs=3, batch_size=16, train_metrics="running",
                    batch_callback=losses.append)
    assert len(losses) == opt.t == 3 * 4  # ceil(60 / 16) = 4 batches per epoch
    # the running train loss is the sample-weighted mean of the epoch's batch losses
    sizes = np.array([16, 16, 16, 12])
    for epoch in range(3):
        batch = np.array(losses[4 * epoch:4 * epoch + 4])
        assert np.isclose(history.train_loss[epoch], np.sum(batch * sizes) / 60)


# --- summary, state_dict -----------------------------------------------------------------------


def test_summary_lists_layers_and_total_parameters():
    model = build_mlp((64, 100, 10), "relu", seed=0)
    text = model.summary()
    assert model.n_params == 64 * 100 + 100 + 100 * 10 + 10 == 7510
    assert "パラメータ数の合計: 7510" in text
    lines = text.splitlines()
    assert any("Linear(64 -> 100)" in line and line.rstrip().endswith("6500") for line in lines)
    assert any("ReLU()" in line and line.rstrip().endswith(" 0") for line in lines)
    assert any("Linear(100 -> 10)" in line and line.rstrip().endswith("1010") for line in lines)
    assert "損失: SoftmaxCrossEntropy" in text
    assert lines[0].split() == ["番号", "層", "パラメータ数"]  # Japanese headers (notebooks)
    assert text.index("Linear(64 -> 100)") < text.index("ReLU()") < text.index("Linear(100 -> 10)")
    assert repr(model) == text


def test_summary_with_batchnorm_dropout_and_residual():
    model = Sequential([
        Linear(4, 8, seed=0), BatchNorm(8), ReLU(), Dropout(0.5, seed=0),
        Residual(Linear(8, 8, seed=1), ReLU()),
        Linear(8, 3, seed=2),
    ])
    expected = (4 * 8 + 8) + 2 * 8 + (8 * 8 + 8) + (8 * 3 + 3)
    assert model.n_params == expected
    text = model.summary()
    assert f"パラメータ数の合計: {expected}" in text
    for name in ("BatchNorm(8)", "Dropout(rate=0.5)", "Residual(Linear(8 -> 8), ReLU())",
                 "Linear(8 -> 3)"):
        assert name in text


def test_state_dict_round_trip():
    X, y = small_problem()
    source = build_mlp((5, 6, 2), batchnorm=True, seed=0)
    train(source, Adam(lr=1e-2), X, y, epochs=3)
    state = source.state_dict()
    assert {"0.W", "0.b", "1.gamma", "1.beta", "1.running_mean", "1.running_var"} <= set(state)

    target = build_mlp((5, 6, 2), batchnorm=True, seed=1)
    assert not np.array_equal(target.predict_proba(X), source.predict_proba(X))
    target.load_state_dict(state)
    np.testing.assert_array_equal(target.predict_proba(X), source.predict_proba(X))
    for name, p in target.params().items():
        np.testing.assert_array_equal(p, state[name])
    np.testing.assert_array_equal(target.layers[1].running_var, source.layers[1].running_var)


def test_state_dict_is_a_copy_and_load_keeps_the_live_arrays():
    model = build_mlp((5, 6, 2), seed=0)
    W = model.layers[0].params["W"]
    state = model.state_dict()
    state["0.W"] += 1.0  # changing the copy does not touch the model
    assert not np.array_equal(W, state["0.W"])
    model.load_state_dict(state)
    assert model.layers[0].params["W"] is W  # loaded in place: optimizers keep working
    np.testing.assert_array_equal(W, state["0.W"])
    state["0.W"] += 1.0  # nor does changing it after loading
    assert not np.array_equal(W, state["0.W"])


# --- parameters as one vector θ ------------------------------------------------------------------


def test_layer_arrays_are_views_onto_the_parameter_vector():
    model = build_mlp((3, 4, 2), seed=0, batchnorm=True)
    theta, grad_theta, is_weight = model.param_vector()
    assert theta.size == model.n_params == 3 * 4 + 4 + 4 + 4 + 4 * 2 + 2
    theta += 1.0  # one update of θ changes every layer
    before = build_mlp((3, 4, 2), seed=0, batchnorm=True)
    for name, p in model.params().items():
        np.testing.assert_array_equal(p, before.params()[name] + 1.0, err_msg=name)
    model.grads()["0.W"][...] = 7.0
    assert np.count_nonzero(grad_theta == 7.0) == 12
    # weight decay applies to the two weight matrices only, not to b, γ, β
    assert is_weight.sum() == 3 * 4 + 4 * 2
    np.testing.assert_array_equal(is_weight[theta.size - 2:], 0.0)  # the last bias


def test_parameter_vector_reaches_inside_residual_blocks():
    from dlcore.layers import Linear, ReLU, Residual

    block = Residual(Linear(3, 3, seed=1), ReLU(), Linear(3, 3, seed=2))
    model = Sequential([Linear(2, 3, seed=0), block, Linear(3, 2, seed=3)])
    theta, _, _ = model.param_vector()
    assert theta.size == model.n_params == 9 + 2 * 12 + 8
    theta[...] = 0.0
    assert all(np.all(p == 0) for p in model.params().values())


def test_a_layer_shared_by_two_models_is_repacked_before_training():
    X, y = small_problem()
    first = build_mlp((5, 4, 2), seed=0)
    second = Sequential(first.layers)  # packs the same layers into its own θ
    theta_first, _, _ = first.param_vector()  # packs them back into first's θ
    assert all(p.base is theta_first for p in first.params().values())
    before = first.state_dict()
    train(second, SGD(lr=0.1), X, y, epochs=1)
    after = first.state_dict()  # the shared layers were trained through second
    assert any(not np.array_equal(before[k], after[k]) for k in before)


# --- train_metrics ---------------------------------------------------------------------------------


def test_running_train_metrics_are_the_mean_over_the_epochs_batches():
    X, y = small_problem(n=50)
    model = Recording(build_mlp((5, 4, 2), seed=0).layers)
    losses = []
    original = model.loss_layer.forward

    def recording_loss(scores, target):
        losses.append((original(scores, target), len(target)))
        return losses[-1][0]

    model.loss_layer.forward = recording_loss
    history = train(model, SGD(lr=0.1), X, y, epochs=2, batch_size=16,
                    train_metrics="running")
    assert [n for _, n in losses] == [16, 16, 16, 2] * 2
    first_epoch = losses[:4]
    expected = sum(loss * n for loss, n in first_epoch) / 50
    assert history.train_loss[0] == pytest.approx(expected, rel=1e-12)
    assert all(is_train for _, is_train in model.calls)  # no extra pass in evaluation mode
    n_right = history.train_acc[0] * 50
    assert 0 <= n_right <= 50 and n_right == pytest.approx(round(n_right))  # a count of 50


def test_running_and_exact_metrics_train_identical_weights():
    X, y = small_problem()
    a, b = build_mlp((5, 4, 2), seed=0), build_mlp((5, 4, 2), seed=0)
    exact = train(a, Adam(lr=0.01), X, y, epochs=5, batch_size=8)
    running = train(b, Adam(lr=0.01), X, y, epochs=5, batch_size=8, train_metrics="running")
    for k, p in a.params().items():
        np.testing.assert_array_equal(b.params()[k], p)
    assert exact.train_loss != running.train_loss  # measured differently ...
    assert running.train_loss[-1] == pytest.approx(exact.train_loss[-1], rel=0.3)  # ... alike


def test_running_accuracy_with_one_hot_targets_equals_that_with_labels():
    X, y = small_problem()
    runs = [train(build_mlp((5, 4, 2), seed=0), Adam(lr=0.01), X, target, epochs=3,
                  train_metrics="running") for target in (y, np.eye(2)[y])]
    assert runs[0].train_acc == runs[1].train_acc
    assert runs[0].train_loss == pytest.approx(runs[1].train_loss, rel=1e-12)


def test_running_metrics_of_a_regression_model():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = X @ np.array([1.0, -2.0]) + 0.1 * rng.normal(size=40)
    history = train(build_mlp((2, 8, 1), loss="mse", seed=0), Adam(lr=0.01), X, y, epochs=3,
                    batch_size=10, train_metrics="running")
    assert history.train_acc == [None, None, None]
    assert history.train_loss[-1] < history.train_loss[0]


def test_a_layer_that_assigns_new_gradient_arrays_trains_like_one_that_writes_in_place():
    from dlcore.layers import Linear

    class ReplacingLinear(Linear):
        def backward(self, dout, need_dx=True):
            self.grads["W"] = dout.T @ self.x  # a new array: the optimizer would never see it
            self.grads["b"][...] = dout.sum(axis=0)
            return dout @ self.params["W"] if need_dx else None

    X, y = small_problem()
    assigning = Sequential([ReplacingLinear(5, 2, seed=0)])
    in_place = Sequential([Linear(5, 2, seed=0)])
    for model in (assigning, in_place):
        train(model, Adam(lr=0.05), X, y, epochs=3, batch_size=8)
    assert not np.allclose(assigning.params()["0.W"], Linear(5, 2, seed=0).params["W"])
    np.testing.assert_allclose(assigning.params()["0.W"], in_place.params()["0.W"], rtol=1e-12)
    np.testing.assert_allclose(assigning.params()["0.b"], in_place.params()["0.b"], rtol=1e-12)


def test_unknown_train_metrics_is_rejected():
    X, y = small_problem()
    with pytest.raises(ValueError, match="unknown train_metrics 'fast'; choose one of exact, running"):
        train(build_mlp((5, 4, 2), seed=0), SGD(lr=0.1), X, y, epochs=1, train_metrics="fast")


def test_state_dict_keeps_the_running_statistics_of_batchnorm_inside_a_residual_block():
    from dlcore.layers import BatchNorm, Linear, ReLU, Residual

    model = Sequential([Linear(3, 4, seed=0),
                        Residual(Linear(4, 4, seed=1), BatchNorm(4), ReLU()),
                        Linear(4, 2, seed=2)])
    X, y = small_problem(n=40, d=3)
    train(model, SGD(lr=0.1), X, y, epochs=2, batch_size=10)
    bn = model.layers[1].layers[1]
    state = model.state_dict()
    np.testing.assert_array_equal(state["1.1.running_mean"], bn.running_mean)
    expected = model.predict_proba(X)
    train(model, SGD(lr=0.1), X, y, epochs=2, batch_size=10)  # changes weights and statistics
    model.load_state_dict(state)
    np.testing.assert_array_equal(model.predict_proba(X), expected)


def test_a_loss_that_explodes_without_reaching_inf_is_reported_as_divergence():
    from dlcore.training import DIVERGENCE_FACTOR

    X, y = small_problem()
    # lr = 1e6 on a regression net: losses of 1e30 and more, not NaN for a while
    model = build_mlp((5, 8, 1), loss="mse", seed=0)
    with pytest.raises(TrainingDiverged, match="training diverged"):
        train(model, SGD(lr=1e6), X, y.astype(float), epochs=5, batch_size=8)
    assert DIVERGENCE_FACTOR == 1e6


def test_training_sizes_that_would_run_for_hours_are_refused_at_once():
    X, y = small_problem()
    with pytest.raises(ValueError, match=r"epochs=1000000000 over .* sample passes"):
        train(build_mlp((5, 4, 2), seed=0), SGD(lr=0.1), X, y, epochs=10**9)
    with pytest.raises(ValueError, match="validation_fraction=0.99 leaves no training data: "
                                         "20 samples, 20 of them for validation"):
        train(build_mlp((5, 4, 2), seed=0), SGD(lr=0.1), X[:20], y[:20], epochs=1,
              validation_fraction=0.99)
