"""The tree player on the built page of chapter 08, in headless Chromium.

Clicking next, previous and play must change the frame (``data-step``), the highlight
in the drawing (the node visited, the lines down to its children), the derivatives
written on those lines, a parameter's value once it has learnt, and the caption; the
page must fetch nothing from anywhere else, and the player must fit a phone and read
in dark mode. Screenshots land in _build/screenshots/tree-player-*.png.
"""

from __future__ import annotations

import contextlib

import pytest

from book_pages import PHONE, ROOT, luminance_stats
from test_player import PlayerView, wait_for_players

pytestmark = pytest.mark.book

PAGE = "notebooks/08_tree_framework.html"
SCREENSHOTS = ROOT / "_build" / "screenshots"


@contextlib.contextmanager
def tree_player(browser, mode: str = "desktop"):
    """The page's first player (the chapter's; the second is the open-ended exercise's),
    set up by its script, and the visit that opened it."""
    visit, page = browser.open(PAGE, mode, keep_open=True)
    try:
        players = wait_for_players(page, 2)
        assert len(players) == 2
        yield visit, page, players[0]
    finally:
        page.context.close()


def screenshot(player: PlayerView, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    player.root.screenshot(path=str(SCREENSHOTS / f"tree-player-{name}.png"))


def test_the_page_sets_up_its_player_and_fetches_nothing(browser):
    with tree_player(browser) as (visit, page, player):
        assert visit.page_errors == [] and visit.blocked_external == []
        assert player.step == 0 and player.frames == 11
        assert player.caption()[0] == "Before the backward pass"
        assert player.marked() == {"current": 0, "changed": 0, "lost": 0, "edge": 0}
        assert "w2 = 1.5" in player.drawn_texts() and "x = 2" in player.drawn_texts()
        assert not player.root.locator(".nnp-static").is_visible()


def test_next_and_previous_step_through_the_visits(browser):
    with tree_player(browser) as (_, page, player):
        start = player.state()
        player.click("next")
        assert player.step == 1 and player.counter() == "Visit 1 of 10"
        title, lines = player.caption()
        assert title == "ŷ receives ∂L/∂ŷ = 1"
        assert lines == ["∂L/∂(w2*h) = ∂L/∂ŷ · 1 = 1·1 = 1", "∂L/∂b2 = ∂L/∂ŷ · 1 = 1·1 = 1"]
        assert player.marked()["current"] == 1 and player.marked()["edge"] == 2
        first = player.state()
        player.click("next")
        player.click("next")
        assert player.caption() == ("w2 receives ∂L/∂w2 = 0.75 and learns",
                                    ["w2 ← w2 − η·∂L/∂w2 = 1.5 − 0.1·0.75 = 1.425"])
        texts = player.drawn_texts()
        assert "w2 = 1.425" in texts and "w2 = 1.5" not in texts
        assert "0.75" in texts and "1.5" in texts  # what the product handed w2 and h
        assert player.marked()["current"] == 1 and player.marked()["edge"] == 0
        player.click("prev")
        player.click("prev")
        assert player.state() == first
        player.click("prev")
        assert player.state() == start and player.button("prev").is_disabled()
        screenshot(player, "start")


def test_play_runs_on_by_itself_and_pauses(browser):
    with tree_player(browser) as (_, page, player):
        player.slide_to(8)
        player.click("play")
        assert player.button("play").get_attribute("aria-pressed") == "true"
        page.wait_for_function(
            """() => { const p = document.querySelector(".nnscratch-player");
                       return p.dataset.step === "10" &&
                              p.querySelector('[data-action="play"]').textContent === "Play"; }""",
            timeout=20_000)
        assert player.caption()[0] == "b2 receives ∂L/∂b2 = 1 and learns"
        assert "w1 = 0.2" in player.drawn_texts() and "b1 = -0.4" in player.drawn_texts()
        player.click("play")  # from the last frame, play starts again at the start
        page.wait_for_function("() => document.querySelector('.nnscratch-player').dataset.step !== '0'",
                               timeout=20_000)
        player.click("play")
        paused = player.step
        assert player.button("play").inner_text() == "Play"
        page.wait_for_timeout(1500)  # longer than a frame: a pause that failed would have moved
        assert player.step == paused
        screenshot(player, "paused")


def test_the_player_fits_a_phone_and_reads_in_dark_mode(browser):
    with tree_player(browser, "phone") as (_, page, player):
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert width == PHONE["width"]
        player.click("last")
        assert player.box()["right"] <= width + 1
        for action in ("first", "prev", "play", "next", "last"):
            box = player.button(action).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1 and box["height"] >= 30
        screenshot(player, "phone")
    with tree_player(browser, "dark") as (_, page, player):
        player.click("next")
        drawing = luminance_stats(player.root.locator(".nnp-drawing").screenshot())
        # dark ink on white paper (its lines are #444444, lighter than a graph's text)
        assert drawing["background"] > 0.9 and drawing["ink"] < 0.45
        screenshot(player, "dark")
