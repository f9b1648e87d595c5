"""The mini-batch training loop (slide 29) with validation and early stopping (slides 38-39)."""

import math
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from .checks import (
    as_float_array,
    as_labels,
    as_rng,
    check_choice,
    check_in_range,
    check_positive_int,
)
from .network import class_labels


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite, or grew beyond DIVERGENCE_FACTOR times its first
    value: the weights have blown up."""


# A loss this many times its first value (or 1, whichever is larger) counts as diverged: no
# working run gets there, and a run that does would reach inf a few steps later anyway.
DIVERGENCE_FACTOR = 1e6
# More sample-passes than this (epochs × samples) would take hours or years: say so at once.
MAX_SAMPLE_PASSES = 10**9


@dataclass
class History:
    """Per-epoch metrics of one training run. Accuracies are None for regression losses."""

    train_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    best_epoch: int | None = None  # 1-based epoch whose weights were kept (early stopping)
    stopped_early: bool = False

    @property
    def epochs(self):
        return len(self.train_loss)

    def plot(self, title="学習曲線"):
        """Loss (and accuracy) against epoch; returns the Figure."""
        from .plotting import plot_history

        return plot_history(self, title=title)


def one_blas_thread():
    """Context manager: inside ``with one_blas_thread():`` NumPy's BLAS uses a single thread.

    The course's matrices are small (a batch of 32 × 64 inputs times 64 × 100 weights). For
    them a second BLAS thread costs more to wake and wait for than it saves, and on a busy
    2-core machine it made training 3-10 times slower (bench/README.md). The setting is
    restored when the block ends.
    """
    return threadpool_limits(limits=1, user_api="blas")


def loss_limit(first_loss):
    """The loss beyond which a run counts as diverged: DIVERGENCE_FACTOR × max(first, 1)."""
    return DIVERGENCE_FACTOR * max(first_loss, 1.0) if math.isfinite(first_loss) else math.inf


def evaluate(model, X, y):
    """Mean loss and accuracy (None for regression) of ``model`` on (X, y), in eval mode."""
    scores = model.forward(X, train=False)  # one forward pass serves both numbers
    loss = model.loss_layer.forward(scores, y)
    acc = model.score_accuracy(scores, y) if model.loss_layer.is_classifier else None
    return loss, acc


def train(model, optimizer, X, y, *, epochs, batch_size=32, validation_data=None,
          validation_fraction=None, patience=None, restore_best=True, seed=0,
          progress=False, callback=None, batch_callback=None, train_metrics="exact"):
    """Train ``model`` by mini-batch SGD with ``optimizer`` (slide 29).

    Each epoch shuffles the training set (seeded), splits it into batches of ``batch_size``
    samples, and for each batch computes L, backpropagates, and updates every weight:
    W ← W - η (1/m) Σ_j ∂L_j/∂W (the loss is already a mean over the batch).
    After each epoch the loss and accuracy on the validation set (if any) are recorded in
    evaluation mode, and on the training set as ``train_metrics`` says:

    - "exact" (default): one more pass over the whole training set in evaluation mode, with
      the weights at the end of the epoch. Train and validation numbers are then directly
      comparable (slide 38), at the cost of a forward pass over the training set per epoch.
    - "running": the mean of the epoch's batch losses and the share of its samples that the
      batches got right, measured during training (free; what Keras reports, and
      scikit-learn's ``loss_curve_``, which also adds the L2 penalty that dlcore's weight
      decay leaves out of the loss). These lag the weights by half an epoch on average and
      include dropout's noise.

    validation_data: (X_val, y_val), or validation_fraction in (0, 1) to hold out that share.
    patience: stop when the validation loss has not improved for this many epochs, and
        (with ``restore_best``) put back the weights of the best epoch.
    progress: show a tqdm progress bar. callback(epoch, history) runs after each epoch.
    batch_callback(loss): runs after each update with that batch's loss (e.g. to record
        the loss of every iteration, notebook 07).
    Raises TrainingDiverged as soon as the loss becomes NaN or inf, or grows beyond
    DIVERGENCE_FACTOR (10⁶) times the first batch's loss (or 1, if that is larger).
    """
    if not hasattr(optimizer, "step_vector"):
        raise TypeError(f"optimizer must be an optimizer object such as SGD(lr=0.1) or "
                        f"make_optimizer('adam', lr=1e-3), got {optimizer!r}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    X = as_float_array(X, "X")
    if X.ndim < 2:
        raise ValueError(f"X must be 2-D (samples, features), got shape {X.shape}")
    if model.loss_layer.is_classifier:
        y = as_labels(y, X.shape[0]) if np.ndim(y) == 1 else as_float_array(y, "y")
    else:
        y = as_float_array(y, "y")
    if len(y) != len(X):
        raise ValueError(f"y has {len(y)} rows but X has {len(X)} samples")
    rng = as_rng(seed)
    train_metrics = check_choice(train_metrics, "train_metrics", ("exact", "running"))

    if validation_data is not None and validation_fraction is not None:
        raise ValueError("give validation_data or validation_fraction, not both")
    if validation_fraction is not None:
        check_in_range(validation_fraction, "validation_fraction", 0.0, 1.0)
        perm = rng.permutation(len(X))
        n_val = max(1, int(round(validation_fraction * len(X))))
        if n_val >= len(X):
            raise ValueError(f"validation_fraction={validation_fraction} leaves no training "
                             f"data: {len(X)} samples, {n_val} of them for validation")
        validation_data = (X[perm[:n_val]], y[perm[:n_val]])
        X, y = X[perm[n_val:]], y[perm[n_val:]]
    if patience is not None:
        check_positive_int(patience, "patience")
        if validation_data is None:
            raise ValueError("early stopping (patience) needs validation_data or "
                             "validation_fraction")

    history = History()
    best_loss, best_state, since_best = np.inf, None, 0
    epoch_iter = range(1, epochs + 1)
    if progress:
        from tqdm.auto import tqdm

        epoch_iter = tqdm(epoch_iter, desc="学習", unit="epoch")

    n = len(X)
    if epochs * n > MAX_SAMPLE_PASSES:
        raise ValueError(f"epochs={epochs} over {n} samples is {epochs * n:.1e} sample passes, "
                         f"more than {MAX_SAMPLE_PASSES:.0e} (hours or more): use fewer epochs")
    classifier = model.loss_layer.is_classifier
    labels = class_labels(y) if classifier else None  # for the running accuracy
    theta, grad_theta, is_weight = model.param_vector()
    first_loss = None
    with one_blas_thread():  # small matrices: see one_blas_thread
        for epoch in epoch_iter:
            order = rng.permutation(n)
            # One shuffled copy per epoch; each batch is then a slice (no copying per batch).
            X_epoch, y_epoch = X[order], y[order]
            labels_epoch = labels[order] if classifier else None
            loss_sum, n_correct = 0.0, 0
            # Overflow inside a diverging run is reported once, by TrainingDiverged below.
            with np.errstate(over="ignore", invalid="ignore"):
                for start in range(0, n, batch_size):
                    batch = slice(start, start + batch_size)
                    # X was checked once above, so the batches skip forward's checks
                    scores = model.forward_checked(X_epoch[batch], train=True)
                    loss = model.loss_layer.forward(scores, y_epoch[batch])
                    if first_loss is None:
                        first_loss, limit = loss, loss_limit(loss)
                    if not math.isfinite(loss) or loss > limit:
                        raise TrainingDiverged(
                            f"loss became {loss:.3g} in epoch {epoch} (batch starting at sample "
                            f"{start}; the first batch had {first_loss:.3g}): training "
                            f"diverged. Try a smaller learning rate (now lr={optimizer.lr})."
                        )
                    model.backward(need_dx=False)
                    if epoch == 1 and start == 0:
                        # A layer may assign new arrays (self.grads["W"] = ...) instead of
                        # writing into its own: then θ is packed again after every backward,
                        # so the optimizer always sees the current gradients.
                        repack = model.has_unpacked_arrays()
                    if repack:
                        theta, grad_theta, is_weight = model.param_vector()
                    # W ← W - η g for every parameter at once (for SGD; slide 29)
                    optimizer.step_vector(theta, grad_theta, is_weight)
                    if batch_callback is not None:
                        batch_callback(loss)
                    if train_metrics == "running":
                        loss_sum += loss * len(scores)
                        if classifier:
                            predicted = model.loss_layer.predict(scores)
                            n_correct += int(np.count_nonzero(predicted == labels_epoch[batch]))
                if train_metrics == "exact":
                    train_loss, train_acc = evaluate(model, X, y)
                else:
                    train_loss = loss_sum / n
                    train_acc = n_correct / n if classifier else None
            history.train_loss.append(train_loss)
            history.train_acc.append(train_acc)

            if validation_data is not None:
                with np.errstate(over="ignore", invalid="ignore"):
                    val_loss, val_acc = evaluate(model, *validation_data)
                history.val_loss.append(val_loss)
                history.val_acc.append(val_acc)
                if val_loss < best_loss:
                    best_loss, since_best = val_loss, 0
                    history.best_epoch = epoch
                    if restore_best and patience is not None:
                        best_state = model.state_dict()
                else:
                    since_best += 1
            if progress:
                epoch_iter.set_postfix(loss=f"{train_loss:.4f}")
            if callback is not None:
                callback(epoch, history)
            if patience is not None and since_best >= patience:
                history.stopped_early = True
                break

    if best_state is not None:
        model.load_state_dict(best_state)
    return history
