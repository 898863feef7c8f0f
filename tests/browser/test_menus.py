"""The book's menus work as a reader uses them: on a 390-px phone the chapter list and
the page's contents open with a tap on their buttons and close again; on a desktop the
button beside the title folds the chapter list away and brings it back.

A panel counts as shown when it is on screen and is what the reader sees at a point
inside it (nothing covers it), whatever markup the theme uses to show it.
"""

from __future__ import annotations

import pytest

from book_pages import chapter_files

pytestmark = pytest.mark.book

PAGE = f"{chapter_files()[0]}.html"
CHAPTER_LIST = ".bd-sidebar-primary"
PAGE_CONTENTS = ".bd-sidebar-secondary"

SHOWN = """selector => {
  const panel = document.querySelector(selector);
  if (!panel) return false;
  const r = panel.getBoundingClientRect();
  const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
  if (right - left < 100 || bottom - top < 100) return false;
  const hit = document.elementFromPoint((left + right) / 2, top + Math.min(60, (bottom - top) / 2));
  return !!hit && panel.contains(hit);
}"""


def shown(page, selector: str) -> bool:
    page.evaluate("() => new Promise(r => setTimeout(r, 400))")  # let a transition end
    return page.evaluate(SHOWN, selector)


def visible_button(page, selector: str):
    buttons = page.locator(f"{selector}:visible")
    assert buttons.count() >= 1, f"no visible {selector} button"
    return buttons.first


@pytest.fixture
def phone(browser):
    _, page = browser.open(PAGE, "phone", keep_open=True)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser):
    _, page = browser.open(PAGE, "desktop", keep_open=True)
    yield page
    page.context.close()


def test_phone_menu_opens_the_chapter_list_and_closes_it(phone, browser):
    assert not shown(phone, CHAPTER_LIST), "the chapter list covers the page before any tap"
    visible_button(phone, ".primary-toggle").tap()
    assert shown(phone, CHAPTER_LIST), "tapping the menu button did not open the chapter list"
    phone.screenshot(path=str(browser.screenshots / "menu-phone-chapters.png"))
    # Tapping beside the open panel (on the dimmed page) closes it.
    phone.touchscreen.tap(phone.viewport_size["width"] - 20, phone.viewport_size["height"] // 2)
    assert not shown(phone, CHAPTER_LIST), "the chapter list did not close"


def test_phone_contents_button_opens_the_page_contents(phone, browser):
    assert not shown(phone, PAGE_CONTENTS)
    visible_button(phone, ".secondary-toggle").tap()
    assert shown(phone, PAGE_CONTENTS), "tapping the contents button did not open the page contents"
    links = phone.locator(f"{PAGE_CONTENTS} a.nav-link")
    assert links.count() >= 3, "the page contents list no sections"
    phone.screenshot(path=str(browser.screenshots / "menu-phone-contents.png"))
    phone.keyboard.press("Escape")
    assert not shown(phone, PAGE_CONTENTS), "Escape did not close the page contents"


def test_a_link_in_the_phone_menu_leads_to_another_chapter(phone):
    visible_button(phone, ".primary-toggle").tap()
    assert shown(phone, CHAPTER_LIST)
    target = chapter_files()[1]
    link = phone.locator(f'{CHAPTER_LIST} a[href$="{target.rsplit("/", 1)[-1]}.html"]').first
    link.tap()
    phone.wait_for_url(f"**/{target}.html")


def test_desktop_button_folds_the_chapter_list_away_and_back(desktop, browser):
    assert shown(desktop, CHAPTER_LIST), "no chapter list on a desktop"
    article = desktop.locator("article.bd-article")
    width = article.bounding_box()["width"]
    button = visible_button(desktop, ".primary-toggle")
    button.click()
    assert not shown(desktop, CHAPTER_LIST), "the sidebar button did not fold the chapter list away"
    assert desktop.evaluate("() => !document.querySelector('dialog[open]')"), \
        "the sidebar button opened the phone menu instead of folding the sidebar"
    assert article.bounding_box()["width"] > width, "the text did not take the room"
    desktop.screenshot(path=str(browser.screenshots / "menu-desktop-folded.png"))
    button.click()
    assert shown(desktop, CHAPTER_LIST), "a second click did not bring the chapter list back"
