"""Specification of how the comparisons pages read: the recommendation form's and the adjust
form's messages say what each question wants (as the comment form's do), keep everything
typed and explain their asterisks; the matrix has a list to jump to each criterion; the
result's wide tables are regions a keyboard can scroll. Through HTTP, as a visitor would."""

import re

import pytest

from comparisons.models import Assumption, Criterion, Recommendation
from tests.support.recommendation_support import FORM, GROWING_FIRM

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    found = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.DOTALL)
    assert found, "the page has an error summary"
    return found.group(0)


def field_error(html: str, name: str) -> str:
    found = re.search(rf'id="id_{name}_error"[^>]*>(.*?)</div>', html, re.DOTALL)
    assert found, f"{name} has an error beside it"
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()


# --- The recommendation form ----------------------------------------------------------------


def test_the_form_explains_its_asterisks_before_the_first_question(client):
    html = client.get(FORM).content.decode()
    note = html.index("Questions marked with an asterisk")
    assert note < html.index('name="employees"')


def test_each_missing_answer_gets_a_message_saying_what_the_question_wants(client):
    answers = {**GROWING_FIRM, "employees": "", "downtime_cost_per_hour": "", "growth": ""}
    html = client.post(FORM, answers).content.decode()
    assert "This field is required" not in html
    assert field_error(html, "employees") == (
        "Tell us how many people use IT in your business: a whole number, such as 12."
    )
    assert "such as 500" in field_error(html, "downtime_cost_per_hour")
    assert "shrinking, stable or growing" in field_error(html, "growth")


def test_the_summary_links_every_message_to_its_field_and_keeps_the_other_answers(client):
    answers = {**GROWING_FIRM, "employees": "0", "devices": "lots", "in_house_it": "robots"}
    response = client.post(FORM, answers)
    html = response.content.decode()
    assert response.status_code == 200
    summary = summary_of(html)
    assert "Please check 3 answers" in summary
    assert "everything you entered is still here" in summary
    links = dict(re.findall(r'<a class="alert-link" href="#([a-z_0-9]+)">([^<]+)</a>', summary))
    assert set(links) == {"id_employees", "id_devices", "id_in_house_it_0"}
    assert links["id_employees"] == "People who use IT must be 1 or more: count yourself too."
    assert "a whole number, such as 15" in links["id_devices"]
    assert "none, someone part-time" in links["id_in_house_it_0"]
    for target in links:
        assert f'id="{target}"' in html
    assert 'name="devices" value="lots"' in html
    assert 'name="downtime_cost_per_hour" value="1000"' in html
    assert re.search(r'value="growing"[^>]*checked', html)
    assert Recommendation.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("employees", "100001", "Enter 100,000 people or fewer"),
        ("employees", "2.5", "a whole number, such as 12"),
        ("devices", "-1", "Enter 0 or more devices"),
        ("downtime_cost_per_hour", "-5", "Enter 0 or more dollars"),
        ("downtime_cost_per_hour", "10000001", "Enter $10,000,000 or less"),
        ("incidents_per_month", "0.001", "two decimal places at most"),
        ("incidents_per_month", "99999999", "Enter 1,000 IT problems a month or fewer."),
        ("incidents_per_month", "NaN", "a number such as 1, or 0.5"),
        ("compliance", "gdpr", "Choose the regulatory duties"),
        ("budget_priority", "free", "a predictable monthly bill, or the lowest upfront cost"),
        ("servers", "-2", "Enter 0 or more servers, or leave the box empty."),
        ("card_payments", "cash", "Choose how you take card payments"),
    ],
)
def test_a_wrong_answer_is_told_what_would_be_right(client, field, value, message):
    html = client.post(FORM, {**GROWING_FIRM, field: value}).content.decode()
    error = field_error(html, field)
    assert message in error
    # One message, even for a number past both its limit and its digits.
    assert error.count(message) == 1
    assert summary_of(html).count("<li>") == 1


@pytest.mark.parametrize(
    "hostile",
    [
        "\x00",
        "<script>alert(1)</script>",
        "1" * 5000,
        "1e999999",
        "-0",
        "١٢",  # Arabic-Indic digits
        "%(value)s %s %",
    ],
)
def test_hostile_answers_get_messages_never_a_server_error(client, hostile):
    answers = {name: hostile for name in GROWING_FIRM}
    response = client.post(FORM, answers)
    assert response.status_code in {200, 302}
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    if response.status_code == 200:
        assert "This field is required" not in html


# --- The adjust form ------------------------------------------------------------------------


@pytest.fixture
def saved(client):
    location = client.post(FORM, GROWING_FIRM)["Location"]
    recommendation = Recommendation.objects.get()
    figures = {row["key"]: str(row["value"]) for row in recommendation.result["assumptions"]}
    return location, figures


def test_the_adjust_form_explains_its_asterisks(client, saved):
    location, _ = saved
    html = client.get(location).content.decode()
    assert html.index("Every figure needs a number") < html.index('id="id_outage_share"')


def test_a_wrong_figure_is_told_its_bounds_and_every_figure_is_kept(client, saved):
    location, figures = saved
    sent = {
        **figures,
        "outage_share": "1.5",
        "after_hours_multiplier": "0.5",
        "break_fix_hourly_rate": "",
        "staff_hour_cost": "77",
    }
    response = client.post(location + "adjust/", sent)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" not in html and "Ensure this value" not in html
    assert field_error(html, "outage_share").startswith(
        "“Problems that stop the whole business” is a share: enter a figure from 0 (none) to 1"
    )
    assert "multiplies a cost: enter 1 or more" in field_error(html, "after_hours_multiplier")
    assert field_error(html, "break_fix_hourly_rate").startswith(
        "Give a number for “Break/fix hourly rate” (USD per hour), such as our default"
    )
    summary = summary_of(html)
    assert "Please check 3 figures" in summary
    assert 'href="#id_outage_share"' in summary and 'href="#id_break_fix_hourly_rate"' in summary
    assert 'name="staff_hour_cost" value="77"' in html
    assert Recommendation.objects.count() == 1


def test_a_percent_sign_in_a_figure_s_name_reaches_the_reader_as_written(client):
    Assumption.objects.filter(key="outage_share").update(label="Problems (in %) that stop all")
    location = client.post(FORM, GROWING_FIRM)["Location"]
    figures = {
        row["key"]: str(row["value"]) for row in Recommendation.objects.get().result["assumptions"]
    }
    for value, words in (("7", "is a share"), ("", "Give a number for")):
        response = client.post(location + "adjust/", {**figures, "outage_share": value})
        assert response.status_code == 200
        error = field_error(response.content.decode(), "outage_share")
        assert "“Problems (in %) that stop all”" in error and words in error


# --- The matrix and the result ----------------------------------------------------------------


def test_the_matrix_starts_with_a_list_jumping_to_every_criterion(client):
    html = client.get("/compare/").content.decode()
    jump = re.search(r'<nav class="matrix-jump".*?</nav>', html, re.DOTALL)
    assert jump and "Jump to a criterion" in jump.group(0)
    targets = re.findall(r'href="#([a-z0-9-]+)"', jump.group(0))
    slugs = list(Criterion.objects.values_list("slug", flat=True))
    assert targets == slugs and len(slugs) > 5
    for slug in slugs:
        assert f'<tr id="{slug}"' in html
    assert html.index("Jump to a criterion") < html.index('<table class="table matrix"')


def test_the_result_s_wide_tables_are_named_regions_a_keyboard_can_reach(client, saved):
    location, _ = saved
    html = client.get(location).content.decode()
    regions = re.findall(
        r'<div class="table-responsive[^"]*"([^>]*)>\s*<table[^>]*>\s*<caption id="([^"]+)"', html
    )
    assert len(regions) >= 2
    for attributes, caption in regions:
        assert 'tabindex="0"' in attributes and 'role="region"' in attributes
        assert f'aria-labelledby="{caption}"' in attributes
