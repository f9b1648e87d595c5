"""The student edition (tools/make_student_edition.py) and the exercises' nbgrader layout.

The teacher edition in notebooks/ holds the worked answers; every check cell there asserts
them in a hidden-tests region, so the ordinary notebook run fails if a worked answer breaks.
Here: the layout of every exercise, that no solution text reaches the student edition, that
nbgrader's own generate_assignment writes the same notebooks, and that the student edition
runs top to bottom with every exercise reporting 「未解答」.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from make_student_edition import make_student_edition, read_stubs  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def cells_of(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def solution_cells(cells):
    return [c for c in cells if nbgrader_meta(c).get("solution")]


def check_cells(cells):
    return [c for c in cells if c["cell_type"] == "code" and nbgrader_meta(c).get("grade")]


def is_coding_exercise(cell):
    return cell["cell_type"] == "code" and re.search(r"^\s*(def|class) ", source(cell), re.M)


@pytest.fixture(scope="module")
def student_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    make_student_edition(out_dir=out, force=True)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_the_nbgrader_layout(path):
    cells = cells_of(path)
    ids = [nbgrader_meta(c)["grade_id"] for c in cells if nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate grade_id"
    for cell in cells:
        meta = nbgrader_meta(cell)
        if not meta:
            assert "BEGIN SOLUTION" not in source(cell), f"{path.name}: unmarked solution cell"
            continue
        assert meta["schema_version"] == 3 and meta["grade_id"].startswith(path.name[:2])
        if cell["cell_type"] == "code" and meta["solution"]:
            assert "### BEGIN SOLUTION" in source(cell) and "### END SOLUTION" in source(cell)
            assert cell["metadata"].get("jupyter", {}).get("source_hidden"), (
                f"{path.name}: the worked answer {meta['grade_id']} must be collapsed")
        if cell["cell_type"] == "code" and meta["grade"]:
            hidden = source(cell).split("### BEGIN HIDDEN TESTS")
            assert len(hidden) == 2 and "assert " in hidden[1] and meta["locked"], (
                f"{path.name}: check cell {meta['grade_id']} needs a hidden-tests assert")
        if cell["cell_type"] == "markdown":  # the collapsed 解答例 explanation
            assert meta["solution"] and meta["grade"] and meta["points"] == 0
            assert source(cell).lstrip().startswith("<details><summary>解答例")
    assert len(solution_cells([c for c in cells if c["cell_type"] == "code"])) == len(
        check_cells(cells)), f"{path.name}: every answer cell needs one check cell"


def test_every_notebook_from_01_has_a_coding_exercise_and_18_in_all():
    counts = {p.name[:2]: sum(1 for c in solution_cells(cells_of(p)) if is_coding_exercise(c))
              for p in NOTEBOOKS}
    missing = [nb for nb, n in counts.items() if nb != "00" and n == 0]
    assert not missing, f"notebooks without a coding exercise: {missing} ({counts})"
    assert sum(counts.values()) >= 18, counts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_text_reaches_the_student_edition(path, student_dir):
    student = json.dumps(cells_of(student_dir / path.name), ensure_ascii=False)
    code_stub, text_stub = read_stubs()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "<summary>解答例"):
        assert marker not in student, f"{path.name}: {marker!r} in the student edition"
    for cell in solution_cells(cells_of(path)):
        text = source(cell)
        region = (text.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
                  if "### BEGIN SOLUTION" in text else text)
        for line in region.splitlines():
            line = line.strip()
            if len(line) > 12 and not line.startswith("#"):
                assert json.dumps(line, ensure_ascii=False)[1:-1] not in student, (
                    f"{path.name}: solution line {line!r} leaked")
    assert student.count(json.dumps(code_stub, ensure_ascii=False)[1:-1]) == sum(
        source(c).count("### BEGIN SOLUTION") for c in solution_cells(cells_of(path))
        if c["cell_type"] == "code")  # one stub per region (a class has one per method)


def test_nbgrader_generate_assignment_writes_the_same_student_edition(tmp_path, student_dir):
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (CI installs it)")
    course = tmp_path / "course"
    (course / "source" / "course").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for path in NOTEBOOKS:
        shutil.copy(path, course / "source" / "course")
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "course",
                           "--force", "--CourseDirectory.db_url=sqlite:///gradebook.db"],
                          cwd=course, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for path in NOTEBOOKS:
        ours = cells_of(student_dir / path.name)
        theirs = cells_of(course / "release" / "course" / path.name)
        assert [(c["cell_type"], source(c)) for c in ours] == [
            (c["cell_type"], source(c)) for c in theirs], path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_student_edition_runs_with_every_exercise_unanswered(path, student_dir):
    from export_html import execute  # the export's kernel set-up (local sockets, timeouts)

    nb, error = execute(student_dir / path.name, timeout=120)
    assert error is None, f"{path.name}: the student edition failed: {error}"
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            printed = "".join(o.get("text", "") for o in cell.outputs)
            assert "未解答" in printed and "正解です" not in printed, (
                f"{path.name}: check cell {cell.metadata.nbgrader.grade_id} printed {printed!r}")
