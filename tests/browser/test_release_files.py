"""The files that publish the course agree with the package: the version the book
shows, the changelog, the Binder environment, the GitHub workflows, the lock file and
the Makefile; and a release, made by tools/release.py, moves the versions all
together. No browser or build needed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from book_pages import ROOT, config, project_version


def test_the_book_shows_the_version_in_pyproject():
    cfg = config()
    version = project_version()
    assert str(cfg["parse"]["myst_substitutions"]["version"]) == version
    assert f"nnscratch {version}" in cfg["html"]["extra_footer"]


def test_the_changelog_starts_with_the_current_version():
    # An "Unreleased" section may come first: changes not yet given a version.
    headings = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    versions = [h for h in headings if h != "Unreleased"]
    assert versions and versions[0] == project_version()
    assert headings.index(versions[0]) <= 1


# Modules the notebooks may import that are not on PyPI under the same name, or that a
# chapter treats as optional (it runs without them and says which cells need them).
PYPI_NAMES = {"sklearn": "scikit-learn", "matplotlib_inline": "matplotlib-inline"}
OPTIONAL = {"torch"}


def notebook_imports() -> set[str]:
    found = set()
    for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                found |= set(re.findall(r"^\s*(?:from|import)\s+(\w+)", "".join(cell["source"]), re.M))
    return found - set(sys.stdlib_module_names) - {"nnscratch"}


def test_binder_installs_what_the_notebooks_import():
    lines = (ROOT / ".binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    listed = {re.split(r"[<>=~! \[]", line.strip())[0].lower() for line in lines
              if line.strip() and not line.lstrip().startswith("#")}
    missing = {m for m in notebook_imports() - OPTIONAL if PYPI_NAMES.get(m, m).lower() not in listed}
    assert missing == set(), f"add to .binder/requirements.txt: {sorted(missing)}"
    postbuild = (ROOT / ".binder" / "postBuild").read_text(encoding="utf-8")
    assert "pip install" in postbuild  # the package itself


def test_binder_pins_the_versions_of_the_lock():
    """Binder runs Python 3.11 on Linux (runtime.txt): there, each package it installs
    has the version the lock gives that Python, as the book's outputs were made with."""
    runtime = (ROOT / ".binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    version = runtime.removeprefix("python-")
    env = {"python_version": version, "python_full_version": f"{version}.0",
           "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"}
    locked = {canonicalize_name(p.name): str(p.specifier) for p in requirements(LOCK)
              if p.marker is None or p.marker.evaluate(env)}
    for wanted in requirements(ROOT / ".binder" / "requirements.txt"):
        name = canonicalize_name(wanted.name)
        assert name in locked, f"{wanted.name} is not in the lock"
        assert str(wanted.specifier) == locked[name], f"Binder has {wanted}, the lock {locked[name]}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML reads a bare `on` as True
    assert {"push", "pull_request"} <= set(triggers)
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(".ci/run" in s or "make test" in s for s in steps)


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def steps(flow: dict, key: str) -> list[str]:
    return [s.get(key, "") for job in flow["jobs"].values() for s in job["steps"]]


def test_ci_runs_the_colab_check():
    assert re.search(r"^make colab-check$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^colab-check:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert target and "tools/colab_check.py" in target.group(1)


def test_pages_workflow_builds_and_deploys_from_main():
    flow = workflow("pages.yml")
    triggers = flow.get("on", flow.get(True))
    assert triggers["push"]["branches"] == [config()["repository"]["branch"]]
    uses, runs = steps(flow, "uses"), steps(flow, "run")
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    # The same book a reader builds: the stored outputs, with nothing added by hand.
    assert [r for r in runs if r] == ["make book"]


def test_a_scheduled_job_tests_the_newest_allowed_versions_and_every_platform():
    flow = workflow("newest.yml")
    triggers = flow.get("on", flow.get(True))
    assert triggers["schedule"], "not scheduled"
    newest = flow["jobs"]["newest"]
    assert any("NEWEST=1" in s.get("run", "") and ".ci/run" in s.get("run", "") for s in newest["steps"])
    matrix = flow["jobs"]["lock"]["strategy"]["matrix"]
    assert {"ubuntu-latest", "macos-latest", "windows-latest"} <= set(matrix["os"])
    assert {"3.10", "3.13"} <= set(matrix["python"])
    runs = " ".join(s.get("run", "") for s in flow["jobs"]["lock"]["steps"])
    assert "pip install -r requirements-lock.txt" in runs and "pytest" in runs


# --- the lock --------------------------------------------------------------------------

def requirements(path) -> list[Requirement]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if line and not line.startswith(("#", "-")):
            found.append(Requirement(line))
    return found


LOCK = ROOT / "requirements-lock.txt"


def applies(requirement: Requirement) -> bool:
    return requirement.marker is None or requirement.marker.evaluate()


def test_the_lock_pins_every_requirement_within_its_bounds():
    """After an edit of requirements.txt, `make lock` must follow: each requirement
    that applies here has exactly one pinned version here, and it is allowed."""
    pins: dict[str, list[Requirement]] = {}
    for pin in requirements(LOCK):
        assert str(pin.specifier).startswith("=="), f"not pinned: {pin}"
        if applies(pin):
            pins.setdefault(canonicalize_name(pin.name), []).append(pin)
    assert all(len(p) == 1 for p in pins.values()), "two versions of one package for this Python"
    for wanted in requirements(ROOT / "requirements.txt"):
        if not applies(wanted):
            continue
        name = canonicalize_name(wanted.name)
        assert name in pins, f"{wanted.name} is not in the lock: run make lock"
        version = str(pins[name][0].specifier).removeprefix("==")
        assert wanted.specifier.contains(version, prereleases=True), \
            f"the lock has {wanted.name}=={version}, outside {wanted}: run make lock"


def test_the_lock_serves_every_python_the_course_supports():
    """Resolved for every platform and Python 3.10+ at once (universal), never with
    PyTorch in it (make torch adds the CPU build), by `make lock`."""
    text = LOCK.read_text(encoding="utf-8")
    assert "make lock" in text.splitlines()[1]
    pins = requirements(LOCK)
    for env in ({"python_full_version": "3.10.13", "python_version": "3.10"},
                {"python_full_version": "3.13.0", "python_version": "3.13"}):
        names = {canonicalize_name(p.name) for p in pins if p.marker is None or p.marker.evaluate(env)}
        assert {"jupyter-book", "sphinx-book-theme", "numpy", "nbval", "micrograd"} <= names, env
    assert Marker("sys_platform == 'win32'") in {p.marker for p in pins}, "no Windows-only pins: not universal"
    assert not {canonicalize_name(p.name) for p in pins} & {"torch", "triton"}
    assert not any(p.name.startswith("nvidia-") for p in pins)


# --- the Makefile ----------------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="make and a shell script stand-in")
def test_make_notebooks_refuses_to_store_outputs_without_pytorch_or_micrograd(tmp_path):
    """With a Python that cannot import torch and micrograd, make notebooks stops with a
    message that says to run make torch, before it runs any notebook."""
    calls = tmp_path / "calls"
    for tool in ("python", "jupyter"):
        stand_in = tmp_path / tool
        stand_in.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\n'
                            '[ "$1" = "-c" ] && exit 1\nexit 0\n')
        stand_in.chmod(0o755)
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than the lock: nothing to install
    os.utime(stamp, (4_000_000_000, 4_000_000_000))
    result = subprocess.run(["make", "-s", "notebooks", f"BIN={tmp_path}", f"STAMP={stamp}"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "make torch" in result.stdout + result.stderr
    assert "import torch, micrograd" in calls.read_text()
    assert "jupyter" not in calls.read_text(), "it ran the notebooks anyway"


# --- a release, made in a copy of this working tree --------------------------------------

sys.path.insert(0, str(ROOT / "tools"))
import setup_cell  # noqa: E402
from colab_check import snapshot  # noqa: E402

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Release Test", "GIT_AUTHOR_EMAIL": "release@localhost",
                "GIT_COMMITTER_NAME": "Release Test", "GIT_COMMITTER_EMAIL": "release@localhost"}


def in_copy(copy: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_IDENTITY, PYTHONPATH=str(copy))
    run = subprocess.run(list(args), cwd=copy, env=env, capture_output=True, text=True,
                         timeout=600)
    assert not check or run.returncode == 0, run.stdout + run.stderr
    return run


def release(copy: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return in_copy(copy, sys.executable, "tools/release.py", *args, check=check)


@pytest.fixture
def copy(tmp_path) -> Path:
    """This working tree as one commit on the branch releases are made on."""
    branch = config()["repository"]["branch"]
    return snapshot(ROOT, tmp_path / "repo", branch)


def files_naming_versions(copy: Path) -> dict[str, str]:
    return {name: (copy / name).read_text(encoding="utf-8") for name in
            ("pyproject.toml", "nnscratch/__init__.py", "_config.yml", "CHANGELOG.md")}


def test_a_release_moves_every_version_and_cell_together_in_one_commit_and_tag(copy):
    before = in_copy(copy, "git", "rev-parse", "HEAD").stdout.strip()
    release(copy, "0.2.0", "--date", "2026-12-24")

    text = files_naming_versions(copy)
    assert re.search(r'^version = "0.2.0"$', text["pyproject.toml"], re.M)
    assert re.search(r'^__version__ = "0.2.0"$', text["nnscratch/__init__.py"], re.M)
    cfg = yaml.safe_load(text["_config.yml"])
    assert cfg["parse"]["myst_substitutions"]["version"] == "0.2.0"
    assert "nnscratch 0.2.0 · " in cfg["html"]["extra_footer"]
    assert re.findall(r"^## .*", text["CHANGELOG.md"], re.M)[0] == "## 0.2.0 — 2026-12-24"
    repository = config()["repository"]
    cell = setup_cell.render(repository["url"], repository["branch"], "0.2.0")
    for path in setup_cell.chapters(copy):
        assert setup_cell.read_setup_cell(path) == cell, path.name

    assert in_copy(copy, "git", "status", "--porcelain").stdout == ""
    assert in_copy(copy, "git", "rev-parse", "HEAD~1").stdout.strip() == before  # one commit
    assert in_copy(copy, "git", "log", "-1", "--format=%s").stdout.strip() == "Release 0.2.0"
    assert in_copy(copy, "git", "tag", "--points-at", "HEAD").stdout.split() == ["v0.2.0"]
    changed = set(in_copy(copy, "git", "diff", "--name-only", "HEAD~1").stdout.split())
    assert changed == {"pyproject.toml", "nnscratch/__init__.py", "_config.yml", "CHANGELOG.md",
                       *(f"notebooks/{p.name}" for p in setup_cell.chapters(copy))}
    assert release(copy, "check").returncode == 0
    # The tests that check the cells and versions agree pass on the released copy.
    tests = in_copy(copy, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "tests/test_notebooks.py", "tests/test_packaging.py::test_version_matches_pyproject",
                    "-k", "set_up or version or ref")
    assert " passed" in tests.stdout and " failed" not in tests.stdout


def test_the_next_release_needs_an_unreleased_section(copy):
    release(copy, "0.2.0", "--date", "2026-12-24")
    refused = release(copy, "0.3.0", check=False)
    assert refused.returncode == 1 and "is not an unreleased one" in refused.stderr
    changelog = copy / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8").replace(
        "## 0.2.0", "## Unreleased\n\n- A change.\n\n## 0.2.0", 1), encoding="utf-8")
    in_copy(copy, "git", "commit", "--quiet", "--all", "--message", "A change")
    release(copy, "0.3.0", "--date", "2027-01-06")
    headings = re.findall(r"^## .*", changelog.read_text(encoding="utf-8"), re.M)
    assert headings[:2] == ["## 0.3.0 — 2027-01-06", "## 0.2.0 — 2026-12-24"]


@pytest.mark.parametrize("spoil, version, says", [
    (None, "0.2", "is not a version like 0.2.0"),
    (None, "0.0.9", "is older than the current version"),
    ("dirty", "0.2.0", "uncommitted changes"),
    ("branch", "0.2.0", "releases are made on"),
    ("tag", "0.2.0", "the tag v0.2.0 exists already"),
    ("cell", "0.2.0", "the set-up cell is not the current one"),
])
def test_a_release_that_cannot_be_made_changes_nothing(copy, spoil, version, says):
    if spoil == "dirty":
        (copy / "README.md").write_text("edited\n", encoding="utf-8")
    elif spoil == "branch":
        in_copy(copy, "git", "checkout", "--quiet", "-b", "elsewhere")
    elif spoil == "tag":
        in_copy(copy, "git", "tag", "v0.2.0")
    elif spoil == "cell":
        first = setup_cell.chapters(copy)[0]
        setup_cell.write_setup_cell(first, "import sys")
        in_copy(copy, "git", "commit", "--quiet", "--all", "--message", "an edited cell")
    head = in_copy(copy, "git", "rev-parse", "HEAD").stdout
    before = files_naming_versions(copy)
    refused = release(copy, version, check=False)
    assert refused.returncode == 1 and says in refused.stderr, refused.stderr
    assert files_naming_versions(copy) == before
    assert in_copy(copy, "git", "rev-parse", "HEAD").stdout == head
