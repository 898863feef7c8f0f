"""The book: built from the notebooks' stored outputs, with warnings as errors; every
chapter page links to its own notebook in Colab and offers the .ipynb for download.

The book does not run the notebooks (``execute_notebooks: "off"``): it shows what they
store, and nbval (``pytest notebooks/``) proves that what they store is what the code
prints. So the stored outputs must be complete, PyTorch's and micrograd's results
included, and say nothing meant for the tests rather than the reader. Every figure is
drawn the same way, by one figure cell (CONTRIBUTING.md, Figures).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from book_files import ROOT, config, toc_files

HTML = ROOT / "_build" / "html"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# What only the test harness should ever say: the name of the notebook tester, its
# markers, its sanitizer, or an output left out of the comparison.
HARNESS_WORDS = re.compile(r"nbval|NBVAL_|sanitiz|not compared|pytest|skip marker", re.I)
# What a chapter prints when a library it compares with is missing.
NOT_INSTALLED = re.compile(r"not installed", re.I)

# The cell, right after the imports, of every chapter that draws with matplotlib.
FIGURE_CELL = '''\
# How this chapter draws its figures: as SVG, whose text stays sharp on any
# screen, on white, at most 6 inches wide and with no text under 10 points, so
# that it still reads on a phone. No date in the SVG: the same bytes every run.
import matplotlib.pyplot as plt
from matplotlib_inline.backend_inline import set_matplotlib_formats

set_matplotlib_formats("svg", metadata={"Date": None})
plt.rcParams.update({
    "figure.figsize": (5.6, 3.6), "font.size": 11, "legend.fontsize": 10,
    "figure.facecolor": "white", "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "none", "svg.hashsalt": "nnscratch",
})'''


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def output_text(output: dict) -> str:
    if output["output_type"] == "stream":
        return "".join(output["text"])
    data = output.get("data", {})
    return "".join("".join(data[k]) for k in ("text/plain", "text/html", "text/markdown") if k in data)


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request) -> tuple[Path, dict]:
    return request.param, load(request.param)


# --- the stored outputs the book shows -------------------------------------------------

def test_the_book_shows_the_stored_outputs():
    assert str(config()["execute"]["execute_notebooks"]) == "off"


def test_stored_outputs_have_every_result(notebook):
    """Stored with PyTorch and micrograd installed (make notebooks insists): no cell says
    that one of them is missing."""
    _, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []):
            assert not NOT_INSTALLED.search(output_text(out)), \
                f"cell {i} stores a result left out: {output_text(out)[:120]!r}"


def test_nothing_a_reader_sees_speaks_of_the_test_harness(notebook):
    """Cell sources (all of them: a notebook shows the cells the book hides) and
    outputs. What the harness needs is in the cells' tags and metadata."""
    _, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        found = HARNESS_WORDS.search(source(cell))
        assert not found, f"cell {i} says {found.group(0)!r} in its text"
        for out in cell.get("outputs", []):
            found = HARNESS_WORDS.search(output_text(out))
            assert not found, f"cell {i} prints {found.group(0)!r}"


def test_an_output_left_uncompared_says_why_in_its_metadata(notebook):
    _, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        reason = cell.get("metadata", {}).get("nnscratch", {}).get("output_not_compared", "")
        if "nbval-ignore-output" in tags:
            assert reason.strip(), f"cell {i} is tagged nbval-ignore-output without a reason"
        else:
            assert not reason, f"cell {i} gives a reason but is compared"


def test_plots_come_from_the_figure_cell_and_are_svg(notebook):
    path, nb = notebook
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    draws = any("plt." in source(c) for c in code if source(c) != FIGURE_CELL)
    figure_cells = [c for c in code if source(c) == FIGURE_CELL]
    if draws:
        assert len(figure_cells) == 1, "a chapter that plots has the figure cell, once"
        first_plot = next(i for i, c in enumerate(code) if "plt.subplots" in source(c) or "plt.figure" in source(c))
        assert code.index(figure_cells[0]) < first_plot, "the figure cell comes before the first plot"
        assert "remove-cell" in figure_cells[0]["metadata"].get("tags", [])
    for i, cell in enumerate(code):
        if source(cell) != FIGURE_CELL:
            assert "rcParams" not in source(cell), f"code cell {i} sets its own figure style"
        for out in cell.get("outputs", []):
            raster = [k for k in out.get("data", {}) if k in ("image/png", "image/jpeg")]
            assert not raster, f"code cell {i} stores a raster image; figures are SVG"


# --- the built book --------------------------------------------------------------------

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


class OutputText(HTMLParser):
    """The text inside the cell outputs (div.cell_output) of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # how many open divs deep inside an output; 0 when outside
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "div":
            return
        if self.depth:
            self.depth += 1
        elif "cell_output" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if tag == "div" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(self.parts)


def page_text(path: Path) -> str:
    """The text of a built page as a reader sees it: no scripts, styles or tags."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


@pytest.mark.book
def test_every_page_in_the_toc_is_built(built_book):
    toc = (ROOT / "_toc.yml").read_text()
    for f in re.findall(r"(?:root|file): (\S+)", toc):
        assert (built_book / f"{f}.html").exists(), f
    assert (built_book / "index.html").exists()


@pytest.mark.book
@pytest.mark.parametrize("file", toc_files())
def test_no_page_speaks_of_the_test_harness_or_a_missing_library(built_book, file):
    text = page_text(built_book / f"{file}.html")
    found = HARNESS_WORDS.search(text)
    assert not found, f"the page says {found.group(0)!r}: ...{text[max(0, found.start() - 80):found.end() + 40]}..."
    # A chapter's code may say what it would print without a library; its outputs never do.
    outputs = OutputText()
    outputs.feed((built_book / f"{file}.html").read_text(encoding="utf-8"))
    found = NOT_INSTALLED.search(outputs.text())
    assert not found, f"an output says {found.group(0)!r}"


@pytest.mark.book
@pytest.mark.parametrize("chapter", chapters())
def test_chapter_page_links_to_its_own_notebook_in_colab(built_book, chapter):
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = cfg["repository"]["url"].removeprefix("https://github.com/")
    branch = cfg["repository"]["branch"]
    page = (built_book / "notebooks" / f"{chapter}.html").read_text(encoding="utf-8")
    colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{chapter}.ipynb"
    assert colab in page
    assert f"_sources/notebooks/{chapter}.ipynb" in page  # the download button
    assert (built_book / "_sources" / "notebooks" / f"{chapter}.ipynb").exists()
