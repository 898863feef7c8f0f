"""The backprop players of the built chapters *Backpropagation by hand* and *Automatic
backpropagation*, driven in headless Chromium.

On each page, clicking next, previous and play must change the frame (``data-step``),
the highlight in the drawing and the caption, and the captions must be the steps each
chapter's prose describes: the running example and the neuron on `nnscratch.Value`;
the chapter's own engine taking a wrong order and reverse topological order, and
assigning with ``=`` against adding with ``+=``. The players of a pair move
independently, and on a phone none makes the page scroll sideways. Screenshots land in
_build/screenshots/chapter-player-*.png.
"""

from __future__ import annotations

import contextlib

import pytest

from book_pages import PHONE, ROOT
from test_player import PlayerView, wait_for_players

pytestmark = pytest.mark.book

SCREENSHOTS = ROOT / "_build" / "screenshots"
BY_HAND = "notebooks/03_backprop_by_hand.html"
AUTOMATIC = "notebooks/04_automatic_backprop.html"


@contextlib.contextmanager
def players_of(browser, path: str, count: int, mode: str = "desktop"):
    """The page at ``path`` with its ``count`` players set up, and the visit."""
    visit, page = browser.open(path, mode, keep_open=True)
    try:
        players = wait_for_players(page, count)
        assert len(players) == count, f"{path}: {len(players)} players"
        yield visit, page, players
    finally:
        page.context.close()


def screenshot(player: PlayerView, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Nothing pinned to the window (the theme's header) drawn over the player.
    player.root.page.evaluate("""() => { for (const el of document.querySelectorAll("body *")) {
        const p = getComputedStyle(el).position;
        if (p === "fixed" || p === "sticky") el.style.visibility = "hidden"; } }""")
    player.root.scroll_into_view_if_needed()
    player.root.screenshot(path=str(SCREENSHOTS / f"chapter-player-{name}.png"))


def wait_for_step(page, player: PlayerView, step: int, timeout: float = 20_000) -> None:
    """Wait until ``player`` shows frame ``step`` with its play button back to Play."""
    page.wait_for_function(
        """([root, step]) => root.dataset.step === String(step) &&
               root.querySelector('[data-action="play"]').textContent === "Play" """,
        arg=[player.root.element_handle(), step], timeout=timeout)


def test_by_hand_the_running_example_steps_next_previous_and_plays(browser):
    with players_of(browser, BY_HAND, 2) as (visit, page, (running, neuron)):
        assert visit.page_errors == [] and visit.console_errors == []
        assert visit.blocked_external == []
        assert [running.frames, neuron.frames] == [4, 6]
        start = running.state()
        assert running.step == 0 and running.caption()[0] == "Before the first step"
        assert running.marked()["current"] == 0 and running.marked()["changed"] == 1  # L.grad = 1

        running.click("next")
        assert running.step == 1 and running.counter() == "Step 1 of 3"
        assert running.caption() == ("L = d * f passes on L.grad = 1",
                                     ["d.grad += f · L.grad = (−2)·1 = −2",
                                      "f.grad += d · L.grad = 4·1 = 4"])
        marked = running.marked()
        assert marked["current"] == 2 and marked["changed"] == 2 and marked["edge"] >= 2
        assert {"grad -2.0000", "grad 4.0000"} <= set(running.drawn_texts())
        assert running.state() != start

        running.click("prev")
        assert running.state() == start

        running.click("play")
        assert running.button("play").inner_text() == "Pause"
        wait_for_step(page, running, 3)
        title, lines = running.caption()
        assert title == "e = a * b passes on e.grad = −2"
        assert lines == ["a.grad += b · e.grad = (−3)·(−2) = 6",
                         "b.grad += a · e.grad = 2·(−2) = −4"]
        assert neuron.step == 0  # the other player did not move
        screenshot(running, "by-hand-running-example")


def test_by_hand_the_neuron_gives_w1_its_gradient_in_the_last_step(browser):
    # The exercise on the player asks in which steps w1 and b receive their gradients.
    with players_of(browser, BY_HAND, 2) as (_, _, (_, neuron)):
        captions = []
        for _ in range(5):
            neuron.click("next")
            captions.append(neuron.caption())
        assert neuron.step == 5 and neuron.button("next").is_disabled()
        steps_of = {line.split(".grad")[0]: k for k, (_, lines) in enumerate(captions, 1)
                    for line in lines}
        assert steps_of["b"] == 2 and steps_of["w1"] == 5 and steps_of["x2"] == 4
        assert captions[-1][1][1] == "w1.grad += x1 · (x1*w1).grad = 2·0.5 = 1"
        screenshot(neuron, "by-hand-neuron")


def test_automatic_a_wrong_order_passes_on_zero_and_the_right_one_does_not(browser):
    with players_of(browser, AUTOMATIC, 4) as (visit, page, (wrong, right, *_)):
        assert visit.page_errors == [] and visit.console_errors == []
        assert [wrong.frames, right.frames] == [6, 6]
        right_start = right.state()

        wrong.click("next")
        title, lines = wrong.caption()
        assert title == "x1*w1 passes on (x1*w1).grad = 0"
        assert "still 0 when this step runs" in lines[-1]
        assert wrong.marked()["lost"] == 1 and wrong.marked()["current"] == 2
        assert right.state() == right_start  # a pair's players move independently

        right.click("next")
        assert right.caption()[0] == "o = tanh(n) passes on o.grad = 1"
        assert right.marked()["lost"] == 0

        wrong.click("prev")
        assert wrong.step == 0 and wrong.marked()["lost"] == 0
        wrong.click("play")
        wait_for_step(page, wrong, 5)
        right.click("last")
        # x1 and w1 end with 0 on the left, with their gradients on the right
        assert "grad -1.5000" not in wrong.drawn_texts()
        assert {"grad -1.5000", "grad 1.0000"} <= set(right.drawn_texts())
        screenshot(wrong, "automatic-wrong-order")


def test_automatic_assigning_loses_contributions_and_adding_keeps_them(browser):
    with players_of(browser, AUTOMATIC, 4) as (_, page, (*_, assign, add)):
        assert [assign.frames, add.frames] == [4, 4]
        assign.click("next")
        assign.click("next")
        assert assign.step == 2 and assign.marked()["lost"] == 0
        assign.click("next")
        title, lines = assign.caption()
        assert title == "a*b passes on (a*b).grad = 1"
        assert all("that contribution is lost" in line for line in lines)
        assert assign.marked()["lost"] == 2
        assert add.step == 0

        add.click("play")
        wait_for_step(page, add, 3)
        assert add.caption()[1] == [  # as the page shows it, white space collapsed
            "a.grad += b · (a*b).grad = 3·1 = 3 → a.grad = −6 + 3 = −3",
            "b.grad += a · (a*b).grad = (−2)·1 = −2 → b.grad = −6 + (−2) = −8"]
        assert add.marked()["lost"] == 0
        assign.click("prev")
        assert assign.step == 2 and assign.marked()["lost"] == 0
        screenshot(add, "automatic-adding")


@pytest.mark.parametrize("path, count", [(BY_HAND, 2), (AUTOMATIC, 4)])
def test_on_a_phone_the_players_fit(browser, path, count):
    with players_of(browser, path, count, mode="phone") as (_, page, players):
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert width == PHONE["width"]
        for p in players:
            p.click("next")
            assert p.step == 1
            assert p.box()["right"] <= width + 1
            box = p.button("next").bounding_box()
            assert box["x"] + box["width"] <= width + 1
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
