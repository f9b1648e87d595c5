"""Write the student edition of the course: every solution removed (no nbgrader needed).

    python tools/make_student_edition.py            # notebooks/ -> student/ (keeps existing files)
    python tools/make_student_edition.py --force    # overwrite student/ notebooks too

The teacher edition in notebooks/ marks solutions the way nbgrader does:
- in a solution cell (metadata nbgrader.solution), the lines between ``### BEGIN SOLUTION``
  and ``### END SOLUTION`` become the code stub; a solution cell without markers (the
  collapsed 解答例 explanations) becomes the text stub;
- in a check cell, the lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``
  (the asserts that make the teacher edition fail when a worked answer breaks) are removed.
The stubs are read from nbgrader_config.py, so ``nbgrader generate_assignment`` produces the
same notebooks. Outputs are cleared and solution cells are shown expanded, ready to write in.
A student's notebook that already exists in student/ is never overwritten without --force.
"""

import argparse
import ast
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


def read_stubs(config_path=ROOT / "nbgrader_config.py"):
    """(code stub, text stub) as set in nbgrader_config.py, read without running it."""
    stubs = {}
    for node in ast.parse(config_path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Attribute):
            target = ast.unparse(node.targets[0])
            if target in ("c.ClearSolutions.code_stub", "c.ClearSolutions.text_stub"):
                stubs[target.rsplit(".", 1)[1]] = ast.literal_eval(node.value)
    return stubs["code_stub"]["python"], stubs["text_stub"]


def replace_region(source, begin, end, stub_lines):
    """Replace every region from a line containing ``begin`` to one containing ``end`` by
    ``stub_lines`` (indented like the begin line). Returns (new source, regions found)."""
    out, inside, found = [], False, 0
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise ValueError(f"nested {begin!r} in:\n{source}")
            inside, found = True, found + 1
            indent = re.match(r"\s*", line).group(0)
            out.extend(indent + stub for stub in stub_lines)
        elif end in line:
            if not inside:
                raise ValueError(f"{end!r} without {begin!r} in:\n{source}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{begin!r} without {end!r} in:\n{source}")
    return "\n".join(out), found


def is_solution_cell(cell):
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def student_notebook(nb, code_stub, text_stub):
    """The student edition of one notebook (a dict in nbformat 4), as a new dict."""
    nb = json.loads(json.dumps(nb))  # a deep copy
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        stub = code_stub if cell["cell_type"] == "code" else text_stub
        source, n_solutions = replace_region(source, BEGIN_SOLUTION, END_SOLUTION,
                                             stub.split("\n"))
        if n_solutions and not is_solution_cell(cell):
            raise ValueError(f"solution region in a cell not marked as a solution cell:\n{source}")
        if is_solution_cell(cell):
            if not n_solutions:
                source = stub
            cell["metadata"].get("jupyter", {}).pop("source_hidden", None)
            if not cell["metadata"].get("jupyter", True):
                del cell["metadata"]["jupyter"]
        source, _ = replace_region(source, BEGIN_HIDDEN, END_HIDDEN, [])
        cell["source"] = source
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb


def make_student_edition(src_dir=ROOT / "notebooks", out_dir=ROOT / "student", force=False):
    """Write the student edition of every notebook in ``src_dir`` to ``out_dir``.

    Returns the list of paths written; an existing notebook is skipped unless ``force``.
    """
    code_stub, text_stub = read_stubs()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(Path(src_dir).glob("*.ipynb")):
        target = out_dir / path.name
        if target.exists() and not force:
            continue
        nb = student_notebook(json.loads(path.read_text(encoding="utf-8")), code_stub, text_stub)
        target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true",
                        help="overwrite notebooks that already exist in the output folder")
    parser.add_argument("--out", type=Path, default=ROOT / "student", help="output folder")
    args = parser.parse_args(argv)
    written = make_student_edition(out_dir=args.out, force=args.force)
    kept = len(list(Path(args.out).glob("*.ipynb"))) - len(written)
    print(f"学生用の版を {args.out} に書き出しました：{len(written)} 冊"
          + (f"（既にある {kept} 冊はそのままです。上書きするには --force）" if kept else ""))


if __name__ == "__main__":
    sys.exit(main())
