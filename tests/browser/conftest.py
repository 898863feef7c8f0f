"""Fixtures for the browser tests: the built book, served on localhost, seen by headless
Chromium through Playwright.

The book is built once per test run. tests/test_book.py builds it (with warnings as
errors); these tests run after it and reuse its `_build/html`. Run on their own, they
build it the same way first. NNSCRATCH_BOOK_HTML=path/to/html tests an already built
book instead. Without Chromium or Playwright the tests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from book_pages import (
    CHROMIUM_ARGS, DESKTOP, DOM_FACTS, FIGURE_TEXT, LAYOUT_FACTS, PHONE, ROOT, BookServer,
    Visit, chapter_files, luminance_stats, toc_files,
)

HERE = Path(__file__).resolve().parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
# Pages kept whole in the screenshots: the landing page and the first two chapters.
KEY_PAGES = {f"{f}.html" for f in (toc_files()[:1] + chapter_files()[:2])}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests last, after tests/test_book.py has built the book."""
    browser = [item for item in items if HERE in item.path.parents]
    if browser:
        others = [item for item in items if HERE not in item.path.parents]
        items[:] = others + browser


def find_chromium() -> str | None:
    for candidate in (os.environ.get("NNSCRATCH_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium: install Debian's chromium (apt-get install chromium) "
                    "or set NNSCRATCH_CHROMIUM to a Chromium binary")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -r requirements.txt)")
    return path


def _test_book_ran(session: pytest.Session) -> bool:
    """Whether tests/test_book.py builds the book in this session (a test of it that
    uses its built_book fixture is selected)."""
    return any(item.path.name == "test_book.py" and "built_book" in getattr(item, "fixturenames", ())
               for item in session.items)


@pytest.fixture(scope="session")
def book_html(request: pytest.FixtureRequest, chromium: str) -> Path:
    """The built book: tests/test_book.py's build when it ran in this session, else a
    build made here with the same command."""
    override = os.environ.get("NNSCRATCH_BOOK_HTML")
    if override:
        return Path(override).resolve()
    html = ROOT / "_build" / "html"
    if not _test_book_ran(request.session):
        jb = Path(sys.executable).parent / "jupyter-book"
        result = subprocess.run([str(jb), "build", str(ROOT), "-W", "-n", "--keep-going"],
                                capture_output=True, text=True, cwd=ROOT)
        if not (html / "index.html").exists():
            pytest.fail("the book did not build:\n" + result.stdout[-3000:] + result.stderr[-3000:])
    assert (html / "index.html").exists(), "no built book in _build/html"
    return html


class Browser:
    """One Chromium for the whole run; each page is visited once per mode and the
    visit kept, so that several tests can look at the same visit."""

    def __init__(self, chromium: str, html: Path, base: str) -> None:
        from playwright.sync_api import sync_playwright

        self.html = html
        self.base = base
        self.screenshots = SCREENSHOTS
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        self.visits: dict[tuple[str, str], Visit] = {}

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    def new_context(self, mode: str):
        dark = mode == "dark"
        phone = mode == "phone"
        context = self.browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            color_scheme="dark" if dark else "light",
            has_touch=phone, is_mobile=phone,
        )
        # The theme keeps the reader's choice in localStorage; start each page in the mode.
        context.add_init_script(
            f"try {{ localStorage.setItem('mode', '{'dark' if dark else 'light'}'); }} catch (e) {{}}")
        return context

    def _route(self, visit: Visit):
        """The network is blocked: only the book's own server answers, as for a reader
        who opens the built book with no connection."""
        def handle(route) -> None:
            url = route.request.url
            if url.startswith(self.base):
                route.continue_()
                return
            visit.blocked_external.append(url)
            route.abort()
        return handle

    def open(self, path: str, mode: str = "desktop", *, keep_open: bool = False):
        """Load ``path`` (relative to the book's root) in ``mode``: desktop, dark or phone.

        Returns the Visit, and with keep_open also the live page (close its context)."""
        context = self.new_context(mode)
        page = context.new_page()
        visit = Visit(path=path, url=self.base + path, mode=mode, status=0)
        page.route("**/*", self._route(visit))
        page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: visit.failed_requests.append(f"{r.url} ({r.failure})")
                if r.url.startswith(self.base) else None)
        page.on("response", lambda r: visit.failed_requests.append(f"{r.url} (HTTP {r.status})")
                if r.status >= 400 else None)
        response = page.goto(visit.url, wait_until="load")
        visit.status = response.status if response else 0
        page.evaluate("document.fonts.ready.then(() => true)")
        if page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\" i]')"):
            try:
                page.wait_for_function(
                    "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
                page.evaluate("() => MathJax.startup.promise.then(() => true)")
                visit.mathjax_ready = True
            except Exception:  # noqa: BLE001 - the tests report math left untypeset
                visit.mathjax_ready = False
        visit.dom = page.evaluate(DOM_FACTS)
        visit.layout = page.evaluate(LAYOUT_FACTS)
        visit.figure_text = page.evaluate(FIGURE_TEXT)
        if keep_open:
            return visit, page
        context.close()
        return visit

    def visit(self, path: str, mode: str = "desktop") -> Visit:
        key = (path, mode)
        if key not in self.visits:
            visit, page = self.open(path, mode, keep_open=True)
            try:
                self._screenshot(page, path, mode)
                if mode == "dark":  # after the screenshot: it hides the header, resizes the window
                    visit.figure_pixels = self._figure_pixels(page, visit)
            finally:
                page.context.close()
            self.visits[key] = visit
        return self.visits[key]

    def _figure_pixels(self, page, visit: Visit) -> list[dict]:
        """Pixel statistics behind every figure shown in the article."""
        # Every image decoded, and nothing pinned to the window (the theme's sticky header,
        # dark in dark mode) drawn over a figure that scrolling has brought under it.
        page.evaluate("""async () => {
            await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
            for (const el of document.querySelectorAll("body *")) {
                const p = getComputedStyle(el).position;
                if (p === "fixed" || p === "sticky") el.style.visibility = "hidden";
            }
        }""")
        stats = []
        images = page.locator("img")
        for info in visit.dom["images"]:
            if not (info["inArticle"] and info["shown"]):
                continue
            figure = images.nth(info["index"])
            # A window taller than the figure, and two painted frames after scrolling to
            # it: Chromium may not yet have drawn an image it has only just scrolled to.
            height = figure.evaluate("img => Math.ceil(img.getBoundingClientRect().height)")
            page.set_viewport_size({"width": page.viewport_size["width"],
                                    "height": max(DESKTOP["height"], height + 100)})
            figure.scroll_into_view_if_needed()
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            png = figure.screenshot()
            stats.append({"src": info["src"], **luminance_stats(png)})
        return stats

    def _screenshot(self, page, path: str, mode: str) -> None:
        """Keep a picture of each page as a test artefact (not committed): the first
        screen of every page, and the whole of a few key pages."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = path.removesuffix(".html").replace("/", "_") + f"-{mode}.png"
        page.screenshot(path=str(SCREENSHOTS / name))
        if path in KEY_PAGES:
            page.screenshot(path=str(SCREENSHOTS / ("full-" + name)), full_page=True)


@pytest.fixture(scope="session")
def browser(chromium: str, book_html: Path):
    with BookServer(book_html) as server:
        b = Browser(chromium, book_html, server.url)
        try:
            yield b
        finally:
            b.close()
