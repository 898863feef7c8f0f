"""The chapters keep the shape the course promises (CONTRIBUTING.md): listed in the
table of contents, stored with outputs, a Colab set-up cell that matches the package,
and exercises whose hints and solutions match the package's."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

from book_files import ROOT, project_version, toc_files

sys.path.insert(0, str(ROOT / "tools"))
import setup_cell  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def markdown(nb: dict) -> list[str]:
    return [source(c) for c in nb["cells"] if c["cell_type"] == "markdown"]


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


def test_first_code_cell_is_the_set_up_cell(notebook):
    _, nb = notebook
    first = code_cells(nb)[0]
    assert source(first) == setup_cell.expected(), "python tools/release.py cells rewrites it"
    assert "remove-cell" in first["metadata"].get("tags", [])
    assert first["outputs"] == []  # it prints nothing outside Colab


# --- the set-up cell ------------------------------------------------------------------
# What it installs is read from the cells themselves: every chapter must name the
# repository and the branch the book's Colab button opens (the button opens that
# branch's notebook, so the package installed must come from it too), and the version
# the package has there.

def setup_requirements() -> list[dict[str, str]]:
    return [setup_cell.requirement(source(code_cells(load(p))[0])) for p in NOTEBOOKS]


def test_every_set_up_cell_installs_from_the_colab_buttons_repository_and_branch():
    repository = setup_cell.config()["repository"]
    wanted = {"url": repository["url"], "ref": repository["branch"], "extra": "viz",
              "version": project_version()}
    assert NOTEBOOKS
    for path, named in zip(NOTEBOOKS, setup_requirements()):
        assert named == wanted, path.name


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def ref_resolves(ref: str) -> tuple[bool, str]:
    """Whether ``ref`` is a branch or tag of this repository, and where it was found.

    A fresh clone has the branch it was cloned from; a shallow CI checkout (GitHub
    Actions, a pull request) may have neither the branch nor any tag, so the remote it
    came from is asked as well."""
    for full in (f"refs/heads/{ref}", f"refs/tags/{ref}", f"refs/remotes/origin/{ref}"):
        if git("rev-parse", "--verify", "--quiet", f"{full}^{{commit}}").returncode == 0:
            return True, full
    remote = git("ls-remote", "--exit-code", "origin", f"refs/heads/{ref}", f"refs/tags/{ref}")
    if remote.returncode == 0:
        return True, f"origin: {remote.stdout.split()[-1]}"
    return False, f"not here, and origin says: {remote.stderr.strip() or 'no such ref'}"


def test_the_ref_the_set_up_cells_name_exists_in_the_repository():
    if git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout, so there are no branches or tags to look in")
    refs = {named["ref"] for named in setup_requirements()}
    assert len(refs) == 1, refs
    ref = refs.pop()
    found, where = ref_resolves(ref)
    assert found, f"the set-up cells install {ref!r}, which the repository lacks ({where})"


def test_a_ref_that_does_not_exist_is_not_found():
    if git("rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    assert ref_resolves("v0.0.0-no-such-release")[0] is False


# pip's own words (abridged) for the three ways an install fails.
PIP_SAYS = {
    "offline": """\
  error: subprocess-exited-with-error
  × git clone --filter=blob:none --quiet https://github.com/nnscratch/nnscratch /tmp/pip-install-ub722781/nnscratch did not run successfully.
  │ exit code: 128
  ╰─> [1 lines of output]
      fatal: unable to access 'https://github.com/nnscratch/nnscratch/': Could not resolve host: github.com
      [end of output]""",
    "missing": """\
  WARNING: Did not find branch or tag 'main', assuming revision or ref.
  error: subprocess-exited-with-error
  × git checkout -q main did not run successfully.
  │ exit code: 1
  ╰─> [1 lines of output]
      error: pathspec 'main' did not match any file(s) known to git
      [end of output]""",
    "other": """\
ERROR: Could not find a version that satisfies the requirement setuptools>=77 (from versions: none)
ERROR: No matching distribution found for setuptools>=77""",
}


def run_setup_cell(monkeypatch, *, on_colab: bool, returncode: int = 0, stderr: str = ""):
    """Run the set-up cell here with pip replaced; the commands it ran."""
    ran = []

    def pip(args, **kwargs):
        ran.append(args)
        return subprocess.CompletedProcess(args, returncode, "", stderr)

    monkeypatch.setattr(subprocess, "run", pip)
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(setup_cell.expected(), "<set-up cell>", "exec"), {})
    return ran


def test_the_set_up_cell_does_nothing_outside_colab(monkeypatch, capsys):
    assert run_setup_cell(monkeypatch, on_colab=False) == []
    assert capsys.readouterr() == ("", "")


def test_on_colab_it_pip_installs_the_package_with_its_viz_extra_quietly(monkeypatch, capsys):
    repository = setup_cell.config()["repository"]
    ran = run_setup_cell(monkeypatch, on_colab=True, stderr="WARNING: pip's chatter")
    assert ran == [[sys.executable, "-m", "pip", "install", "--quiet",
                    f"nnscratch[viz] @ git+{repository['url']}@{repository['branch']}"]]
    assert capsys.readouterr() == ("", "")  # pip's own output is captured, not shown


@pytest.mark.parametrize("cause", sorted(PIP_SAYS))
def test_a_failed_install_says_one_line_with_what_to_do(monkeypatch, capsys, cause):
    repository = setup_cell.config()["repository"]
    with pytest.raises(RuntimeError) as raised:
        run_setup_cell(monkeypatch, on_colab=True, returncode=1, stderr=PIP_SAYS[cause])
    line = setup_cell.failure_messages(repository["url"], repository["branch"])[cause]
    assert str(raised.value) == line
    # IPython (and so Colab) shows an exception's _render_traceback_() in place of the
    # traceback: just this line.
    assert raised.value._render_traceback_() == [line]
    assert capsys.readouterr() == ("", "")


def test_the_setup_page_quotes_what_a_failed_install_says():
    repository = setup_cell.config()["repository"]
    page = (ROOT / "book" / "setup.md").read_text(encoding="utf-8")
    for cause, line in setup_cell.failure_messages(repository["url"], repository["branch"]).items():
        assert line in page, f"book/setup.md does not quote the {cause} message"


def test_the_readme_installs_what_the_set_up_cells_install():
    repository = setup_cell.config()["repository"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'pip install "nnscratch[viz] @ git+{repository["url"]}@{repository["branch"]}"' in readme


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


def exercise_imports(nb: dict) -> dict[str, object]:
    """Every name the notebook imports from an exercise module, with what it is."""
    imports: dict[str, object] = {}
    for cell in code_cells(nb):
        for module, names in re.findall(r"from (nnscratch\.exercises\.\w+) import ([\w, ]+)", source(cell)):
            mod = importlib.import_module(module)
            for name in (n.strip() for n in names.split(",")):
                if name != "____":
                    imports[name] = getattr(mod, name)
    return imports


def exercise_problems(nb: dict) -> list[tuple[str, object]]:
    """The (name, problem) of every `qN.check()` in the notebook, in order."""
    imports = exercise_imports(nb)
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


def test_open_ended_exercises_carry_their_discussion(notebook):
    from nnscratch.exercises.core import OpenEnded

    _, nb = notebook
    open_ended = [p for p in exercise_imports(nb).values() if isinstance(p, OpenEnded)]
    text = markdown(nb)
    boxes = [t for t in text if t.lstrip().startswith(":::{exercise} Open-ended:")]
    assert len(boxes) == len(open_ended), "one Open-ended box per open-ended exercise imported"
    for problem in open_ended:
        assert problem.as_markdown() in text, "its hints and discussion differ from the package's"


def test_the_book_has_open_ended_exercises_in_every_part():
    from nnscratch.exercises.core import OpenEnded

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    per_part = {}
    for part in toc["parts"]:
        files = [c["file"] for c in part["chapters"] if c["file"].startswith("notebooks/")]
        if not files:
            continue
        count = 0
        for file in files:
            nb = json.loads((ROOT / f"{file}.ipynb").read_text(encoding="utf-8"))
            count += sum(isinstance(p, OpenEnded) for p in exercise_imports(nb).values())
        per_part[part["caption"]] = count
    assert sum(per_part.values()) >= 4, per_part
    assert all(per_part.values()), f"a part of the book with no open-ended exercise: {per_part}"
