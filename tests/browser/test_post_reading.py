"""Reading a post on a phone in a real Chromium: a wide table scrolls sideways inside its own
region, which the keyboard reaches with Tab and scrolls with the arrow keys, while the page
itself never scrolls sideways; the post ends with related posts by shared tags."""

import pytest

POST = "/blog/choosing-an-it-provider/"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def tab_to(page, selector, limit=200):
    """Press Tab until the focused element matches `selector`; its index among those."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        index = page.evaluate(
            "(s) => [...document.querySelectorAll(s)].indexOf(document.activeElement)", selector
        )
        if index >= 0:
            return index
    raise AssertionError(f"Tab never reached {selector}")


def test_a_wide_table_is_reached_by_tab_and_scrolls_inside_its_region_on_a_phone(
    phone, synced_content, assert_fully_accessible
):
    phone.goto(POST)
    region = phone.get_by_role("region", name="Table: The first year")
    assert region.count() == 1
    overflow = region.evaluate("(el) => el.scrollWidth - el.clientWidth")
    assert overflow > 0  # wider than the phone: it must scroll, inside the region
    page_overflow = phone.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert page_overflow <= 0

    tab_to(phone, ".table-scroll[aria-label='Table: The first year']")
    outline = region.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # the focus is visible
    assert region.evaluate("(el) => el.scrollLeft") == 0
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function(
        "() => document.activeElement.scrollLeft > 0", polling="raf", timeout=3000
    )
    assert_fully_accessible(phone)


def test_the_post_ends_with_related_posts_before_its_comments(phone, synced_content):
    phone.goto(POST)
    related = phone.get_by_role("complementary", name="Related articles")
    links = related.get_by_role("link")
    assert 1 <= links.count() <= 3
    order = phone.evaluate(
        """() => {
            const related = document.querySelector('.related-posts');
            const comments = document.getElementById('comments');
            return related.compareDocumentPosition(comments) & Node.DOCUMENT_POSITION_FOLLOWING;
        }"""
    )
    assert order
    href, title = links.first.get_attribute("href"), links.first.inner_text()
    assert href.startswith("/blog/") and href != POST
    links.first.click()
    phone.wait_for_url(f"**{href}")
    assert phone.locator("h1").inner_text() == title
