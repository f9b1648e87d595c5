"""Notebook 01's widget: a 2-input perceptron splits the plane with a straight line (slide 6).

The sliders set w1, w2 and c of u = w1 x1 + w2 x2 + c (slide 5); o = f(u) with the unit step
function f is 1 on one side of the line u = 0 and 0 on the other. The view shows that line,
the two half-planes, the points of a logic gate and how many of them the perceptron gets right.
"""

import numbers

import numpy as np

from ..checks import check_choice
from ..datasets import GATE_POINTS, logic_gate
from ..perceptron import perceptron_output
from . import interactive_view

__all__ = ["GATES", "POINT_SETS", "VIEW_BOX", "compute_separating_line",
           "draw_separating_line", "show_separating_line"]

GATES = ("AND", "OR", "NAND", "XOR")
"""Target gates the widget can score against."""

POINT_SETS = ("gate", "cloud")
"""``"gate"``: the four inputs (0,0), (0,1), (1,0), (1,1); ``"cloud"``: 20 noisy points
around each of them, labelled like the corner they belong to."""

VIEW_BOX = (-0.6, 1.6, -0.8, 1.6)
"""(x1 min, x1 max, x2 min, x2 max) of the picture."""

_CLOUD_PER_CORNER = 20
_CLOUD_NOISE = 0.12
_CLOUD_CORNER = np.repeat(np.arange(4), _CLOUD_PER_CORNER)
_CLOUD_X = (GATE_POINTS[_CLOUD_CORNER]
            + np.random.default_rng(0).normal(0.0, _CLOUD_NOISE, (4 * _CLOUD_PER_CORNER, 2)))
_CLOUD_CORNER.flags.writeable = _CLOUD_X.flags.writeable = False  # shared by every call


def _check_number(value, name):
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return float(value)


def _clip_box(w1, w2, c, box, sign):
    """Corners of the part of ``box`` where sign * (w1 x1 + w2 x2 + c) >= 0 (a convex polygon).

    Sutherland-Hodgman clipping of the rectangle by one half-plane; returns shape (k, 2),
    k = 0 when the half-plane misses the box.
    """
    x_lo, x_hi, y_lo, y_hi = box
    corners = [(x_lo, y_lo), (x_hi, y_lo), (x_hi, y_hi), (x_lo, y_hi)]

    def u(p):
        return sign * (w1 * p[0] + w2 * p[1] + c)

    out = []
    for p, q in zip(corners, corners[1:] + corners[:1]):
        up, uq = u(p), u(q)
        if up >= 0:
            out.append(p)
        if (up >= 0) != (uq >= 0):          # the edge p-q crosses the line u = 0
            s = up / (up - uq)
            out.append((p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])))
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def _line_segment(w1, w2, c, box):
    """The part of the line w1 x1 + w2 x2 + c = 0 inside ``box`` as (2, 2), or None."""
    x_lo, x_hi, y_lo, y_hi = box
    hits = []
    if w2 != 0:
        for x in (x_lo, x_hi):
            y = -(w1 * x + c) / w2
            if y_lo <= y <= y_hi:
                hits.append((x, y))
    if w1 != 0:
        for y in (y_lo, y_hi):
            x = -(w2 * y + c) / w1
            if x_lo <= x <= x_hi:
                hits.append((x, y))
    if len(hits) < 2:
        return None
    hits = np.array(hits)
    # the two hits farthest apart (a corner can be hit twice)
    d = np.linalg.norm(hits[:, None] - hits[None], axis=-1)
    i, j = np.unravel_index(np.argmax(d), d.shape)
    return None if d[i, j] < 1e-9 else hits[[i, j]]


def compute_separating_line(w1, w2, c, gate="AND", points="gate"):
    """Classify points with one perceptron o = f(w1 x1 + w2 x2 + c), f = unit step (slide 6).

    The boundary u = w1 x1 + w2 x2 + c = 0 is a straight line (for w2 != 0:
    x2 = -(w1 / w2) x1 - c / w2); o = 1 on the side the vector (w1, w2) points to.
    With w1 = w2 = 0 there is no line: u = c everywhere, so every point gets o = f(c).

    ``gate`` is the target ("AND", "OR", "NAND" or "XOR"), ``points`` is "gate" (the four
    inputs) or "cloud" (noisy points around them, 20 per corner). Returns a dict:
    ``X`` (n, 2), labels ``y`` (n,), outputs ``o`` (n,), ``correct`` (n,) bool, ``n_correct``,
    ``n_total``; ``has_line`` (False when w1 = w2 = 0); ``segment``: the visible part of the
    line as (2, 2) or None; ``region_1`` / ``region_0``: polygons (k, 2) of the view box where
    o = 1 / o = 0; and the settings ``w1, w2, c, gate, points, box``.
    """
    w1, w2, c = (_check_number(v, name) for v, name in ((w1, "w1"), (w2, "w2"), (c, "c")))
    gate = check_choice(gate, "gate", GATES)
    points = check_choice(points, "points", POINT_SETS)

    _, y_corner = logic_gate(gate)
    if points == "gate":
        X, y = GATE_POINTS.copy(), y_corner
    else:
        X, y = _CLOUD_X.copy(), y_corner[_CLOUD_CORNER]
    o = perceptron_output(X, np.array([w1, w2]), c).astype(np.int64)
    correct = o == y

    has_line = not (w1 == 0 and w2 == 0)
    if has_line:
        region_1 = _clip_box(w1, w2, c, VIEW_BOX, +1)
        region_0 = _clip_box(w1, w2, c, VIEW_BOX, -1)
        segment = _line_segment(w1, w2, c, VIEW_BOX)
    else:
        x_lo, x_hi, y_lo, y_hi = VIEW_BOX
        whole = np.array([(x_lo, y_lo), (x_hi, y_lo), (x_hi, y_hi), (x_lo, y_hi)])
        empty = np.empty((0, 2))
        region_1, region_0 = (whole, empty) if c > 0 else (empty, whole)
        segment = None
    return {"X": X, "y": y, "o": o, "correct": correct, "n_correct": int(correct.sum()),
            "n_total": int(len(y)), "has_line": has_line, "segment": segment,
            "region_1": region_1, "region_0": region_0,
            "w1": w1, "w2": w2, "c": c, "gate": gate, "points": points, "box": VIEW_BOX}


def draw_separating_line(ax, w1, w2, c, gate="AND", points="gate", title=None):
    """Draw ``compute_separating_line``: shaded half-planes (orange: o = 1, blue: o = 0), the
    line u = 0 with an arrow along (w1, w2), the points coloured by their label y (wrong
    ones circled in red) and the count of correctly classified points in the title."""
    r = compute_separating_line(w1, w2, c, gate, points)
    x_lo, x_hi, y_lo, y_hi = r["box"]
    for region, colour, label in ((r["region_1"], "tab:orange", "$o = 1$"),
                                  (r["region_0"], "tab:blue", "$o = 0$")):
        if len(region):
            ax.fill(region[:, 0], region[:, 1], color=colour, alpha=0.18, lw=0)
    if r["segment"] is not None:
        seg = r["segment"]
        ax.plot(seg[:, 0], seg[:, 1], color="k", lw=1.5)
        # an arrow from the line towards the o = 1 side (along (w1, w2)): among a few starting
        # points on the visible line and arrow lengths, the one whose label "o=1" stays inside
        # the box (and off the legend) and farthest from the points; none if nothing fits
        direction = np.array([r["w1"], r["w2"]]) / np.hypot(r["w1"], r["w2"])
        starts = seg[0] + np.linspace(0.1, 0.9, 17)[:, None] * (seg[1] - seg[0])
        starts = np.repeat(starts, 3, axis=0)
        lengths = np.tile([0.3, 0.22, 0.15], 17)[:, None]
        tips = starts + (lengths + 0.12) * direction
        inside = ((tips[:, 0] > x_lo + 0.25) & (tips[:, 0] < x_hi - 0.25)
                  & (tips[:, 1] > y_lo + 0.45) & (tips[:, 1] < y_hi - 0.1))
        if inside.any():
            clearance = np.min(np.linalg.norm(tips[:, None] - r["X"][None], axis=-1), axis=1)
            best = int(np.argmax(np.where(inside, clearance + lengths[:, 0], -np.inf)))
            ax.annotate("", xy=starts[best] + lengths[best] * direction, xytext=starts[best],
                        arrowprops={"arrowstyle": "->", "color": "k", "lw": 1.2})
            ax.text(*tips[best], "$o=1$", ha="center", va="center", fontsize=8, clip_on=True)

    X, y, ok = r["X"], r["y"], r["correct"]
    size = 60 if r["points"] == "gate" else 18
    for value, colour in ((1, "tab:orange"), (0, "tab:blue")):
        mask = y == value
        ax.scatter(X[mask, 0], X[mask, 1], s=size, color=colour, edgecolors="k", zorder=3,
                   label=f"$y={value}$")
    if (~ok).any():
        ax.scatter(X[~ok, 0], X[~ok, 1], s=size * (3.5 if r["points"] == "gate" else 2.5), facecolors="none", edgecolors="red",
                   lw=1.5, zorder=4, label="誤分類")

    if title is None:
        params = rf"$w_1$={r['w1']:.2g}, $w_2$={r['w2']:.2g}, $c$={r['c']:.2g}"
        verdict = f"{r['gate']}: {r['n_correct']}/{r['n_total']} 正解"
        if not r["has_line"]:
            verdict += f"（直線なし: 全体が $o={int(r['c'] > 0)}$）"
        title = f"{params}\n{verdict}"
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$", xlim=(x_lo, x_hi), ylim=(y_lo, y_hi),
           xticks=[0, 1], yticks=[0, 1], aspect="equal")
    ax.title.set_fontsize(9)
    ax.legend(loc="lower center", fontsize=7, framealpha=0.8, ncols=3, handlelength=1.0,
              columnspacing=0.8, handletextpad=0.3, borderpad=0.3, markerscale=0.6)


def show_separating_line():
    """Sliders for w1, w2, c (slide 5) and menus for the target gate and the points (slide 6).

    The line, the half-planes and the count of correctly classified points update while you
    drag. With w1 = w2 = 0 there is no line and the whole plane gets o = f(c).
    """
    import ipywidgets as widgets

    def slider(value, low, high, label):
        return widgets.FloatSlider(value=value, min=low, max=high, step=0.05,
                                   description=label)

    controls = {
        "w1": slider(0.5, -2.0, 2.0, "w₁"),
        "w2": slider(0.5, -2.0, 2.0, "w₂"),
        "c": slider(-0.2, -3.0, 3.0, "c"),
        "gate": widgets.Dropdown(options=list(GATES), value="AND", description="目標"),
        "points": widgets.Dropdown(options=[("4 点", "gate"), ("点群", "cloud")],
                                   value="gate", description="点"),
    }
    return interactive_view(draw_separating_line, controls, figsize=(5.5, 5))
