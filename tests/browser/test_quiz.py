"""The self-check questions on the built chapter pages, in headless Chromium.

Each chapter with questions shows all of them and none of the code that makes them;
answering right and wrong shows both verdicts; the page judges every answer as
nnscratch.quiz.grade does; everything works from the keyboard alone; and the questions
are readable in dark mode and fit a phone. Screenshots of the questions are kept in
_build/screenshots/quiz-*.png.
"""

from __future__ import annotations

import contextlib

import pytest

from book_pages import ROOT
from nnscratch.quiz import grade, load

pytestmark = pytest.mark.book

SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTERS = sorted(p.stem for p in (ROOT / "book" / "quizzes").glob("*.json"))

# The WCAG contrast ratio of an element's text colour (or `prop`) with the colour
# actually behind it: the backgrounds of it and its ancestors, composed.
CONTRAST = r"""
(el, prop) => {
  const rgba = s => { const m = s.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  let bg = [0, 0, 0, 0], layers = [];
  for (let e = el; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
  layers.push([255, 255, 255, 1]);  // the canvas
  for (const [r, g, b, a] of layers) {  // front to back: put each layer under what is above
    const k = (1 - bg[3]) * a;
    bg = [bg[0] + r * k, bg[1] + g * k, bg[2] + b * k, bg[3] + k];
    if (bg[3] >= 0.999) break;
  }
  const fg = rgba(getComputedStyle(el)[prop || "color"]);
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const back = bg.slice(0, 3).map(x => x / Math.max(bg[3], 1e-9));
  const front = fg.slice(0, 3).map((x, i) => x * fg[3] + back[i] * (1 - fg[3]));
  const [hi, lo] = [lum(front), lum(back)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}
"""


def page_of(chapter: str) -> str:
    return f"notebooks/{chapter}.html"


@contextlib.contextmanager
def opened(browser, chapter: str, mode: str = "desktop"):
    visit, page = browser.open(page_of(chapter), mode, keep_open=True)
    try:
        yield visit, page
    finally:
        page.context.close()


def question(page, qid: str, chapter: str):
    return page.locator(f"#nnq-{chapter}-{qid}")


def answer(page, chapter: str, q: dict, given, *, keyboard: bool = False) -> tuple[str, str]:
    """Answer ``q`` (a choice's index, or the text to type) and press its Check button;
    the verdict line's text and the question's data-verdict."""
    box = question(page, q["id"], chapter)
    if q["type"] == "multiple_choice":
        box.locator("label.nnq-choice").nth(given).click()
    else:
        box.locator("input[type=text]").fill(given)
    box.locator("button.nnq-check").click()
    return verdict_of(box)


def verdict_of(box) -> tuple[str, str]:
    return (box.locator(".nnq-verdict").evaluate("e => e.textContent"),
            box.get_attribute("data-verdict") or "")


def probes(q: dict) -> list:
    """Answers to try on ``q``: every choice; or every listed number, spelt a few ways,
    numbers near them, an unlisted one, nothing, and something that is no number."""
    if q["type"] == "multiple_choice":
        return list(range(len(q["answers"])))
    texts = ["", "six", "123456789", "1/0", "\u0663", "1/2/3", "1e999"]
    for a in q["answers"]:
        if a["type"] == "value":
            v = a["value"]
            texts += [repr(v), f"{v:+}", f"{v}".replace("-", "\u2212"), f" {v * 3}/3 ",
                      repr(v * (1 + 4e-4)), repr(v * (1 + 4e-3)), repr(v + 1)]
        elif a["type"] == "range":
            low, high = a["range"]
            texts += [repr(low), repr(high), repr((low + high) / 2)]
    return texts


def shot(page, locator, name: str) -> None:
    """A picture of ``locator`` alone: the window made taller than it, and nothing
    pinned to the window (the theme's header) drawn over it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("""() => { for (const el of document.querySelectorAll("body *")) {
        const p = getComputedStyle(el).position;
        if (p === "fixed" || p === "sticky") el.style.visibility = "hidden"; } }""")
    height = locator.evaluate("el => Math.ceil(el.getBoundingClientRect().height)")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 100)})
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=str(SCREENSHOTS / f"quiz-{name}.png"))
    page.set_viewport_size(size)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_page_shows_every_question_and_none_of_the_code(browser, chapter):
    with opened(browser, chapter) as (visit, page):
        assert visit.page_errors == [] and visit.console_errors == []
        shown = page.eval_on_selector_all(".nnq-q", "qs => qs.map(q => q.id)")
        assert shown == [f"nnq-{chapter}-{q['id']}" for q in load(chapter)]
        blocks = page.locator(".nnq")
        assert blocks.count() == page.locator(".nnq[data-nnq-ready]").count() > 0, "every block's script ran"
        assert page.locator(".nnq-noscript:visible").count() == 0
        code = page.eval_on_selector_all(".cell_input", "cells => cells.map(c => c.innerText)")
        assert not [c for c in code if "questions(" in c], "the question cells' code is hidden"
        assert "questions(" not in page.locator("article").inner_text()


def test_a_right_and_a_wrong_answer_show_their_verdicts(browser):
    chapter = "03_backprop_by_hand"
    bank = load(chapter)
    choice = next(q for q in bank if q["type"] == "multiple_choice")
    numeric = next(q for q in bank if q["type"] == "numeric")
    right = next(k for k, a in enumerate(choice["answers"]) if a["correct"])
    wrong = next(a for a in numeric["answers"] if a.get("correct") is False and a["type"] == "value")
    with opened(browser, chapter) as (_, page):
        text, state = answer(page, chapter, choice, right)
        assert state == "right" and text.startswith("✓ Correct.")
        assert text == grade(choice, right).message
        shot(page, question(page, choice["id"], chapter), "right")
        text, state = answer(page, chapter, numeric, repr(wrong["value"]))
        assert state == "wrong" and text.startswith("✗ Not quite.")
        assert text == grade(numeric, repr(wrong["value"])).message
        shot(page, question(page, numeric["id"], chapter), "wrong")
        # Changing the answer clears the verdict, so a verdict always speaks of what is shown.
        question(page, numeric["id"], chapter).locator("input[type=text]").fill("1")
        assert verdict_of(question(page, numeric["id"], chapter)) == ("", "")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_page_judges_every_answer_as_the_package_does(browser, chapter):
    with opened(browser, chapter) as (_, page):
        for q in load(chapter):
            for given in probes(q):
                expected = grade(q, given)
                assert answer(page, chapter, q, given) == (expected.message, expected.state), (q["id"], given)


def test_the_questions_work_from_the_keyboard_alone(browser):
    chapter = "03_backprop_by_hand"
    bank = load(chapter)
    choice = next(q for q in bank if q["type"] == "multiple_choice")
    numeric = next(q for q in bank if q["type"] == "numeric")
    right = next(k for k, a in enumerate(choice["answers"]) if a["correct"])
    focused = "document.activeElement"
    with opened(browser, chapter) as (_, page):
        box = question(page, choice["id"], chapter)
        # Tab from the element just before the question: the first thing reached is a choice.
        page.evaluate("""id => {
            const all = [...document.querySelectorAll('a[href], button, input, [tabindex]')];
            const first = document.querySelector('#' + CSS.escape(id) + ' input');
            const before = all[all.indexOf(first) - 1];
            before.focus();
        }""", f"nnq-{chapter}-{choice['id']}")
        page.keyboard.press("Tab")
        assert page.evaluate(f"{focused}.name") == f"nnq-{chapter}-{choice['id']}"
        assert page.evaluate(f"getComputedStyle({focused}).outlineStyle") != "none", "focus is visible"
        if right == 0:
            page.keyboard.press("Space")
        for _ in range(right):
            page.keyboard.press("ArrowDown")
        assert box.locator("input:checked").get_attribute("value") == str(right)
        page.keyboard.press("Tab")
        assert page.evaluate(f"{focused}.className") == "nnq-check"
        style = page.evaluate(f"(() => {{ const s = getComputedStyle({focused}); return [s.outlineStyle, s.outlineWidth]; }})()")
        assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style
        page.keyboard.press("Enter")
        assert verdict_of(box)[1] == "right"

        typed = question(page, numeric["id"], chapter)
        typed.locator("input[type=text]").focus()
        page.keyboard.type("-1000")
        page.keyboard.press("Enter")  # Enter in the field checks the answer
        assert verdict_of(typed) == (grade(numeric, "-1000").message, "wrong")
        page.keyboard.press("Tab")
        assert page.evaluate(f"{focused}.className") == "nnq-check"
        page.keyboard.press("Space")
        assert verdict_of(typed)[1] == "wrong"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_questions_are_readable_in_dark_mode(browser, chapter):
    bank = load(chapter)
    low = []
    with opened(browser, chapter, "dark") as (visit, page):
        assert visit.dom["theme"] == "dark"
        for q in bank:
            box = question(page, q["id"], chapter)
            right = next(k for k, a in enumerate(q["answers"]) if a.get("correct"))
            given = right if q["type"] == "multiple_choice" else "123456789"
            answer(page, chapter, q, given)
            targets = [box.locator("legend, .nnq-text").first, box.locator(".nnq-verdict"),
                       box.locator(".nnq-mark"), box.locator("button.nnq-check")]
            if q["type"] == "numeric":
                targets.append(box.locator("input[type=text]"))
            else:
                targets.append(box.locator("label.nnq-choice").first)
            for target in targets:
                ratio = target.evaluate(CONTRAST)
                if ratio < 4.5:  # WCAG AA for text
                    low.append((q["id"], target, round(ratio, 2)))
            border = box.evaluate(CONTRAST, "borderLeftColor")
            if border < 3:  # WCAG AA for a graphic
                low.append((q["id"], "the verdict's colour bar", round(border, 2)))
        for block in range(page.locator(".nnq").count()):
            shot(page, page.locator(".nnq").nth(block), f"{chapter}-dark-{block + 1}")
    assert low == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_questions_fit_a_phone(browser, chapter):
    bank = load(chapter)
    with opened(browser, chapter, "phone") as (_, page):
        width = page.evaluate("() => document.documentElement.clientWidth")
        assert width <= 400
        numeric = next(q for q in bank if q["type"] == "numeric")
        answer(page, chapter, numeric, "123456789")  # the longest verdict shown, too
        boxes = page.eval_on_selector_all(
            ".nnq, .nnq *", "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.className || e.tagName, r.left, r.right]; })")
        outside = [b for b in boxes if b[1] < -1 or b[2] > width + 1]
        assert outside == [], outside[:5]
        heights = page.eval_on_selector_all(
            ".nnq-check, .nnq input[type=text], .nnq-choice",
            "els => els.map(e => e.getBoundingClientRect().height)")
        assert min(heights) >= 40, "controls big enough to tap"
        shot(page, question(page, numeric["id"], chapter), f"{chapter}-phone")
        first_choice = next(q for q in bank if q["type"] == "multiple_choice")
        shot(page, question(page, first_choice["id"], chapter), f"{chapter}-phone-choice")
