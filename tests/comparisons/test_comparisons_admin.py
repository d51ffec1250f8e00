"""Specification of the comparisons admin: editing the matrix and assumptions, reviewing
saved recommendations (filters, counts by outcome, CSV export). Driven through the admin
pages with a signed-in superuser, as a site manager would use them.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from comparisons.engine import Profile
from comparisons.models import Assumption, Criterion, Recommendation

CHANGELIST = reverse("admin:comparisons_recommendation_changelist")


def profile(**changes):
    answers = {
        "employees": 25,
        "devices": 30,
        "in_house_it": "none",
        "downtime_cost_per_hour": 1000,
        "incidents_per_month": Decimal(3),
        "compliance": "none",
        "budget_priority": "predictable",
        "growth": "growing",
        "remote_staff": True,
    }
    return Profile(**{**answers, **changes})


@pytest.fixture
def saved(db):
    """Two managed results and one break/fix result."""
    micro = profile(
        employees=2,
        devices=3,
        downtime_cost_per_hour=50,
        incidents_per_month=Decimal("0.2"),
        budget_priority="lowest_upfront",
        growth="stable",
        remote_staff=False,
    )
    return [Recommendation.objects.record(p) for p in (profile(), profile(), micro)]


def test_every_comparisons_admin_page_opens(admin_client, saved):
    for name in ("servicemodel", "criterion", "assessment", "assumption", "recommendation"):
        assert admin_client.get(reverse(f"admin:comparisons_{name}_changelist")).status_code == 200
    criterion = Criterion.objects.first()
    assumption = Assumption.objects.first()
    for url in (
        reverse("admin:comparisons_criterion_change", args=[criterion.pk]),
        reverse("admin:comparisons_assumption_change", args=[assumption.pk]),
        reverse("admin:comparisons_recommendation_change", args=[saved[0].pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_a_criterion_is_edited_with_its_three_assessments_inline(admin_client, db):
    criterion = Criterion.objects.get(slug="control")
    html = admin_client.get(
        reverse("admin:comparisons_criterion_change", args=[criterion.pk])
    ).content.decode()
    assert 'name="assessments-TOTAL_FORMS" value="3"' in html
    assert "No lock-in" in html


def test_the_recommendation_list_counts_results_by_outcome(admin_client, saved):
    html = admin_client.get(CHANGELIST).content.decode()
    assert 'id="outcome-counts"' in html
    assert '<th scope="row">Managed services</th><td>2</td>' in html
    assert '<th scope="row">Break/fix</th><td>1</td>' in html
    assert '<th scope="row">Co-managed</th><td>0</td>' in html


def test_the_counts_follow_the_outcome_filter(admin_client, saved):
    html = admin_client.get(CHANGELIST, {"outcome__exact": "break_fix"}).content.decode()
    assert "(filtered)" in html
    assert '<th scope="row">Managed services</th><td>0</td>' in html
    assert '<th scope="row">Break/fix</th><td>1</td>' in html


def test_the_list_filters_by_outcome_and_date(admin_client, saved):
    html = admin_client.get(CHANGELIST).content.decode()
    assert "By outcome" in html and "By created at" in html


def test_selected_recommendations_export_as_csv(admin_client, saved):
    response = admin_client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [str(r.pk) for r in saved[:2]]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["id"] for row in rows} == {str(r.pk) for r in saved[:2]}
    assert rows[0]["outcome"] == "managed" and rows[0]["employees"] == "25"
    managed = saved[0].result["costs"]["managed"]["three_years"]["typical"]
    assert rows[0]["three_year_cost_managed"] == str(managed)
    assert rows[0]["three_year_cost_hybrid"] and rows[0]["cheapest"]
    by_id = {row["id"]: row for row in rows}
    for result in saved[:2]:
        assert by_id[str(result.pk)]["link"] == settings.SITE_URL + result.get_absolute_url()


def test_saved_recommendations_cannot_be_added_or_altered(admin_client, saved):
    assert admin_client.get(reverse("admin:comparisons_recommendation_add")).status_code == 403
    change = reverse("admin:comparisons_recommendation_change", args=[saved[0].pk])
    admin_client.post(change, {"outcome": "break_fix"})
    saved[0].refresh_from_db()
    assert saved[0].outcome == "managed"


def edit(assumption, **changes):
    """The admin's change form for an assumption, as sent with `changes`."""
    fields = ("label", "value", "low", "high", "unit", "explanation", "source", "source_url")
    return {
        **{name: getattr(assumption, name) for name in fields},
        "order": assumption.order,
        **changes,
    }


def test_an_assumption_edit_is_used_by_the_next_recommendation(admin_client, db):
    fee = Assumption.objects.get(key="msp_fee_per_user_month")
    response = admin_client.post(
        reverse("admin:comparisons_assumption_change", args=[fee.pk]), edit(fee, value="120")
    )
    assert response.status_code == 302
    month = Recommendation.objects.record(profile()).result["costs"]["managed"]["typical_month"]
    assert month["fees"] == 25 * 120  # past the $1,750 minimum


def test_an_assumption_edit_the_cost_model_cannot_use_is_refused_with_a_reason(admin_client, db):
    share = Assumption.objects.get(key="outage_share")
    response = admin_client.post(
        reverse("admin:comparisons_assumption_change", args=[share.pk]),
        edit(share, value="0.5", high="1.5"),
    )
    assert response.status_code == 200
    assert "outage_share is a share: at most 1" in response.content.decode()
    share.refresh_from_db()
    assert share.high == Decimal("0.3")


def test_an_assumption_whose_range_does_not_hold_its_value_is_refused(admin_client, db):
    rate = Assumption.objects.get(key="break_fix_hourly_rate")
    response = admin_client.post(
        reverse("admin:comparisons_assumption_change", args=[rate.pk]), edit(rate, value="300")
    )
    assert response.status_code == 200
    assert "the range must hold the value" in response.content.decode()


def test_assumptions_can_be_neither_added_nor_deleted(admin_client, db):
    fee = Assumption.objects.first()
    assert admin_client.get(reverse("admin:comparisons_assumption_add")).status_code == 403
    delete = reverse("admin:comparisons_assumption_delete", args=[fee.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Assumption.objects.filter(pk=fee.pk).exists()
