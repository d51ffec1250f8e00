"""Specification of a saved result's JSON twin and of recalculating a result with the
reader's own figures, through HTTP as a visitor would."""

import re
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparisons.models import Assumption, Recommendation
from tests.support.recommendation_support import GROWING_FIRM, MICRO_OFFICE, outcome_of

any_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "-1", "0", "1e3", "1E-7", "0e999999", "NaN", "Infinity", "1" * 400]),
)


# --- The JSON twin ----------------------------------------------------------------------------


def test_every_result_has_a_json_twin_made_from_the_same_stored_result(client, result_page):
    page = result_page(GROWING_FIRM)
    saved = Recommendation.objects.get()
    data = client.get(f"/compare/recommend/{saved.pk}.json").json()
    assert data["outcome"] == outcome_of(page) == saved.outcome
    assert data["confidence"] in {"high", "medium", "low"}
    assert set(data["costs"]) == {"break_fix", "hybrid", "managed"}
    cheapest = min(data["costs"], key=lambda key: data["costs"][key]["three_years"]["typical"])
    assert data["cheapest"] == cheapest
    assert (data["tradeoff"] is None) == (data["outcome"] == data["cheapest"])
    for cost in data["costs"].values():
        assert set(cost["first_year"]) == set(cost["three_years"]) == {"low", "typical", "high"}
        assert f"${cost['three_years']['typical']:,}" in page.content.decode()
    for key in ("reasons", "warnings", "would_change", "questions"):
        assert isinstance(data[key], list)
    assert {row["key"] for row in data["assumptions"]} == set(
        Assumption.objects.values_list("key", flat=True)
    )
    for row in data["assumptions"]:
        assert {"name", "value", "low", "high", "source_url"} <= set(row)
    assert data["url"].endswith(saved.get_absolute_url())


def test_an_unknown_json_twin_is_not_found(client, db):
    assert client.get(f"/compare/recommend/{uuid.uuid4()}.json").status_code == 404


# --- Adjusting the assumptions ----------------------------------------------------------------


def adjust_form_values(html):
    """The adjust form's fields as the page pre-fills them."""
    form = html[html.index('id="assumptions-form"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))


def test_adjusting_an_assumption_saves_a_new_result_and_leaves_the_old_one(client, result_page):
    page = result_page(MICRO_OFFICE)
    original = Recommendation.objects.get()
    values = adjust_form_values(page.content.decode())
    assert values["break_fix_hourly_rate"] == "150"
    values.pop("csrfmiddlewaretoken", None)
    response = client.post(
        f"/compare/recommend/{original.pk}/adjust/", {**values, "break_fix_hourly_rate": "400"}
    )
    assert response.status_code == 302
    adjusted = Recommendation.objects.exclude(pk=original.pk).get()
    assert response["Location"] == adjusted.get_absolute_url()
    assert adjusted.inputs == original.inputs
    used = {row["key"]: row for row in adjusted.result["assumptions"]}
    assert used["break_fix_hourly_rate"]["value"] == "400"
    assert used["break_fix_hourly_rate"]["adjusted"] is True
    assert used["break_fix_hourly_rate"]["high"] == "400"  # the range holds the new figure
    old_cost = original.result["costs"]["break_fix"]["three_years"]["typical"]
    assert adjusted.result["costs"]["break_fix"]["three_years"]["typical"] > old_cost
    html = client.get(response["Location"]).content.decode()
    assert "yours" in html and "You set 1 of them yourself" in html
    assert Recommendation.objects.get(pk=original.pk).result == original.result


def test_a_bad_figure_is_reported_on_its_field_and_every_figure_is_kept(client, result_page):
    page = result_page(MICRO_OFFICE)
    original = Recommendation.objects.get()
    values = adjust_form_values(page.content.decode())
    values.pop("csrfmiddlewaretoken", None)
    response = client.post(
        f"/compare/recommend/{original.pk}/adjust/",
        {**values, "outage_share": "1.5", "break_fix_hourly_rate": "lots", "staff_hour_cost": "77"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please check 2 figures" in html
    assert 'id="id_outage_share_error"' in html or "error_1_id_outage_share" in html
    assert 'value="lots"' in html and 'value="77"' in html
    assert Recommendation.objects.count() == 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    odd=st.dictionaries(st.sampled_from(["outage_share", "break_fix_hourly_rate", "x"]), any_text)
)
def test_no_adjustment_ever_causes_a_server_error(client, db, odd):
    original = Recommendation.objects.record(engine_profile())
    response = client.post(f"/compare/recommend/{original.pk}/adjust/", odd)
    assert response.status_code in {200, 302}


def engine_profile():
    from comparisons.forms import RecommendationForm

    form = RecommendationForm(GROWING_FIRM)
    assert form.is_valid()
    return form.profile()


def test_an_adjustment_over_the_hourly_limit_keeps_the_figures_typed(client, settings, db):
    original = Recommendation.objects.record(engine_profile())
    settings.COMPARISONS_MAX_SAVED_PER_HOUR = 0
    values = {row["key"]: row["value"] for row in original.result["assumptions"]}
    response = client.post(
        f"/compare/recommend/{original.pk}/adjust/", {**values, "staff_hour_cost": "41"}
    )
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert 'value="41"' in response.content.decode()
    assert Recommendation.objects.count() == 1
