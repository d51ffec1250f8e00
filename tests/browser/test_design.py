"""The site's design as a reader meets it in a real Chromium: every page fits a 320 px phone,
the phone's menu works from the keyboard, the colour scheme can be chosen and is remembered
with no cookie, a printed post is the article and its sources, the navigation marks where the
reader is, long posts have a table of contents, and axe-core finds nothing serious in either
colour scheme.

The pages are the project's own content, as `make run` syncs it.
"""

import pytest

pytestmark = pytest.mark.usefixtures("synced_content")

POST = "/blog/pros-and-cons-of-break-fix-and-managed-services/"
PAGES = [
    "/",
    POST,
    "/blog/series/understanding-it-service-models/",
    "/blog/",
    "/about/",
    "/no-such-page/",
]
WIDTHS = [320, 390, 1280]


def overflow(page):
    """How many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def displayed(page, selector):
    """Whether every element the selector finds is laid out (not display: none up the tree)."""
    return page.eval_on_selector_all(
        selector, "els => els.length > 0 && els.every(el => el.getClientRects().length > 0)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_in_either_scheme_or_in_print(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = {}
    for scheme, media in [("light", "screen"), ("dark", "screen"), ("light", "print")]:
        page.emulate_media(color_scheme=scheme, media=media)
        for address in PAGES:
            page.goto(address)
            if overflow(page) > 0:
                too_wide[f"{address} ({scheme}, {media})"] = overflow(page)
    assert too_wide == {}


def test_a_phone_header_is_one_row_and_its_menu_works_from_the_keyboard(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(POST)
    header = page.locator("header.site-header")
    button = page.get_by_role("button", name="Menu")
    articles = page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles")
    assert header.bounding_box()["height"] < 80
    assert button.get_attribute("aria-expanded") == "false"
    assert not articles.is_visible()

    for _ in range(3):  # the skip link, the site's name, then the menu button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert articles.is_visible()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Articles"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not articles.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/blog/")
    assert page.locator("h1").inner_text() == "Articles"


def test_on_a_wide_screen_the_menu_is_open_and_there_is_no_menu_button(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Get a recommendation").is_visible()
    assert page.locator("header.site-header").bounding_box()["height"] < 80


def test_the_colour_scheme_follows_the_device_until_the_reader_chooses_and_is_remembered(
    page,
):
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    scheme = "document.documentElement.dataset.bsTheme"
    assert page.evaluate(scheme) == "dark"
    switch = page.get_by_role("group", name="Colour scheme")
    assert switch.get_by_role("button", name="Auto").get_attribute("aria-pressed") == "true"

    switch.get_by_role("button", name="Light").click()
    assert page.evaluate(scheme) == "light"
    page.reload()
    assert page.evaluate(scheme) == "light"
    assert switch.get_by_role("button", name="Light").get_attribute("aria-pressed") == "true"
    page.goto(POST)
    assert page.evaluate(scheme) == "light"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(253, 252, 249)"

    switch.get_by_role("button", name="Auto").click()
    assert page.evaluate(scheme) == "dark"
    page.emulate_media(color_scheme="light")
    page.wait_for_function(f"() => {scheme} === 'light'")  # following the device as it changes
    assert page.context.cookies() == []


def test_the_chosen_scheme_is_set_before_the_page_body_is_drawn(page):
    page.add_init_script(
        """
        new MutationObserver(function (changes, observer) {
          if (document.body) {
            window.schemeWhenBodyBegan = document.documentElement.dataset.bsTheme;
            observer.disconnect();
          }
        }).observe(document, {childList: true, subtree: true});
        """
    )
    page.goto("/")
    page.get_by_role("group", name="Colour scheme").get_by_role("button", name="Dark").click()
    page.goto(POST)
    assert page.evaluate("window.schemeWhenBodyBegan") == "dark"


def test_a_printed_post_is_the_article_and_its_sources_only(page):
    page.goto(POST)
    page.emulate_media(media="print")
    for hidden in [
        "header.site-header",
        "footer.site-footer",
        ".post-toc",
        ".series-nav",
        ".follow",
        ".cta",
        "#comments",
        "#comments-heading",
        "#leave-a-comment",
        "#leave-a-comment-heading",
        "form",
    ]:
        assert page.eval_on_selector_all(
            hidden, "els => els.length > 0 && els.every(el => el.getClientRects().length == 0)"
        ), f"{hidden} is printed"
    for shown in ["h1", ".post-body", ".post-body .footnote"]:
        assert displayed(page, shown), f"{shown} is not printed"
    after = page.eval_on_selector(
        ".post-body .footnote a[href^='http']", "a => getComputedStyle(a, '::after').content"
    )
    assert "http" in after
    colour = page.evaluate("getComputedStyle(document.querySelector('.post-body p')).color")
    assert colour == "rgb(0, 0, 0)"


def test_a_post_printed_in_the_dark_scheme_is_black_on_white(page):
    page.emulate_media(color_scheme="dark")
    page.goto(POST)
    page.emulate_media(color_scheme="dark", media="print")
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    body = page.evaluate("getComputedStyle(document.body).color")
    assert body == "rgb(0, 0, 0)"


def test_the_navigation_marks_the_current_page_visibly(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/blog/")
    nav = page.get_by_role("navigation", name="Main")
    articles = nav.get_by_role("link", name="Articles")
    compare = nav.get_by_role("link", name="Compare")
    assert articles.get_attribute("aria-current") == "page"
    assert compare.get_attribute("aria-current") is None
    decoration = "el => getComputedStyle(el).textDecorationLine"
    assert articles.evaluate(decoration) == "underline"
    assert compare.evaluate(decoration) == "none"

    page.goto(POST)
    assert articles.get_attribute("aria-current") == "true"
    page.goto("/about/")
    footer = page.get_by_role("navigation", name="Site")
    assert footer.get_by_role("link", name="About").get_attribute("aria-current") == "page"
    assert articles.get_attribute("aria-current") is None


def test_a_long_post_has_its_contents_beside_the_text_on_a_wide_screen(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(POST)
    contents = page.get_by_role("navigation", name="On this page")
    headings = page.locator(".post-body h2").all_inner_texts()
    links = contents.get_by_role("link").all_inner_texts()
    assert [h.rstrip("#").strip() for h in headings] == links
    assert len(links) >= 5

    text = page.locator(".post-body").bounding_box()
    box = contents.bounding_box()
    assert box["x"] >= text["x"] + text["width"]  # beside the text, not above it

    contents.get_by_role("link", name="Side by side").click()
    page.wait_for_url("**#side-by-side")
    # Bootstrap scrolls smoothly: wait for the heading to arrive at the top.
    page.wait_for_function(
        "() => Math.abs(document.getElementById('side-by-side').getBoundingClientRect().top) < 100"
    )
    assert contents.get_by_role("link").first.is_visible()  # still in view: it sticks


def test_on_a_phone_the_contents_are_a_list_to_open_above_the_text(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(POST)
    contents = page.get_by_role("navigation", name="On this page")
    first = contents.get_by_role("link").first
    assert not first.is_visible()
    contents.get_by_text("On this page").click()
    assert first.is_visible()
    body = page.locator(".post-body").bounding_box()
    assert contents.bounding_box()["y"] < body["y"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_pages_are_accessible_in_both_schemes(page, width, scheme, assert_accessible):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    for address in PAGES:
        page.goto(address)
        assert page.evaluate("document.documentElement.dataset.bsTheme") == scheme
        assert_accessible(page)
