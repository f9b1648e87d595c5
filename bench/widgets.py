"""Benchmark: how long one update of notebook 07's playground widget takes.

One "update" is what happens when a student releases a slider: the view retrains the network
from scratch (``compute_playground``) and redraws both panels. Two things are timed for each
setting:

    compute            compute_playground(**settings): data, split, a fresh network,
                       dlcore.train for all epochs (with the loss of the training and test
                       part after every epoch), the 60 x 60 boundary grid once at the end
    compute + drawing  exactly what the view does on each update: the renderer of
                       show_playground, make_renderer(repaint_playground(), **VIEW), which
                       keeps one 1 x 2 figure, trains (compute_playground), repaints the
                       panels' artists and returns the PNG bytes that the view displays

Three reference rows show what the view's design saves:

    ... on a fresh figure
                       the default update drawn on a new figure every time (render_view with
                       draw_playground, which interactive_view does for other widgets)
    ... with tight_layout
                       the same with fig.tight_layout() instead of the fixed margins
    ... as plt.show() would render it
                       a fresh figure shown the way Jupyter's inline backend shows a figure
                       (savefig with bbox_inches="tight", which renders the figure twice)

Each row is timed ``--repeats`` times after one untimed warm-up (imports, font cache); the
columns alternate so that a change in machine load hits them alike. The table shows the
median wall time (time.perf_counter) with its range, and the median CPU time of this process
(time.process_time), which other programs on a busy machine do not inflate as much.
Targets for the default settings on the course's 2-core machine: compute <= 40 ms,
compute + drawing <= 150 ms (wall time). The other rows are for information: heavier settings a
student can choose (the view retrains only when a slider is released, so they stay usable).

Usage:

    python bench/widgets.py [--repeats 20] [--quick]
"""

import argparse
import io
import os
import platform
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from dlcore.widgets import make_renderer, render_view  # noqa: E402
from dlcore.widgets.playground import (  # noqa: E402
    DEFAULTS,
    N_POINTS,
    VIEW,
    VIEW_MARGINS,
    compute_playground,
    draw_playground,
    iterations_per_epoch,
    repaint_playground,
)

TARGETS = {"compute": 40.0, "compute + drawing": 150.0}  # ms of wall time, default settings

SETTINGS = [
    ("default (circle, 2x8 ReLU, SGD, m=20, 30 epochs)", {}),
    ("0 hidden layers", {"hidden_layers": 0}),
    ("4x32 tanh", {"hidden_layers": 4, "neurons": 32, "activation": "tanh"}),
    ("batch size 1", {"batch_size": 1}),
    ("spiral, 2x16, Adam, 300 epochs",
     {"dataset": "spiral", "neurons": 16, "lr": 0.03, "epochs": 300, "optimizer": "adam",
      "noise": 0.0, "train_ratio": 0.7}),
]


def timed(function):
    """Run ``function()``; return its wall time and this process's CPU time, in ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)


def compute(settings):
    compute_playground(**settings)


def redraw_fresh(values, tight=False):
    """One update drawn on a fresh figure: fixed margins VIEW_MARGINS, or tight_layout."""
    render_view(draw_playground, values, figsize=(10, 4), panels=(1, 2),
                margins=None if tight else VIEW_MARGINS)


def redraw_as_inline_show(values):
    """The default update rendered as Jupyter's plt.show() does: bbox_inches="tight"."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), squeeze=False)
    draw_playground(axes, **values)
    fig.subplots_adjust(**VIEW_MARGINS)
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    plt.close(fig)


def updates_of(settings):
    n_train = round(settings["train_ratio"] * N_POINTS)
    return settings["epochs"] * iterations_per_epoch(n_train, settings["batch_size"])


def measure(columns, repeats):
    """Warm up, then time each function in ``columns`` ``repeats`` times, alternating."""
    for function in columns.values():
        function()
    times = {name: [] for name in columns}
    for _ in range(repeats):
        for name, function in columns.items():
            times[name].append(timed(function))
    return times


def cells(pairs):
    wall = [w for w, _ in pairs]
    cpu = statistics.median(c for _, c in pairs)
    return (f"{statistics.median(wall):.1f} ({min(wall):.1f}-{max(wall):.1f})", f"{cpu:.1f}",
            statistics.median(wall), cpu)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=20, help="timed updates per row")
    parser.add_argument("--quick", action="store_true",
                        help="only the default settings and the reference rows")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be >= 1")

    load = f", load average {os.getloadavg()[0]:.1f} at the start" \
        if hasattr(os, "getloadavg") else ""
    print("# Playground widget: time of one update\n")
    print(f"- Python {platform.python_version()}, numpy {np.__version__}, matplotlib "
          f"{matplotlib.__version__} (Agg), {os.cpu_count()} CPUs{load}")
    print(f"- median over {args.repeats} updates after one warm-up; wall time with its range "
          "(min-max), and CPU time of this process\n")
    print("| settings | updates | compute: wall [ms] | compute: CPU [ms] "
          "| compute + drawing: wall [ms] | compute + drawing: CPU [ms] |")
    print("|---|---:|---:|---:|---:|---:|")

    verdicts = []
    for label, overrides in (SETTINGS[:1] if args.quick else SETTINGS):
        settings = DEFAULTS | overrides
        render = make_renderer(repaint_playground(), **VIEW)  # what show_playground uses
        times = measure({
            "compute": lambda: compute(settings),
            "compute + drawing": lambda: render(settings),
        }, args.repeats)
        row = []
        for name, pairs in times.items():
            wall_text, cpu_text, wall, cpu = cells(pairs)
            row += [wall_text, cpu_text]
            if not overrides:
                verdicts.append((name, wall, cpu, TARGETS[name]))
        print(f"| {label} | {updates_of(settings)} | " + " | ".join(row) + " |", flush=True)

    references = {
        "reference: default update on a fresh figure":
            lambda: redraw_fresh(DEFAULTS),
        "reference: ... with tight_layout instead of fixed margins":
            lambda: redraw_fresh(DEFAULTS, tight=True),
        "reference: default update rendered as plt.show() does (bbox_inches='tight')":
            lambda: redraw_as_inline_show(DEFAULTS),
    }
    times = measure(references, args.repeats)
    for label, pairs in times.items():
        wall_text, cpu_text, _, _ = cells(pairs)
        print(f"| {label} | | | | {wall_text} | {cpu_text} |", flush=True)

    print()
    for name, wall, cpu, target in verdicts:
        verdict = "meets" if wall <= target else "MISSES"
        print(f"- default settings, {name}: median wall time {wall:.1f} ms {verdict} the "
              f"target <= {target:.0f} ms (median CPU time {cpu:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
