"""The files that publish the course agree with the package: the version the book
shows, the changelog, the Binder environment and the GitHub workflows. No browser or
build needed."""

from __future__ import annotations

import json
import re
import sys

import yaml

from book_pages import ROOT, config, project_version


def test_the_book_shows_the_version_in_pyproject():
    cfg = config()
    version = project_version()
    assert str(cfg["parse"]["myst_substitutions"]["version"]) == version
    assert f"nnscratch {version}" in cfg["html"]["extra_footer"]


def test_the_changelog_starts_with_the_current_version():
    first = re.search(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert first and first.group(1) == project_version()


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


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML reads a bare `on` as True
    assert {"push", "pull_request"} <= set(triggers)
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(".ci/run" in s or "make test" in s for s in steps)


def test_pages_workflow_builds_and_deploys_from_main():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == [config()["repository"]["branch"]]
    uses = [s.get("uses", "") for job in workflow["jobs"].values() for s in job["steps"]]
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert any("make book" in r for r in runs)
