"""Export the course notebooks to a static HTML site.

    python tools/export_html.py [--out site] [--embed-widgets] [notebooks ...]

Every notebook (or only the given ones) is executed top to bottom in a fresh kernel whose
working directory is notebooks/, as in JupyterLab, and written as one HTML page with all
outputs (plots embedded as PNG). index.html is the course map in Japanese: one row per
notebook with its link, slides and a one-line description. Formulas are typeset by a copy
of MathJax written to OUT/mathjax/ (from the jupyter-server-mathjax package), so the site
reads offline. Exits with status 1 when any notebook fails; its page is still written,
showing the error.
"""

import argparse
import html
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from traitlets.config import Config

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO / "notebooks"
README = REPO / "README.md"

TITLE_RE = re.compile(r"^#\s*(?P<number>\d+)\s+(?P<title>.*?)\s*"
                      r"(?:[（(]スライド\s*(?P<slides>[^）)]*)[）)])?\s*$")
README_ROW_RE = re.compile(r"^\|\s*\[(?P<name>[^\]]+)\]\(notebooks/(?P<file>[^)]+)\.ipynb\)\s*\|"
                           r"(?P<slides>[^|]*)\|(?P<text>[^|]*)\|")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
DEFAULT_WIDGET_REPR = re.compile(r"^\w+\((children|value|description)=")

WIDGET_NOTE = ("<p><em>（ここには操作できるウィジェットが表示されます。JupyterLab でノートブックを"
               "実行すると動かせます。スライダーの効果は、近くにある一覧図（コンタクトシート）で"
               "見られます。{}）</em></p>")
WIDGET_FIRST_VIEW = "下の図は、最初の設定での表示です。"

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>1から作る Deep Learning — コースの地図</title>
<style>
body {{ font-family: "IPAexGothic", "Hiragino Sans", "Yu Gothic", "Noto Sans CJK JP",
        sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.7; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.4rem 0.6rem; text-align: left;
          vertical-align: top; }}
td.slides {{ white-space: nowrap; }}
.missing {{ color: #888; }}
</style>
</head>
<body>
<h1>1から作る Deep Learning — コースの地図</h1>
<p>大学の講義スライドに沿って、ディープラーニングの基礎を NumPy だけで 1 から組み立てる講座です。
各ページは、ノートブックを新しいカーネルで上から実行した結果です（図はすべてページに埋め込まれています）。
ウィジェットを動かすには、JupyterLab でノートブックを開いて実行してください。</p>
<table>
<thead><tr><th>ノートブック</th><th>スライド</th><th>内容</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""

NO_ALT = "No description has been provided for this image"  # what nbconvert writes
FIGURE_TITLE_RE = re.compile(r"""(?:suptitle|set_title|title)\s*[=(]\s*f?(["'])(?P<text>.+?)\1""")
HEADING_RE = re.compile(r"^#{1,4}\s+(?P<text>.+)$", re.M)

# MathJax 2 as the jupyter-server-mathjax package ships it (PyPI; requirements.txt): copied
# next to the pages so that formulas are typeset without an internet connection.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"

NAV_STYLE = ("font-family: sans-serif; padding: 0.5rem 1rem; border-bottom: 1px solid #ddd; "
             "display: flex; gap: 1.5rem;")


def read_title(path):
    """Number, title and slides ("" if none) from the notebook's first Markdown cell,
    ``# NN タイトル（スライド a–b）``."""
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown"]
    first_line = cells[0].source.strip().splitlines()[0] if cells else ""
    match = TITLE_RE.match(first_line)
    if not match:
        return path.stem[:2], first_line.lstrip("# ") or path.stem, ""
    return match["number"], match["title"], (match["slides"] or "").strip()


def read_readme_rows(readme=README):
    """{notebook stem: (slides, one-line description)} from the README's notebook table."""
    rows = {}
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            match = README_ROW_RE.match(line)
            if match:
                rows[match["file"]] = (match["slides"].strip(), match["text"].strip())
    return rows


STARTUP_TIMEOUT = 30  # s for a new kernel to answer; a start takes 1-3 s on a busy 2-core machine


class KernelStalled(TimeoutError):
    """A freshly started kernel did not answer nbclient's kernel_info request."""


class CourseClient(NotebookClient):
    """nbclient's NotebookClient, failing fast and clearly when a new kernel stalls.

    After the start, nbclient asks the kernel for kernel_info once more, outside any cell;
    when no reply comes it waits a whole cell timeout and then fails with a bare
    AssertionError. Here that request gets ``startup_timeout`` and a clear error.
    """

    def _get_timeout(self, cell):
        return self.startup_timeout if cell is None else super()._get_timeout(cell)

    async def _async_handle_timeout(self, timeout, cell=None):
        if cell is None:
            raise KernelStalled(f"the kernel started but did not answer kernel_info within "
                                f"{timeout} s (a stalled kernel start); run again")
        return await super()._async_handle_timeout(timeout, cell)


def execute(path, timeout, startup_timeout=STARTUP_TIMEOUT):
    """Run the notebook in a fresh kernel (cwd = its folder); return (notebook, error or None).

    ``timeout`` is per cell; a kernel that does not start and answer within
    ``startup_timeout`` seconds is an error too. The widgets' state is always stored:
    nbclient 0.11 needs it to capture what an Output widget shows (with
    store_widget_state=False it fails with a KeyError).
    """
    nb = nbformat.read(path, as_version=4)
    config = Config()
    with tempfile.TemporaryDirectory() as sockets:
        if os.name == "posix":
            # Local socket files instead of TCP ports: nothing listens on the network, and
            # the kernel has no reason to warn about unencrypted TCP in the log.
            config.KernelManager.transport = "ipc"
            config.KernelManager.ip = os.path.join(sockets, "kernel")
        client = CourseClient(nb, timeout=timeout, startup_timeout=startup_timeout,
                              store_widget_state=True, config=config,
                              resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except Exception as exc:  # a failing cell, a timeout or a dead kernel: report, go on
            return nb, exc
    return nb, None


def progress_html(model_id, state):
    """The final text of a tqdm progress bar (an HBox of HTML, progress bar, HTML), or None."""
    children = [state.get(ref.removeprefix("IPY_MODEL_"), {})
                for ref in state.get(model_id, {}).get("state", {}).get("children", [])]
    if [c.get("model_name") for c in children] != ["HTMLModel", "FloatProgressModel",
                                                    "HTMLModel"]:
        return None
    left, bar, right = (c.get("state", {}) for c in children)
    filled = round(10 * bar.get("value", 0) / (bar.get("max") or 1))
    return (f'<pre>{left.get("value", "")}|{"█" * filled}{" " * (10 - filled)}|'
            f'{right.get("value", "")}</pre>')


def widget_images(model_id, state):
    """The PNG images that Image widgets and Output widgets inside widget ``model_id`` show
    (depth first)."""
    entry = state.get(model_id, {})
    model = entry.get("state", {})
    images = [out["data"]["image/png"] for out in model.get("outputs", [])
              if "image/png" in out.get("data", {})]
    if model.get("_model_name") == "ImageModel":  # its bytes are stored as a base64 buffer
        images += [b["data"] for b in entry.get("buffers", []) if b.get("path") == ["value"]]
    for ref in model.get("children", []):
        images += widget_images(ref.removeprefix("IPY_MODEL_"), state)
    return images


def make_widgets_static(nb):
    """Remove the widgets' state. In place of a widget show a progress bar's final text, or
    a short note and the plots the widget showed first (instead of ``VBox(children=...)``)."""
    widgets = nb.metadata.pop("widgets", {})
    state = widgets.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            progress = progress_html(data[WIDGET_VIEW].get("model_id"), state)
            if progress:
                output["data"] = {"text/html": progress}
            elif DEFAULT_WIDGET_REPR.match(data.get("text/plain", "")):
                images = widget_images(data[WIDGET_VIEW].get("model_id"), state)
                output["data"] = {"text/html": WIDGET_NOTE.format(
                    WIDGET_FIRST_VIEW if images else "") + "".join(
                    f'<img src="data:image/png;base64,{png}" alt="{NO_ALT}">'
                    for png in images)}


def figure_descriptions(nb):
    """A short Japanese description for the figures of each cell (None for cells without).

    The description is the figure's title as the cell's code writes it (title=..., set_title,
    suptitle; the parts of an f-string in braces dropped), else the section it stands in.
    """
    descriptions, section = [], ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            headings = HEADING_RE.findall(cell.source)
            section = headings[-1].strip() if headings else section
            descriptions.append(None)
            continue
        match = FIGURE_TITLE_RE.search(cell.source)
        title = re.sub(r"\s+", " ", re.sub(r"\{[^}]*\}", "…", match["text"])) if match else ""
        descriptions.append(f"図：{title}" if title else f"図（{section}）" if section else "図")
    return descriptions


def describe_images(body, nb):
    """Replace nbconvert's English placeholder alt text by each cell's Japanese description."""
    from bs4 import BeautifulSoup  # nbconvert's own dependency

    soup = BeautifulSoup(body, features="html.parser")
    cells = soup.select("div.jp-Cell")
    if len(cells) != len(nb.cells):  # the template changed: keep the page as it is
        return body
    for div, description in zip(cells, figure_descriptions(nb)):
        for img in div.select(f'img[alt="{NO_ALT}"]'):
            img["alt"] = description or "図"
    return str(soup)


def navigation(pages, i):
    """A bar with links to the previous page, the course map and the next page."""
    links = []
    if i > 0:
        links.append(f'<a href="{pages[i - 1][0]}">← {html.escape(pages[i - 1][1])}</a>')
    links.append('<a href="index.html">コースの地図</a>')
    if i + 1 < len(pages):
        links.append(f'<a href="{pages[i + 1][0]}">{html.escape(pages[i + 1][1])} →</a>')
    return f'<nav style="{NAV_STYLE}">' + "".join(links) + "</nav>"


def write_page(nb, out_path, title, nav, mathjax_url=None):
    """Convert an executed notebook to one HTML page (images embedded; MathJax from
    ``mathjax_url``; with --embed-widgets the widget manager loads from the web)."""
    nb.metadata["title"] = title
    exporter = HTMLExporter(template_name="lab", language_code="ja")
    if mathjax_url:
        exporter.mathjax_url = mathjax_url
    body, _ = exporter.from_notebook_node(nb)
    body = describe_images(body, nb)
    body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    out_path.write_text(body, encoding="utf-8")


def copy_mathjax(out_dir):
    """Copy MathJax from the jupyter-server-mathjax package to ``out_dir/mathjax`` (once)
    and return the URL the pages load it from, relative to the pages."""
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    target = out_dir / "mathjax"
    if not (target / "MathJax.js").is_file():
        shutil.copytree(source, target, dirs_exist_ok=True)
    return f"mathjax/MathJax.js?config={MATHJAX_CONFIG}"


def write_index(out_dir, notebooks):
    """The course map: every notebook in notebooks/, linked when its page exists in out_dir."""
    readme = read_readme_rows()
    rows = []
    for path in notebooks:
        number, title, slides = read_title(path)
        readme_slides, text = readme.get(path.stem, ("", ""))
        slides = slides or readme_slides
        label = html.escape(f"{number} {title}")
        page = f"{path.stem}.html"
        link = (f'<a href="{page}">{label}</a>' if (out_dir / page).exists()
                else f'<span class="missing">{label}（未出力）</span>')
        text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text or title))
        rows.append(f"<tr><td>{link}</td><td class=\"slides\">{html.escape(slides)}</td>"
                    f"<td>{text}</td></tr>")
    (out_dir / "index.html").write_text(INDEX_TEMPLATE.format(rows="\n".join(rows)),
                                        encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to export (default: every notebooks/*.ipynb)")
    parser.add_argument("--out", type=Path, default=REPO / "site", help="output folder")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell")
    parser.add_argument("--embed-widgets", action="store_true",
                        help="embed the widgets' state (rendering it needs the widget "
                             "manager from unpkg.com, i.e. an internet connection)")
    parser.add_argument("--mathjax-url",
                        help="where the pages load MathJax 2 from, instead of the copy written "
                             "to OUT/mathjax/ (which works offline). Example: "
                             "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js"
                             "?config=TeX-AMS_CHTML-full,Safe")
    args = parser.parse_args(argv)

    all_notebooks = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    chosen = [p.resolve() for p in args.notebooks] or all_notebooks
    missing = [str(p) for p in chosen if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    args.out.mkdir(parents=True, exist_ok=True)
    mathjax_url = args.mathjax_url or copy_mathjax(args.out)

    course = sorted(set(all_notebooks) | set(chosen), key=lambda p: p.name)
    titles = {p: " ".join(read_title(p)[:2]) for p in course}
    pages = [(f"{p.stem}.html", titles[p]) for p in course]
    failures, start = [], time.perf_counter()
    for path in chosen:
        t0 = time.perf_counter()
        nb, error = execute(path, args.timeout)
        if not args.embed_widgets:
            make_widgets_static(nb)
        i = course.index(path)
        write_page(nb, args.out / pages[i][0], titles[path], navigation(pages, i),
                   mathjax_url)
        status = "ok" if error is None else f"FAILED: {type(error).__name__}"
        print(f"{time.perf_counter() - t0:7.1f} s  {path.name}  {status}", flush=True)
        if error is not None:
            failures.append((path.name, error))
    write_index(args.out, course)

    print(f"{time.perf_counter() - start:7.1f} s  total: {len(chosen)} page(s) written "
          f"to {args.out}/ (+ index.html)")
    for name, error in failures:
        print(f"\n--- {name} failed ---\n{error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
