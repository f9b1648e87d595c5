"""Interactive views for the notebooks: each is a pure compute function plus a thin view.

The pattern (one module per notebook, e.g. ``dlcore.widgets.perceptron``):

- ``compute_xxx(**settings)`` does the work and returns plain data (arrays, numbers). It is
  what the tests call, over a small grid of settings -- ipywidgets swallows exceptions inside
  callbacks, so the view itself is kept too thin to hide a bug.
- ``draw_xxx(ax, **settings)`` (or ``plot_xxx``) draws the result of ``compute_xxx`` on axes.
- ``show_xxx()`` builds the sliders and calls ``interactive_view``.
- Next to every widget the notebook shows ``contact_sheet(draw_xxx, [...])``: the same
  picture for a few settings, so a reader without a running kernel sees what the sliders do.
"""

import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .. import plotting  # noqa: F401  (sets up the Japanese font)


def render_view(draw, values, figsize=(6, 4), panels=(1, 1), margins=None):
    """One redraw of an interactive view, as PNG bytes: a fresh figure, ``draw(axes,
    **values)``, the layout, and the picture (see ``figure_png``)."""
    return make_renderer(draw, figsize, panels, margins)(values)


def make_renderer(draw, figsize=(6, 4), panels=(1, 1), margins=None, keep_figure=False):
    """``render(values) -> PNG bytes``: what an interactive view does on every change.

    By default each call draws ``draw(axes, **values)`` on a fresh figure. With
    ``keep_figure=True`` one figure is made once and every call passes the same axes, so a
    ``draw`` that updates the artists it made on the first call (the playground's, notebook
    07) skips most of matplotlib's cost: making axes, ticks and texts.
    ``margins`` (keyword arguments of ``fig.subplots_adjust``) replace ``tight_layout``,
    which costs about 60 ms per redraw.
    """
    def new_figure():
        # Not through pyplot: the view shows the figure itself, and Jupyter must not
        # show it a second time when the cell ends.
        fig = Figure(figsize=figsize)
        axes = fig.subplots(*panels, squeeze=panels == (1, 1))
        if margins is not None:
            fig.subplots_adjust(**margins)
        return fig, axes

    kept = new_figure() if keep_figure else None

    def render(values):
        fig, axes = kept if keep_figure else new_figure()
        draw(axes, **values)
        if margins is None:
            fig.tight_layout()
        return figure_png(fig)

    return render


def figure_png(fig):
    """The figure as PNG bytes, rendered once at its size. (Jupyter's own display of a
    figure renders it twice to crop the margins, which doubled the cost of every slider
    move.) Compression level 1: a slightly larger picture, encoded faster."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def interactive_view(draw, controls, heavy=False, figsize=(6, 4), panels=(1, 1), margins=None,
                     keep_figure=False):
    """Show ``controls`` (a dict name -> ipywidget) above a plot redrawn by ``draw(ax, **values)``.

    With ``panels=(rows, cols)`` other than (1, 1), ``draw`` receives the array of axes
    instead of one Axes. With ``heavy=True`` sliders update only when released, so dragging
    never queues up slow redraws. ``margins`` and ``keep_figure``: see ``make_renderer``,
    which does each redraw; an error inside it shows up below the controls. Returns the
    container widget.
    """
    import ipywidgets as widgets
    from IPython.display import Image, display

    for control in controls.values():
        if heavy and hasattr(control, "continuous_update"):
            control.continuous_update = False
        if hasattr(control.style, "description_width"):
            control.style.description_width = "initial"  # long Japanese labels stay whole

    render = make_renderer(draw, figsize, panels, margins, keep_figure)

    def redraw(**values):
        display(Image(data=render(values)))

    output = widgets.interactive_output(redraw, controls)
    row = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
    box = widgets.VBox([row, output])
    display(box)
    return box


def contact_sheet(draw, settings, ncols=3, title=None, panel_size=(3.4, 2.8)):
    """A grid of small pictures, one per dict of keyword arguments in ``settings``.

    Each panel is ``draw(ax, **s)``; the panel title lists the settings unless ``draw``
    sets its own. Returns the Figure.
    """
    settings = list(settings)
    if not settings:
        raise ValueError("contact_sheet needs at least one setting")
    ncols = min(ncols, len(settings))
    nrows = int(np.ceil(len(settings) / ncols))
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=(panel_size[0] * ncols, panel_size[1] * nrows))
    for ax, s in zip(axes.ravel(), settings):
        draw(ax, **s)
        if not ax.get_title():
            ax.set_title(", ".join(f"{k}={v}" for k, v in s.items()), fontsize=9)
    for ax in axes.ravel()[len(settings):]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def log_slider(description, value, min_exp, max_exp, step=0.1):
    """A logarithmic slider from 10**min_exp to 10**max_exp (for learning rates and λ)."""
    import ipywidgets as widgets

    return widgets.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=step,
                                  description=description, continuous_update=False,
                                  style={"description_width": "initial"})
