"""Notebooks are stored without outputs and execution counts, and each has a title cell.

"Stored" means what git stores: the staged version of each notebook (git's index), as the
nbstripout filter (tools/install_git_filter.py) cleans it. A notebook that someone ran in
JupyterLab keeps its outputs in the working copy without failing this test; only outputs
that would be committed do.
"""

import json
import subprocess
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


def stored_text(path):
    """The notebook as git stores it (the staged blob), or the file outside a git checkout
    or before it is first added."""
    shown = subprocess.run(["git", "cat-file", "blob", f":./{path.name}"], cwd=path.parent,
                           capture_output=True, text=True, encoding="utf-8")
    return shown.stdout if shown.returncode == 0 else path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = json.loads(stored_text(path))
    dirty = [i for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have stored outputs or execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_named_and_titled(path):
    assert path.name[:2].isdigit() and path.name[2] == "_", f"{path.name}: expected NN_name.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# "), (
        f"{path.name}: the first cell must be a Markdown title"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_metadata_is_what_jupyterlab_writes(path):
    """The kernelspec JupyterLab writes when it saves, so that opening a notebook changes
    nothing that git stores (nbstripout removes the rest of what it adds)."""
    nb = json.loads(stored_text(path))
    assert nb["metadata"]["kernelspec"] == {"display_name": "Python 3 (ipykernel)",
                                            "language": "python", "name": "python3"}
