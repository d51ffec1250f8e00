"""The comparisons pages on a phone and by keyboard, in a real browser: nothing scrolls
sideways at 320, 390 or 1280 px in the light or the dark scheme; tables that must scroll
are regions Tab reaches; the chart's labels draw at 12 px or more; the matrix's jump list
lands on each criterion; text, control borders and focus rings keep their contrast; and the
recommendation form can be filled, corrected and sent with the keyboard alone.

As in test_comparisons.py, the matrix and assumptions come from a data migration that a
live-server test's flush removes, so `seeded` puts them back.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.support.recommendation_support import GROWING_FIRM

pytestmark = pytest.mark.usefixtures("django_db_serialized_rollback", "seeded")

WIDTHS = (320, 390, 1280)
SCHEMES = ("light", "dark")
PERMALINK = re.compile(r"/compare/recommend/[0-9a-f-]{36}/$")


@pytest.fixture
def result_url(seeded):
    from comparisons.forms import RecommendationForm
    from comparisons.models import Recommendation

    form = RecommendationForm(GROWING_FIRM)
    assert form.is_valid()
    return Recommendation.objects.record(form.profile()).get_absolute_url()


def open_in(page, url, *, width, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(url)
    # The site's scheme follows the device's (base.html's theme script sets it on <html>).
    expect(page.locator("html")).to_have_attribute("data-bs-theme", scheme)


def form_with_a_mistake(page):
    page.goto("/compare/recommend/")
    page.get_by_label("People who use IT").fill("")
    page.get_by_role("button", name="Get my recommendation").click()
    expect(page.get_by_role("alert")).to_contain_text("Tell us how many people use IT")


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# Contrast as WCAG computes it, from the colours the browser resolved, a translucent colour
# laid over the nearest opaque background beneath it.
CONTRAST = """
([element, property]) => {
  const parse = (text) => {
    const numbers = text.match(/[\\d.]+/g).map(Number);
    return {rgb: numbers.slice(0, 3), alpha: numbers.length > 3 ? numbers[3] : 1};
  };
  const backdrop = (node) => {
    for (let at = node; at; at = at.parentElement) {
      const colour = parse(getComputedStyle(at).backgroundColor);
      if (colour.alpha > 0) return colour.rgb;
    }
    return [255, 255, 255];
  };
  const under = backdrop(property === "color" ? element : element.parentElement);
  const colour = parse(getComputedStyle(element)[property]);
  const mixed = colour.rgb.map((c, i) => c * colour.alpha + under[i] * (1 - colour.alpha));
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [high, low] = [luminance(mixed), luminance(under)].sort((a, b) => b - a);
  return (high + 0.05) / (low + 0.05);
}
"""


def contrast(locator, property="color") -> float:
    return locator.evaluate(f"(element) => ({CONTRAST})([element, {property!r}])")


# --- No sideways scroll, nothing clipped ------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_comparisons_page_scrolls_sideways(page, result_url, width, scheme):
    for url in ("/compare/", "/compare/recommend/", result_url):
        open_in(page, url, width=width, scheme=scheme)
        assert sideways_overflow(page) <= 0, url
    form_with_a_mistake(page)
    assert sideways_overflow(page) <= 0, "the form with its errors"


@pytest.mark.parametrize("width", (320, 390))
def test_on_a_phone_the_result_hides_nothing_in_its_tables_and_its_link_wraps(
    page, result_url, width
):
    open_in(page, result_url, width=width, scheme="light")
    for region in page.locator(".table-responsive").all():
        clipped = region.evaluate("(box) => box.scrollWidth - box.clientWidth")
        assert clipped <= 0, region.get_attribute("aria-labelledby")
    link = page.locator(".result-permalink a").first
    assert link.bounding_box()["x"] + link.bounding_box()["width"] <= width
    expect(page.locator(".result-costs .cell-label").first).to_be_visible()


@pytest.fixture
def result_saved_with_the_400_unit_chart(seeded, monkeypatch):
    """A result saved before the chart's viewBox narrowed: its stored chart is 400 x 300."""
    from comparisons import chart
    from comparisons.forms import RecommendationForm
    from comparisons.models import Recommendation

    for name, value in {"WIDTH": 400, "HEIGHT": 300, "LEFT": 48, "RIGHT": 106}.items():
        monkeypatch.setattr(chart, name, value)
    form = RecommendationForm({**GROWING_FIRM, "in_house_it": "full_time"})
    assert form.is_valid()
    saved = Recommendation.objects.record(form.profile())
    assert saved.result["chart"]["width"] == 400
    return saved.get_absolute_url()


# --- Regions a keyboard can scroll ------------------------------------------------------------


def tab_until(page, matches: str, limit: int = 150) -> list[dict]:
    """Press Tab until the focused element matches the selector; the stops on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """(selector) => {
                const el = document.activeElement;
                return {hit: el.matches(selector), tag: el.tagName, id: el.id,
                        role: el.getAttribute('role'), name: el.getAttribute('aria-labelledby')};
            }""",
            matches,
        )
        stops.append(stop)
        if stop["hit"]:
            return stops
    raise AssertionError(f"Tab never reached {matches}: {stops[-5:]}")


def test_the_result_s_tables_are_named_regions_tab_reaches(page, result_url):
    # A tablet's width, where the five columns do not fit and the tables scroll.
    open_in(page, result_url, width=600, scheme="light")
    regions = page.locator(".table-responsive")
    assert regions.count() >= 2
    for index in range(regions.count()):
        region = regions.nth(index)
        caption = region.locator("caption")
        expect(region).to_have_attribute("role", "region")
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_accessible_name(caption.inner_text())
    page.locator("h1").click()
    stops = tab_until(page, ".table-responsive")
    assert stops[-1]["name"] == "costs-caption"
    stops = tab_until(page, ".table-responsive")
    assert stops[-1]["name"] == "assumptions-caption"
    # Focused, the arrow keys scroll it.
    region = page.locator(".table-responsive").nth(1)
    if region.evaluate("(box) => box.scrollWidth > box.clientWidth"):
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(region).not_to_have_js_property("scrollLeft", 0)


# --- The chart ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", (320, 390))
def test_the_chart_s_labels_draw_at_12_px_or_more_on_a_phone_without_overlapping(
    page, result_url, width
):
    open_in(page, result_url, width=width, scheme="light")
    sizes = page.locator("svg.cost-chart text").evaluate_all(
        """(texts) => texts.map((text) =>
            parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
    )
    assert len(sizes) >= 8 and min(sizes) >= 12, sizes
    boxes = [
        box
        for box in page.locator("svg.cost-chart text.chart-tick").evaluate_all(
            "(texts) => texts.map((t) => { const r = t.getBoundingClientRect();"
            " return [r.left, r.top, r.right, r.bottom]; })"
        )
    ]
    for i, first in enumerate(boxes):
        for second in boxes[i + 1 :]:
            apart = (
                first[2] <= second[0]
                or second[2] <= first[0]
                or first[3] <= second[1]
                or second[3] <= first[1]
            )
            assert apart, (first, second)
    svg = page.locator("svg.cost-chart").bounding_box()
    for left, _, right, _ in boxes:
        assert left >= svg["x"] - 0.5 and right <= svg["x"] + svg["width"] + 0.5


def test_a_chart_saved_400_units_wide_also_draws_its_labels_at_12_px_at_390(
    page, result_saved_with_the_400_unit_chart
):
    open_in(page, result_saved_with_the_400_unit_chart, width=390, scheme="light")
    sizes = page.locator("svg.cost-chart text").evaluate_all(
        """(texts) => texts.map((text) =>
            parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
    )
    assert min(sizes) >= 12, sizes
    edges = page.locator("svg.cost-chart text").evaluate_all(
        "(texts) => texts.map((t) => { const r = t.getBoundingClientRect();"
        " return [r.left, r.right]; })"
    )
    assert all(left >= 0 and right <= 390 for left, right in edges), edges
    assert sideways_overflow(page) <= 0


# --- The matrix's jump list -----------------------------------------------------------------


def test_the_jump_list_lands_on_each_criterion_and_the_way_back_returns(page):
    open_in(page, "/compare/", width=390, scheme="light")
    jump = page.get_by_role("navigation", name="Jump to a criterion")
    links = jump.get_by_role("link")
    assert links.count() >= 10
    for index in (0, links.count() // 2, links.count() - 1):
        link = links.nth(index)
        name = link.inner_text()
        target = link.get_attribute("href")
        link.click()
        expect(page).to_have_url(re.compile(re.escape(target) + "$"))
        row = page.locator(f"tr{target}")
        expect(row.locator(".matrix-criterion")).to_have_text(name)
        expect(row.locator(".matrix-criterion")).to_be_in_viewport()
        # Scrolled (smoothly) to the top of the screen, or as near as the page's end allows.
        page.wait_for_function(
            """(id) => {
                const top = document.getElementById(id).getBoundingClientRect().top;
                const end = document.documentElement.scrollHeight - 1;
                return top >= 0 && (top < 200 || window.scrollY + window.innerHeight >= end);
            }""",
            arg=target.lstrip("#"),
        )
        row.get_by_role("link", name="Back to the list of criteria").click()
        expect(jump).to_be_in_viewport()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", (390, 1280))
def test_read_more_links_and_control_borders_keep_their_contrast(page, width, scheme):
    open_in(page, "/compare/", width=width, scheme=scheme)
    for link in page.locator("a.matrix-post").all()[:3]:
        assert contrast(link) >= 4.5
    for text in page.locator(".matrix-question, .matrix-source, .verdict").all()[:6]:
        assert contrast(text) >= 4.5
    open_in(page, "/compare/recommend/", width=width, scheme=scheme)
    for control in ("#id_employees", "#id_compliance", "#id_in_house_it_1", "#id_remote_staff"):
        assert contrast(page.locator(control), "borderTopColor") >= 3, control


# --- Accessibility, light and dark --------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_comparisons_page_passes_axe_on_a_phone(page, result_url, scheme, assert_accessible):
    for url in ("/compare/", "/compare/recommend/", result_url):
        open_in(page, url, width=390, scheme=scheme)
        assert_accessible(page)
    form_with_a_mistake(page)
    assert_accessible(page)


# --- The keyboard alone -------------------------------------------------------------------------


def test_the_recommendation_form_by_keyboard_alone_mistake_message_correction_result(page):
    open_in(page, "/compare/recommend/", width=390, scheme="light")
    tab_until(page, "#id_employees")
    # The focus ring shows: a solid outline with 3:1 or more against the page.
    employees = page.locator("#id_employees")
    ring = employees.evaluate(
        "(el) => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert ring[0] == "solid" and float(ring[1].rstrip("px")) >= 2
    assert contrast(employees, "outlineColor") >= 3
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")
    page.keyboard.type("30")  # devices, typed over the selected default
    tab_until(page, "button[type=submit], input[type=submit]")
    page.keyboard.press("Enter")

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please check 1 answer")
    message = "Tell us how many people use IT in your business: a whole number, such as 12."
    expect(summary.get_by_role("link")).to_have_text(message)
    expect(page.locator("#id_employees_error")).to_have_text(message)
    expect(page.locator("#id_devices")).to_have_value("30")

    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#id_employees$"))
    expect(employees).to_be_focused()
    page.keyboard.type("12")
    tab_until(page, "button[type=submit], input[type=submit]")
    page.keyboard.press("Enter")

    # The browser keeps the fragment through the redirect to the permalink.
    expect(page).to_have_url(re.compile(PERMALINK.pattern.rstrip("$") + "(#id_employees)?$"))
    expect(page.locator("[data-recommendation]")).to_have_count(1)
    expect(page.get_by_role("definition").first).to_have_text("12")


# --- Results saved in format 1 ------------------------------------------------------------------


def test_a_result_saved_in_format_1_reads_on_a_phone_with_its_markup_unchanged(
    page, assert_accessible
):
    # Their markup is frozen (test_comparisons_frozen_results.py): CSS and script do the work.
    from tests.comparisons.test_comparisons_frozen_results import V1_ROWS, database_as_captured

    database_as_captured()
    call_command("migrate", verbosity=0)
    url = f"/compare/recommend/{V1_ROWS[0]['id']}/"
    for width in (320, 390):
        open_in(page, url, width=width, scheme="light")
        assert sideways_overflow(page) <= 0
        why = page.locator(".result-factors").locator("xpath=..")
        assert why.evaluate("(box) => box.scrollWidth - box.clientWidth") <= 0
        regions = page.locator(".table-responsive")
        assert regions.count() == 3
        for index in range(regions.count()):
            region = regions.nth(index)
            expect(region).to_have_attribute("role", "region")
            expect(region).to_have_attribute("tabindex", "0")
            expect(region).to_have_accessible_name(region.locator("caption").inner_text())
    sizes = page.locator("svg.cost-chart text").evaluate_all(
        """(texts) => texts.map((text) =>
            parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""
    )
    assert min(sizes) >= 12, sizes
    assert_accessible(page)
    page.locator("h1").click()
    assert tab_until(page, ".table-responsive")[-1]["name"]
