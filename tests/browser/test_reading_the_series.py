"""A reader follows the series in a real Chromium: home, part 1 to part 3 and back."""


def test_a_reader_follows_the_series_from_part_one_to_three_and_back(
    page, synced_content, assert_accessible
):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("region", name="The series").get_by_role("link").nth(1).click()
    titles = []
    for number in (1, 2, 3):
        page.wait_for_load_state()
        assert page.get_by_text(f"Part {number} of 3").first.is_visible()
        titles.append(page.locator("h1").inner_text())
        assert_accessible(page)
        if number < 3:
            page.get_by_role("navigation", name="Series").locator("a[rel=next]").click()
    assert titles[0].startswith("Understanding different IT service models")
    assert len(set(titles)) == 3

    for number in (2, 1):
        page.get_by_role("navigation", name="Series").locator("a[rel=prev]").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == titles[number - 1]
    assert page.get_by_role("navigation", name="Series").locator("a[rel=prev]").count() == 0


def test_pages_load_no_resource_from_another_origin(page, synced_content, live_server):
    foreign = []
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in [
        "/",
        "/blog/",
        "/blog/series/understanding-it-service-models/",
        "/blog/advantages-of-managed-services/",
        "/compare/",
        "/compare/recommend/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert foreign == []
    assert errors == [], errors
