# nbgrader settings for this course (read by `nbgrader` when run from the repository's top folder).
# The stubs are the ones tools/make_student_edition.py writes, so nbgrader's own
# generate_assignment gives the same student notebooks as that script.
c = get_config()  # noqa: F821 (nbgrader's config files get this name from traitlets)

c.ClearSolutions.code_stub = {"python": "# ここに解答を書いてください"}
c.ClearSolutions.text_stub = (
    "（解答例と解説は、自分で解いた後に教員用の版 `notebooks/` の同じ問で読めます。"
    "ここには考えたことをメモしてかまいません。）"
)
