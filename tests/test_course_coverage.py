"""The course covers the lecture: every slide 4–44 is cited by a notebook, and the README's
notebook table agrees with notebooks/ and with each notebook's title cell."""

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
COVERED = range(4, 45)  # slides 1–3 are the introduction, 45 the references
N_SLIDES = 45

DASH = r"[–\-‐−〜~～—―]"
ITEM = rf"\d+(?:\s*{DASH}\s*\d+)?"
SEPARATOR = r"\s*(?:,|，|、|と)\s*"
CITATION = re.compile(rf"スライド\s*({ITEM}(?:{SEPARATOR}{ITEM})*)")
TITLE = re.compile(r"^#\s*(?P<number>\d+)\s+(?P<title>.+?)\s*"
                   r"[（(]スライド\s*(?P<slides>[^）)]+)[）)]\s*$")
README_ROW = re.compile(r"^\|\s*\[(?P<label>[^\]]+)\]\(notebooks/(?P<stem>[^)]+)\.ipynb\)\s*\|"
                        r"(?P<slides>[^|]*)\|")


def parse_slide_list(text):
    """Slide numbers in a list such as "28, 34–36" (ranges with any dash, items separated by
    commas, 、 or と): {28, 34, 35, 36}."""
    slides = set()
    for item in re.split(SEPARATOR, text.strip()):
        bounds = [int(n) for n in re.split(rf"\s*{DASH}\s*", item)]
        if len(bounds) > 2 or bounds[0] > bounds[-1]:
            raise ValueError(f"not a slide or slide range: {item!r}")
        slides.update(range(bounds[0], bounds[-1] + 1))
    return slides


def cited_slides(text):
    """Slides cited as 「スライド N」, 「スライド a–b」 or 「スライド 28, 34–36」 in text."""
    slides = set()
    for match in CITATION.finditer(text):
        slides |= parse_slide_list(match.group(1))
    return slides


def markdown_of(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def title_slides(path):
    """(number, slides) from the title cell ``# NN タイトル（スライド a–b）``; None if no match."""
    cells = markdown_of(path)
    match = TITLE.match(cells[0].strip().splitlines()[0]) if cells else None
    return (match["number"], parse_slide_list(match["slides"])) if match else None


def readme_rows():
    """[(link label, notebook stem, slides text)] of the README's notebook table, in order."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    return [(m["label"], m["stem"], m["slides"].strip())
            for m in map(README_ROW.match, lines) if m]


# --- the parser ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("スライド 22 の式", {22}),
    ("スライド22", {22}),
    ("（スライド 22–25）", {22, 23, 24, 25}),
    ("スライド 22-25", {22, 23, 24, 25}),
    ("スライド 22〜25", {22, 23, 24, 25}),
    ("スライド 28, 34–36", {28, 34, 35, 36}),
    ("スライド 6 と 28 で登場します", {6, 28}),
    ("スライド 5、詳しくはスライド 7 以降", {5, 7}),
    ("スライド 19、中心差分", {19}),
    ("スライド 44, 13", {13, 44}),
    ("スライドの形 (2, 3)", set()),
    ("スライドには出てきません", set()),
    ("スライド 1–3 と スライド 45", {1, 2, 3, 45}),
])
def test_cited_slides(text, expected):
    assert cited_slides(text) == expected


def test_parse_slide_list():
    assert parse_slide_list("28, 34–36") == {28, 34, 35, 36}
    assert parse_slide_list(" 7–13 ") == set(range(7, 14))
    assert parse_slide_list("29") == {29}
    with pytest.raises(ValueError):
        parse_slide_list("25–22")


# --- the course -----------------------------------------------------------------------------

def test_every_slide_is_cited():
    cited = set()
    for path in NOTEBOOKS:
        for text in markdown_of(path):
            cited |= cited_slides(text)
    missing = sorted(set(COVERED) - cited)
    assert not missing, f"slides not cited as 「スライド N」 in any notebook: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cited_slides_exist(path):
    cited = set().union(*map(cited_slides, markdown_of(path)))
    wrong = sorted(n for n in cited if not 1 <= n <= N_SLIDES)
    assert not wrong, f"{path.name} cites slides that do not exist: {wrong}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_title_names_number_and_slides(path):
    parsed = title_slides(path)
    assert parsed, f"{path.name}: the first cell must start with '# NN タイトル（スライド a–b）'"
    assert parsed[0] == path.name[:2], f"{path.name}: the title says {parsed[0]}"


def test_every_slide_has_a_notebook():
    """Each slide 4–44 lies in the slide range of some notebook's title (a citation in
    passing, e.g. a pointer to a later notebook, is not a notebook about that slide)."""
    titled = set().union(*(title_slides(p)[1] for p in NOTEBOOKS if title_slides(p)))
    missing = sorted(set(COVERED) - titled)
    assert not missing, f"slides no notebook's title covers: {missing}"


def test_readme_table_lists_the_notebooks_in_order():
    rows = readme_rows()
    listed, present = [stem for _, stem, _ in rows], [p.stem for p in NOTEBOOKS]
    assert listed == present, (
        "the README's notebook table must list exactly the notebooks in notebooks/, in order; "
        f"rows missing: {[s for s in present if s not in listed]}, rows without a notebook: "
        f"{[s for s in listed if s not in present]}, README order: {listed}")
    bad_labels = [(label, stem) for label, stem, _ in rows if label != stem]
    assert not bad_labels, f"link text differs from the notebook name: {bad_labels}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_readme_slides_match_title(path):
    rows = {stem: slides for _, stem, slides in readme_rows()}
    assert path.stem in rows, f"README.md has no row for {path.name}"
    parsed = title_slides(path)
    assert parsed, f"{path.name}: no slide range in the title cell"
    assert parse_slide_list(rows[path.stem]) == parsed[1], (
        f"{path.name}: README says slides {rows[path.stem]}, the title cell says "
        f"{sorted(parsed[1])}")
