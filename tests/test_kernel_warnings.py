"""Kernels of the test run: warnings inside a notebook kernel fail the run (set up in
conftest.py), and a kernel that stalls right after its start fails fast and clearly."""

import os
import sys
import time
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from export_html import STARTUP_TIMEOUT, CourseClient, KernelStalled  # noqa: E402


def test_pythonwarnings_is_set_for_kernels():
    filters = os.environ.get("PYTHONWARNINGS", "")
    assert "error::RuntimeWarning" in filters and "error::UserWarning" in filters


def test_warning_in_kernel_becomes_an_error():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np\nnp.exp(1000.0)"),
        nbformat.v4.new_code_cell(
            "import matplotlib\nmatplotlib.use('Agg')\nimport dlcore.plotting\n"
            "import matplotlib.pyplot as plt\n"
            "fig, ax = plt.subplots()\nax.set_title('\\u2264')\nfig.canvas.draw()"
        ),
        nbformat.v4.new_code_cell("print('ok')"),
    ]
    CourseClient(nb, kernel_name="python3", timeout=60, startup_timeout=STARTUP_TIMEOUT,
                 allow_errors=True).execute()
    errors = [[o.get("ename") for o in c.outputs if o.output_type == "error"] for c in nb.cells]
    assert errors == [["RuntimeWarning"], ["UserWarning"], []]


def test_a_kernel_that_never_answers_kernel_info_fails_fast_and_says_so():
    """Imitate the stall seen with ipykernel 7 (the kernel_info request after the start gets
    no reply): the client gives up after startup_timeout, not a cell timeout, and says why."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('never runs')")]

    def lose_kernel_info(**_):
        client.kc.kernel_info = lambda: "a request the kernel never received"

    client = CourseClient(nb, kernel_name="python3", timeout=600, startup_timeout=3,
                          on_notebook_start=lose_kernel_info)
    start = time.perf_counter()
    with pytest.raises(KernelStalled, match="did not answer kernel_info within 3 s"):
        client.execute()
    assert time.perf_counter() - start < 60
    assert nb.cells[0].outputs == []
