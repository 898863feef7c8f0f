"""The set-up cell: the first code cell of every chapter, which installs the package
when the chapter runs on Google Colab and does nothing anywhere else.

Its text is made here from the project's own files: the repository URL and the branch
the book's Colab button opens (``_config.yml``'s ``repository.url`` and
``repository.branch``) and the package version (``pyproject.toml``). The button opens
the notebook as it is on that branch, so the cell installs the package from the same
branch: notebook and package always come from the same commit.

``tools/release.py cells`` writes the cell into every chapter; the tests and
``tools/colab_check.py`` read it back with `requirement` and `failure_messages`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# The extra the cell installs: graphviz and graphviz-pure, so graphs draw without a
# system `dot`. Colab already has NumPy, matplotlib, scikit-learn and PyTorch; asking
# for nothing more leaves them as they are.
EXTRA = "viz"

TEMPLATE = '''\
# Set-up: on Google Colab, install the course's package, nnscratch {version},
# from the branch this notebook comes from; anywhere else, do nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess

    repo, ref = "{url}", "{ref}"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         f"nnscratch[{extra}] @ git+{{repo}}@{{ref}}"],
        capture_output=True, text=True)
    if install.returncode != 0:
        why = ("pip failed; print(install.stderr) shows why, and the book's "
               "set-up page says what to try")
        if "unable to access" in install.stderr:
            why = ("GitHub could not be reached; check the connection, then "
                   "run this cell again")
        if "did not match any file" in install.stderr:
            why = (f"{{repo}} has no branch or tag {{ref}}; open the chapter again "
                   "from the book's Colab button")
        error = RuntimeError(f"nnscratch was not installed: {{why}}.")
        error._render_traceback_ = lambda: [str(error)]  # no traceback
        raise error'''

# What the cell says when pip fails, by cause ({repo} and {ref} filled in); the tests
# run the cell to check that it says exactly this.
WHY = {
    "offline": "GitHub could not be reached; check the connection, then run this cell again",
    "missing": "{repo} has no branch or tag {ref}; open the chapter again from the book's "
               "Colab button",
    "other": "pip failed; print(install.stderr) shows why, and the book's set-up page "
             "says what to try",
}


def config(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def project_version(root: Path = ROOT) -> str:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def render(url: str, ref: str, version: str) -> str:
    """The set-up cell that installs nnscratch ``version`` from ``url`` at ``ref``."""
    return TEMPLATE.format(url=url, ref=ref, version=version, extra=EXTRA)


def expected(root: Path = ROOT) -> str:
    """The set-up cell every chapter should hold, from the project's files."""
    repository = config(root)["repository"]
    return render(repository["url"], repository["branch"], project_version(root))


def failure_messages(url: str, ref: str) -> dict[str, str]:
    """The one line the cell prints for each cause of a failed install."""
    return {cause: f"nnscratch was not installed: {why.format(repo=url, ref=ref)}."
            for cause, why in WHY.items()}


REQUIREMENT = re.compile(
    r'^    repo, ref = "(?P<url>[^"]+)", "(?P<ref>[^"]+)"$.*'
    r'"nnscratch\[(?P<extra>[\w,]+)\] @ git\+\{repo\}@\{ref\}"', re.M | re.S)
VERSION_LINE = re.compile(r"^# Set-up: on Google Colab, install the course's package, "
                          r"nnscratch (\S+),$", re.M)


def requirement(cell: str) -> dict[str, str]:
    """The repository URL, ref and extra a set-up cell installs, read from its text."""
    found = REQUIREMENT.search(cell)
    if not found:
        raise ValueError("no `nnscratch[...] @ git+{repo}@{ref}` install in the cell")
    version = VERSION_LINE.search(cell)
    return {**found.groupdict(), "version": version.group(1) if version else None}


def chapters(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def read_setup_cell(path: Path) -> str:
    return source(first_code_cell(json.loads(path.read_text(encoding="utf-8"))))


def first_code_cell(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["cell_type"] == "code")


def source(cell: dict) -> str:
    return "".join(cell["source"])


def write_setup_cell(path: Path, text: str) -> bool:
    """Put ``text`` into the notebook's first code cell; True if the file changed.

    Only that cell's source changes: the rest of the file keeps its bytes (notebooks
    are stored as nbformat writes them, one-space indented JSON).
    """
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    if dump(nb) != raw:
        raise RuntimeError(f"{path} is not stored as nbformat writes it; rewriting its "
                           "set-up cell would change other lines too")
    cell = first_code_cell(nb)
    if source(cell) == text:
        return False
    cell["source"] = text.splitlines(keepends=True)
    path.write_text(dump(nb), encoding="utf-8")
    return True


def dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
