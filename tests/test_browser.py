"""Notebook 07 in a real browser: JupyterLab + headless Chromium driven by Playwright.

Runs all cells through JupyterLab's menu, moves a slider of the playground widget and checks
that its plot is redrawn, that no cell printed an error and that Japanese text is drawn with a
Japanese font. Skips where /usr/bin/chromium or the playwright package is missing (nothing
here ever downloads a browser). Set COURSE_SCREENSHOT_DIR to keep the screenshot.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_setup import CHROMIUM, REPO, bench, sync_api

NOTEBOOK = REPO / "notebooks" / "07_sgd_training.ipynb"
# JupyterLab driving shared with the benchmark (bench/widget_latency.py): Chromium's flags,
# the stderr selector, the lab settings, the Run-All-finished check and a free port.
CHROMIUM_ARGS, STDERR = bench.CHROMIUM_ARGS, bench.STDERR
LAB_SETTINGS, RUN_FINISHED_JS, free_port = (bench.LAB_SETTINGS, bench.RUN_FINISHED_JS,
                                            bench.free_port)
JAPANESE_FONTS = re.compile(r"IPA|CJK|Hiragino|Yu Gothic|Meiryo|Takao|VL Gothic|Source Han|"
                            r"Noto Sans JP|Noto Serif JP")
SLIDER = "1 層のニューロン数"  # a playground slider (dlcore/widgets/playground.py)


def wait_for_server(url, proc, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "/api/status", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{log_path.read_text()}")


def wait_for_kernel(url, timeout=60):
    """Wait until the notebook's kernel is started, idle and connected to the page:
    running cells earlier races JupyterLab's own kernel start-up (two sessions, lost run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url + "/api/kernels", timeout=5) as response:
            kernels = json.load(response)
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        time.sleep(0.3)
    pytest.fail(f"no idle, connected kernel within {timeout} s: {kernels}")


def stop_server(proc):
    """SIGTERM (JupyterLab shuts its kernels down), then SIGKILL its process group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the server's own group (start_new_session)
    except ProcessLookupError:
        pass
    proc.wait()


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """A JupyterLab server on a free localhost port, without token, serving a copy of
    notebook 07 (so nothing can save outputs into the repository); yields its base URL."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root)
    for plugin, values in LAB_SETTINGS.items():
        path = tmp / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTER_DATA_DIR=str(tmp / "data"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               IPYTHONDIR=str(tmp / "ipython"))
    port = free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
           "--ServerApp.open_browser=False", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           "--IdentityProvider.token=", "--ServerApp.allow_root=True",
           f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={tmp / 'settings'}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", "--LabApp.news_url=None"]
    log_path = tmp / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, proc, log_path)
        yield url
    finally:
        stop_server(proc)


@pytest.fixture
def page(jupyter_lab):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def save_screenshot(page, tmp_path, name):
    path = tmp_path / name
    page.screenshot(path=path)
    target = os.environ.get("COURSE_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)
    return path


def fonts_used(page, selector):
    """Family names of the fonts Chromium used to draw the first element matching selector."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"] for f in fonts if f["glyphCount"] > 0}


def test_playground_in_jupyterlab(page, jupyter_lab, tmp_path):
    page.set_default_timeout(60_000)
    page.goto(f"{jupyter_lab}/lab/tree/{NOTEBOOK.name}")
    wait_for_kernel(jupyter_lab)
    page.wait_for_function("() => document.querySelector("
                           "'.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle'")

    # Run → Run All Cells, as a student would
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.wait_for_function(RUN_FINISHED_JS, timeout=120_000)
    save_screenshot(page, tmp_path, "07_after_run_all.png")  # for debugging a failure

    errors = [text for text in page.locator(STDERR).all_inner_texts()
              if re.search(r"Traceback|Error|Warning", text)]
    assert not errors, "cells printed errors or warnings:\n" + "\n---\n".join(errors)
    # code cell i ran as the (i+1)-th execution (hidden inputs show no prompt)
    prompts = [p.strip() for p in page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()]
    n_code = sum(c["cell_type"] == "code" for c in json.loads(NOTEBOOK.read_text())["cells"])
    assert len(prompts) == n_code
    wrong = [(i, p) for i, p in enumerate(prompts) if p not in ("", f"[{i + 1}]:")]
    assert not wrong, f"code cells that did not run in order (index, prompt): {wrong}"

    # the playground: sliders in an HBox above an Image widget whose picture is replaced
    slider = page.locator(".widget-slider", has=page.locator(".widget-label",
                                                             has_text=SLIDER))
    playground = page.locator(".widget-vbox", has=slider).last
    image = playground.locator("img").first
    image.wait_for()
    playground.scroll_into_view_if_needed()
    before = image.get_attribute("src")
    readout = slider.locator(".widget-readout")
    value_before = int(readout.inner_text())
    assert before.startswith(("blob:", "data:image/png"))  # ipywidgets' Image: a blob URL

    # Keyboard on the slider handle: the key press moves it one step and fires the slider's
    # "change" event, the event a continuous_update=False slider (the playground's) waits
    # for, as when a dragged handle is released. The view then retrains and redraws.
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    sync_api.expect(readout).to_have_text(str(value_before + 1))
    page.wait_for_function(
        """([box, old]) => { const img = box.querySelector('img');
                             return img !== null && img.src !== old; }""",
        arg=[playground.element_handle(), before], timeout=30_000)
    assert image.get_attribute("src").startswith(("blob:", "data:image/png"))
    widget_errors = playground.locator(STDERR).all_inner_texts()
    assert not widget_errors, "the playground printed:\n" + "\n".join(widget_errors)

    shot = save_screenshot(page, tmp_path, "07_playground.png")
    assert shot.stat().st_size > 10_000

    # Japanese text is drawn with a Japanese font, not as empty boxes
    title = ".jp-MarkdownCell .jp-RenderedMarkdown h1"
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", page.locator(title).first.inner_text())
    fonts = fonts_used(page, title)
    print(f"fonts of the notebook title: {sorted(fonts)}")
    assert any(JAPANESE_FONTS.search(f) for f in fonts), (
        f"the notebook title is drawn with {fonts}, no Japanese font "
        "(Debian: apt-get install fonts-ipaexfont-gothic)")
