"""Specification of the recommendation journey: the form, the saved result, its permalink.

Everything goes through HTTP as a visitor would: GET the form, POST answers, follow the
redirect to /compare/recommend/<uuid>/. Hypothesis throws arbitrary text at every field
to prove no input produces a server error.
"""

import re
import uuid
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparisons.models import Assumption, Recommendation
from tests.support.recommendation_support import (
    FORM,
    GROWING_FIRM,
    MICRO_OFFICE,
    outcome_of,
    outcome_of_html,
)

# --- The form -------------------------------------------------------------------------------


def test_the_form_asks_every_question_with_sensible_defaults(client, db):
    html = client.get(FORM).content.decode()
    assert html.count("<h1") == 1
    for name in GROWING_FIRM:
        assert f'name="{name}"' in html
    assert re.search(r'name="employees" value="10"', html)
    assert re.search(r'value="none"[^>]*checked|checked[^>]*value="none"', html)
    assert "per hour" in html and "per month" in html  # units beside the numbers
    assert "Your business" in html and "Paying for IT" in html  # grouped in fieldsets


def test_a_mistake_is_reported_on_its_field_and_every_answer_is_kept(client, db):
    response = client.post(FORM, {**GROWING_FIRM, "employees": "0", "devices": "many"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please check 2 answers" in html
    assert 'id="id_employees_error"' in html and 'id="id_devices_error"' in html
    assert 'name="devices" value="many"' in html
    assert 'name="downtime_cost_per_hour" value="1000"' in html
    assert Recommendation.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("employees", "100001"),
        ("devices", "1000001"),
        ("downtime_cost_per_hour", "10000001"),
        ("incidents_per_month", "1000.01"),
        ("incidents_per_month", "0.001"),
        ("employees", "9" * 5000),
    ],
)
def test_absurd_numbers_get_a_clear_error_instead_of_a_result(submit, field, value):
    response = submit({**GROWING_FIRM, field: value})
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()


def test_a_get_with_answers_pre_fills_the_form_and_saves_nothing(client, db):
    query = {**MICRO_OFFICE, "growth": "bogus"}
    html = client.get(FORM, query).content.decode()
    assert 'name="employees" value="2"' in html
    assert 'name="incidents_per_month" value="0.2"' in html
    assert re.search(r'value="lowest_upfront"[^>]*checked', html)
    assert re.search(r'value="stable"[^>]*checked', html)  # the bogus growth falls back
    assert "Please check" not in html
    assert Recommendation.objects.count() == 0


# --- Saving and the result page -------------------------------------------------------------


def test_answers_are_saved_with_the_result_and_the_visitor_is_sent_to_its_permalink(submit):
    response = submit(GROWING_FIRM)
    saved = Recommendation.objects.get()
    assert response["Location"] == f"/compare/recommend/{saved.pk}/"
    assert saved.outcome == "managed"
    assert saved.inputs["employees"] == 25 and saved.inputs["remote_staff"] is True
    assert saved.result["outcome"] == "managed" and saved.created_at


def test_the_result_page_names_the_outcome_for_people_and_for_machines(result_page):
    page = result_page(GROWING_FIRM)
    assert outcome_of(page) == "managed"
    assert "Our recommendation:" in page.content.decode()
    assert outcome_of(result_page(MICRO_OFFICE)) == "break_fix"
    assert outcome_of(result_page({**MICRO_OFFICE, "compliance": "pci"})) == "hybrid"
    assert outcome_of(result_page({**GROWING_FIRM, "in_house_it": "full_time"})) == "co_managed"


def test_the_result_gives_its_reasons_confidence_and_what_would_change_it(result_page):
    html = result_page(GROWING_FIRM).content.decode()
    assert 'data-rule="R1"' in html and "Over three years, downtime included" in html
    assert re.search(r'data-confidence="(high|medium|low)"', html)
    assert "What would change this answer" in html
    assert "Questions to ask a provider" in html and "business associate" not in html


def test_the_result_shows_each_option_s_cost_as_a_range_with_the_in_house_reference(
    result_page,
):
    page = result_page(GROWING_FIRM)
    html = page.content.decode()
    saved = Recommendation.objects.get().result
    for option in ("break_fix", "hybrid", "managed"):
        three_years = saved["costs"][option]["three_years"]
        assert f'data-option="{option}"' in html
        assert f"${three_years['typical']:,}" in html
        assert f"${three_years['low']:,} to ${three_years['high']:,}" in html
    assert 'data-option="co_managed"' not in html  # no IT staff of its own
    assert "For reference: in-house technician" in html
    assert '<svg class="cost-chart"' in html and "Cumulative cost over three years" in html


def test_a_result_that_is_not_the_cheapest_option_says_why_with_both_figures(result_page):
    html = result_page({**MICRO_OFFICE, "compliance": "hipaa"}).content.decode()
    assert outcome_of_html(html) == "hybrid"
    assert "Not the cheapest option:" in html and "patching on a schedule" in html
    assert "business associate agreement" in html  # the HIPAA question to ask


def test_the_result_shows_every_assumption_with_its_range_and_linked_source(result_page):
    html = result_page(GROWING_FIRM).content.decode()
    for assumption in Assumption.objects.all():
        assert assumption.label.replace("'", "&#x27;") in html
        assert f'href="{assumption.source_url}"' in html


def test_the_permalink_keeps_its_figures_after_the_assumptions_change(client, result_page):
    page = result_page(GROWING_FIRM)
    url = page.request["PATH_INFO"]

    def page_without_token():
        html = client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    before = page_without_token()
    Assumption.objects.filter(key="msp_fee_per_user_month").update(value=Decimal(249))
    Assumption.objects.filter(key="break_fix_hourly_rate").update(label="Something else")
    assert page_without_token() == before


def test_try_another_answer_pre_fills_the_form_with_the_same_answers(client, result_page):
    html = result_page(GROWING_FIRM).content.decode()
    link = re.search(r'href="([^"]+)">Try another answer', html).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == FORM
    assert {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()} == GROWING_FIRM
    form = client.get(link).content.decode()
    assert re.search(r'name="remote_staff"[^>]*checked', form)
    assert 'name="employees" value="25"' in form


def test_the_result_links_to_published_posts_about_its_factors(result_page, make_post):
    make_post(slug="advantages-of-managed-services", title="The advantages")
    make_post(slug="pros-and-cons-of-break-fix-and-managed-services", status="draft")
    html = result_page(GROWING_FIRM).content.decode()
    assert 'href="/blog/advantages-of-managed-services/"' in html
    assert "/blog/pros-and-cons-of-break-fix-and-managed-services/" not in html


def test_a_compliance_duty_explains_why_break_fix_was_ruled_out(result_page):
    page = result_page({**MICRO_OFFICE, "compliance": "pci"})
    assert outcome_of(page) == "hybrid"
    assert "plain break/fix is ruled out" in page.content.decode()


def test_an_unknown_or_malformed_permalink_is_not_found(client, db):
    assert client.get(reverse("comparisons:result", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/compare/recommend/not-a-uuid/").status_code == 404


def test_the_result_page_is_kept_out_of_search_engines_and_has_no_inline_code(result_page):
    html = result_page(GROWING_FIRM).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "style=" not in html and "<style" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None


def test_submitting_and_viewing_take_a_constant_few_queries(
    client, make_post, django_assert_max_num_queries
):
    for slug in ("advantages-of-managed-services", "understanding-it-service-models-x"):
        make_post(slug=slug)
    # The assumptions, then the sender's count this hour and the insert under the sender's
    # lock: a transaction (a savepoint and its release here, inside the test's transaction)
    # and, on PostgreSQL, the advisory lock itself.
    with django_assert_max_num_queries(6):
        response = client.post(FORM, GROWING_FIRM)
    # The versions the page cache keys it on; the result, the matrix rows that name posts,
    # those posts.
    with django_assert_max_num_queries(4):
        assert client.get(response["Location"]).status_code == 200
    # A stored result never changes: its JSON is kept under its address alone.
    with django_assert_max_num_queries(1):
        assert client.get(response["Location"].rstrip("/") + ".json").status_code == 200
    with django_assert_max_num_queries(1):  # the versions; the form reads nothing else
        assert client.get(FORM).status_code == 200


# --- No input is a server error -------------------------------------------------------------

any_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "-1", "0", "1e3", "1E-7", "0e999999", "NaN", "Infinity", "1" * 400]),
)
field_values = st.fixed_dictionaries({}, optional={name: any_text for name in GROWING_FIRM})


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(odd=field_values, from_valid=st.booleans(), by_post=st.booleans())
def test_no_answer_ever_causes_a_server_error(client, db, odd, from_valid, by_post):
    # Starting from a valid submission half the time lets one odd value reach the engine.
    answers = {**GROWING_FIRM, **odd} if from_valid else odd
    response = client.post(FORM, answers) if by_post else client.get(FORM, answers)
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert client.get(response["Location"]).status_code == 200


# --- Saved results are limited per network --------------------------------------------------


def test_a_network_over_the_hourly_limit_gets_its_answers_back_and_nothing_is_saved(
    client, settings, db
):
    settings.COMPARISONS_MAX_SAVED_PER_HOUR = 2
    for _ in range(2):
        assert client.post(FORM, GROWING_FIRM).status_code == 302
    refused = client.post(FORM, GROWING_FIRM)
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    html = refused.content.decode()
    assert "Please try again a little later" in html
    assert 'name="employees" value="25"' in html and 'name="devices" value="30"' in html
    assert Recommendation.objects.count() == 2


def test_another_network_is_not_held_back_by_the_limit(client, settings, db):
    settings.COMPARISONS_MAX_SAVED_PER_HOUR = 1
    assert client.post(FORM, GROWING_FIRM, REMOTE_ADDR="198.51.100.1").status_code == 302
    assert client.post(FORM, GROWING_FIRM, REMOTE_ADDR="198.51.100.1").status_code == 429
    assert client.post(FORM, GROWING_FIRM, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_saved_result_keeps_only_a_keyed_hash_of_the_senders_address(client, db):
    client.post(FORM, GROWING_FIRM, REMOTE_ADDR="198.51.100.7")
    stored = Recommendation.objects.get().ip_hash
    assert len(stored) == 64 and "198.51.100.7" not in stored


def test_servers_given_under_refine_are_priced_in_the_managed_fee(client, result_page):
    result_page(GROWING_FIRM)
    result_page({**GROWING_FIRM, "servers": "2"})
    without, with_servers = (
        r.result["costs"]["managed"]["typical_month"]["fees"]
        for r in Recommendation.objects.order_by("created_at")
    )
    assert with_servers - without == 2 * 185
    form = client.get(FORM, {**GROWING_FIRM, "servers": "2"}).content.decode()
    assert '<details class="recommend-refine" open>' in form


def test_the_refine_answers_are_optional_and_checked(submit):
    assert submit({**GROWING_FIRM, "servers": ""}).status_code == 302
    refused = submit({**GROWING_FIRM, "servers": "-1"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert 'id="id_servers_error"' in html or "error_1_id_servers" in html
    assert '<details class="recommend-refine" open>' in html


def test_how_cards_are_taken_is_asked_under_refine_and_changes_the_advice(result_page):
    terminals = {**MICRO_OFFICE, "compliance": "pci", "card_payments": "outsourced"}
    html = result_page(terminals).content.decode()
    assert outcome_of_html(html) == "break_fix"
    assert "SAQ B, B-IP, P2PE or A" in html
    assert "Only standalone or P2PE card terminals, or a hosted checkout page" in html
    unknown = result_page({**MICRO_OFFICE, "compliance": "pci"}).content.decode()
    assert outcome_of_html(unknown) == "hybrid" and "say so under Refine" in unknown
    assert "Not sure, or no card payments" in unknown  # the answer as asked


def test_the_options_are_listed_least_managed_first_on_every_database(result_page):
    html = result_page(GROWING_FIRM).content.decode()
    table = html[html.index('class="table result-costs"') :]
    assert re.findall(r'data-option="(\w+)"', table)[:4] == [
        "break_fix",
        "hybrid",
        "managed",
        "in_house",
    ]
