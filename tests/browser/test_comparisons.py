"""The comparisons journey in a real browser: the matrix, the form with a mistake, the
result and its permalink opened elsewhere, each page checked by axe-core.

The matrix and assumptions come from a data migration, and live-server tests flush the
database, so every test asks for a serialized rollback and `seeded` (tests/browser/conftest.py)
to get the seeded rows back.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("django_db_serialized_rollback", "seeded")


PERMALINK = re.compile(r"/compare/recommend/[0-9a-f-]{36}/$")


@pytest.fixture
def csp_violations(page):
    """Console errors the Content-Security-Policy raised while the test ran."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_the_matrix_is_accessible_and_fits_a_phone_screen(page, assert_accessible):
    page.goto("/compare/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("columnheader", name="Managed services")).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/compare/")
    expect(page.locator("#control .matrix-cell-model").first).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_a_mistake_corrected_gives_a_result_whose_permalink_shows_the_same_result(
    page, browser, live_server, assert_accessible, csp_violations
):
    page.goto("/compare/recommend/")
    assert_accessible(page)

    page.get_by_label("People who use IT").fill("0")
    page.get_by_label("Devices to support").fill("30")
    page.get_by_label("Cost of one hour of IT outage").fill("1000")
    page.get_by_label("IT problems needing outside help").fill("3")
    page.get_by_label("Growing").check()
    page.get_by_label("Some staff work outside the office").check()
    page.get_by_role("button", name="Get my recommendation").click()

    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("People who use IT")
    expect(errors).to_be_focused()
    expect(page.get_by_label("Devices to support")).to_have_value("30")
    expect(page.get_by_label("Growing")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("People who use IT").fill("25")
    page.get_by_role("button", name="Get my recommendation").click()

    expect(page).to_have_url(PERMALINK)
    outcome = page.locator("[data-recommendation]")
    expect(outcome).to_have_attribute("data-recommendation", "managed")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Cumulative cost over three years"))
    ).to_be_visible()
    total = page.locator(".result-chosen").inner_text()
    assert_accessible(page)

    elsewhere = browser.new_context(base_url=live_server.url)
    try:
        other = elsewhere.new_page()
        other.goto(page.url)
        expect(other.locator("[data-recommendation]")).to_have_attribute(
            "data-recommendation", "managed"
        )
        assert other.locator(".result-chosen").inner_text() == total
    finally:
        elsewhere.close()

    assert csp_violations == []


def test_try_another_answer_reopens_the_form_with_the_answers_given(page):
    page.goto(
        "/compare/recommend/?employees=3&devices=4&in_house_it=none&downtime_cost_per_hour=50"
        "&incidents_per_month=0.2&compliance=none&budget_priority=lowest_upfront&growth=stable"
    )
    page.get_by_role("button", name="Get my recommendation").click()
    expect(page.locator("[data-recommendation]")).to_have_attribute(
        "data-recommendation", "break_fix"
    )

    page.get_by_role("link", name="Try another answer").click()
    expect(page.get_by_label("People who use IT")).to_have_value("3")
    expect(page.get_by_label("The lowest upfront cost")).to_be_checked()
    page.get_by_label("Regulatory duties").select_option("hipaa")
    page.get_by_role("button", name="Get my recommendation").click()
    expect(page.locator("[data-recommendation]")).to_have_attribute("data-recommendation", "hybrid")


def test_a_result_adjusted_in_the_browser_gets_a_new_permalink_whose_json_matches_the_page(
    page, assert_accessible, csp_violations
):
    page.goto(
        "/compare/recommend/?employees=3&devices=4&in_house_it=none&downtime_cost_per_hour=50"
        "&incidents_per_month=0.2&compliance=none&budget_priority=lowest_upfront&growth=stable"
    )
    page.get_by_role("button", name="Get my recommendation").click()
    expect(page).to_have_url(PERMALINK)
    first = page.url
    expect(page.locator("[data-recommendation]")).to_have_attribute(
        "data-recommendation", "break_fix"
    )
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)

    page.get_by_text("Show the 21 figures").click()
    page.get_by_label(re.compile("Break/fix hourly rate")).fill("20")
    page.get_by_label(re.compile("Managed services fee per user")).fill("1")
    page.get_by_label(re.compile("Managed services minimum monthly fee")).fill("0")
    page.get_by_role("button", name="Recalculate with these figures").click()

    expect(page).to_have_url(PERMALINK)
    assert page.url != first
    expect(page.get_by_text("You set 3 of them yourself")).to_be_visible()
    outcome = page.locator("[data-recommendation]").get_attribute("data-recommendation")
    three_years = page.locator(f'tr[data-option="{outcome}"] td').nth(3).inner_text()

    data = page.request.get(page.url.rstrip("/") + ".json").json()
    assert data["outcome"] == outcome
    typical = data["costs"][outcome]["three_years"]["typical"]
    assert f"${typical:,}" in three_years
    used = {row["key"]: row["value"] for row in data["assumptions"]}
    assert used["break_fix_hourly_rate"] == "20" and used["msp_minimum_monthly"] == "0"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
    assert csp_violations == []
