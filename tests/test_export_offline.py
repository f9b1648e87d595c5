"""An exported page typesets its formulas with the network blocked (the course runs offline).

tools/export_html.py copies MathJax from the jupyter-server-mathjax package next to the
pages. Here headless Chromium opens an exported page while every request that is not a local
file is aborted, and checks that MathJax typeset the page's formulas. Skips where
/usr/bin/chromium or the playwright package is missing (CI installs both).
"""

import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (Debian: apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the playwright package is not installed")

REPO = Path(__file__).resolve().parent.parent

TYPESET_JS = """() => {
    if (!window.MathJax || !MathJax.Hub || MathJax.Hub.queue.pending) return -1;
    return document.querySelectorAll('.MathJax, .MathJax_Display').length;
}"""
RAW_TEX_JS = r"""[...document.querySelectorAll('.jp-RenderedMarkdown')]
    .some(e => /\$[^$]+\$/.test(e.innerText))"""


def test_an_exported_page_typesets_formulas_without_the_network(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "export_html.py"), "--out", str(tmp_path),
         str(REPO / "notebooks" / "00_introduction.ipynb")],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    page = tmp_path / "00_introduction.html"
    assert 'src="mathjax/MathJax.js' in page.read_text(encoding="utf-8")

    blocked = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context()

            def only_local_files(route):
                if route.request.url.startswith("file://"):
                    return route.continue_()
                blocked.append(route.request.url)
                return route.abort()

            context.route("**/*", only_local_files)
            tab = context.new_page()
            tab.goto(page.as_uri())
            tab.wait_for_function(f"({TYPESET_JS})() > 0", timeout=30_000)
            n_formulas = tab.evaluate(f"({TYPESET_JS})()")
            # no TeX source ($...$) left in the rendered prose (a code cell may show some)
            raw_tex = tab.evaluate(RAW_TEX_JS)
        finally:
            browser.close()
    assert n_formulas >= 3, n_formulas
    assert not raw_tex  # the TeX source is not left on the page
    assert not any("mathjax" in url.lower() for url in blocked), blocked
