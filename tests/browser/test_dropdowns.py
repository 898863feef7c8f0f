"""Hints and solutions in the book: under each exercise, in the same card as its
statement and its code, folded until clicked, each in a box with a coloured edge (blue
for a hint, green for the solution)."""

from __future__ import annotations

import pytest

from book_pages import chapter_files

pytestmark = pytest.mark.book

CARDS = r"""
() => [...document.querySelectorAll("article .nnscratch-exercise")].map(card => {
  const boxes = [...card.querySelectorAll(":scope > .nnscratch-hint, :scope > .nnscratch-solution")];
  return {
    title: (card.querySelector(".admonition-title") || {textContent: ""}).textContent.trim(),
    statements: card.querySelectorAll(":scope > .exercise.admonition").length,
    cells: card.querySelectorAll(":scope > .cell").length,
    order: [...card.children].map(c => c.classList.contains("cell") ? "code" :
             c.classList.contains("nnscratch-hint") ? "hint" :
             c.classList.contains("nnscratch-solution") ? "solution" :
             c.classList.contains("exercise") ? "statement" : c.tagName.toLowerCase()),
    boxes: boxes.map(b => {
      const s = getComputedStyle(b), d = b.querySelector("details");
      return {kind: b.className, edge: parseFloat(s.borderLeftWidth), edgeColour: s.borderLeftColor,
              tint: s.backgroundColor, open: !!(d && d.open), summary: d ? d.querySelector("summary").textContent.trim() : ""};
    }),
  };
})
"""


@pytest.mark.parametrize("file", chapter_files())
def test_each_exercise_is_one_card_with_its_hints_and_solution(browser, file):
    visit, page = browser.open(f"{file}.html", keep_open=True)
    try:
        cards = page.evaluate(CARDS)
    finally:
        page.context.close()
    assert len(cards) == len(visit.dom["exercises"]) >= 3, "exercises outside a card"
    for card in cards:
        where = card["title"]
        assert card["statements"] == 1 and card["cells"] >= 1, where
        order = card["order"]
        assert order[0] == "statement" and order[-1] == "solution", (where, order)
        between = order[1:order.index("hint")]
        assert "code" in between and set(between) <= {"code", "p"}, (where, order)
        assert all(k in ("hint", "solution") for k in order[order.index("hint"):]), (where, order)
        for box in card["boxes"]:
            assert not box["open"], f"{where}: {box['summary']} is unfolded before a click"
            assert box["edge"] >= 3, f"{where}: {box['summary']} has no coloured edge"
            assert box["tint"] not in ("rgba(0, 0, 0, 0)", "transparent"), where
        hints = {b["edgeColour"] for b in card["boxes"] if b["kind"] == "nnscratch-hint"}
        solutions = {b["edgeColour"] for b in card["boxes"] if b["kind"] == "nnscratch-solution"}
        assert len(hints) == len(solutions) == 1 and hints != solutions, where


def test_a_hint_unfolds_when_clicked(browser):
    _, page = browser.open(f"{chapter_files()[0]}.html", keep_open=True)
    try:
        hint = page.locator(".nnscratch-exercise .nnscratch-hint details").first
        body = hint.locator("p").first
        assert not body.is_visible()
        hint.locator("summary").click()
        assert body.is_visible()
        page.locator(".nnscratch-exercise").first.screenshot(
            path=str(browser.screenshots / "exercise-card-hint-open.png"))
    finally:
        page.context.close()
