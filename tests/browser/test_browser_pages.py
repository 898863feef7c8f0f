"""The published book, as a reader's browser shows it.

Every page in _toc.yml is loaded in headless Chromium from a local web server: it must
load without console errors, broken links or broken images; chapters must offer Colab,
Binder and the .ipynb; every plot and draw_dot graph must be visible and math typeset;
in dark mode figures keep a light background; at phone width nothing but code, outputs
and graphs scrolls sideways; and the search finds "backpropagation". Screenshots of the
pages are kept in _build/screenshots/.
"""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import quote

import pytest

from book_pages import (
    ROOT, chapter_files, config, expected_figures, local_target, project_version,
    relative_luminance, toc_files,
)

pytestmark = pytest.mark.book

PAGES = toc_files()
CHAPTERS = chapter_files()


def page_of(file: str) -> str:
    return f"{file}.html"


def repository() -> tuple[str, str]:
    repo = config()["repository"]
    return repo["url"].removeprefix("https://github.com/").rstrip("/"), repo.get("branch", "main")


# --- every page ------------------------------------------------------------------------

@pytest.mark.parametrize("file", PAGES)
def test_page_loads_without_errors(browser, file):
    visit = browser.visit(page_of(file))
    assert visit.status == 200, f"{visit.url} answered HTTP {visit.status}"
    assert visit.page_errors == [], "JavaScript errors"
    assert visit.console_errors == [], "console errors"
    assert visit.failed_requests == [], "requests that failed"


@pytest.mark.parametrize("file", PAGES)
def test_no_broken_images(browser, file):
    visit = browser.visit(page_of(file))
    broken = [img["src"] for img in visit.dom["images"] if not (img["complete"] and img["naturalWidth"] > 0)]
    assert broken == [], "images that did not load"


_ids_cache: dict = {}


def _ids(path) -> set[str]:
    if path not in _ids_cache:
        text = path.read_text(encoding="utf-8", errors="replace")
        _ids_cache[path] = {unescape(m) for m in re.findall(r'\b(?:id|name)="([^"]+)"', text)}
    return _ids_cache[path]


@pytest.mark.parametrize("file", PAGES)
def test_no_broken_internal_links(browser, file):
    visit = browser.visit(page_of(file))
    broken = []
    for href in sorted(set(visit.dom["links"])):
        target = local_target(browser.html, browser.base, href)
        if target is None:
            continue
        path, fragment = target
        if not path.is_file():
            broken.append(f"{href}: no such page")
        elif fragment and path.suffix == ".html" and fragment not in _ids(path):
            broken.append(f"{href}: no #{fragment} on that page")
    assert broken == []


@pytest.mark.parametrize("file", PAGES)
def test_figures_are_visible(browser, file):
    """Plots and draw_dot graphs are on the page with a real size, all of them."""
    visit = browser.visit(page_of(file))
    figures = [img for img in visit.dom["images"] if img["inArticle"]]
    hidden = [img["src"] for img in figures if not img["shown"] and not img["folded"]]
    assert hidden == [], "figures not shown (zero size or hidden)"
    assert all(s["shown"] for s in visit.dom["svgs"]), "inline SVG output not shown"
    notebook = ROOT / f"{file}.ipynb"
    if notebook.exists():
        outputs = [img for img in figures if img["inOutput"]] + visit.dom["svgs"]
        assert len(outputs) == expected_figures(notebook), \
            f"the notebook has {expected_figures(notebook)} image outputs; the page shows {len(outputs)}"


@pytest.mark.parametrize("file", PAGES)
def test_math_is_typeset(browser, file):
    visit = browser.visit(page_of(file))
    if visit.dom["mathCount"] == 0:
        return
    assert visit.mathjax_ready, f"MathJax did not start on a page with {visit.dom['mathCount']} formulas"
    assert visit.dom["untypeset"] == [], "formulas left as TeX source"
    assert visit.dom["mathErrors"] == 0, "formulas MathJax could not parse"


# --- chapters ------------------------------------------------------------------------

@pytest.mark.parametrize("file", CHAPTERS)
def test_chapter_opens_its_own_notebook_in_colab(browser, file):
    repo, branch = repository()
    expected = f"https://colab.research.google.com/github/{repo}/blob/{branch}/{file}.ipynb"
    visit = browser.visit(page_of(file))
    colab = [link["href"] for link in visit.dom["launch"] if "colab.research.google.com" in link["href"]]
    assert colab, "no 'open in Colab' link"
    assert set(colab) == {expected}


@pytest.mark.parametrize("file", CHAPTERS)
def test_chapter_opens_its_own_notebook_in_binder(browser, file):
    repo, branch = repository()
    visit = browser.visit(page_of(file))
    binder = [link["href"] for link in visit.dom["launch"] if "mybinder.org" in link["href"]]
    assert binder, "no Binder link"
    for href in binder:
        assert f"/v2/gh/{repo}/{branch}" in href
        assert quote(f"{file}.ipynb", safe="") in href or f"{file}.ipynb" in href


@pytest.mark.parametrize("file", CHAPTERS)
def test_chapter_offers_its_notebook_for_download(browser, file):
    visit = browser.visit(page_of(file))
    downloads = [link["href"] for link in visit.dom["launch"] if link["href"].endswith(".ipynb")
                 and link["href"].startswith(browser.base)]
    assert downloads, "no download link for the .ipynb"
    for href in downloads:
        path, _ = local_target(browser.html, browser.base, href)
        assert path.name == f"{file.rsplit('/', 1)[-1]}.ipynb", href
        served = json.loads(path.read_text(encoding="utf-8"))
        source = json.loads((ROOT / f"{file}.ipynb").read_text(encoding="utf-8"))
        assert served["nbformat"] == 4
        assert served["cells"][0]["source"] == source["cells"][0]["source"]


@pytest.mark.parametrize("file", CHAPTERS)
def test_chapter_number_matches_its_file(browser, file):
    """Chapters are numbered across the parts, so notebooks/05_x.ipynb reads "5." """
    visit = browser.visit(page_of(file))
    expected = int(file.split("/")[-1].split("_")[0])
    assert visit.dom["number"].rstrip(".") == str(expected), \
        f"the page is numbered {visit.dom['number']!r}; is its part in _toc.yml `numbered: true`?"


@pytest.mark.parametrize("file", CHAPTERS)
def test_exercises_are_numbered_within_their_chapter(browser, file):
    visit = browser.visit(page_of(file))
    chapter = int(file.split("/")[-1].split("_")[0])
    expected = [f"Exercise {chapter}.{k}" for k in range(1, len(visit.dom["exercises"]) + 1)]
    assert visit.dom["exercises"], "no numbered exercises on the page"
    assert visit.dom["exercises"] == expected


def test_launch_menu_shows_colab_when_clicked(browser):
    """The Colab link is in the launch menu a reader opens, not just in the markup."""
    file = CHAPTERS[0]
    visit, page = browser.open(page_of(file), keep_open=True)
    try:
        page.locator(".dropdown-launch-buttons button").first.click()
        link = page.locator('.dropdown-launch-buttons a[href*="colab.research.google.com"]').first
        link.wait_for(state="visible", timeout=10_000)
        box = link.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
    finally:
        page.context.close()


# --- dark mode -----------------------------------------------------------------------

@pytest.mark.parametrize("file", PAGES)
def test_figures_stay_light_in_dark_mode(browser, file):
    visit = browser.visit(page_of(file), "dark")
    assert visit.dom["theme"] == "dark", "the page did not switch to dark mode"
    assert relative_luminance(visit.dom["pageBackground"]) < 0.3, "dark mode has a light page"
    for stats in visit.figure_pixels:
        name = stats["src"].rsplit("/", 1)[-1]
        # The figure's own background must be light (a transparent figure would show the
        # near-black page through it), with dark lines and text on it.
        assert stats["background"] >= 0.6, f"{name}: figure on a dark background ({stats})"
        assert stats["background"] - stats["ink"] >= 0.4, f"{name}: lines and text not legible ({stats})"


# --- phone width ---------------------------------------------------------------------

@pytest.mark.parametrize("file", PAGES)
def test_no_sideways_scrolling_on_a_phone(browser, file):
    visit = browser.visit(page_of(file), "phone")
    dom = visit.dom
    assert dom["viewportWidth"] <= 390
    assert dom["sideways"] == 0, f"the page scrolls sideways (content {dom['scrollWidth']} px wide)"
    assert dom["offenders"] == [], "wider than the screen and not inside a scrolling box"


# --- search, version, MathJax ----------------------------------------------------------

def test_search_finds_backpropagation(browser):
    visit, page = browser.open("search.html?q=backpropagation", keep_open=True)
    try:
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=30_000)
        hrefs = results.evaluate_all("links => links.map(a => a.href)")
        page.screenshot(path=str(ROOT / "_build" / "screenshots" / "search-backpropagation.png"))
    finally:
        page.context.close()
    assert visit.console_errors == [] and visit.page_errors == []
    assert hrefs, "no results"
    pages = {local_target(browser.html, browser.base, h)[0] for h in hrefs}
    assert all(p.is_file() for p in pages)
    if CHAPTERS:
        assert any("/notebooks/" in h for h in hrefs), "no chapter among the results"


def test_the_book_shows_the_package_version(browser):
    visit = browser.visit(page_of(PAGES[0]))
    assert f"nnscratch {project_version()}" in visit.dom["footer"]


@pytest.mark.parametrize("file", PAGES)
def test_mathjax_comes_from_the_book_itself(browser, file):
    """The network is blocked in these visits; formulas still typeset because MathJax
    is served from the built book, and no page asks for anything from elsewhere."""
    visit = browser.visit(page_of(file))
    for src in visit.dom["mathScript"]:
        assert src.startswith(browser.base + "_static/mathjax/"), f"MathJax from elsewhere: {src}"
    assert visit.blocked_external == [], "the page asks for files from other sites"
