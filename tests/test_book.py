"""The book builds with warnings as errors, and every chapter page links to its own
notebook in Colab and offers the .ipynb for download."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def built_book() -> Path:
    # --all: rebuild every page, so that a warning from an unchanged page is seen again
    # (an incremental build would skip it and pass).
    jb = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jb), "build", str(ROOT), "-W", "-n", "--keep-going", "--all"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return HTML


def chapters() -> list[str]:
    return sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_page_in_the_toc_is_built(built_book):
    toc = (ROOT / "_toc.yml").read_text()
    for f in re.findall(r"(?:root|file): (\S+)", toc):
        assert (built_book / f"{f}.html").exists(), f
    assert (built_book / "index.html").exists()


@pytest.mark.parametrize("chapter", chapters())
def test_chapter_page_links_to_its_own_notebook_in_colab(built_book, chapter):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    branch = config["repository"]["branch"]
    page = (built_book / "notebooks" / f"{chapter}.html").read_text(encoding="utf-8")
    colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{chapter}.ipynb"
    assert colab in page
    assert f"_sources/notebooks/{chapter}.ipynb" in page  # the download button
    assert (built_book / "_sources" / "notebooks" / f"{chapter}.ipynb").exists()
