"""Figures with Japanese titles and labels. Importing this module sets up the Japanese font.

Every function returns its matplotlib Figure. In a notebook, end the cell with
``plt.show()`` (or assign the figure) so the figure is shown once.
"""

import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401  (registers and selects the bundled IPAexGothic font)
import numpy as np

# IPAexGothic has Japanese, Greek and the minus sign, but not every math symbol
# (e.g. ≤ is missing): write such symbols in mathtext, as in r"$\leq$".
plt.rcParams["axes.unicode_minus"] = True


def setup_japanese_font():
    """Select the bundled Japanese font (IPAexGothic) for every new figure; offline, no download."""
    matplotlib_fontja.japanize()


setup_japanese_font()


def decision_grid(X, resolution=150, pad=0.5):
    """A regular grid covering the 2-D points X (plus ``pad``).

    Returns (xx, yy, points) with xx, yy of shape (resolution, resolution) and points of
    shape (resolution², 2), ready to be classified in one vectorized call.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_grid needs 2-D points of shape (n, 2), got {X.shape}")
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_decision_boundary(model, X, y, ax=None, title="決定境界", resolution=150):
    """Colour the plane by the class ``model`` predicts, with the data points on top.

    ``model`` is a dlcore Sequential (or anything with ``predict``); for two classes the
    colour shows P(class 1) from ``predict_proba`` when available.
    """
    fig, ax = _figure_and_axes(ax, figsize=(5, 4.5))
    xx, yy, points = decision_grid(X, resolution)
    n_classes = int(np.max(y)) + 1
    if n_classes == 2 and hasattr(model, "predict_proba"):
        zz = model.predict_proba(points)[:, 1].reshape(xx.shape)
        ax.contourf(xx, yy, zz, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
        ax.contour(xx, yy, zz, levels=[0.5], colors="k", linewidths=1)
    else:
        zz = model.predict(points).reshape(xx.shape)
        ax.contourf(xx, yy, zz, levels=np.arange(n_classes + 1) - 0.5, cmap="tab10",
                    alpha=0.35, vmin=0, vmax=9)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r" if n_classes == 2 else "tab10",
               vmin=0, vmax=1 if n_classes == 2 else 9, edgecolors="k", s=20)
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
    return fig


def plot_history(history, title="学習曲線"):
    """Loss (left) and, for classifiers, accuracy (right) per epoch for train and validation."""
    has_acc = history.train_acc and history.train_acc[0] is not None
    fig, axes = plt.subplots(1, 2 if has_acc else 1, figsize=(10 if has_acc else 5, 3.8))
    axes = np.atleast_1d(axes)
    epochs = np.arange(1, history.epochs + 1)
    axes[0].plot(epochs, history.train_loss, label="訓練データ")
    if history.val_loss:
        axes[0].plot(epochs, history.val_loss, label="検証データ")
    axes[0].set(title="損失", xlabel="エポック", ylabel="損失 $L$")
    if has_acc:
        axes[1].plot(epochs, history.train_acc, label="訓練データ")
        if history.val_acc:
            axes[1].plot(epochs, history.val_acc, label="検証データ")
        axes[1].set(title="正解率", xlabel="エポック", ylabel="正解率")
    if history.best_epoch is not None and history.val_loss:
        for ax in axes:
            ax.axvline(history.best_epoch, color="gray", ls=":", label="最良のエポック")
    for ax in axes:
        ax.legend()
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_contour_paths(f, paths, xlim, ylim, ax=None, title="等高線と最適化の経路",
                       levels=30, log_levels=True, resolution=200, xlabel="$x$", ylabel="$y$"):
    """Contour plot of f(x, y) with optimization paths drawn on it.

    ``f`` takes two arrays (x, y) and returns f element-wise; ``paths`` maps a label to an
    array of points of shape (steps + 1, 2).
    """
    fig, ax = _figure_and_axes(ax, figsize=(6, 5))
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    zz = f(xx, yy)
    if log_levels:
        z_min = zz.min()
        shifted = zz - z_min + 1e-3
        lv = z_min - 1e-3 + np.geomspace(shifted.min(), shifted.max(), levels)
    else:
        lv = levels
    ax.contour(xx, yy, zz, levels=lv, cmap="viridis", linewidths=0.7)
    for label, path in paths.items():
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], "o-", ms=2.5, lw=1.2, label=label)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=xlim, ylim=ylim)
    if paths:
        ax.legend(loc="best", fontsize=8)
    return fig


def plot_gradient_norms(norms, ax=None, title="層ごとの勾配の大きさ"):
    """Per-layer gradient norms ||dL/dW^k|| on a log scale; ``norms`` maps a label to a list
    with one value per layer (first layer first)."""
    fig, ax = _figure_and_axes(ax, figsize=(6, 4))
    for label, values in norms.items():
        ax.semilogy(np.arange(1, len(values) + 1), values, "o-", label=label)
    ax.set(title=title, xlabel="層 $k$ (入力側 → 出力側)", ylabel=r"$\|\partial L / \partial W^k\|$")
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    return fig


def _figure_and_axes(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


# --- the network pictures of notebooks 00-02 ---------------------------------------------------

def draw_layer_diagram(ax, widths, title):
    """Neurons as dots, layer by layer (``widths``: neurons per layer, input first), and every
    connection between neighbouring layers as a line (slide 3: input, hidden layers, output)."""
    xs = np.arange(len(widths))

    def heights(n):
        return np.linspace(-1, 1, n) if n > 1 else np.zeros(1)

    for k, (x, n) in enumerate(zip(xs, widths)):
        if k + 1 < len(widths):
            for y0 in heights(n):
                for y1 in heights(widths[k + 1]):
                    ax.plot([x, x + 1], [y0, y1], color="lightgray", lw=0.8, zorder=1)
        hidden = 0 < k < len(widths) - 1
        ax.scatter(np.full(n, x), heights(n), s=180, zorder=2,
                   color="tab:blue" if hidden else "tab:orange")
    ax.set_xticks(xs, ["入力"] + ["隠れ層"] * (len(widths) - 2) + ["出力"])
    ax.set_yticks([])
    ax.set(title=title, ylim=(-1.3, 1.3))
    return ax.figure


def draw_perceptron_diagram(ax=None):
    """Slide 4's picture: inputs x_0, x_1, x_2 with weights w_0, w_1, w_2 into one perceptron
    (u = Σ_i w_i x_i, then f) and its output o."""
    fig, ax = _figure_and_axes(ax, figsize=(6, 3))
    for i, y in enumerate((1.0, 0.0, -1.0)):
        ax.annotate("", xy=(2.55, 0), xytext=(0.25, y),
                    arrowprops={"arrowstyle": "->", "color": "gray"})
        ax.text(0, y, f"$x_{i}$", ha="center", va="center", fontsize=13,
                bbox={"boxstyle": "circle", "fc": "tab:orange", "alpha": 0.4})
        ax.text(1.3, 0.55 * y + 0.12, f"$w_{i}$", fontsize=12, color="gray")
    ax.text(3, 0, "$u$ → $f$", ha="center", va="center", fontsize=13,
            bbox={"boxstyle": "circle,pad=0.6", "fc": "tab:blue", "alpha": 0.3})
    ax.annotate("", xy=(4.6, 0), xytext=(3.5, 0), arrowprops={"arrowstyle": "->"})
    ax.text(4.8, 0, "$o$", ha="center", va="center", fontsize=14)
    ax.set(xlim=(-0.5, 5.2), ylim=(-1.5, 1.5), title="パーセプトロン：複数の入力から 1 つの出力")
    ax.axis("off")
    return fig


def draw_hidden_plane(ax, X, y, o0, w_out, b_out, names=("$o^0_0$", "$o^0_1$"),
                      line_label="出力層の直線"):
    """The samples drawn at their hidden-layer outputs (o⁰_0, o⁰_1) instead of (x_1, x_2),
    coloured by the label y, with the output neuron's line w_out · o⁰ + b_out = 0 (slide 10).
    Samples that land on the same point are listed in one annotation."""
    X, y, o0 = np.asarray(X), np.asarray(y), np.asarray(o0)
    for cls, colour in ((0, "tab:blue"), (1, "tab:red")):
        mask = y == cls
        ax.scatter(o0[mask, 0], o0[mask, 1], s=120, color=colour, edgecolors="k", zorder=3,
                   label=f"$y = {cls}$")
    for point in np.unique(o0, axis=0):
        same = [f"({x1:g}, {x2:g})" for (x1, x2), p in zip(X, o0) if np.array_equal(p, point)]
        ax.annotate("サンプル " + ", ".join(same), tuple(point), textcoords="offset points",
                    xytext=(-30, 12), fontsize=9)
    w1, w2 = w_out
    p = -b_out * np.array([w1, w2]) / (w1 * w1 + w2 * w2)    # the point of the line nearest 0
    ax.axline(tuple(p), tuple(p + np.array([-w2, w1])), color="k", lw=1, label=line_label)
    ax.set(xlim=(-0.3, 1.6), ylim=(-0.3, 1.6), xlabel=names[0], ylabel=names[1])
    ax.legend(loc="lower left", fontsize=8)
    return ax.figure
