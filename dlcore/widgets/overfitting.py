"""Notebook 10's helpers and widgets: overfitting and regularization (slides 37-39).

- ``polynomial_features`` / ``fit_polynomial`` / ``polynomial_mse``: least-squares and ridge
  (L2-regularized) polynomial fits, f(x) = w_0 + w_1 x + ... + w_M x^M (x_0 = 1, slide 5).
- ``polynomial_data``: slide 37's cubic + noise, a training sample and a fresh test sample;
  ``polynomial_validation_data``: a third, validation sample for choosing λ (slide 38).
- ``compute_polynomial_fit`` / ``draw_polynomial_fit``: one fit with its train and test error.
- ``compute_degree_errors`` / ``draw_degree_errors``: train and test error against the degree
  (the U-shaped test error of slide 37's figure).
- ``draw_polynomial_view`` / ``show_polynomial_fit``: sliders for degree, number of points and
  noise -> both pictures side by side.
- ``compute_ridge_fit`` / ``draw_ridge_fit`` / ``compute_lambda_errors`` /
  ``draw_lambda_errors`` / ``draw_ridge_view`` / ``show_ridge_fit``: the same with an L2
  penalty λ (slide 39).
"""

import numbers

import numpy as np

from ..checks import MAX_SEED, as_float_array, check_finite, check_in_range, check_positive_int
from ..datasets import cubic_with_noise, true_cubic
from . import interactive_view, log_slider

DEGREES = tuple(range(1, 16))
"""The polynomial degrees of slide 37's figure, 1 to 15."""

MAX_DEGREE = 30
"""Highest degree fitted: higher powers x^M on [-1, 1] are too alike for a meaningful
least-squares fit."""

N_TEST = 500
"""Number of fresh samples on which the test error is measured."""

TEST_SEED_OFFSET = 10_000
"""The test sample of seed s is drawn with seed s + TEST_SEED_OFFSET (never the training one)."""

N_VAL = 50
"""Number of validation samples on which λ is chosen (slide 38)."""

VAL_SEED_OFFSET = 20_000
"""The validation sample of seed s is drawn with seed s + VAL_SEED_OFFSET."""

LAMBDAS = np.logspace(-12, 2, 57)
"""The grid of ridge strengths λ (10^-12 ... 10^2, 4 per decade) for the error-against-λ curve."""

X_GRID = np.linspace(-1.0, 1.0, 301)
"""Where the fitted curves are drawn."""
LAMBDAS.flags.writeable = X_GRID.flags.writeable = False  # shared by every call

MAX_POINTS = 10_000
"""Largest number of training or test points (the widget's slider stops at 100)."""
MAX_LAMS = 200
"""Largest number of λ values ``compute_lambda_errors`` fits (LAMBDAS has 57)."""

Y_LIMITS = (-1.8, 1.8)
"""The y-range of the fit plots; a wildly swinging curve is cut off at these values."""


def _check_degree(degree):
    degree = check_positive_int(degree, "degree")
    if degree > MAX_DEGREE:
        raise ValueError(f"degree must be at most {MAX_DEGREE} (higher powers x^M on [-1, 1] "
                         f"are too alike for a meaningful least-squares fit), got {degree}")
    return degree


def _check_seed(seed):
    if (not isinstance(seed, numbers.Integral) or isinstance(seed, bool)
            or not 0 <= seed <= MAX_SEED):
        raise ValueError(f"seed must be an integer in 0..{MAX_SEED}, got {seed!r}")
    return int(seed)


def _check_mark(mark):
    return None if mark is None else check_finite(mark, "mark")


def _check_lam(lam):
    return float(check_in_range(lam, "λ (lam)", 0.0, np.inf))


def _format_lam(lam):
    """λ for a title: "0", "0.001", "0.0018", "10", "1e-08"."""
    return "0" if lam == 0 else f"{lam:.2g}"


ERROR_FLOOR = 1e-30
"""Errors are drawn at least this large: a noise-free fit can be exactly 0, which a log axis
cannot show."""


def polynomial_features(x, degree):
    """The matrix Φ with rows (1, x_i, x_i², ..., x_i^M), M = ``degree`` (a Vandermonde matrix).

    Column 0 is x_0 = 1 (the bias, slide 5), so f(x_i) = Σ_j w_j x_i^j = (Φ w)_i.
    """
    x = as_float_array(x, "x", ndim=1)
    return np.vander(x, _check_degree(degree) + 1, increasing=True)


def fit_polynomial(x, y, degree, lam=0.0):
    """Weights w = (w_0, ..., w_M) of the polynomial of degree M that minimizes (slides 16, 39)

        L(w) = Σ_i (y_i - f(x_i))² + λ Σ_{j≥1} w_j²,

    the sum of squared errors plus λ times the squared weights (the bias w_0 is not
    penalized, like dlcore's weight decay, which skips biases). Setting ∂L/∂w = 0 gives the
    closed form w = (ΦᵀΦ + λD)⁻¹ Φᵀ y with D = diag(0, 1, ..., 1); λ = 0 is plain least
    squares. It is computed as the least-squares solution of the stacked system
    [Φ; √λ D] w = [y; 0] (same minimum, better rounding). When there are fewer points than
    weights and λ = 0, the solution is not unique and the one of smallest norm is returned.
    """
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if x.shape != y.shape:
        raise ValueError(f"x has {x.size} points but y has {y.size}")
    lam = _check_lam(lam)
    phi = polynomial_features(x, degree)
    if lam > 0:
        penalty = np.sqrt(lam) * np.diag(np.r_[0.0, np.ones(phi.shape[1] - 1)])
        phi = np.vstack([phi, penalty])
        y = np.r_[y, np.zeros(phi.shape[1])]
    w, *_ = np.linalg.lstsq(phi, y, rcond=None)
    return w


def predict_polynomial(w, x):
    """f(x) = Σ_j w_j x^j for every x (Horner's rule)."""
    w = as_float_array(w, "w", ndim=1)
    x = as_float_array(x, "x").astype(np.float64, copy=False)
    out = np.zeros_like(x)
    for wj in w[::-1]:
        out = out * x + wj
    return out


def polynomial_mse(w, x, y):
    """Mean squared error (1/n) Σ_i (y_i - f(x_i))² of the polynomial w on (x, y) (slide 16)."""
    y = as_float_array(y, "y", ndim=1)
    return float(np.mean((y - predict_polynomial(w, x)) ** 2))


def polynomial_data(n=20, noise=0.2, seed=0, n_test=N_TEST):
    """Slide 37's data: a training sample (x, y) of ``n`` points of the cubic + noise and a
    fresh test sample (x_test, y_test) of ``n_test`` points from the same cubic + noise
    (seed + TEST_SEED_OFFSET), standing in for "unknown data" from the population.

    Both come from ``dlcore.datasets.cubic_with_noise`` on [-1, 1]; ``seed`` is an int >= 0.
    """
    seed = _check_seed(seed)
    for value, name in ((n, "n"), (n_test, "n_test")):
        if isinstance(value, numbers.Integral) and value > MAX_POINTS:
            raise ValueError(f"{name} must be at most {MAX_POINTS}, got {value}")
    x, y = cubic_with_noise(n=n, noise=noise, seed=seed)
    x_test, y_test = cubic_with_noise(n=n_test, noise=noise, seed=seed + TEST_SEED_OFFSET)
    return x, y, x_test, y_test


# --- widget 1: degree, n, noise -> the fit --------------------------------------------------

def polynomial_validation_data(noise=0.2, seed=0, n_val=N_VAL):
    """A validation sample (x_val, y_val) of ``n_val`` points of the same cubic + noise, drawn
    with seed + VAL_SEED_OFFSET: neither the training nor the test sample of ``seed``.
    Settings such as λ are chosen on it; the test sample is kept for the final report."""
    return cubic_with_noise(n=n_val, noise=noise, seed=_check_seed(seed) + VAL_SEED_OFFSET)


def compute_polynomial_fit(degree, n=20, noise=0.2, seed=0, lam=0.0):
    """Fit a polynomial of ``degree`` (with ridge strength ``lam``) to n points of slide 37's
    cubic + noise and measure it (slides 37, 39).

    Returns a dict: x, y (training points), w (weights), grid / fit / true (the fitted and
    the true curve on X_GRID), train_mse (on the n points), val_mse (on the N_VAL validation
    points), test_mse (on N_TEST fresh points), weight_norm (sqrt(Σ_{j≥1} w_j²)), and the
    settings.
    """
    degree = _check_degree(degree)
    x, y, x_test, y_test = polynomial_data(n, noise, seed)
    x_val, y_val = polynomial_validation_data(noise, seed)
    w = fit_polynomial(x, y, degree, lam)
    return {
        "degree": degree, "n": int(n), "noise": float(noise), "lam": _check_lam(lam),
        "x": x, "y": y, "w": w,
        "grid": X_GRID.copy(), "fit": predict_polynomial(w, X_GRID), "true": true_cubic(X_GRID),
        "train_mse": polynomial_mse(w, x, y), "val_mse": polynomial_mse(w, x_val, y_val),
        "test_mse": polynomial_mse(w, x_test, y_test),
        "weight_norm": float(np.linalg.norm(w[1:])),
    }


def _draw_fit(ax, r, title, other="test"):
    """The fit, the points and two errors in the corner: training and ``other`` ("test" or
    "val")."""
    name = {"test": "テスト誤差", "val": "検証誤差"}[other]
    ax.plot(r["grid"], r["true"], color="gray", ls="--", label="真の 3 次式")
    ax.plot(r["grid"], np.clip(r["fit"], *Y_LIMITS), color="tab:red", label="当てはめた多項式")
    ax.scatter(r["x"], r["y"], color="k", s=14, zorder=3, label="訓練データ")
    ax.set(xlim=(-1.05, 1.05), ylim=Y_LIMITS, xlabel="入力 $x$", ylabel="出力 $y$")
    ax.set_title(title, fontsize=9)
    ax.text(0.03, 0.04, f"訓練誤差 {r['train_mse']:.4f}\n{name} {r[other + '_mse']:.4f}",
            transform=ax.transAxes, fontsize=8, va="bottom",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    ax.legend(loc="upper right", fontsize=7)


def draw_polynomial_fit(ax, degree, n=20, noise=0.2, seed=0):
    """The training points, the true cubic and the fitted polynomial of ``degree`` (slide 37),
    with the train and test mean squared errors written in the corner."""
    r = compute_polynomial_fit(degree, n, noise, seed)
    _draw_fit(ax, r, f"{r['degree']} 次式で近似（{r['n']} 点, ノイズ {r['noise']:g}）")


def compute_degree_errors(n=20, noise=0.2, seed=0, degrees=DEGREES):
    """Train and test mean squared errors of the least-squares polynomial of every degree in
    ``degrees`` on the same data (slide 37).

    The training error can only fall as the degree grows (a higher degree can do all that a
    lower one can); the test error falls, then rises again: a U-shape. Returns a dict of
    arrays degrees, train_mse, test_mse and best_degree (smallest test error).
    """
    if not isinstance(degrees, (list, tuple, range, np.ndarray)):
        raise TypeError(f"degrees must be a list of degrees, got {degrees!r}")
    if not 1 <= len(degrees) <= MAX_DEGREE:
        raise ValueError(f"degrees must hold 1 to {MAX_DEGREE} degrees, got {len(degrees)}")
    degrees = np.array([_check_degree(d) for d in degrees])
    x, y, x_test, y_test = polynomial_data(n, noise, seed)
    weights = [fit_polynomial(x, y, d) for d in degrees]
    train = np.array([polynomial_mse(w, x, y) for w in weights])
    test = np.array([polynomial_mse(w, x_test, y_test) for w in weights])
    return {"degrees": degrees, "train_mse": train, "test_mse": test,
            "best_degree": int(degrees[np.argmin(test)])}


def draw_degree_errors(ax, n=20, noise=0.2, seed=0, mark=None):
    """Train and test error against the degree on a log y-axis (slide 37); ``mark`` draws a
    vertical line at one degree (the widget's current one)."""
    mark = _check_mark(mark)
    r = compute_degree_errors(n, noise, seed)
    ax.semilogy(r["degrees"], np.maximum(r["train_mse"], ERROR_FLOOR), "o-", ms=4,
                label="訓練誤差")
    ax.semilogy(r["degrees"], np.maximum(r["test_mse"], ERROR_FLOOR), "s-", ms=4,
                label="テスト誤差")
    if mark is not None:
        ax.axvline(mark, color="gray", ls=":", lw=1)
    ax.set(xlabel="多項式の次数 $M$", ylabel="平均二乗誤差（対数目盛）",
           xticks=r["degrees"][::2])
    ax.set_title(f"次数と誤差（テスト誤差が最小: {r['best_degree']} 次）", fontsize=9)
    ax.legend(fontsize=8)


def _two_axes(axes, name):
    axes = np.ravel(axes)  # interactive_view passes a (1, 2) array of Axes
    if axes.size != 2:
        raise ValueError(f"{name} needs 2 axes, got {axes.size}")
    return axes


def draw_polynomial_view(axes, degree, n=20, noise=0.2):
    """The widget's two panels: the fit of ``draw_polynomial_fit`` on axes[0] and the errors
    against the degree of ``draw_degree_errors`` (current degree marked) on axes[1]."""
    axes = _two_axes(axes, "draw_polynomial_view")
    draw_polynomial_fit(axes[0], degree, n, noise)
    draw_degree_errors(axes[1], n, noise, mark=degree)


def show_polynomial_fit():
    """Sliders for the degree M, the number of points n and the noise: the fit (left) and the
    train / test error against the degree (right)."""
    import ipywidgets as widgets

    controls = {
        "degree": widgets.IntSlider(value=3, min=1, max=15, description="次数 M"),
        "n": widgets.IntSlider(value=20, min=10, max=100, step=5, description="点の数 n"),
        "noise": widgets.FloatSlider(value=0.2, min=0.0, max=0.5, step=0.05,
                                     description="ノイズ"),
    }
    # two panels with a log axis take well over 0.1 s to redraw: update on release
    return interactive_view(draw_polynomial_view, controls, heavy=True,
                            figsize=(10, 3.8), panels=(1, 2))


# --- widget 2: λ -> the ridge fit --------------------------------------------------------------

def compute_ridge_fit(lam, degree=15, n=20, noise=0.2, seed=0):
    """The degree-``degree`` polynomial fitted with L2 penalty λ = ``lam`` (slide 39): the
    dict of ``compute_polynomial_fit``. λ = 0 is the overfitting fit of slide 37; a larger λ
    keeps the weights small (weight_norm) and the curve smooth; a huge λ flattens it."""
    return compute_polynomial_fit(degree, n, noise, seed, lam=lam)


def draw_ridge_fit(ax, lam, degree=15, n=20, noise=0.2, seed=0):
    """The ridge fit of ``compute_ridge_fit`` with its errors and the size of its weights."""
    r = compute_ridge_fit(lam, degree, n, noise, seed)
    _draw_fit(ax, r, rf"{r['degree']} 次式, $\lambda$ = {_format_lam(r['lam'])}"
                     rf"（$\|w\|$ = {r['weight_norm']:.3g}）", other="val")


def compute_lambda_errors(degree=15, n=20, noise=0.2, seed=0, lams=LAMBDAS):
    """Train, validation and test mean squared errors of the ridge fit for every λ in
    ``lams`` (slides 38-39).

    The training error grows with λ (the penalty pulls the fit away from the points); the
    validation error first falls (less overfitting), then rises (too flat: underfitting).
    λ is chosen on the validation data (best_lam); the test error is returned only for the
    final report of the chosen λ. Returns a dict of arrays lams, train_mse, val_mse,
    test_mse, weight_norm and best_lam (smallest validation error).
    """
    lams = np.atleast_1d(lams)
    if not 1 <= len(lams) <= MAX_LAMS:
        raise ValueError(f"lams must hold 1 to {MAX_LAMS} values of λ, got {len(lams)}")
    lams = np.array([_check_lam(v) for v in lams])
    x, y, x_test, y_test = polynomial_data(n, noise, seed)
    x_val, y_val = polynomial_validation_data(noise, seed)
    weights = [fit_polynomial(x, y, degree, v) for v in lams]
    val = np.array([polynomial_mse(w, x_val, y_val) for w in weights])
    return {"lams": lams,
            "train_mse": np.array([polynomial_mse(w, x, y) for w in weights]),
            "val_mse": val,
            "test_mse": np.array([polynomial_mse(w, x_test, y_test) for w in weights]),
            "weight_norm": np.array([np.linalg.norm(w[1:]) for w in weights]),
            "best_lam": float(lams[np.argmin(val)])}


def draw_lambda_errors(ax, degree=15, n=20, noise=0.2, seed=0, mark=None):
    """Train and validation error against λ, both axes logarithmic (slides 38-39)."""
    mark = _check_mark(mark)
    r = compute_lambda_errors(degree, n, noise, seed)
    ax.loglog(r["lams"], np.maximum(r["train_mse"], ERROR_FLOOR), "-", label="訓練誤差")
    ax.loglog(r["lams"], np.maximum(r["val_mse"], ERROR_FLOOR), "-", label="検証誤差")
    if mark is not None:
        ax.axvline(mark, color="gray", ls=":", lw=1)
    ax.set(xlabel=r"正則化の強さ $\lambda$（対数目盛）", ylabel="平均二乗誤差（対数目盛）")
    best = _format_lam(r["best_lam"])
    ax.set_title(rf"$\lambda$ と誤差（検証誤差が最小: $\lambda$ = {best}）", fontsize=9)
    ax.legend(fontsize=8)


def draw_ridge_view(axes, lam):
    """The widget's two panels: the degree-15 ridge fit on axes[0] and the errors against λ
    (current λ marked) on axes[1] (slide 39)."""
    axes = _two_axes(axes, "draw_ridge_view")
    draw_ridge_fit(axes[0], lam)
    draw_lambda_errors(axes[1], mark=lam)


def show_ridge_fit():
    """A logarithmic slider for λ: the degree-15 ridge fit (left) and the training and
    validation errors against λ (right)."""
    controls = {"lam": log_slider("正則化の強さ λ", 1e-12, -12, 2, step=0.25)}
    return interactive_view(draw_ridge_view, controls, heavy=True,
                            figsize=(10, 3.8), panels=(1, 2))
