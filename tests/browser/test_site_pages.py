"""The site's own pages in a real Chromium: reachable from the footer, accessible, and loading
nothing from another origin (what the Privacy page promises)."""

SITE_PAGES = ["/about/", "/privacy/", "/contact/", "/blog/tags/", "/blog/author/jim/"]


def test_a_reader_reaches_each_site_page_from_the_footer(page, synced_content, assert_accessible):
    page.goto("/")
    for name, heading in [
        ("About", "About this site"),
        ("Privacy", "Privacy"),
        ("Contact", "Contact"),
        ("Tags", "Tags"),
    ]:
        page.get_by_role("navigation", name="Site").get_by_role("link", name=name).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == heading
        assert_accessible(page)


def test_the_site_pages_load_nothing_from_another_origin(page, synced_content, live_server):
    foreign = []
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    for path in SITE_PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert foreign == []
    assert page.context.cookies() == []
