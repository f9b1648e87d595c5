"""tools/export_html.py turns a notebook into a static HTML page and a course-map index."""

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_export_introduction(tmp_path):
    notebook = REPO / "notebooks" / "00_introduction.ipynb"
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "export_html.py"), "--out", str(tmp_path),
         str(notebook)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 page(s) written" in result.stdout

    index, page = tmp_path / "index.html", tmp_path / "00_introduction.html"
    assert index.is_file() and page.is_file()

    html = page.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # the plots are embedded
    assert '<html lang="ja">' in html
    assert "はじめに" in html and re.search(r"[\u3040-\u30ff]", html)  # Japanese text
    assert "Traceback" not in html
    alts = re.findall(r'<img alt="([^"]*)"', html) + re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert alts and all(a.startswith("図") for a in alts), alts  # Japanese alt text
    assert "No description" not in html

    index_html = index.read_text(encoding="utf-8")
    assert '<html lang="ja">' in index_html and "コースの地図" in index_html
    assert 'href="00_introduction.html"' in index_html
