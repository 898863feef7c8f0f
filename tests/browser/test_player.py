"""The backprop player in a real browser: a standalone page (no book build needed) holding
two players and a pair side by side, driven in headless Chromium.

Clicking next, previous, play, first and last, dragging the slider and pressing the
arrow keys must change the frame (``data-step``), the highlight in the drawing and the
caption, of that player only; the page must make no request to anywhere; the player
must read in dark mode and fit a 390-pixel phone; and without JavaScript it must show
its last frame with a note. Screenshots land in _build/screenshots/player-*.png.

`PlayerView` and `wait_for_players` drive any page that holds players, so the tests of
the built chapters can use them on a page that `conftest.Browser.open(..., keep_open=True)`
returns.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

import pytest

from book_pages import CHROMIUM_ARGS, DESKTOP, PHONE, ROOT, BookServer, luminance_stats, relative_luminance

SCREENSHOTS = ROOT / "_build" / "screenshots"


# --- driving a player: helpers for any page that holds players -----------------------------

class PlayerView:
    """One ``.nnscratch-player`` on a live Playwright page."""

    def __init__(self, root) -> None:
        self.root = root  # a Playwright Locator

    @classmethod
    def all(cls, page) -> list[PlayerView]:
        """Every player on the page, in document order."""
        players = page.locator(".nnscratch-player")
        return [cls(players.nth(i)) for i in range(players.count())]

    @property
    def step(self) -> int:
        return int(self.root.get_attribute("data-step"))

    @property
    def frames(self) -> int:
        return int(self.root.locator("input.nnp-slider").get_attribute("max")) + 1

    @property
    def ready(self) -> bool:
        """The script has set the player up (inline drawing, controls shown)."""
        return self.root.get_attribute("data-ready") is not None

    def button(self, action: str):
        return self.root.locator(f'button[data-action="{action}"]')

    def click(self, action: str) -> None:
        self.button(action).click()

    def press(self, key: str) -> None:
        """Give the player the keyboard focus and press ``key``."""
        self.root.focus()
        self.root.press(key)

    def slide_to(self, frame: int) -> None:
        self.root.locator("input.nnp-slider").fill(str(frame))

    def caption(self) -> tuple[str, list[str]]:
        """The caption: its title and its lines."""
        title = self.root.locator(".nnp-title").inner_text()
        return title, self.root.locator(".nnp-lines li").all_inner_texts()

    def counter(self) -> str:
        return self.root.locator(".nnp-counter").inner_text()

    def marked(self) -> dict[str, int]:
        """How many parts of the drawing carry each highlight."""
        return self.root.evaluate("""root => Object.fromEntries(
            ["nnp-current", "nnp-changed", "nnp-lost", "nnp-edge"].map(c =>
                [c.slice(4), root.querySelectorAll("svg ." + c).length]))""")

    def drawn_texts(self) -> list[str]:
        """Every line of text in the drawing as it is now."""
        return self.root.locator("svg text").evaluate_all("els => els.map(e => e.textContent)")

    def state(self) -> tuple:
        """Everything a step changes: frame, caption, highlights, texts."""
        return self.step, self.caption(), self.marked(), self.drawn_texts()

    def box(self, selector: str = ":scope") -> dict:
        return self.root.locator(selector).first.evaluate(
            "el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right, "
            "width: r.width, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth}; }")


def wait_for_players(page, count: int | None = None, timeout: float = 30_000) -> list[PlayerView]:
    """Wait until every player on the page (at least ``count``) is set up; return them."""
    page.wait_for_function(
        """n => { const all = document.querySelectorAll(".nnscratch-player");
                  return all.length >= (n || 1) && [...all].every(p => p.hasAttribute("data-ready")); }""",
        arg=count, timeout=timeout)
    return PlayerView.all(page)


# --- the standalone page -------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Backprop players</title>
<style>
body {{ font-family: sans-serif; max-width: 860px; margin: 16px auto; padding: 0 12px;
       background: #ffffff; color: #1a1a1a; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #121212; color: #e8e8e8; }} }}
</style></head>
<body><h1>Two players</h1>
<p>The running example on nnscratch.Value:</p>
{first}
<p>Chapter 04's engine with = instead of +=:</p>
{second}
<p>A wrong order and the right one, side by side:</p>
{pair}
</body></html>
"""


def build_page() -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_player_steps import chapter_engine, neuron, running_example, used_twice
    finally:
        sys.path.remove(str(ROOT / "tests"))
    import nnscratch
    from nnscratch.viz import backprop_player, side_by_side

    first = backprop_player(running_example(nnscratch.Value)[0], seconds_per_step=0.05)
    second = backprop_player(used_twice(chapter_engine(accumulate=False))[0], title="With =")
    o, v = neuron(chapter_engine())
    wrong = backprop_player(o, order=[v["x1w1"], v["o"], v["n"], v["s"], v["x2w2"]],
                            title="A wrong order")
    right = backprop_player(o, title="Reverse topological order")
    return PAGE.format(first=first.html(), second=second.html(),
                       pair=side_by_side(wrong, right)._repr_html_())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("graphviz")
    folder = tmp_path_factory.mktemp("players")
    (folder / "index.html").write_text(build_page(), encoding="utf-8")
    with BookServer(folder) as server:
        yield server.url


@pytest.fixture(scope="module")
def chromium_browser(request, chromium):
    """A Chromium of our own; or, when the book's tests already run one in this
    session (Playwright's sync API allows one per thread), that one."""
    from playwright.sync_api import Error, sync_playwright

    try:
        pw = sync_playwright().start()
    except Error:
        yield request.getfixturevalue("browser").browser
        return
    browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        pw.stop()


class Visit:
    def __init__(self, page, outside: list[str], errors: list[str]) -> None:
        self.page, self.outside, self.errors = page, outside, errors


@pytest.fixture
def visit(chromium_browser, site):
    """Open the page in a mode: light, dark, phone (390 px) or nojs; close it after."""
    contexts = []

    def open_(mode: str = "light") -> Visit:
        context = chromium_browser.new_context(
            viewport=PHONE if mode == "phone" else DESKTOP,
            color_scheme="dark" if mode == "dark" else "light",
            java_script_enabled=mode != "nojs")
        contexts.append(context)
        page = context.new_page()
        outside, errors = [], []

        def route(r):
            if r.request.url.startswith(site):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(site + "index.html", wait_until="load")
        return Visit(page, outside, errors)

    yield open_
    for context in contexts:
        context.close()


def screenshot(page, name: str, element=None) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"player-{name}.png"
    (element or page).screenshot(path=str(path), **({} if element else {"full_page": True}))
    return path


# --- the tests -------------------------------------------------------------------------------

def test_the_page_sets_up_every_player_and_fetches_nothing(visit):
    v = visit()
    players = wait_for_players(v.page, 4)
    assert len(players) == 4
    assert v.errors == [] and v.outside == []
    for p in players:
        assert p.step == 0 and p.ready
        assert p.root.locator("svg").count() == 1 and p.root.locator(".nnp-drawing img").count() == 0
        assert p.root.locator(".nnp-controls").is_visible()
        assert not p.root.locator(".nnp-static").is_visible()
        assert p.caption()[0] == "Before the first step"
    assert [p.frames for p in players] == [4, 4, 6, 6]
    screenshot(v.page, "light")


def test_next_and_previous_change_the_frame_the_highlight_and_the_caption(visit):
    first, *_ = wait_for_players(visit().page, 4)
    start = first.state()
    assert first.marked()["current"] == 0 and first.marked()["changed"] == 1  # L.grad = 1
    first.click("next")
    assert first.step == 1 and first.counter() == "Step 1 of 3"
    title, lines = first.caption()
    assert title == "L = d * f passes on L.grad = 1"
    assert lines == ["d.grad += f · L.grad = (−2)·1 = −2", "f.grad += d · L.grad = 4·1 = 4"]
    marked = first.marked()
    assert marked["current"] == 2 and marked["changed"] == 2 and marked["edge"] == 3
    assert "grad -2.0000" in first.drawn_texts() and "grad 4.0000" in first.drawn_texts()
    first.click("next")
    first.click("next")
    assert first.caption()[1][0] == "a.grad += b · e.grad = (−3)·(−2) = 6"
    assert first.button("next").is_disabled() and first.button("last").is_disabled()
    first.click("prev")
    assert first.step == 2 and first.caption()[0] == "d = e + c passes on d.grad = −2"
    first.click("first")
    assert first.state() == start
    assert first.button("prev").is_disabled()
    first.click("last")
    assert first.step == 3


def test_the_slider_and_the_keys(visit):
    first, *_ = wait_for_players(visit().page, 4)
    first.slide_to(2)
    assert first.step == 2 and first.counter() == "Step 2 of 3"
    first.press("ArrowRight")
    assert first.step == 3
    first.press("ArrowRight")  # stays on the last frame
    assert first.step == 3
    first.press("ArrowLeft")
    assert first.step == 2
    first.press("Home")
    assert first.step == 0
    first.press("End")
    assert first.step == 3
    second = PlayerView.all(first.root.page)[1]
    second.press(" ")  # space on the player itself: play, and again: pause
    assert second.button("play").get_attribute("aria-pressed") == "true"
    second.press(" ")
    assert second.button("play").get_attribute("aria-pressed") == "false"


def test_play_runs_to_the_end_and_pause_stops_it(visit):
    page = visit().page
    first, second, *_ = wait_for_players(page, 4)
    first.click("play")
    page.wait_for_function(
        """() => { const p = document.querySelector(".nnscratch-player");
                   return p.dataset.step === "3" &&
                          p.querySelector('[data-action="play"]').textContent === "Play"; }""",
        timeout=20_000)
    assert first.button("play").get_attribute("aria-pressed") == "false"
    second.click("play")  # 1.2 s a frame: pause it before its first step
    assert second.button("play").inner_text() == "Pause"
    second.click("play")
    assert second.button("play").inner_text() == "Play" and second.step == 0
    page.wait_for_timeout(1500)  # longer than a frame: a pause that failed would have moved
    assert second.step == 0


def test_each_player_is_independent(visit):
    first, second, wrong, right = wait_for_players(visit().page, 4)
    others = [p.state() for p in (second, wrong, right)]
    first.click("next")
    first.press("End")
    assert [p.state() for p in (second, wrong, right)] == others
    second.click("last")
    assert first.step == 3 and second.step == 3
    assert wrong.step == 0 and right.step == 0
    title, lines = second.caption()
    assert title == "a*b passes on (a*b).grad = 1"
    assert any("overwrites −6: that contribution is lost" in line for line in lines)
    assert second.marked()["lost"] == 2  # a and b lost their first contribution
    wrong.click("next")
    assert wrong.marked()["lost"] == 1 and "still 0 when this step runs" in wrong.caption()[1][-1]
    assert right.step == 0


def test_dark_mode_reads(visit):
    v = visit("dark")
    players = wait_for_players(v.page, 4)
    first = players[0]
    first.click("next")
    assert first.root.get_attribute("data-dark") is not None
    text = first.root.locator(".nnp-title").evaluate("el => getComputedStyle(el).color")
    page_bg = v.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert relative_luminance(text) > 0.6 and relative_luminance(page_bg) < 0.1
    button = first.button("prev").evaluate("el => getComputedStyle(el).color")
    assert relative_luminance(button) > 0.6
    drawing = luminance_stats(first.root.locator(".nnp-drawing").screenshot())
    assert drawing["background"] > 0.9 and drawing["ink"] < 0.3  # dark ink on white paper
    lost = players[1]
    lost.click("last")
    warn = lost.root.locator("li.nnp-lost").first.evaluate("el => getComputedStyle(el).color")
    assert relative_luminance(warn) > 0.4  # a light red on the dark page
    screenshot(v.page, "dark")


def test_a_phone_does_not_scroll_sideways(visit):
    v = visit("phone")
    players = wait_for_players(v.page, 4)
    width = v.page.evaluate("() => document.documentElement.clientWidth")
    assert width == PHONE["width"]
    assert v.page.evaluate("() => document.documentElement.scrollWidth") <= width
    for p in players:
        p.click("next")
        assert p.box()["right"] <= width + 1
        for action in ("first", "prev", "play", "next", "last"):
            box = p.button(action).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
            assert box["height"] >= 30  # big enough to tap
        drawing = p.box(".nnp-drawing")
        assert drawing["right"] <= width + 1  # a wide drawing scrolls inside its box
    wrong, right = players[2:]
    assert wrong.box()["right"] <= right.box()["left"] or wrong.box()["left"] == right.box()["left"]
    assert wrong.box(".nnp-drawing")["scrollWidth"] > wrong.box(".nnp-drawing")["clientWidth"]
    screenshot(v.page, "phone")


def test_side_by_side_shrinks_a_drawing_to_three_quarters_then_stacks(visit):
    page = visit().page
    *_, wrong, right = wait_for_players(page, 4)
    natural = wrong.root.locator("svg").evaluate("s => s.width.baseVal.value")
    shown = wrong.root.locator("svg").evaluate("s => s.getBoundingClientRect().width")
    assert 0.75 * natural - 1 <= shown <= natural + 1
    side = wrong.box()["right"] <= right.box()["left"]
    if not side:  # one under the other: then each drawing has its full width or scrolls
        assert wrong.box()["left"] == right.box()["left"]
    page.set_viewport_size({"width": 2000, "height": 900})
    page.evaluate("() => { document.body.style.maxWidth = '1900px'; }")
    assert wrong.box()["right"] <= right.box()["left"]  # room enough: side by side


def test_without_javascript_the_last_frame_and_a_note(visit):
    v = visit("nojs")
    page = v.page
    roots = page.locator(".nnscratch-player")
    assert roots.count() == 4
    first = roots.first
    assert first.get_attribute("data-step") == "3"
    img = first.locator(".nnp-drawing img")
    assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    assert not first.locator(".nnp-controls").is_visible()
    note = first.locator(".nnp-static")
    assert note.is_visible() and "trust the notebook" in note.inner_text()
    assert html.unescape(first.locator(".nnp-title").inner_text()).startswith("Step 3 of 3: e = a * b")
    screenshot(page, "nojs")
