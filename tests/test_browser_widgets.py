"""Every widget of the course in a real browser: JupyterLab + headless Chromium (Playwright).

One notebook made for the test holds every widget the course notebooks show (the
``show_...()`` calls of dlcore.widgets that bench/widget_latency.py finds in notebooks
00-11), so one kernel and one Run All serve all of them. Every control of every widget is
moved once, as a student would (a key on a slider, a click on a button or check box, the
next entry of a menu); each move must bring a new picture and no error. Latency is the
benchmark's job (bench/widget_latency.py), not this test's. Skips where /usr/bin/chromium
or the playwright package is missing (nothing here downloads a browser).
"""

import json
import re

from browser_setup import CHROMIUM, bench, sync_api

NOTEBOOK = "all_widgets.ipynb"
IMPORT = re.compile(r"from dlcore\.widgets\.(\w+) import[^;]*?\b({})\b")


def widgets_of_the_course():
    """[(notebook name, module, show function)] for every widget, in the course's order."""
    found = []
    for path in bench.widget_notebooks():
        source = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                           if c["cell_type"] == "code")
        for name in bench.widget_names(path):
            module = IMPORT.pattern.format(name)
            found.append((path.name, re.search(module, source, re.DOTALL).group(1), name))
    return found


def all_widgets_notebook(found):
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
              "source": f"# {notebook}\nfrom dlcore.widgets.{module} import {name}\n\n{name}();"}
             for notebook, module, name in found]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5})


def test_every_control_of_every_widget_redraws_its_picture():
    found = widgets_of_the_course()
    assert len({notebook for notebook, _, _ in found}) >= 10  # notebooks 00-11 minus 05
    with bench.Lab([], extra_files=[(NOTEBOOK, all_widgets_notebook(found))]) as lab, \
            sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=bench.CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            _, errors = bench.open_and_run(page, lab, NOTEBOOK)
            assert not errors, "cells printed errors:\n" + "\n---\n".join(errors)
            views = bench.views(page)
            assert len(views) == len(found), (len(views), found)
            moved = []
            for (notebook, _, name), view in zip(found, views):
                view.scroll_into_view_if_needed()
                controls = bench.controls(view)
                assert controls, f"{notebook} {name}: no controls found"
                for label, kind, control in controls:
                    start = bench.control_state(kind, control)
                    before = view.locator("img").first.get_attribute("src")
                    # timed_move waits until the picture has a new source and is decoded
                    bench.timed_move(page, view, bench.prepare_move(page, kind, control))
                    steps = 1 if bench.control_state(kind, control) > start else -1
                    after = view.locator("img").first.get_attribute("src")
                    assert after != before and after.startswith(("blob:", "data:image/png"))
                    problems = bench.view_errors(view)
                    assert not problems, f"{notebook} {name} {label}:\n" + "\n".join(problems)
                    moved.append((notebook, name, label))
                    # back to the first setting: the next control starts from it (in the
                    # race, η moves nothing while each optimizer uses its own best η)
                    for act in bench.restore_moves(page, kind, control, start, steps):
                        bench.timed_move(page, view, act)
            assert {n for n, _, _ in moved} == {n for n, _, _ in found}
            print(f"moved {len(moved)} controls of {len(found)} widgets")
        finally:
            browser.close()
