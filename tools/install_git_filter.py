"""Keep committed notebooks clean: set up nbstripout as this repository's git filter.

    python tools/install_git_filter.py

Run once per clone by anyone who edits notebooks/ (lecturers, contributors). Afterwards git
stores every notebook without outputs, execution counts and the metadata JupyterLab adds
when it saves (language_info details), however the working copy looks: running a notebook
in JupyterLab no longer shows up as a change. .gitattributes (committed) names the filter;
this script defines it in .git/config. Cell ids are kept, so diffs stay small.
"""

import shlex
import subprocess
import sys

# What JupyterLab writes into a notebook's metadata on save, beyond what the course stores.
EXTRA_KEYS = " ".join(f"metadata.language_info.{key}" for key in (
    "codemirror_mode", "file_extension", "mimetype", "nbconvert_exporter", "pygments_lexer",
    "version"))


def main():
    clean = f"{shlex.quote(sys.executable)} -m nbstripout --keep-id"
    settings = {
        "filter.nbstripout.clean": clean,
        "filter.nbstripout.smudge": "cat",
        "filter.nbstripout.required": "true",
        "filter.nbstripout.extrakeys": EXTRA_KEYS,
        "diff.ipynb.textconv": f"{clean} -t",
    }
    try:
        import nbstripout  # noqa: F401 (the filter runs it as a module)
    except ImportError:
        sys.exit("nbstripout が入っていません：pip install -r requirements.txt を先に実行してください")
    for key, value in settings.items():
        subprocess.run(["git", "config", key, value], check=True)
    print("git のフィルタ nbstripout を設定しました。ノートブックは出力なしでコミットされます。")


if __name__ == "__main__":
    main()
