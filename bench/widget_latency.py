"""Benchmark: how long every widget of the course takes to answer, measured in the browser.

Starts JupyterLab on 127.0.0.1 (a free port, a random token, a throw-away configuration and
copies of the notebooks, so nothing is saved into the repository), opens each notebook that
shows a widget (``show_...()`` from ``dlcore.widgets``) in headless Chromium driven by
Playwright, runs all its cells through the Run menu, then moves every control of every
widget ``--repeats`` times, one step at a time, as a student would:

    slider         focus its handle, press → (← at the right end): one step
    toggle buttons click the next button
    menu           choose the next entry
    check box      click it

For each move the page itself records the time from the input event (keydown, mousedown or
change: the event's own time stamp) to the new picture being in the page: the widget's
image element gets a new source, the browser has decoded it, and the next animation frame
has started. Each move waits for its picture, then ``--pause`` seconds (the student looks
at the picture), before the next one starts. After its moves each control is moved back to
where it started (not timed), so every control is measured from the notebook's setting of
the others.

The kernel's share comes from the kernel: ``dlcore.widgets.REDRAW_LOG`` holds, per redraw,
the time from the change reaching the kernel to the new picture being sent (compute, drawing
and PNG, plus any wait for the redraw thread). The bench reads it through a second client of
the notebook's kernel; the rest of the latency is transport (WebSocket, JupyterLab) and the
browser. Moves whose picture came from the view's cache (a setting seen before, or drawn
ahead while the student looked at the last picture) are counted in the column "cached";
"drawing ms" is the median time the kernel spent drawing for the other moves: what a
student waits for when jumping to a setting not drawn yet.

Targets (issue 16): median <= 100 ms and 90th percentile <= 200 ms; widgets that retrain a
network on release (HEAVY) median <= 300 ms. On a busy machine use more repeats; the table
gives medians and says how many moves each row has. The last line is
``worst median N ms, worst p90 M ms over K controls``.

Usage:

    python bench/widget_latency.py [--repeats 5] [--pause 1] [--notebooks 03 07]
                                   [--chromium PATH]

Needs Debian's Chromium (/usr/bin/chromium) and the playwright package (no browser download).
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

TARGET_MEDIAN, TARGET_P90, TARGET_HEAVY_MEDIAN = 100, 200, 300  # ms
HEAVY = {"show_activation_fit", "show_playground", "show_gradient_flow",
         "show_dropout_curves", "show_batchnorm_curves"}
"""Widgets that retrain a network when a control is released (target: median <= 300 ms)."""

SHOW_CALL = re.compile(r"^(show_\w+)\(", re.MULTILINE)
WIDGET_IMPORT = re.compile(r"from dlcore\.widgets\.\w+ import[^\n]*(\n\s+[^\n]*)*?\bshow_\w+")
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'

# JupyterLab user settings: no news/update pop-up, no autosave, and every cell kept in the
# page (no virtual scrolling), so all outputs can be inspected.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none",
                                               "autoStartDefaultKernel": True},
}

# True when Run All has finished: the kernel is idle, no cell waits ([*]), and either every
# code cell shows its execution count or an error stopped the run.
RUN_FINISHED_JS = """() => {
    const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim()).filter(p => p !== '');
    const error = document.querySelector('%s') !== null;
    return status === 'idle' && prompts.length > 0 && !prompts.some(p => p.includes('*'))
        && (prompts.every(p => /\\[\\d+\\]/.test(p)) || error);
}""" % STDERR

# Arms the measurement of one move inside the page: the first input event's time stamp, and
# the animation frame after the view's picture (its <img>) got a new source and decoded it.
ARM_JS = """(view) => {
    const first = view.querySelector('img');
    const state = {old: first ? first.src : null, start: null, end: null, seen: false};
    const onInput = event => { if (state.start === null) state.start = event.timeStamp; };
    const types = ['keydown', 'mousedown', 'change'];
    for (const type of types) document.addEventListener(type, onInput, true);
    const observer = new MutationObserver(() => {
        const img = view.querySelector('img');
        if (state.seen || !img || !img.src || img.src === state.old) return;
        state.seen = true;
        img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
            state.end = performance.now();
            observer.disconnect();
            for (const type of types) document.removeEventListener(type, onInput, true);
        }));
    });
    observer.observe(view, {subtree: true, childList: true, attributes: true,
                            attributeFilter: ['src']});
    window.__widgetLatency = state;
}"""

KERNEL_LOG_CODE = """import json
try:
    from dlcore.widgets import REDRAW_LOG
    print(json.dumps(list(REDRAW_LOG)))
except ImportError:
    print("null")
"""


# --- notebooks -------------------------------------------------------------------------------

def widget_notebooks(selection=None):
    """The notebooks that show a widget from dlcore.widgets, optionally only those whose
    name starts with one of ``selection`` (e.g. ["03", "07_sgd"])."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if selection and not any(path.name.startswith(s) for s in selection):
            continue
        if widget_names(path):
            found.append(path)
    return found


def widget_names(path):
    """The ``show_...`` functions of dlcore.widgets the notebook calls, in the cells' order
    (one per widget on the page)."""
    cells = json.loads(Path(path).read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    imported = set()
    for source in code:
        for match in WIDGET_IMPORT.finditer(source):
            imported |= set(re.findall(r"\bshow_\w+", match.group(0)))
    return [name for source in code for name in SHOW_CALL.findall(source) if name in imported]


# --- JupyterLab --------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on 127.0.0.1 serving copies of ``notebooks`` from a temporary
    folder, with its own configuration, settings and runtime folders. Use as a context
    manager; ``url(path)`` gives an address with the token."""

    def __init__(self, notebooks, extra_files=()):
        self.tmp = Path(tempfile.mkdtemp(prefix="widget-latency-"))
        self.root = self.tmp / "root"
        self.root.mkdir()
        for path in notebooks:
            shutil.copy(path, self.root)
        for name, text in extra_files:
            (self.root / name).write_text(text)
        for plugin, values in LAB_SETTINGS.items():
            path = self.tmp / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        self.runtime = self.tmp / "runtime"
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
                   JUPYTER_DATA_DIR=str(self.tmp / "data"),
                   JUPYTER_RUNTIME_DIR=str(self.runtime), IPYTHONDIR=str(self.tmp / "ipython"))
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.open_browser=False", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", "--ServerApp.allow_root=True",
               f"--ServerApp.root_dir={self.root}",
               f"--LabApp.user_settings_dir={self.tmp / 'settings'}",
               f"--LabApp.workspaces_dir={self.tmp / 'workspaces'}", "--LabApp.news_url=None"]
        self.log = self.tmp / "server.log"
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(cmd, env=env, cwd=self.root, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited:\n{self.log.read_text()}")
            try:
                self.api("status")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer:\n{self.log.read_text()}")

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # JupyterLab shuts its kernels down
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the server's own process group
        except ProcessLookupError:
            pass
        self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path}{sep}token={self.token}"

    def api(self, path, method="GET"):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def session(self, name):
        """The (session id, kernel id) of the notebook ``name``, or None."""
        for s in self.api("sessions"):
            if s["path"].endswith(name) and s.get("kernel"):
                return s["id"], s["kernel"]["id"]
        return None

    def wait_for_kernel(self, name, timeout=90):
        """Wait until the notebook's kernel is started, idle and connected to the page:
        running cells earlier races JupyterLab's own kernel start-up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.session(name)
            if found:
                kernel = self.api(f"kernels/{found[1]}")
                if kernel["execution_state"] == "idle" and kernel["connections"] > 0:
                    return found
            time.sleep(0.3)
        raise TimeoutError(f"no idle, connected kernel for {name} within {timeout} s")

    def run_in_kernel(self, kernel_id, code, timeout=60):
        """Run ``code`` in the kernel through a second client; returns what it printed."""
        from jupyter_client import BlockingKernelClient

        client = BlockingKernelClient(connection_file=str(self.runtime
                                                          / f"kernel-{kernel_id}.json"))
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=timeout)
            printed = []
            reply = client.execute_interactive(
                code, timeout=timeout, store_history=False,
                output_hook=lambda msg: printed.append(msg["content"].get("text", "")))
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel code failed: {reply['content']}")
            return "".join(printed)
        finally:
            client.stop_channels()

    def close_notebook(self, name):
        found = self.session(name)
        if found:
            self.api(f"sessions/{found[0]}", method="DELETE")  # also shuts the kernel down


# --- the page ----------------------------------------------------------------------------------

def open_and_run(page, lab, name, timeout=240):
    """Open the notebook, run all cells through the Run menu and wait for the end; returns
    (kernel id, texts of stderr outputs that look like errors or warnings)."""
    page.goto(lab.url(f"lab/tree/{name}?reset"))
    _, kernel_id = lab.wait_for_kernel(name)
    page.wait_for_function("() => document.querySelector("
                           "'.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'")
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function(RUN_FINISHED_JS, timeout=timeout * 1000)
    errors = [text for text in page.locator(STDERR).all_inner_texts()
              if re.search(r"Traceback|Error|Warning", text)]
    return kernel_id, errors


def views(page):
    """The widget views on the page, in order: a VBox whose first child is the row of
    controls and that holds the picture (an <img>)."""
    boxes = page.locator(".widget-vbox").filter(
        has=page.locator(":scope > .widget-hbox")).filter(has=page.locator("img"))
    return [boxes.nth(i) for i in range(boxes.count())]


def controls(view):
    """[(label, kind, locator)] of the view's controls; kind is slider, toggle, dropdown or
    checkbox."""
    row = view.locator(":scope > .widget-hbox").first.locator(":scope > *")
    found = []
    for i in range(row.count()):
        control = row.nth(i)
        classes = control.get_attribute("class") or ""
        kind = next((k for k, c in (("slider", "widget-slider"),
                                    ("toggle", "widget-toggle-buttons"),
                                    ("dropdown", "widget-dropdown"),
                                    ("checkbox", "widget-checkbox")) if c in classes), None)
        if kind is None:
            continue
        label = " ".join(t.strip() for t in control.locator(
            ".widget-label, .widget-label-basic").all_inner_texts() if t.strip())
        found.append((label, kind, control))
    return found


def prepare_move(page, kind, control):
    """Everything before the input event (focus, choice of the target); returns the action
    that sends the event."""
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        now, top = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
        handle.focus()
        key = "ArrowLeft" if now >= top - 1e-9 else "ArrowRight"
        return lambda: page.keyboard.press(key)
    if kind == "toggle":
        buttons = control.locator("button")
        n = buttons.count()
        active = next(i for i in range(n)
                      if "mod-active" in (buttons.nth(i).get_attribute("class") or ""))
        target = buttons.nth((active + 1) % n)
        return target.click
    if kind == "dropdown":
        select = control.locator("select")
        n = select.locator("option").count()
        index = select.evaluate("s => s.selectedIndex")
        return lambda: select.select_option(index=(index + 1) % n)
    box = control.locator("input[type=checkbox]")
    return box.click


def control_state(kind, control):
    """What the control shows now: a slider's position, the chosen button or entry, the
    check box's tick."""
    if kind == "slider":
        return float(control.locator(".noUi-handle").first.get_attribute("aria-valuenow"))
    if kind == "toggle":
        buttons = control.locator("button")
        return next(i for i in range(buttons.count())
                    if "mod-active" in (buttons.nth(i).get_attribute("class") or ""))
    if kind == "dropdown":
        return control.locator("select").evaluate("s => s.selectedIndex")
    return control.locator("input[type=checkbox]").is_checked()


def restore_moves(page, kind, control, start, steps):
    """The actions that bring the control back to its ``start`` state after ``steps`` (a
    slider's net number of steps to the right). A slider goes back step by step: its first
    value may lie between the positions its steps reach."""
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        key = "ArrowLeft" if steps > 0 else "ArrowRight"

        def press():
            handle.focus()
            page.keyboard.press(key)
        return [press] * abs(steps)
    if control_state(kind, control) == start:
        return []
    if kind == "toggle":
        return [control.locator("button").nth(start).click]
    if kind == "dropdown":
        return [lambda: control.locator("select").select_option(index=start)]
    return [control.locator("input[type=checkbox]").click]


def timed_move(page, view, act, timeout=60):
    """Send one input event with ``act()``; return the milliseconds from the event to the
    new picture in the page, measured by the page."""
    view.evaluate(ARM_JS)
    act()
    page.wait_for_function("() => window.__widgetLatency.end !== null", timeout=timeout * 1000)
    start, end = page.evaluate("() => [window.__widgetLatency.start, window.__widgetLatency.end]")
    if start is None:
        raise RuntimeError("the input event was not seen")
    return end - start


def view_errors(view):
    return [t for t in view.locator(".jp-OutputArea-output").all_inner_texts()
            if re.search(r"Traceback|Error|Warning", t)]


# --- the benchmark -------------------------------------------------------------------------------

def measure_notebook(page, lab, path, repeats, pause):
    """All rows of one notebook: dicts with notebook, widget, control, times (ms), and from
    the kernel (None if unknown): kernel (ms per move) and drawing (ms per move, 0 for a
    picture from the cache)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    name = path.name
    kernel_id, errors = open_and_run(page, lab, name)
    if errors:
        raise RuntimeError(f"{name}: cells printed errors:\n" + "\n---\n".join(errors))
    names = widget_names(path)
    found = views(page)
    if len(found) != len(names):
        print(f"# {name}: {len(found)} views on the page, {len(names)} show_ calls",
              file=sys.stderr)
        names = [f"view {i}" for i in range(len(found))]
    before = json.loads(lab.run_in_kernel(kernel_id, KERNEL_LOG_CODE))
    rows = []
    moves = []  # per move in order: the index of its row, None for a move back
    for widget, view in zip(names, found):
        view.scroll_into_view_if_needed()
        for label, kind, control in controls(view):
            start = control_state(kind, control)
            times, steps = [], 0
            try:
                for _ in range(repeats):
                    time.sleep(pause)  # the student looks at the picture before moving again
                    was = control_state(kind, control)
                    times.append(timed_move(page, view, prepare_move(page, kind, control)))
                    moves.append(len(rows))
                    if kind == "slider":
                        steps += 1 if control_state(kind, control) > was else -1
                # back to the first setting (not timed), so that every control is measured
                # from the notebook's own setting of the others
                for act in restore_moves(page, kind, control, start, steps):
                    timed_move(page, view, act)
                    moves.append(None)
            except PlaywrightTimeout:
                shot = Path(tempfile.gettempdir()) / f"widget_latency_{name[:2]}_{len(rows)}.png"
                page.screenshot(path=shot)
                print(f"# {name} {widget} {label}: no new picture within 60 s after "
                      f"{len(times)} moves (screenshot {shot}); this control is left out",
                      file=sys.stderr)
                moves.append("lost")  # the kernel's log no longer pairs with the moves
                continue
            problems = view_errors(view)
            if problems:
                raise RuntimeError(f"{name} {widget} {label}: " + "\n".join(problems))
            rows.append({"notebook": name[:2], "widget": widget, "control": label,
                         "times": times, "kernel": [], "drawing": []})
            print(f"# {name[:2]} {widget} {label}: " + " ".join(f"{t:.0f}" for t in times),
                  file=sys.stderr, flush=True)
    after = json.loads(lab.run_in_kernel(kernel_id, KERNEL_LOG_CODE))
    log = None if after is None else after[len(before):]
    if log is not None and len(log) == len(moves) and "lost" not in moves:
        for k, entry in zip(moves, log):
            if k is not None:
                rows[k]["kernel"].append(1000 * entry[1])
                rows[k]["drawing"].append(1000 * entry[2])
    else:
        if log is not None:
            print(f"# {name}: {len(log)} redraws logged for {len(moves)} moves; "
                  "kernel share not shown", file=sys.stderr)
        for row in rows:
            row["kernel"] = row["drawing"] = None
    lab.close_notebook(name)
    return rows


def p90(values):
    return float(np.percentile(values, 90))


def table(rows):
    """The printed table and the closing line."""
    lines = ["| notebook | widget | control | moves | cached | median ms | p90 ms | "
             "kernel median ms | transport + browser ms | drawing ms | target (median / p90) |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        med, high = statistics.median(r["times"]), p90(r["times"])
        heavy = r["widget"] in HEAVY
        kernel_text = rest_text = cached = drawing = "-"
        if r["kernel"] is not None:
            kern = statistics.median(r["kernel"])
            kernel_text, rest_text = f"{kern:.0f}", f"{med - kern:.0f}"
            drawn = [d for d in r["drawing"] if d > 0]
            cached = str(len(r["drawing"]) - len(drawn))
            drawing = f"{statistics.median(drawn):.0f}" if drawn else "-"
        ok = med <= (TARGET_HEAVY_MEDIAN if heavy else TARGET_MEDIAN) and (
            heavy or high <= TARGET_P90)
        target = f"{TARGET_HEAVY_MEDIAN} / -" if heavy else f"{TARGET_MEDIAN} / {TARGET_P90}"
        lines.append(f"| {r['notebook']} | {r['widget']} | {r['control']} | {len(r['times'])} "
                     f"| {cached} | {med:.0f} | {high:.0f} | {kernel_text} | {rest_text} | {drawing} | "
                     f"{target} {'met' if ok else 'MISSED'} |")
    worst_median = max(statistics.median(r["times"]) for r in rows)
    worst_p90 = max(p90(r["times"]) for r in rows)
    lines.append(f"worst median {round(worst_median)} ms, worst p90 {round(worst_p90)} ms "
                 f"over {len(rows)} controls")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5,
                        help="moves per control (default 5)")
    parser.add_argument("--notebooks", nargs="+",
                        help="only notebooks whose name starts with these, e.g. 03 07")
    parser.add_argument("--pause", type=float, default=1.0,
                        help="seconds between moves, the student's look at the picture "
                             "(default 1)")
    parser.add_argument("--chromium", default=str(CHROMIUM), help="the Chromium to drive")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    from playwright.sync_api import sync_playwright

    notebooks = widget_notebooks(args.notebooks)
    if not notebooks:
        parser.error("no notebook with a widget matches --notebooks")
    load_before = os.getloadavg()
    print(f"# {datetime.date.today()}, {platform.node()}: {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"load average {load_before[0]:.1f}")
    print(f"# {args.repeats} moves per control, {args.pause:g} s apart; times from the input "
          f"event to the new picture in the page (headless Chromium, JupyterLab)")
    rows = []
    with Lab(notebooks) as lab, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            for path in notebooks:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(60_000)
                try:
                    rows += measure_notebook(page, lab, path, args.repeats, args.pause)
                finally:
                    page.close()
        finally:
            browser.close()
    load_after = os.getloadavg()
    print(f"# load average at the end {load_after[0]:.1f} (1 min), {load_after[1]:.1f} (5 min)")
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
