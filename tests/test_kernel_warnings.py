"""Warnings raised inside a notebook kernel must fail the run (set up in conftest.py)."""

import os

import nbformat
from nbclient import NotebookClient


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
    NotebookClient(nb, kernel_name="python3", timeout=60, allow_errors=True).execute()
    errors = [[o.get("ename") for o in c.outputs if o.output_type == "error"] for c in nb.cells]
    assert errors == [["RuntimeWarning"], ["UserWarning"], []]
