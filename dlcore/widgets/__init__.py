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

import collections
import io
import itertools
import threading
import time
import traceback

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

    By default each call clears the view's one figure, makes its axes again and draws
    ``draw(axes, **values)`` on them: a figure kept this way keeps its renderer, whose caches
    of typeset texts (tick labels, mathtext) a new figure would fill again -- 5-50 % of a
    redraw (08's race: 174 -> 122 ms). With ``keep_figure=True`` the axes are made once and
    every call passes the same ones, so a ``draw`` that updates the artists it made on the
    first call (the playground's, notebook 07) skips most of matplotlib's cost: making
    axes, ticks and texts.
    ``margins`` (keyword arguments of ``fig.subplots_adjust``) fix the layout. Without them
    the first call lays the figure out with ``tight_layout`` and later calls reuse the
    margins it found: ``tight_layout`` measures every text once more and costs about as much
    as the rest of a redraw, and a picture whose frame stays put while a slider moves is
    easier to compare.
    """
    layout = None if margins is None else dict(margins)
    # Not through pyplot: the view shows the figure itself, and Jupyter must not show it a
    # second time when the cell ends.
    fig = Figure(figsize=figsize)

    def new_axes():
        fig.clear()
        axes = fig.subplots(*panels, squeeze=panels == (1, 1))
        if layout is not None:
            fig.subplots_adjust(**layout)
        return axes

    kept = new_axes() if keep_figure else None

    def render(values):
        nonlocal layout
        draw(kept if keep_figure else new_axes(), **values)
        if layout is None:
            fig.tight_layout()
            params = fig.subplotpars
            layout = {name: getattr(params, name)
                      for name in ("left", "right", "bottom", "top", "wspace", "hspace")}
        return figure_png(fig)

    return render


def figure_png(fig):
    """The figure as PNG bytes with a palette of 256 colours, rendered once at its size.

    (Jupyter's own display of a figure renders it twice to crop the margins.) A plot has few
    colours, so the palette loses nothing one sees, and the picture is a third of the bytes
    of a full-colour PNG: less for JupyterLab to carry and for the browser to decode on every
    slider move (08's race: 138 kB -> 48 kB). Quantizing and compressing (level 1) together
    take less time than compressing the full-colour picture did."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
    buffer = io.BytesIO()
    rgb.quantize(256, method=Image.Quantize.FASTOCTREE).save(buffer, format="png",
                                                             compress_level=1)
    return buffer.getvalue()


def interactive_view(draw, controls, heavy=False, figsize=(6, 4), panels=(1, 1), margins=None,
                     keep_figure=False, paused=None, after_move=None):
    """Show ``controls`` (a dict name -> ipywidget) above a picture drawn by ``draw(ax, **values)``.

    With ``panels=(rows, cols)`` other than (1, 1), ``draw`` receives the array of axes
    instead of one Axes. ``margins`` and ``keep_figure``: see ``make_renderer``, which does
    each redraw. The first picture is drawn before the view is shown (an error there is
    raised); every later change is drawn by a ``Redrawer`` (in the background, only the
    latest setting; an error shows up below the picture). Once the kernel is idle it draws
    ahead the next step of every control (``step_neighbours``), first of the control just
    moved. With ``heavy=True`` sliders report a value only when released and a redraw that
    takes longer than ``BUSY_AFTER`` seconds says 「計算中…」. While ``paused()`` returns
    True, changes are not drawn: a view that moves several of its own sliders at once draws
    once, when it is done; ``after_move`` (see ``step_neighbours``) then tells which setting
    such a move really leads to. Returns the container widget (the row of controls, the picture,
    a status line and the error output); ``box.redrawer`` is its Redrawer.
    """
    import ipywidgets as widgets
    from IPython.display import display

    for control in controls.values():
        if heavy and hasattr(control, "continuous_update"):
            control.continuous_update = False
        if hasattr(control.style, "description_width"):
            control.style.description_width = "initial"  # long Japanese labels stay whole

    redrawer = Redrawer(make_renderer(draw, figsize, panels, margins, keep_figure),
                        busy_after=BUSY_AFTER if heavy else None,
                        neighbours=step_neighbours(controls, after_move))

    def values():
        return {name: control.value for name, control in controls.items()}

    redrawer.show(values())
    if Redrawer.in_kernel():
        freeze_heap()

    def changed(change):
        if paused is None or not paused():
            redrawer.request(values(), change)

    for control in controls.values():
        control.observe(changed, names="value")
    row = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
    box = widgets.VBox([row, redrawer.image, redrawer.status, redrawer.errors])
    box.redrawer = redrawer
    display(box)
    return box


def freeze_heap():
    """Collect the garbage, then exclude every object alive now from later full collections
    of Python's cyclic garbage collector (``gc.freeze``).

    A full collection walks every object in the kernel and holds the GIL meanwhile: 50-150 ms
    in a notebook's kernel, often set off by the many short-lived objects of a picture drawn
    ahead. The kernel's main thread, which receives the student's next slider move, then
    waits that long. After the freeze a full collection walks only the objects made since
    (a few ms). The price: an object alive now that later becomes unreachable only through
    a reference cycle is never freed (objects without cycles are freed as always)."""
    import gc

    gc.collect()
    gc.freeze()


BUSY_AFTER = 0.3
"""Seconds after which a heavy view's redraw shows 「計算中…」 under its picture."""

CACHE_SIZE = 64
"""Pictures each view keeps, one per setting (sliders stop at discrete positions)."""

IDLE_DELAY = 0.25
"""Seconds without a running cell before pictures are drawn ahead: Run All runs its cells
back to back, and each cell would wait for a picture drawn ahead in a gap between two."""

SHOW_DELAY = 0.1
"""Seconds after a picture is sent before pictures are drawn ahead: on two cores the
browser needs the CPU to show the picture first."""

REDRAW_LOG = collections.deque(maxlen=10_000)
"""One entry per picture a Redrawer put on screen after a change: (view number, seconds
from the change reaching the kernel to the picture sent, seconds spent drawing (0 when the
picture came from the cache)). bench/widget_latency.py reads it to split the latency it
measures in the browser into kernel and transport."""


class Redrawer:
    """Draws a view's pictures into one ``ipywidgets.Image`` whose PNG bytes are replaced
    (no Output widget cleared and filled again).

    ``request(values)``, called on every change in the kernel's main thread, only notes the
    latest values. One background thread, shared by all views, draws: one picture at a
    time, always for the latest values of a view, so changes that arrive while a picture
    is drawn are merged into one redraw. A dragged slider never piles up work, and the
    picture always ends at the last setting. The last ``CACHE_SIZE`` pictures are kept per
    setting. While nothing else is asked for and no cell has run for ``IDLE_DELAY``
    seconds, the thread draws ahead the settings ``neighbours(values, change)`` names (the
    next step of every control, of the control just moved first): after the first picture
    and after every change, so that a student's first move and each further step find
    their picture drawn.
    """

    _queue = []  # views with a request not drawn yet, oldest first
    _ahead = []  # (view, values) to draw ahead of time, most likely first
    _current = None  # the view being drawn
    _requested = None  # the view whose requested picture is being drawn (not one ahead)
    _cell_running = False  # matplotlib is not thread-safe: nothing is drawn during a cell
    _cell_ended = 0.0  # time.monotonic() when the last cell ended
    _last_shown = 0.0  # time.monotonic() when the last picture was sent
    _watching = False  # the cell events are registered
    _condition = threading.Condition()
    _thread = None
    _count = itertools.count()

    def __init__(self, render, busy_after=None, neighbours=None):
        import ipywidgets as widgets

        self.render = render
        self.busy_after = busy_after
        self.neighbours = neighbours
        self.number = next(self._count)
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        self.errors = widgets.Output()
        self.cache = collections.OrderedDict()
        self.wanted = None  # (values, change, time of the request)
        self.shown = None  # key of the setting on screen
        self.drawing_since = None  # when a heavy view's redraw started
        self._busy_lock = threading.Lock()
        if self.in_kernel():
            Redrawer._watch_cells()

    @classmethod
    def _watch_cells(cls):
        """Follow the running of cells: pre_run_cell/post_run_cell (registered once per
        kernel) keep track. A view is made inside a cell, so one is running now."""
        cls._cell_running = True
        if not cls._watching:
            from IPython import get_ipython

            events = get_ipython().events
            events.register("pre_run_cell", cls._pause)
            events.register("post_run_cell", cls._resume)
            cls._watching = True

    @staticmethod
    def key(values):
        """The cache key of a setting; numbers to 10 digits, so that a value the browser
        computed (0.7 + 0.01) finds the picture drawn ahead for it."""
        return tuple((name, float(f"{v:.10g}") if isinstance(v, float) else v)
                     for name, v in values.items())

    def show(self, values):
        """Draw ``values`` now, in the calling thread (the first picture)."""
        png = self.render(values)
        self._keep(self.key(values), png)
        self.image.value = png
        self.shown = self.key(values)
        self._plan_ahead(values)

    def request(self, values, change=None):
        """Ask for a picture of ``values`` (after ``change``, the traitlets change of the
        control moved). In a Jupyter kernel a picture in the cache is shown at once, from
        this thread; any other is drawn by the background thread and this returns at once.
        Elsewhere (tests, scripts) and while a cell runs it draws before returning."""
        cls = Redrawer
        wanted = (values, change, time.perf_counter())
        if not cls.in_kernel() or cls._cell_running:
            # a script, or a cell that sets a control itself: draw here, in this thread,
            # so that matplotlib is never used by the cell and the background at once
            self._draw(*wanted)
            return
        with cls._condition:
            # A picture in the cache is shown from this thread at once, without waiting
            # for the background thread to finish a picture it draws ahead -- unless a
            # request of this view is pending, which must not land on top of it.
            cached = None
            if self not in cls._queue and cls._requested is not self:
                cached = self.cache.get(self.key(values))
            if cached is None:
                self.wanted = wanted
                if self not in cls._queue:
                    cls._queue.append(self)
                cls._start_thread()
                cls._condition.notify_all()
        if cached is not None:
            self._draw(*wanted, png=cached)

    @classmethod
    def _start_thread(cls):
        """Start the background thread that draws for every view, once (call with the lock
        held)."""
        if cls._thread is None:
            cls._thread = threading.Thread(target=cls._work, name="dlcore-redraw", daemon=True)
            cls._thread.start()

    @staticmethod
    def in_kernel():
        """True inside a Jupyter kernel, where a frontend sends the changes."""
        from IPython import get_ipython

        return hasattr(get_ipython(), "kernel")

    @classmethod
    def _pause(cls, info=None):
        """Before a cell: finish the pictures asked for, stop drawing ahead (matplotlib is
        not thread-safe: its mathtext parser fails when two threads use it)."""
        with cls._condition:
            cls._condition.wait_for(lambda: not cls._queue and cls._current is None)
            cls._cell_running = True

    @classmethod
    def _resume(cls, result=None):
        with cls._condition:
            cls._cell_running = False
            cls._cell_ended = time.monotonic()
            cls._condition.notify_all()

    def wait(self, timeout=60):
        """Block until every request so far is drawn (or has failed); False on timeout."""
        with Redrawer._condition:
            return Redrawer._condition.wait_for(
                lambda: self not in Redrawer._queue and Redrawer._current is not self, timeout)

    @classmethod
    def _work(cls):
        while True:
            with cls._condition:
                while not cls._queue:
                    wait = cls._wait_before_ahead()
                    if wait == 0:
                        break
                    cls._condition.wait(wait)
                if cls._queue:
                    view = cls._queue.pop(0)
                    job = view.wanted
                    cls._requested = view
                else:
                    view, values = cls._ahead.pop(0)
                    job = None
                cls._current = view
            try:
                if job is None:
                    view._draw_ahead(values)
                else:
                    view._draw(*job)
            finally:
                with cls._condition:
                    cls._current = cls._requested = None
                    cls._condition.notify_all()

    @classmethod
    def _wait_before_ahead(cls):
        """Seconds until a picture may be drawn ahead (0: now; None: not until notified):
        ``IDLE_DELAY`` after the last cell, ``SHOW_DELAY`` after the last picture sent."""
        if not cls._ahead or cls._cell_running:
            return None
        start = max(cls._cell_ended + IDLE_DELAY, cls._last_shown + SHOW_DELAY)
        return max(0.0, start - time.monotonic())

    def _plan_ahead(self, values, change=None):
        """Plan the settings around ``values`` to be drawn ahead: after a change at the
        front, for a new view (``change=None``) after the views above it. Those planned
        around this view's earlier settings are dropped, other views' kept."""
        if self.neighbours is None or not self.in_kernel():
            return
        with Redrawer._condition:
            planned = [(self, v) for v in self.neighbours(values, change)
                       if self.key(v) not in self.cache]
            others = [(view, v) for view, v in Redrawer._ahead if view is not self]
            # after a change this view comes first; a new view waits for those above it
            Redrawer._ahead[:] = planned + others if change is not None else others + planned
            Redrawer._start_thread()
            Redrawer._condition.notify_all()

    def _draw(self, values, change, asked, png=None):
        """Show the picture of ``values`` (``png`` if given, else from the cache or drawn
        now), log the redraw and plan the pictures to draw ahead."""
        key = self.key(values)
        if key == self.shown:
            return
        drawing = 0.0
        if png is None:
            png = self.cache.get(key)
        if png is None:
            started = time.perf_counter()
            png = self._render(values)
            if png is None:
                return
            self._keep(key, png)
            drawing = time.perf_counter() - started
        self.image.value = png
        self.shown = key
        Redrawer._last_shown = time.monotonic()
        if self.errors.outputs:
            self.errors.outputs = ()
        REDRAW_LOG.append((self.number, time.perf_counter() - asked, drawing))
        self._plan_ahead(values, change)

    def _draw_ahead(self, values):
        if self.key(values) in self.cache:
            return
        try:
            self._keep(self.key(values), self.render(values))
        except Exception:  # noqa: BLE001  (shown if the student really asks for it)
            pass

    def _render(self, values):
        """``render(values)``, or None after showing its error; says 「計算中…」 when slow."""
        timer = None
        if self.busy_after is not None:
            self.drawing_since = time.perf_counter()
            timer = threading.Timer(self.busy_after, self._say_busy)
            timer.start()
        try:
            return self.render(values)
        except Exception:
            self.errors.outputs = ()
            self.errors.append_stderr(traceback.format_exc())
            return None
        finally:
            if timer is not None:
                timer.cancel()
                with self._busy_lock:
                    self.drawing_since = None
                    if self.status.value:
                        self.status.value = ""

    def _say_busy(self):
        with self._busy_lock:
            if self.drawing_since is not None:
                self.status.value = "計算中…"

    def _keep(self, key, png):
        self.cache[key] = png
        self.cache.move_to_end(key)
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)


def step_neighbours(controls, after_move=None):
    """``neighbours(values, change)`` for a Redrawer: the settings one step away. First along
    the control just moved (``change["owner"]``), in the same direction, then back the other
    way (a slider's next positions, a menu's next entries, a check box flipped); then one
    step of every other control, forward (right, next entry) before backward. With
    ``change=None`` (the first picture) every control counts as an other.
    ``after_move(name, values)``, if given, returns the setting a view really shows after
    control ``name`` moved to ``values[name]`` (a menu that resets the sliders)."""
    import math

    def along(control, old, new):
        if hasattr(control, "options"):  # Dropdown, ToggleButtons, SelectionSlider
            options = [o[1] if isinstance(o, tuple) else o for o in control.options]
            if new not in options:
                return []
            i = options.index(new)
            forward = old not in options or options.index(old) < i
            order = (i + 1, i - 1) if forward else (i - 1, i + 1)
            return [options[j] for j in dict.fromkeys(j % len(options) for j in order)
                    if j != i]
        if isinstance(new, bool):
            return [not new]
        if isinstance(new, (int, float)) and hasattr(control, "step"):
            forward = old is None or new >= old
            # A step as the browser's slider takes it: one step from the position, then to
            # the nearest multiple of the step from the minimum (a start between two
            # positions, like η = 0.3 on a grid of 0.05 in log10 η, lands on the grid).
            log = hasattr(control, "base")  # FloatLogSlider: the position is the exponent
            here = math.log(new, control.base) if log else new
            points = []
            for sign in (1, -1):
                k = round((here + sign * control.step - control.min) / control.step)
                position = control.min + k * control.step
                inside = control.min - 1e-9 <= position <= control.max + 1e-9
                if inside and abs(position - here) > 1e-9:
                    points.append(control.base ** position if log else type(new)(position))
            return points if forward else points[::-1]
        return []

    def neighbours(values, change):
        moved = None if change is None else next(
            (n for n, c in controls.items() if c is change["owner"]), None)
        first = [] if moved is None else along(controls[moved], change["old"], values[moved])
        others = {name: along(control, None, values[name])
                  for name, control in controls.items() if name != moved}
        steps = [(moved, v) for v in first]
        for rank in range(2):  # every other control's forward step, then its backward one
            steps += [(name, found[rank]) for name, found in others.items() if len(found) > rank]
        if after_move is None:
            return [values | {name: v} for name, v in steps]
        return [after_move(name, values | {name: v}) for name, v in steps]

    return neighbours


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
