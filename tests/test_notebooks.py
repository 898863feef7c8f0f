"""The chapters keep the shape the course promises (CONTRIBUTING.md): listed in the
table of contents, stored with outputs, a Colab set-up cell that matches the package,
and exercises whose hints and solutions match the package's."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from book_files import ROOT, config, project_version, toc_files

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def markdown(nb: dict) -> list[str]:
    return [source(c) for c in nb["cells"] if c["cell_type"] == "markdown"]


def expected_setup_cell() -> str:
    url = config()["repository"]["url"]
    return SETUP_TEMPLATE.format(url=url, version=project_version())


SETUP_TEMPLATE = '''\
# Set-up: on Google Colab, install this course's package; anywhere else, do nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "nnscratch @ git+{url}@v{version}"], check=True)'''


def test_every_notebook_is_in_the_book_and_every_chapter_exists():
    listed = {f for f in toc_files() if f.startswith("notebooks/")}
    present = {f"notebooks/{p.stem}" for p in NOTEBOOKS}
    assert listed == present
    for f in toc_files():
        assert any((ROOT / f).with_suffix(s).exists() for s in (".md", ".ipynb")), f


def test_the_package_version_is_the_one_in_pyproject():
    import nnscratch

    assert nnscratch.__version__ == project_version()


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request) -> tuple[Path, dict]:
    return request.param, load(request.param)


def test_first_code_cell_installs_the_package_on_colab_only(notebook):
    _, nb = notebook
    first = code_cells(nb)[0]
    assert source(first) == expected_setup_cell()
    assert "remove-cell" in first["metadata"].get("tags", [])


def test_stored_with_outputs_and_no_errors(notebook):
    _, nb = notebook
    for i, cell in enumerate(code_cells(nb)):
        if source(cell).strip():
            assert cell["execution_count"] is not None, f"code cell {i} was not run"
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"code cell {i} stores an error"
    counts = [c["execution_count"] for c in code_cells(nb) if source(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), "not run top to bottom in a fresh kernel"


def test_has_the_chapter_shape(notebook):
    _, nb = notebook
    text = markdown(nb)
    assert text[0].startswith("# "), "starts with a title"
    headings = [line for t in text for line in t.splitlines() if line.startswith("## ")]
    for heading in ("## In nnscratch", "## Summary", "## Exercises"):
        assert heading in headings, f"missing {heading!r}"
    assert headings[-1] == "## Exercises" or "## Exercises" in headings[-3:]


def exercise_problems(nb: dict) -> list[tuple[str, object]]:
    """The (name, problem) of every `qN.check()` in the notebook, in order."""
    imports: dict[str, object] = {}
    for cell in code_cells(nb):
        for module, names in re.findall(r"from (nnscratch\.exercises\.\w+) import ([\w, ]+)", source(cell)):
            mod = importlib.import_module(module)
            for name in (n.strip() for n in names.split(",")):
                if name != "____":
                    imports[name] = getattr(mod, name)
    found = []
    for cell in code_cells(nb):
        for name in re.findall(r"^(q\w+)\.check\(\)", source(cell), re.M):
            found.append((name, imports[name]))
    return found


def test_exercises_check_themselves(notebook):
    path, nb = notebook
    problems = exercise_problems(nb)
    minimum = 7 if path.stem.startswith("09_") else 3
    assert len(problems) >= minimum, f"{len(problems)} exercises"
    text = markdown(nb)
    exercise_boxes = [t for t in text if t.lstrip().startswith(":::{exercise}")]
    assert len(exercise_boxes) >= len(problems)
    for name, problem in problems:
        assert problem.as_markdown() in text, f"the hints and solution of {name} differ from the package's"
