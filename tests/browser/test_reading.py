"""What a reader reads stays readable, on a 1280-px desktop and a 390-px phone:

* every figure's smallest text is at least 10 CSS px on the desktop and 8 px on the
  phone, measured as the page shows it, and every figure is SVG with real text (sharp
  at any pixel density);
* no code block hides the end of a line at desktop width;
* no name, number or piece of inline code is broken across two lines;
* a box that scrolls sideways (a wide output, a graph, code on a phone) fades at the
  edge where there is more to see, and the fade follows the scrolling.
"""

from __future__ import annotations

import pytest

from book_pages import chapter_files, toc_files

pytestmark = pytest.mark.book

PAGES = toc_files()
SMALLEST_TEXT = {"desktop": 10.0, "phone": 8.0}  # CSS px


def page_of(file: str) -> str:
    return f"{file}.html"


@pytest.mark.parametrize("mode", ["desktop", "phone"])
@pytest.mark.parametrize("file", PAGES)
def test_figure_text_is_readable(browser, file, mode):
    visit = browser.visit(page_of(file), mode)
    limit = SMALLEST_TEXT[mode]
    problems = []
    for figure in visit.figure_text:
        name = figure["src"].rsplit("/", 1)[-1]
        if figure["kind"] == "raster":
            problems.append(f"{name}: a raster image; draw it as SVG (CONTRIBUTING.md, Figures)")
        elif not figure["texts"]:
            problems.append(f"{name}: no text in the SVG (drawn as paths?); use svg.fonttype none")
        elif figure["smallest"] < limit:
            problems.append(f"{name}: smallest text {figure['smallest']:.1f} px at "
                            f"{figure['width']:.0f} px wide, under {limit:g} px")
    assert problems == []


@pytest.mark.parametrize("file", PAGES)
def test_code_fits_the_column_on_a_desktop(browser, file):
    visit = browser.visit(page_of(file))
    cut = [f"{c['hidden']} px hidden: {c['longest']!r}" for c in visit.layout["code"] if c["hidden"] > 0]
    assert cut == [], "code blocks wider than the column"


@pytest.mark.parametrize("mode", ["desktop", "phone"])
@pytest.mark.parametrize("file", PAGES)
def test_no_word_is_broken_across_lines(browser, file, mode):
    visit = browser.visit(page_of(file), mode)
    assert visit.layout["broken"] == [], "names, numbers or inline code split over two lines"


@pytest.mark.parametrize("mode", ["desktop", "phone"])
@pytest.mark.parametrize("file", PAGES)
def test_what_scrolls_sideways_shows_that_it_does(browser, file, mode):
    visit = browser.visit(page_of(file), mode)
    silent = [f"{s['tag']}.{s['classes']} ({s['hidden']} px hidden)" for s in visit.layout["scrollers"]
              if s["more"] != "right" or "gradient" not in s["mask"]]
    assert silent == [], "boxes that scroll sideways with no fade at the edge"


def test_a_graph_wider_than_a_phone_scrolls_inside_its_box(browser):
    """Chapter 2's first graph is wider than a phone: its box scrolls, fades at the
    right edge until scrolled to the end, then at the left edge instead."""
    file = next(f for f in chapter_files() if f.startswith("notebooks/02_"))
    _, page = browser.open(page_of(file), "phone", keep_open=True)
    try:
        graph = page.locator(".cell_output img").first
        box = graph.locator("xpath=ancestor::*[@data-more][1]")
        assert box.count() == 1, "the graph is not inside a box that scrolls"
        assert graph.bounding_box()["width"] > page.viewport_size["width"], "the graph fits a phone"
        box.scroll_into_view_if_needed()
        assert box.get_attribute("data-more") == "right"
        box.screenshot(path=str(browser.screenshots / "scroll-cue-phone-start.png"))
        box.evaluate("el => el.scrollTo({left: el.scrollWidth})")
        page.wait_for_function("el => el.dataset.more === 'left'", arg=box.element_handle(), timeout=5_000)
        box.screenshot(path=str(browser.screenshots / "scroll-cue-phone-end.png"))
        mask = box.evaluate("el => getComputedStyle(el).maskImage || getComputedStyle(el).webkitMaskImage")
        assert "gradient" in mask
    finally:
        page.context.close()
