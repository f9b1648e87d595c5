"""What the browser tests need before they run: Debian's Chromium, the playwright and
jupyterlab packages, and bench/widget_latency.py, whose JupyterLab driving (Chromium's flags,
the lab settings, Run All, the widget controls) the tests share with the benchmark.

Importing this module skips the importing test module where something is missing (nothing
here ever downloads a browser)."""

import importlib.util
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (Debian: apt-get install chromium "
                "fonts-ipaexfont-gothic)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed")
pytest.importorskip("jupyterlab", reason="jupyterlab is not installed")

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("widget_latency",
                                               REPO / "bench" / "widget_latency.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
