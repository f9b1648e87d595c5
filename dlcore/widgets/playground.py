"""Notebook 07's playground: a small TensorFlow-Playground in Jupyter (slide 29).

Pick a 2-D dataset, a network and the settings of mini-batch SGD; the view trains the network
from scratch with ``dlcore.train`` and shows the decision boundary (a heatmap of P(class 1) with
the training and validation points) and the training and validation loss per epoch.

- ``compute_playground(dataset, noise, train_ratio, hidden_layers, neurons, activation, lr,
  batch_size, l2, epochs, seed)`` -- one complete training run, returned as plain data;
  a diverging run (loss NaN/inf, ``dlcore.TrainingDiverged``) comes back with
  status "diverged" and a message saying why, instead of raising; a run whose loss ended
  higher than it started comes back as "unstable".
- ``draw_playground(axes, **settings)`` -- both panels (boundary, loss curves) of the view;
  ``draw_playground_boundary(ax, **settings)`` -- the boundary panel alone, for the contact
  sheet; ``draw_boundary_panel`` / ``draw_loss_panel`` draw an already computed result.
- ``show_playground()`` -- the sliders (heavy: the view retrains when a slider is released).

Every run starts from the same seed, so moving one slider changes only what that slider
controls: the data (seed, noise), the split (seed, train_ratio), the initial weights and the
order of the mini-batches come from separate random streams of ``seed``.

The points held out from training are validation data (slide 38): the view is for choosing
settings, so a test set has no place in it. A choice made here is measured once, at the end,
on fresh data (``make_2d_dataset`` with another seed) through the returned ``model``.
"""

import math
import numbers

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from ..checks import (
    MAX_SEED,
    check_choice,
    check_in_range,
    check_int_in_range,
    check_positive,
    check_positive_int,
)
from ..datasets import PLAYGROUND_DATASETS, make_2d_dataset
from ..network import build_mlp
from ..optimizers import make_optimizer
from ..plotting import decision_grid
from ..training import TrainingDiverged, evaluate, train
from . import interactive_view

__all__ = [
    "DATASETS", "DATASET_LABELS", "ACTIVATIONS", "OPTIMIZERS", "MAX_HIDDEN_LAYERS",
    "MAX_NEURONS", "N_POINTS", "RESOLUTION", "MAX_UPDATES", "MAX_NOISE", "UNSTABLE_LOSS",
    "DEFAULTS",
    "iterations_per_epoch",
    "compute_playground", "BoundaryPanel", "LossPanel", "draw_boundary_panel",
    "draw_loss_panel", "draw_playground", "draw_playground_boundary", "repaint_playground",
    "VIEW", "show_playground",
]

DATASETS = tuple(PLAYGROUND_DATASETS)
"""Dataset names of the playground (those of ``dlcore.datasets.make_2d_dataset``)."""
DATASET_LABELS = {"circle": "円", "xor": "XOR", "gaussian": "ガウス分布", "spiral": "渦巻き",
                  "moons": "三日月"}
"""Japanese names of the datasets, for titles and the dropdown."""
ACTIVATIONS = ("tanh", "relu", "sigmoid", "leaky_relu")
"""Activations of the hidden layers (the output layer is a sigmoid + cross-entropy)."""
OPTIMIZERS = ("sgd", "momentum", "adam")
"""Update rules: plain SGD (slide 29) by default; Momentum and Adam are notebook 08's."""
MAX_HIDDEN_LAYERS = 4
MAX_NEURONS = 32
MAX_NOISE = 1.0
"""Largest number of hidden layers, of neurons per hidden layer, and of the data noise."""
N_POINTS = 200
"""Points per dataset, shared between the training and the validation part."""
RESOLUTION = 60
"""The boundary grid has RESOLUTION x RESOLUTION points (evaluated once, after training)."""
MAX_UPDATES = 60_000
"""Largest number of parameter updates, epochs x ceil(n_train / batch_size), of one run: the
sliders' extreme (300 epochs of 180 one-point batches, 54 000 updates, about 10 s) fits."""
UNSTABLE_LOSS = np.log(2.0) + 0.1
"""A run whose final training loss exceeds both its initial loss and this value (a little more
than ln 2, the loss of always answering P = 0.5) is reported as "unstable"."""
MIN_EXTENT = 1.6
"""Half-width of the square shown; wider only when noisy points lie outside it."""

DEFAULTS = dict(dataset="circle", noise=0.1, train_ratio=0.5, hidden_layers=2, neurons=8,
                activation="relu", lr=0.3, batch_size=20, l2=0.0, epochs=30, seed=0)
"""The view's starting point: 100 training points, 30 epochs x 5 mini-batches = 150 updates."""


def iterations_per_epoch(n, batch_size):
    """Updates (iterations) in one epoch of mini-batch SGD (slide 29): ceil(n / m).

    Every one of the n samples is used once per epoch, in batches of m = ``batch_size``;
    the last batch is smaller when m does not divide n.
    """
    n = check_positive_int(n, "n")
    return math.ceil(n / check_positive_int(batch_size, "batch_size"))


def _split(n, train_ratio, rng):
    """Indices of the training and validation part: the first round(ratio * n) of a permutation."""
    n_train = int(round(train_ratio * n))
    if not 2 <= n_train <= n - 2:
        raise ValueError(f"train_ratio={train_ratio} leaves {n_train} of {n} points for "
                         "training; both parts need at least 2 points")
    order = rng.permutation(n)
    return order[:n_train], order[n_train:]


def _divergence_message(lr, l2, epoch):
    message = (f"学習が発散しました：エポック {epoch} で損失が NaN または無限大になりました。"
               f"学習率 η = {lr:g} が大きすぎて、重みの更新が行き過ぎては戻り、"
               "そのたびに大きくなって数値があふれています。学習率を小さくしてください。")
    if l2 > 0 and lr * l2 >= 1:
        message += f"（L2 正則化の λ = {l2:g} との積 ηλ も 1 以上で、重みを減らす側でも行き過ぎます。）"
    return message


def _unstable_message(lr, final, initial):
    return (f"学習が不安定です：損失が学習前の {initial:.2f} から {final:.3g} に増えました"
            f"（いつも確率 0.5 と答えるだけでも損失は ln 2 = 約 0.69）。"
            f"学習率 η = {lr:g} が大きすぎて、更新が谷を飛び越えています。学習率を小さくしてください。")


def compute_playground(dataset="circle", noise=0.1, train_ratio=0.5, hidden_layers=2,
                       neurons=8, activation="relu", lr=0.3, batch_size=20, l2=0.0,
                       epochs=30, seed=0, *, optimizer="sgd", resolution=RESOLUTION):
    """Train a fresh MLP on a 2-D dataset by mini-batch SGD and return what the view shows.

    Data: ``make_2d_dataset(dataset, N_POINTS, noise, seed)``, split into round(train_ratio
    * N_POINTS) training points and the rest for validation. Network: 2 inputs,
    ``hidden_layers`` layers of ``neurons`` units with ``activation``, 1 output u with
    P(class 1) = σ(u) and the cross-entropy loss (slides 16, 36). Training:
    ``dlcore.train`` with W ← W − η (1/m) Σ_j ∂L_j/∂W over mini-batches of m = ``batch_size``
    points (slide 29), ``epochs`` passes over the training data, the L2 penalty
    (λ/2)||W||² with λ = ``l2`` added through the optimizer's weight decay (slide 39).

    Returns a dict:
        status, message     "ok"; "unstable" (finite, but the final training loss is above
                            both the initial loss and UNSTABLE_LOSS: the steps overshoot);
                            or "diverged" (the loss became NaN/inf); and a Japanese text
                            saying why (empty for "ok")
        X_train, y_train, X_val, y_val
        xx, yy, proba       the RESOLUTION x RESOLUTION grid and P(class 1) on it, computed once
                            after training (proba is None when the run diverged)
        extent              half-width of the square shown
        epoch, train_loss, val_loss
                            epochs 0 (before training), 1, 2, ... and the cross-entropy on the
                            whole training and validation part after each (without the L2 term);
                            a diverged run keeps the epochs before the divergence
        train_acc, val_acc  final accuracies (NaN when the run diverged)
        updates             parameter updates made: epochs x ceil(n_train / batch_size)
                            (iterations_per_epoch) when training ran to the end
        batch_size, n_train the mini-batch size asked for and the training points (a batch
                            larger than n_train is the whole training set)
        n_params            number of weights and biases of the network
        model               the trained network (to measure it on a test set at the end)
    The same arguments always give the same result.
    """
    dataset = check_choice(dataset, "dataset", DATASETS)
    noise = float(check_in_range(noise, "noise", 0.0, MAX_NOISE, high_inclusive=True))
    check_in_range(train_ratio, "train_ratio", 0.0, 1.0)
    if train_ratio == 0:
        raise ValueError("train_ratio must be > 0: the network needs training data")
    hidden_layers = check_int_in_range(hidden_layers, "hidden_layers", 0, MAX_HIDDEN_LAYERS)
    neurons = check_int_in_range(neurons, "neurons", 1, MAX_NEURONS)
    activation = check_choice(activation, "activation", ACTIVATIONS)
    lr = float(check_positive(lr, "learning rate lr"))
    batch_size = check_positive_int(batch_size, "batch_size")
    l2 = float(check_in_range(l2, "l2", 0.0, np.inf))
    epochs = check_positive_int(epochs, "epochs")
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    resolution = check_int_in_range(resolution, "resolution", 2, 1000)
    if (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
            or not 0 <= seed <= MAX_SEED):
        raise ValueError(f"seed must be an integer in 0..{MAX_SEED}, got {seed!r}")
    n_train = max(1, int(round(train_ratio * N_POINTS)))  # _split checks it below
    updates = epochs * iterations_per_epoch(n_train, batch_size)
    if updates > MAX_UPDATES:
        raise ValueError(f"epochs × ceil(n_train / batch_size) = {updates} updates, more than "
                         f"{MAX_UPDATES}: use fewer epochs or a larger batch_size")

    # one random stream each for the split, the initial weights and the batch order
    split_rng, init_rng, order_rng = (np.random.default_rng(s)
                                      for s in np.random.SeedSequence(seed).spawn(3))
    X, y = make_2d_dataset(dataset, n=N_POINTS, noise=noise, seed=seed)
    train_idx, val_idx = _split(N_POINTS, train_ratio, split_rng)
    X_train, y_train, X_val, y_val = X[train_idx], y[train_idx], X[val_idx], y[val_idx]

    model = build_mlp([2] + [neurons] * hidden_layers + [1], activation=activation,
                      loss="sigmoid_cross_entropy", seed=init_rng)
    opt = make_optimizer(optimizer, lr=lr, weight_decay=l2)
    loss0_train, _ = evaluate(model, X_train, y_train)
    loss0_val, _ = evaluate(model, X_val, y_val)
    seen = {}  # the History so far, kept by the callback in case training diverges
    status, message = "ok", ""
    try:
        history = train(model, opt, X_train, y_train, epochs=epochs, batch_size=batch_size,
                        validation_data=(X_val, y_val), seed=order_rng,
                        callback=lambda epoch, h: seen.update(history=h))
    except TrainingDiverged:
        history = seen.get("history")
        status = "diverged"
    train_loss = [loss0_train] + (list(history.train_loss) if history else [])
    val_loss = [loss0_val] + (list(history.val_loss) if history else [])

    extent = max(MIN_EXTENT, float(np.abs(X).max()) + 0.1)
    corners = np.array([[-extent, -extent], [extent, extent]])
    xx, yy, points = decision_grid(corners, resolution=resolution, pad=0.0)
    proba = None
    if status == "ok":
        with np.errstate(over="ignore", invalid="ignore"):
            proba = model.predict_proba(points)[:, 1].reshape(xx.shape)
        curves_finite = np.all(np.isfinite(train_loss)) and np.all(np.isfinite(val_loss))
        if not (curves_finite and np.all(np.isfinite(proba))):
            status, proba = "diverged", None  # blew up in the last epoch's evaluation
    if status == "ok" and train_loss[-1] > max(train_loss[0], UNSTABLE_LOSS):
        status, message = "unstable", _unstable_message(lr, train_loss[-1], train_loss[0])
    if status == "diverged":
        finite = np.isfinite(train_loss) & np.isfinite(val_loss)
        n_ok = int(np.argmin(finite)) if not finite.all() else len(finite)
        train_loss, val_loss = train_loss[:n_ok], val_loss[:n_ok]
        message = _divergence_message(lr, l2, epoch=n_ok)
        train_acc = val_acc = float("nan")
    else:
        train_acc, val_acc = history.train_acc[-1], history.val_acc[-1]

    return {
        "status": status, "message": message,
        "X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val,
        "xx": xx, "yy": yy, "proba": proba, "extent": extent,
        "epoch": np.arange(len(train_loss)),
        "train_loss": np.array(train_loss), "val_loss": np.array(val_loss),
        "train_acc": float(train_acc), "val_acc": float(val_acc),
        "updates": opt.t, "batch_size": batch_size, "n_train": len(y_train),
        "n_params": model.n_params,
        "model": model,
    }


# --- drawing ----------------------------------------------------------------------------------

_HEAT_CMAP = "RdBu_r"  # P(class 1): blue 0 -> white 0.5 -> red 1
_HEAT_RANGE = (-0.5, 1.5)  # a wider colour range than 0..1 keeps the heatmap light
_POINT_CMAP = ListedColormap(["tab:blue", "tab:red"])  # class 0, class 1
_BOX = dict(boxstyle="round", fc="white", ec="darkred", alpha=0.92)


def _wrap_japanese(text, width=20):
    """Lines of at most ``width`` characters, breaking after each 。 (Japanese has no spaces
    for textwrap to break at)."""
    lines = []
    for rest in text.replace("。", "。\n").split("\n"):
        rest = rest.strip()
        while len(rest) > width:
            cut = width
            while cut > width // 2 and rest[cut - 1:cut + 1].isascii() and \
                    rest[cut - 1:cut + 1].replace(".", "").isalnum():
                cut -= 1  # do not split a number or a word such as "0.70" or "NaN"
            lines.append(rest[:cut])
            rest = rest[cut:].lstrip()
        if rest:
            lines.append(rest)
    return "\n".join(lines)


def _fixed_title(ax):
    """Place the title right above the axes. Giving the position (y = 1) once stops
    matplotlib from measuring every tick label on each redraw to place the title."""
    ax.set_title("", y=1.0)


class BoundaryPanel:
    """The boundary panel (slide 29): a heatmap of P(class 1) = σ(u) on the grid (blue 0 ->
    red 1), the decision boundary P = 0.5, the training points (circles) and the validation points
    (triangles). A run that is not "ok" shows its message: over the empty plane when it
    diverged, at the top when it was unstable.

    The artists are made once; ``paint(result)`` changes their data. The view keeps one
    figure and repaints it on every slider change, which skips most of matplotlib's work
    (creating axes, ticks and texts costs more than drawing them).
    """

    def __init__(self, ax, legend=False):
        self.ax = ax
        self.heatmap = ax.imshow(np.full((2, 2), 0.5), origin="lower", cmap=_HEAT_CMAP,
                                 vmin=_HEAT_RANGE[0], vmax=_HEAT_RANGE[1],
                                 interpolation="bilinear", aspect="auto")
        self.boundary = None  # a contour set cannot change its data: it is drawn anew
        empty = np.empty((0, 2))
        self.train_points = ax.scatter(empty[:, 0], empty[:, 1], c=[], cmap=_POINT_CMAP,
                                       vmin=0, vmax=1, s=16, edgecolors="white",
                                       linewidths=0.6, label="訓練データ")
        self.val_points = ax.scatter(empty[:, 0], empty[:, 1], c=[], cmap=_POINT_CMAP,
                                      vmin=0, vmax=1, s=22, marker="^", edgecolors="k",
                                      linewidths=0.6, label="検証データ")
        self.message = ax.text(0, 0, "", ha="center", color="darkred", bbox=_BOX,
                               visible=False)
        ticks = [-1, 0, 1]  # few tick labels: text layout is most of the drawing time
        ax.set(xticks=ticks, yticks=ticks, xlabel="$x_1$", ylabel="$x_2$")
        _fixed_title(ax)
        if legend:  # the shape tells training from validation points; the colour is the class
            marker = dict(ls="", mfc="lightgray", mec="k", mew=0.6)
            ax.legend(handles=[Line2D([], [], marker="o", ms=4, label="訓練データ", **marker),
                               Line2D([], [], marker="^", ms=5, label="検証データ", **marker)],
                      loc="lower left", fontsize=7)

    def paint(self, result, title=None):
        ax, e = self.ax, result["extent"]
        diverged = result["status"] == "diverged"
        if self.boundary is not None:
            self.boundary.remove()
            self.boundary = None
        self.heatmap.set_visible(not diverged)
        if not diverged:
            self.heatmap.set_data(result["proba"])
            self.heatmap.set_extent((-e, e, -e, e))
            self.boundary = ax.contour(result["xx"], result["yy"], result["proba"],
                                       levels=[0.5], colors="k", linewidths=1)
        self.train_points.set_offsets(result["X_train"])
        self.train_points.set_array(result["y_train"])
        self.val_points.set_offsets(result["X_val"])
        self.val_points.set_array(result["y_val"])
        self.message.set_visible(result["status"] != "ok")
        if diverged:
            self.message.set(text=_wrap_japanese(result["message"]), position=(0, 0),
                             va="center", fontsize=8)
        elif result["status"] == "unstable":
            self.message.set(text=_wrap_japanese(result["message"], 26),
                             position=(0, 0.95 * e), va="top", fontsize=7)
        if title is None:
            title = (f"訓練 {result['train_acc']:.0%}・検証 {result['val_acc']:.0%} 正解"
                     if not diverged else "学習が発散しました")
        ax.set(xlim=(-e, e), ylim=(-e, e))
        ax.set_title(title, fontsize=10)


class LossPanel:
    """The loss panel: training and validation loss L (mean cross-entropy, slide 16) after each
    epoch of SGD (slide 29), on a logarithmic axis when the run was unstable or diverged;
    a diverged run says so. Made once, repainted by ``paint(result)`` like BoundaryPanel."""

    def __init__(self, ax):
        self.ax = ax
        (self.train_line,) = ax.plot([], [], label="訓練データ")
        (self.val_line,) = ax.plot([], [], "--", label="検証データ")
        self.message = ax.text(0.5, 0.5, "損失が NaN/無限大になったため\nここで打ち切りました",
                               transform=ax.transAxes, ha="center", va="center",
                               color="darkred", visible=False)
        ax.set(xlabel="エポック", ylabel="損失 $L$（クロスエントロピー）")
        _fixed_title(ax)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)

    def paint(self, result):
        ax, status = self.ax, result["status"]
        self.train_line.set_data(result["epoch"], result["train_loss"])
        self.val_line.set_data(result["epoch"], result["val_loss"])
        self.message.set_visible(status == "diverged")
        batches = _batches_text(result)
        ax.set_title({
            "ok": f"損失の推移（{batches}・更新 {result['updates']} 回）",
            "unstable": f"損失の推移：学習前より増加（{batches}・更新 {result['updates']} 回）",
            "diverged": "損失の推移：発散（NaN/無限大）",
        }[status], fontsize=10)
        # The loss grew by orders of magnitude when not "ok": a logarithmic axis shows it all.
        ax.set_yscale("linear" if status == "ok" else "log")
        losses = np.concatenate([result["train_loss"], result["val_loss"]])
        positive = losses[losses > 0]  # a log axis cannot show 0
        if status == "ok":
            ax.set_ylim(0, 1.05 * max(losses.max(), 1e-3))
        elif positive.size:
            ax.set_ylim(0.8 * positive.min(), 1.25 * positive.max())
        else:  # nothing finite to show: any positive range keeps the log axis valid
            ax.set_ylim(0.1, 10)
        ax.set_xlim(0, max(1, len(result["epoch"]) - 1))
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        if status == "ok":
            ax.yaxis.set_major_locator(MaxNLocator(4))


def draw_boundary_panel(ax, result, title=None):
    """Draw the boundary panel of an already computed ``result`` on ``ax`` (see
    BoundaryPanel); ``title`` replaces the accuracy title."""
    BoundaryPanel(ax).paint(result, title)


def draw_loss_panel(ax, result):
    """Draw the loss panel of an already computed ``result`` on ``ax`` (see LossPanel)."""
    LossPanel(ax).paint(result)


def _batches_text(result):
    """The mini-batch size for a title: m, and when m is at least the training set, that
    every update uses all of it (so m = 100 and m = 200 on 100 points look alike for a
    reason the student can read)."""
    m, n = result["batch_size"], result["n_train"]
    return f"m = {m}" if m < n else f"m = {m}：全 {n} 点"


def _two_axes(axes):
    axes = np.ravel(axes)
    if axes.size != 2:
        raise ValueError(f"the playground needs 2 axes (boundary, loss), got {axes.size}")
    return axes


def draw_playground(axes, **settings):
    """The view: train once by mini-batch SGD with ``settings`` (see compute_playground,
    slide 29), then draw the boundary on axes[0] and the loss curves on axes[1]."""
    return repaint_playground()(axes, **settings)  # the view's drawing, on fresh panels


def draw_playground_boundary(ax, result=None, **settings):
    """One contact-sheet panel: the boundary after training with ``settings`` (slide 29),
    titled with the dataset, the hidden layers and the validation accuracy. Pass ``result`` (the
    return value of ``compute_playground(**settings)``) to draw a run already computed
    instead of training again."""
    if result is None:
        result = compute_playground(**settings)
    s = DEFAULTS | settings
    layers = "隠れ層なし" if s["hidden_layers"] == 0 else \
        f"隠れ層 {s['hidden_layers']}×{s['neurons']}"
    outcome = {"ok": f"検証 {result['val_acc']:.0%}", "unstable": "不安定",
               "diverged": "発散"}[result["status"]]
    draw_boundary_panel(ax, result, title=f"{DATASET_LABELS[s['dataset']]}・{layers}：{outcome}")
    return result


def repaint_playground():
    """The view's drawing function, ``paint(axes, **settings)``: on its first call it makes
    the two panels on ``axes`` (then in ``paint.panels``); every call trains with
    ``settings`` and repaints them. Used
    with ``interactive_view(..., keep_figure=True)``, which passes the same axes every time."""
    panels = []

    def paint(axes, **settings):
        if not panels:
            axes = _two_axes(axes)
            panels.extend([BoundaryPanel(axes[0], legend=True), LossPanel(axes[1])])
        result = compute_playground(**settings)
        for panel in panels:
            panel.paint(result)
        return result

    paint.panels = panels  # [BoundaryPanel, LossPanel] once painted (tests look at them)
    return paint


VIEW = dict(figsize=(10, 4), panels=(1, 2), keep_figure=True,
            margins={"left": 0.07, "right": 0.98, "bottom": 0.13, "top": 0.92, "wspace": 0.25})
"""Layout of the playground view: one kept figure with fixed margins (no tight_layout)."""
VIEW_MARGINS = VIEW["margins"]
"""The view's fixed margins (keyword arguments of ``fig.subplots_adjust``): a redraw without
tight_layout is ~60 ms faster."""


def show_playground(**overrides):
    """The playground view (slide 29): dataset, noise, train/validation ratio, hidden layers,
    neurons per layer, activation, learning rate η (logarithmic), batch size m, L2 rate λ,
    epochs, seed and optimizer. Every change retrains from the same seed, when the slider
    is released (heavy=True). ``overrides`` change the starting values of DEFAULTS."""
    import ipywidgets as widgets

    from . import log_slider

    s = DEFAULTS | {"optimizer": "sgd"} | overrides
    style = {"description_width": "initial"}
    controls = {
        "dataset": widgets.Dropdown(options=[(DATASET_LABELS[d], d) for d in DATASETS],
                                    value=s["dataset"], description="データ", style=style),
        "noise": widgets.FloatSlider(value=s["noise"], min=0, max=0.5, step=0.05,
                                     description="ノイズ", style=style),
        "train_ratio": widgets.FloatSlider(value=s["train_ratio"], min=0.1, max=0.9, step=0.1,
                                           description="訓練データの割合", style=style),
        "hidden_layers": widgets.IntSlider(value=s["hidden_layers"], min=0,
                                           max=MAX_HIDDEN_LAYERS, description="隠れ層の数",
                                           style=style),
        "neurons": widgets.IntSlider(value=s["neurons"], min=1, max=MAX_NEURONS,
                                     description="1 層のニューロン数", style=style),
        "activation": widgets.Dropdown(options=ACTIVATIONS, value=s["activation"],
                                       description="活性化関数", style=style),
        "lr": log_slider("学習率 η", s["lr"], -3, 1.5),
        "batch_size": widgets.SelectionSlider(options=[1, 2, 5, 10, 20, 50, 100, 200],
                                              value=s["batch_size"],
                                              description="バッチサイズ m", style=style),
        "l2": widgets.SelectionSlider(options=[0.0, 1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0],
                                      value=s["l2"], description="L2 正則化 λ", style=style),
        "epochs": widgets.IntSlider(value=s["epochs"], min=1, max=300,
                                    description="エポック数", style=style),
        "seed": widgets.IntSlider(value=s["seed"], min=0, max=9, description="乱数の種",
                                  style=style),
        "optimizer": widgets.Dropdown(options=OPTIMIZERS, value=s["optimizer"],
                                      description="最適化手法", style=style),
    }
    return interactive_view(repaint_playground(), controls, heavy=True, **VIEW)
