"""Specification of the recommendation engine (comparisons/engine.py), tested directly.

One test per rule of docs/recommendation-rules.md, the outcome and confidence logic, then
properties checked by hypothesis over every valid profile: the engine is total, a higher
downtime cost or incident rate never moves the advice away from managed services, and a
compliance duty never yields break/fix.
"""

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comparisons import engine
from comparisons.engine import MANAGED_RANK, Profile, recommend
from tests.shared_data import PUBLISHED, assumption_sets

MICRO_OFFICE = Profile(
    employees=2,
    devices=3,
    in_house_it="none",
    downtime_cost_per_hour=50,
    incidents_per_month=Decimal("0.2"),
    compliance="none",
    budget_priority="lowest_upfront",
    growth="stable",
    remote_staff=False,
)
GROWING_FIRM = Profile(
    employees=25,
    devices=30,
    in_house_it="none",
    downtime_cost_per_hour=1000,
    incidents_per_month=Decimal(3),
    compliance="none",
    budget_priority="predictable",
    growth="growing",
    remote_staff=True,
)


def factor(profile, key):
    return next(f for f in recommend(profile, PUBLISHED).factors if f.key == key)


# --- Outcomes -------------------------------------------------------------------------------


def test_a_micro_office_with_rare_problems_is_advised_break_fix():
    result = recommend(MICRO_OFFICE, PUBLISHED)
    assert result.outcome == "break_fix"
    assert result.confidence_label == "high"


def test_a_growing_firm_with_many_devices_and_remote_staff_is_advised_managed_services():
    result = recommend(GROWING_FIRM, PUBLISHED)
    assert result.outcome == "managed"
    assert result.score > 0


@pytest.mark.parametrize("in_house_it", ["part_time", "full_time"])
def test_own_it_staff_with_substantial_needs_are_advised_co_managed(in_house_it):
    result = recommend(replace(GROWING_FIRM, in_house_it=in_house_it), PUBLISHED)
    assert result.outcome == "co_managed"


def test_own_it_staff_with_small_needs_keep_break_fix_as_a_backstop():
    result = recommend(replace(MICRO_OFFICE, in_house_it="full_time"), PUBLISHED)
    assert result.outcome == "break_fix"


@pytest.mark.parametrize("duty", ["hipaa", "pci", "other"])
def test_a_compliance_duty_rules_out_break_fix_even_for_a_micro_office(duty):
    result = recommend(replace(MICRO_OFFICE, compliance=duty), PUBLISHED)
    assert result.outcome == "managed"
    assert result.overridden_by == "compliance"
    assert result.confidence_label == "low"
    assert result.notes


def test_a_compliance_duty_with_own_it_staff_points_to_co_managed():
    profile = replace(MICRO_OFFICE, compliance="hipaa", in_house_it="part_time")
    assert recommend(profile, PUBLISHED).outcome == "co_managed"


def test_confidence_grows_as_the_answers_agree_more():
    lukewarm = replace(GROWING_FIRM, remote_staff=False, growth="stable", devices=10)
    assert recommend(lukewarm, PUBLISHED).confidence < recommend(GROWING_FIRM, PUBLISHED).confidence


def test_every_rule_reports_its_contribution_with_a_one_line_reason():
    result = recommend(GROWING_FIRM, PUBLISHED)
    assert [f.rule for f in result.factors] == [f"R{n}" for n in range(1, 11)]
    for item in result.factors:
        assert item.explanation and "\n" not in item.explanation
        assert item.criterion
    assert result.score == pytest.approx(sum(f.points for f in result.factors))


def test_the_result_serialises_to_json_with_costs_and_break_even():
    data = json.loads(json.dumps(recommend(GROWING_FIRM, PUBLISHED).to_dict()))
    assert data["outcome"] == "managed"
    assert set(data["costs"]) == {"break_fix", "managed", "co_managed"}
    assert data["break_even_incidents_per_month"] == "1.26"
    assert len(data["factors"]) == 10


# --- One test per rule ----------------------------------------------------------------------


def test_r1_no_compliance_duty_pushes_neither_way():
    assert factor(MICRO_OFFICE, "compliance").points == 0


def test_r1_a_compliance_duty_pushes_towards_managed_and_names_the_regulation():
    item = factor(replace(MICRO_OFFICE, compliance="hipaa"), "compliance")
    assert item.points > 0
    assert "HIPAA" in item.explanation and "business associate" in item.explanation


@pytest.mark.parametrize(
    ("cost", "points"),
    [(0, -1), (99, -1), (100, 0), (499, 0), (500, 1), (1999, 1), (2000, 2), (10_000, 3)],
)
def test_r2_a_costlier_hour_of_downtime_pushes_harder_towards_managed(cost, points):
    item = factor(replace(MICRO_OFFICE, downtime_cost_per_hour=cost), "downtime_cost")
    assert item.points == points
    assert f"${cost:,}" in item.explanation


@pytest.mark.parametrize(
    ("people", "points"), [(1, -2), (3, -2), (4, -1), (9, -1), (10, 1), (49, 1), (50, 2)]
)
def test_r3_micro_businesses_lean_break_fix_and_larger_ones_managed(people, points):
    assert factor(replace(MICRO_OFFICE, employees=people), "employees").points == points


def test_r3_says_person_for_one_person():
    assert factor(replace(MICRO_OFFICE, employees=1), "employees").explanation.startswith(
        "1 person using IT"
    )


@pytest.mark.parametrize(
    ("devices", "points"), [(0, -1), (5, -1), (6, 0), (24, 0), (25, 1), (99, 1), (100, 2)]
)
def test_r4_very_few_devices_lean_break_fix_and_many_lean_managed(devices, points):
    assert factor(replace(MICRO_OFFICE, devices=devices), "devices").points == points


@pytest.mark.parametrize(
    ("rate", "points"),
    [("0", -1.5), ("0.49", -1.5), ("0.5", 0), ("1.99", 0), ("2", 1), ("4.99", 1), ("5", 2)],
)
def test_r5_rare_incidents_lean_break_fix_and_frequent_ones_managed(rate, points):
    item = factor(replace(MICRO_OFFICE, incidents_per_month=Decimal(rate)), "incidents")
    assert item.points == points


def test_r6_wanting_predictable_bills_pushes_towards_managed():
    item = factor(replace(MICRO_OFFICE, budget_priority="predictable"), "budget_priority")
    assert item.points > 0
    assert item.criterion == "cost-predictability"


def test_r6_paying_only_when_something_breaks_pushes_towards_break_fix():
    item = factor(MICRO_OFFICE, "budget_priority")
    assert item.points < 0
    assert item.criterion == "upfront-cost"


@pytest.mark.parametrize(("growth", "sign"), [("shrinking", -1), ("stable", 0), ("growing", 1)])
def test_r7_growth_pushes_towards_managed_and_shrinking_away(growth, sign):
    points = factor(replace(MICRO_OFFICE, growth=growth), "growth").points
    assert (points > 0) - (points < 0) == sign


def test_r8_remote_staff_push_towards_managed():
    assert factor(replace(MICRO_OFFICE, remote_staff=True), "remote_staff").points > 0
    assert factor(MICRO_OFFICE, "remote_staff").points == 0


@pytest.mark.parametrize("in_house_it", ["none", "part_time", "full_time"])
def test_r9_own_it_staff_choose_the_managed_option_without_changing_the_score(in_house_it):
    assert factor(replace(GROWING_FIRM, in_house_it=in_house_it), "in_house_it").points == 0


def test_r10_a_cheaper_managed_option_pushes_towards_managed_within_its_cap():
    item = factor(GROWING_FIRM, "annual_cost")
    assert item.points == 2  # the $62,550 gap is far beyond 25 users x $1,200
    assert "$62,550" in item.explanation and "managed services" in item.explanation


def test_r10_a_cheaper_break_fix_pushes_towards_break_fix_in_proportion():
    item = factor(MICRO_OFFICE, "annual_cost")
    # break/fix $930 against managed $3,744 a year: a $2,814 gap over 2 users x $1,200.
    assert item.points == pytest.approx(-2814 / 2400)
    assert "cheaper with break/fix" in item.explanation


def test_r10_compares_with_co_managed_when_the_business_has_it_staff():
    item = factor(replace(GROWING_FIRM, in_house_it="full_time"), "annual_cost")
    assert "co-managed" in item.explanation


# --- The profile refuses nonsense -----------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"employees": 0},
        {"employees": True},
        {"devices": -1},
        {"downtime_cost_per_hour": -5},
        {"incidents_per_month": Decimal(-1)},
        {"incidents_per_month": Decimal("NaN")},
        {"incidents_per_month": 2.5},
        {"in_house_it": "sometimes"},
        {"compliance": "gdpr"},
        {"budget_priority": "cheap"},
        {"growth": "exploding"},
        {"remote_staff": "yes"},
    ],
)
def test_a_profile_with_an_impossible_answer_is_refused(change):
    with pytest.raises(ValueError):
        replace(MICRO_OFFICE, **change)


def test_a_profile_round_trips_through_its_stored_form():
    assert Profile.from_mapping(json.loads(json.dumps(GROWING_FIRM.to_dict()))) == GROWING_FIRM


# --- Properties over every valid profile ----------------------------------------------------

profiles = st.builds(
    Profile,
    employees=st.integers(1, 100_000),
    devices=st.integers(0, 1_000_000),
    in_house_it=st.sampled_from(engine.IN_HOUSE_IT),
    downtime_cost_per_hour=st.integers(0, 10_000_000),
    incidents_per_month=st.decimals(0, 1000, places=2),
    compliance=st.sampled_from(engine.COMPLIANCE),
    budget_priority=st.sampled_from(engine.BUDGET_PRIORITY),
    growth=st.sampled_from(engine.GROWTH),
    remote_staff=st.booleans(),
)
money = st.decimals(0, 1000, places=2)


@given(profiles, assumption_sets())
def test_the_engine_answers_every_valid_profile(profile, assumptions):
    result = recommend(profile, assumptions)
    assert result.outcome in engine.OUTCOMES
    assert engine.MIN_CONFIDENCE <= result.confidence <= engine.MAX_CONFIDENCE
    assert len(result.factors) == 10
    json.dumps(result.to_dict())


# Mostly the range where the bands change, sometimes anywhere up to the form's limit.
hourly_costs = st.one_of(st.integers(0, 20_000), st.integers(0, 10_000_000))


@given(profiles, assumption_sets(), hourly_costs, hourly_costs)
def test_a_higher_downtime_cost_never_moves_the_advice_away_from_managed(
    profile, assumptions, one, other
):
    low, high = sorted((one, other))
    at_low = recommend(replace(profile, downtime_cost_per_hour=low), assumptions)
    at_high = recommend(replace(profile, downtime_cost_per_hour=high), assumptions)
    assert at_high.score >= at_low.score
    assert MANAGED_RANK[at_high.outcome] >= MANAGED_RANK[at_low.outcome]


@given(profiles, assumption_sets(), st.decimals(0, 1000, places=2))
def test_more_incidents_never_move_the_advice_away_from_managed(profile, assumptions, more):
    fewer = recommend(profile, assumptions)
    extra = recommend(
        replace(profile, incidents_per_month=profile.incidents_per_month + more), assumptions
    )
    assert extra.score >= fewer.score
    assert MANAGED_RANK[extra.outcome] >= MANAGED_RANK[fewer.outcome]


@given(profiles, assumption_sets(), st.sampled_from(["hipaa", "pci", "other"]))
def test_a_compliance_duty_never_yields_break_fix(profile, assumptions, duty):
    without = recommend(replace(profile, compliance="none"), assumptions)
    result = recommend(replace(profile, compliance=duty), assumptions)
    assert result.outcome != "break_fix"
    assert MANAGED_RANK[result.outcome] >= MANAGED_RANK[without.outcome]


@given(profiles, assumption_sets())
def test_the_managed_option_follows_the_business_s_own_it_staff(profile, assumptions):
    outcome = recommend(profile, assumptions).outcome
    assert outcome in {"break_fix", profile.managed_option}
