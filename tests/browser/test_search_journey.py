"""A reader searches from the header in a real Chromium, by keyboard alone: types a search,
sends it, reads the ranked results with their matches marked, and follows one; on the
narrowest phone, through the menu button. Every page on the way passes axe-core at every
impact."""

import re

SEARCH_BOX = "#site-search-q"


def tab_to(page, selector, most=40):
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never took the focus in {most} presses of Tab")


def test_a_reader_searches_from_the_header_by_keyboard_and_follows_a_hit(
    page, synced_content, assert_fully_accessible
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/blog/")
    tab_to(page, SEARCH_BOX)
    page.keyboard.type("Managed  SERVICES")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=managed\+services$"))
    assert page.locator("h1").inner_text() == "Results for “managed services”"
    assert page.title().startswith("Results for “managed services”")
    assert page.locator("#search-page-q").input_value() == "managed services"
    assert re.match(r"\d+ articles? match", page.locator(".search-count").inner_text())
    hits = page.locator(".search-hit")
    assert hits.count() >= 3
    assert hits.first.locator("mark").count() >= 1
    assert_fully_accessible(page)

    title = hits.first.locator("h2 a").inner_text()
    tab_to(page, ".search-hit h2 a")
    assert page.evaluate("document.activeElement.textContent") == title
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title


def test_on_a_phone_the_search_box_is_in_the_menu_and_a_miss_offers_a_way_on(
    page, synced_content, assert_fully_accessible
):
    page.set_viewport_size({"width": 320, "height": 740})
    page.goto("/")
    tab_to(page, ".menu-toggle")
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    tab_to(page, SEARCH_BOX)
    page.keyboard.type("zeppelin")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=zeppelin$"))
    assert page.locator(".search-count").inner_text() == "No posts match “zeppelin”."
    assert page.get_by_role("link", name="every article").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_fully_accessible(page)
