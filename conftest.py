"""Test-session set-up shared by the unit tests and the notebook runs.

pytest's own warning filters live in this process only; nbval runs each notebook in a
separate kernel process, which inherits the environment. Setting PYTHONWARNINGS here makes
a RuntimeWarning (overflow, division by zero) or a UserWarning (e.g. a glyph missing from
the Japanese font) raised inside a notebook fail that notebook's cell.
"""

import os

os.environ["PYTHONWARNINGS"] = "error::RuntimeWarning,error::UserWarning"


# --- a per-notebook timing table at the end of the run ------------------------------------
_notebook_seconds = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] = _notebook_seconds.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    terminalreporter.section("notebook execution time")
    for path, seconds in sorted(_notebook_seconds.items()):
        terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
    terminalreporter.write_line(f"{sum(_notebook_seconds.values()):7.1f} s  total")
