"""The view mechanism of dlcore.widgets: one Image per view, redraws merged in a background
thread, pictures cached per setting and drawn ahead, the layout computed once."""

import gc
import threading
import time

import numpy as np
import pytest

widgets = pytest.importorskip("ipywidgets")

import dlcore.widgets as view  # noqa: E402
from dlcore.widgets import Redrawer, interactive_view, make_renderer, step_neighbours  # noqa: E402


@pytest.fixture
def kernel_mode(monkeypatch):
    """Run the Redrawer as in a Jupyter kernel: changes are drawn by the background thread."""
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()  # get_ipython() returns it: its events take the cell hooks
    monkeypatch.setattr(Redrawer, "in_kernel", staticmethod(lambda: True))
    monkeypatch.setattr(Redrawer, "_cell_running", False)
    yield
    with Redrawer._condition:  # nothing left to draw ahead once the test is over
        Redrawer._ahead.clear()
        Redrawer._condition.wait_for(lambda: Redrawer._current is None, timeout=30)
    gc.unfreeze()  # a view in a kernel froze the heap (freeze_heap); the tests go on without


def slow_view(drawn, delay=0.05):
    def draw(ax, n):
        time.sleep(delay)
        drawn.append(n)
        ax.plot([0, 1], [0, n])
        ax.set_title(f"n = {n}")

    slider = widgets.IntSlider(value=0, min=0, max=50)
    box = interactive_view(draw, {"n": slider})
    Redrawer._resume()  # the cell that made the view ends; later changes come from the browser
    return box, slider


def test_a_view_in_a_kernel_freezes_the_heap_so_that_full_collections_stay_short(kernel_mode):
    gc.unfreeze()
    slow_view([], delay=0)
    assert gc.get_freeze_count() > 0  # then a full collection skips these objects


def test_outside_a_kernel_a_view_leaves_the_garbage_collector_alone():
    gc.unfreeze()
    slow_view([], delay=0)
    assert gc.get_freeze_count() == 0


def test_the_picture_is_one_image_widget_with_the_first_setting_drawn():
    drawn = []
    box, _ = slow_view(drawn, delay=0)
    image = box.children[1]
    assert isinstance(image, widgets.Image) and image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert drawn == [0]


def test_changes_during_a_redraw_merge_into_one_and_the_last_setting_wins(kernel_mode):
    drawn = []
    box, slider = slow_view(drawn)
    drawn.clear()
    for n in range(1, 11):  # ten changes arrive while the first redraw is still running
        slider.value = n
    assert box.redrawer.wait(timeout=30)
    assert drawn.index(10) <= 1, drawn  # at most one picture before the latest, not ten
    assert box.redrawer.shown == Redrawer.key({"n": 10})
    assert box.children[1].value == box.redrawer.cache[Redrawer.key({"n": 10})]


def test_the_next_step_is_drawn_ahead_and_then_shown_from_the_cache(kernel_mode):
    drawn = []
    box, slider = slow_view(drawn)
    slider.value = 1
    deadline = time.monotonic() + 30
    while Redrawer.key({"n": 2}) not in box.redrawer.cache and time.monotonic() < deadline:
        time.sleep(0.01)
    assert 2 in drawn  # the next step in the direction of the move
    drawn.clear()
    slider.value = 2
    assert box.redrawer.wait(timeout=30)
    assert 2 not in drawn  # shown from the cache
    number, _, drawing = view.REDRAW_LOG[-1]
    assert number == box.redrawer.number and drawing == 0


def test_the_first_moves_are_drawn_ahead_once_no_cell_has_run_for_a_while(kernel_mode):
    drawn = []
    box, slider = slow_view(drawn, delay=0)
    assert drawn == [0]
    time.sleep(view.IDLE_DELAY / 2)
    assert drawn == [0]  # Run All's next cell may start: nothing drawn ahead yet
    deadline = time.monotonic() + 30
    while Redrawer.key({"n": 1}) not in box.redrawer.cache and time.monotonic() < deadline:
        time.sleep(0.01)
    assert drawn == [0, 1]  # the slider's first step to the right, before the student moves
    drawn.clear()
    slider.value = 1
    assert box.redrawer.wait(timeout=30)
    assert 1 not in drawn


def test_a_cached_picture_is_shown_at_once_while_another_is_drawn_ahead(kernel_mode):
    drawn = []
    box, slider = slow_view(drawn, delay=0.5)
    first = box.children[1].value
    deadline = time.monotonic() + 30
    while Redrawer.key({"n": 1}) not in box.redrawer.cache and time.monotonic() < deadline:
        time.sleep(0.005)
    slider.value = 1  # drawn ahead: shown at once; then n = 2 is drawn ahead (half a second)
    assert box.redrawer.shown == Redrawer.key({"n": 1})
    while Redrawer._current is not box.redrawer and time.monotonic() < deadline:
        time.sleep(0.005)
    slider.value = 0  # back to the first picture, in the cache
    assert box.children[1].value == first and box.redrawer.shown == Redrawer.key({"n": 0})
    assert Redrawer._current is box.redrawer and 2 not in drawn  # no wait for that drawing


def test_a_cell_waits_for_the_redraw_and_nothing_is_drawn_during_it(kernel_mode):
    drawn = []
    box, slider = slow_view(drawn, delay=0.2)
    slider.value = 1
    Redrawer._pause()  # what the kernel runs before a cell
    try:
        assert 1 in drawn and Redrawer._current is None
        count = len(drawn)
        time.sleep(0.5)
        assert len(drawn) == count  # no drawing ahead while the cell runs
    finally:
        Redrawer._resume()


def test_an_error_while_redrawing_is_shown_below_the_picture(kernel_mode):
    def draw(ax, n):
        if n == 3:
            raise ValueError("n = 3 is not allowed")
        ax.plot([0, n])

    slider = widgets.IntSlider(value=0, min=0, max=5)
    box = interactive_view(draw, {"n": slider})
    slider.value = 3
    assert box.redrawer.wait(timeout=30)
    errors = box.redrawer.errors.outputs
    assert errors and "n = 3 is not allowed" in errors[0]["text"]
    slider.value = 1
    assert box.redrawer.wait(timeout=30)
    assert box.redrawer.errors.outputs == ()


def test_a_paused_view_draws_once_when_the_pause_ends():
    drawn = []
    pause = [False]
    a, b = widgets.IntSlider(value=0), widgets.IntSlider(value=0)

    def move_both(change):  # like notebook 08's race: a menu that moves other sliders
        pause[0] = True
        b.value = change["new"]
        pause[0] = False

    a.observe(move_both, names="value")  # registered before the view's own observer
    interactive_view(lambda ax, a, b: drawn.append((a, b)), {"a": a, "b": b},
                     paused=lambda: pause[0])
    drawn.clear()
    a.value = 5
    assert drawn == [(5, 5)]


def test_neighbours_are_one_step_along_the_control_moved():
    controls = {
        "n": widgets.IntSlider(value=3, min=0, max=4),
        "x": widgets.FloatSlider(value=0.7, min=0.0, max=1.0, step=0.01),
        "lr": widgets.FloatLogSlider(value=0.1, base=10, min=-3, max=0, step=0.5),
        "menu": widgets.Dropdown(options=[("a", "A"), ("b", "B"), ("c", "C")], value="B"),
        "flag": widgets.Checkbox(value=False),
    }
    values = {name: c.value for name, c in controls.items()}
    neighbours = step_neighbours(controls)

    def along(name, old):
        change = {"owner": controls[name], "old": old, "new": values[name]}
        found = neighbours(values, change)
        assert all(sum(v[n] != values[n] for n in values) == 1 for v in found)  # one step
        return [v[name] for v in found if v[name] != values[name]]

    assert along("n", 2) == [4, 2] and along("n", 4) == [2, 4]
    assert np.allclose(along("x", 0.69), [0.71, 0.69])
    assert np.allclose(along("lr", 0.03), [10 ** -0.5, 10 ** -1.5])
    assert along("menu", "A") == ["C", "A"] and along("menu", "C") == ["A", "C"]
    assert along("flag", True) == [True]
    off_grid = widgets.FloatLogSlider(value=0.3, base=10, min=-2, max=0.7, step=0.05)
    found = step_neighbours({"lr": off_grid})({"lr": 0.3}, None)  # log10 0.3 = -0.523
    assert np.allclose([v["lr"] for v in found], [10 ** -0.45, 10 ** -0.55])  # the grid's
    first_moves = [Redrawer.key(v) for v in neighbours(values, None)]
    assert first_moves[:5] == [Redrawer.key(values | step) for step in (
        {"n": 4}, {"x": 0.71}, {"lr": 10 ** -0.5}, {"menu": "C"}, {"flag": True})]
    assert len(first_moves) == 9  # then the backward steps (a check box has only one)
    controls["n"].value = 4
    values["n"] = 4
    assert along("n", 3) == [3]  # nothing beyond the end
    change = {"owner": controls["flag"], "old": False, "new": True}
    first, *rest = neighbours(values | {"flag": True}, change)
    assert first["flag"] is False  # the control just moved comes first
    assert {n for v in rest for n in v if v[n] != (values | {"flag": True})[n]} == {
        "n", "x", "lr", "menu"}  # then one step of every other control


def test_the_layout_is_computed_once_and_then_reused(monkeypatch):
    from matplotlib.figure import Figure

    calls = []
    real = Figure.tight_layout
    monkeypatch.setattr(Figure, "tight_layout", lambda fig, *a, **k: (calls.append(1),
                                                                     real(fig, *a, **k)))

    def draw(ax, n):
        ax.plot(np.arange(5) * n)
        ax.set(title=f"n = {n}", xlabel="x", ylabel="y")

    render = make_renderer(draw)
    first, second = render({"n": 1}), render({"n": 2})
    assert len(calls) == 1
    assert first[:8] == second[:8] == b"\x89PNG\r\n\x1a\n" and first != second


def test_the_background_thread_is_shared_and_a_daemon(kernel_mode):
    drawn = []
    box, slider = slow_view(drawn, delay=0)
    slider.value = 1
    assert box.redrawer.wait(timeout=30)
    threads = [t for t in threading.enumerate() if t.name == "dlcore-redraw"]
    assert len(threads) == 1 and threads[0].daemon


def test_a_change_made_by_a_running_cell_is_drawn_in_that_cell(kernel_mode):
    """matplotlib is not thread-safe: while a cell runs (it may draw too), a change it makes
    to a control is drawn at once in the cell's own thread, never by the background thread."""
    import threading

    threads = []

    def draw(ax, n):
        threads.append(threading.current_thread().name)
        ax.plot([0, 1], [0, n])

    slider = widgets.IntSlider(value=0, min=0, max=5)
    box = interactive_view(draw, {"n": slider})  # made inside a cell: one is running
    slider.value = 3
    assert threads == [threading.current_thread().name] * 2 and box.redrawer.shown
    Redrawer._resume()
