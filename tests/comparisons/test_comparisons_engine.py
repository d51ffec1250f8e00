"""Specification of the recommendation engine (comparisons/engine.py), tested directly.

One test per rule of docs/recommendation-rules.md and per part of the explanation, then
properties checked by hypothesis over every valid profile and any consistent assumptions:
the advice never moves away from managed services as downtime, problems, compliance duties
or headcount grow (except to hybrid, with the reason shown); `tradeoff` is there exactly
when the advice is not the cheapest option; and every sentence of "what would change this
answer" is true when tried.
"""

import json
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comparisons import engine
from comparisons.engine import MANAGED_RANK, Profile, recommend
from tests.support.shared_data import PUBLISHED, assumption_sets

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


def advice(profile, assumptions=PUBLISHED):
    return recommend(profile, assumptions)


def rules(result):
    return [reason.rule for reason in result.reasons]


# --- Outcomes -------------------------------------------------------------------------------


def test_a_micro_office_with_rare_cheap_problems_is_advised_break_fix_with_high_confidence():
    result = advice(MICRO_OFFICE)
    assert result.outcome == result.cheapest == "break_fix"
    assert result.tradeoff is None
    assert result.confidence == "high"


def test_a_one_person_firm_whose_downtime_costs_millions_is_advised_managed_services():
    result = advice(replace(MICRO_OFFICE, employees=1, downtime_cost_per_hour=10_000_000))
    assert result.outcome == result.cheapest == "managed"
    assert any("more than $5,000" in warning for warning in result.warnings)


def test_one_or_two_people_with_the_same_answers_get_the_same_advice():
    one = advice(replace(MICRO_OFFICE, employees=1, devices=2))
    two = advice(replace(MICRO_OFFICE, employees=2, devices=2))
    assert one.outcome == two.outcome
    assert one.costs["managed"].three_years == two.costs["managed"].three_years


def test_a_growing_firm_with_frequent_costly_problems_is_advised_managed_services():
    result = advice(GROWING_FIRM)
    assert result.outcome == "managed"
    assert "R3" in rules(result)  # 25 people: plain break/fix is not weighed


@pytest.mark.parametrize("in_house_it", ["part_time", "full_time"])
def test_own_it_staff_make_the_managed_option_co_managed(in_house_it):
    result = advice(replace(GROWING_FIRM, in_house_it=in_house_it))
    assert result.outcome == "co_managed"
    assert set(result.costs) == {"break_fix", "hybrid", "co_managed"}
    assert "R4" in rules(result)


def test_co_managed_is_never_offered_without_it_staff():
    assert "co_managed" not in advice(GROWING_FIRM).costs


@pytest.mark.parametrize("duty", ["hipaa", "pci", "other"])
def test_a_compliance_duty_without_it_staff_rules_out_plain_break_fix(duty):
    result = advice(replace(MICRO_OFFICE, compliance=duty))
    assert result.outcome == "hybrid"
    assert result.cheapest == "break_fix"
    assert "R2" in rules(result)
    assert "patching on a schedule" in result.tradeoff
    assert "$" in result.tradeoff  # both figures in the sentence


def test_card_payments_through_terminals_or_a_hosted_checkout_leave_break_fix_possible():
    result = advice(replace(MICRO_OFFICE, compliance="pci", card_payments="outsourced"))
    assert result.outcome == "break_fix"
    assert any("SAQ B, B-IP, P2PE or A" in r.text for r in result.reasons if r.rule == "R2")
    assert any("PCI DSS 6.3.3" in q for q in result.questions)


def test_card_payments_of_unknown_scope_rule_break_fix_out_and_say_how_to_refine():
    result = advice(replace(MICRO_OFFICE, compliance="pci"))
    assert result.outcome == "hybrid"
    assert any("say so under Refine" in r.text for r in result.reasons)
    own = advice(replace(MICRO_OFFICE, compliance="pci", card_payments="own_systems"))
    assert own.outcome == "hybrid"
    assert not any("say so under Refine" in r.text for r in own.reasons)


def test_a_clear_compliance_case_is_reported_with_high_confidence():
    assert advice(replace(MICRO_OFFICE, compliance="hipaa")).confidence == "high"


def test_own_it_staff_can_meet_a_compliance_duty_with_break_fix_as_backstop():
    result = advice(replace(MICRO_OFFICE, compliance="pci", in_house_it="full_time"))
    assert result.outcome == "break_fix"
    reason = next(r for r in result.reasons if r.rule == "R2")
    assert "Your own IT staff" in reason.text


def test_ten_people_are_past_the_size_at_which_break_fix_is_weighed():
    nine = advice(replace(MICRO_OFFICE, employees=9, devices=10))
    ten = advice(replace(MICRO_OFFICE, employees=10, devices=10))
    assert nine.outcome == "break_fix"
    assert ten.outcome == "hybrid" and "R3" in rules(ten)
    assert "with 10 people no source calls plain break/fix viable" in ten.tradeoff


# Eight people, some problems: break/fix is a little cheaper than managed services, but
# predictable bills, growth and remote staff count for managed services.
CLOSE_CALL = replace(
    GROWING_FIRM,
    employees=8,
    devices=10,
    incidents_per_month=Decimal("2.5"),
    downtime_cost_per_hour=400,
)


def test_a_stated_preference_can_outweigh_a_small_cost_gap_and_says_so():
    result = advice(CLOSE_CALL)
    assert result.outcome == "managed" and result.cheapest != "managed"
    assert "your preferences" in result.tradeoff
    assert {"R5", "R6", "R7"} <= set(rules(result))


def test_cost_decides_when_the_gap_is_large():
    profile = replace(MICRO_OFFICE, budget_priority="predictable", growth="growing")
    result = advice(profile)
    assert result.outcome == "break_fix"  # managed costs about ten times as much here


def test_a_near_even_case_is_reported_with_low_or_medium_confidence_and_why():
    result = advice(CLOSE_CALL)
    assert result.confidence in {"low", "medium"}
    assert "change" in result.confidence_reason


def test_the_result_serialises_to_json_with_ranges_for_every_option():
    data = json.loads(json.dumps(advice(GROWING_FIRM).to_dict()))
    assert data["version"] == 2 and data["outcome"] == "managed"
    assert set(data["costs"]) == {"break_fix", "hybrid", "managed"}
    for cost in data["costs"].values():
        for span in ("first_year", "three_years"):
            assert cost[span]["low"] <= cost[span]["typical"] <= cost[span]["high"]
    assert data["confidence"] in {"high", "medium", "low"}
    assert data["reference"]["in_house"]["three_years"]["typical"] > 0


# --- Explanations true for the profile ------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"employees": 800, "devices": 900}, "small or midsize"),
        ({"devices": 0}, "no devices"),
        ({"employees": 1, "devices": 1000}, "more than ten each"),
        ({"downtime_cost_per_hour": 0}, "costs nothing"),
        ({"incidents_per_month": Decimal(20)}, "two problems a month"),
    ],
)
def test_an_implausible_answer_gets_a_warning(change, words):
    assert any(words in warning for warning in advice(replace(MICRO_OFFICE, **change)).warnings)


def test_a_plausible_profile_gets_no_warning():
    assert advice(MICRO_OFFICE).warnings == () and advice(GROWING_FIRM).warnings == ()


def test_what_would_change_gives_the_break_even_points():
    changes = advice(MICRO_OFFICE).would_change
    assert any(re.match(r"At [\d.]+ problems a month or more, \w", line) for line in changes)
    assert any(line.startswith("With 10 people or more, hybrid") for line in changes)
    assert any("compliance duty" in line for line in changes)


def test_the_questions_to_ask_fit_the_profile():
    hipaa = advice(replace(MICRO_OFFICE, compliance="hipaa")).questions
    assert any("business associate agreement" in q for q in hipaa)
    assert any("multi-factor" in q for q in hipaa)  # cyber insurance, always
    assert not any("PCI DSS" in q for q in hipaa)
    plain = advice(MICRO_OFFICE).questions
    assert any("minimum time you bill" in q for q in plain)
    assert not any("business associate" in q for q in plain)
    managed = advice(GROWING_FIRM).questions
    assert any("notice" in q for q in managed) and any("passwords" in q for q in managed)


# --- The profile refuses nonsense -----------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"employees": 0},
        {"employees": True},
        {"devices": -1},
        {"servers": -1},
        {"downtime_cost_per_hour": -5},
        {"incidents_per_month": Decimal(-1)},
        {"incidents_per_month": Decimal("NaN")},
        {"incidents_per_month": 2.5},
        {"in_house_it": "sometimes"},
        {"compliance": "gdpr"},
        {"budget_priority": "cheap"},
        {"growth": "exploding"},
        {"remote_staff": "yes"},
        {"card_payments": "cash"},
    ],
)
def test_a_profile_with_an_impossible_answer_is_refused(change):
    with pytest.raises(ValueError):
        replace(MICRO_OFFICE, **change)


def test_a_profile_round_trips_through_its_stored_form_and_old_answers_have_no_servers():
    assert Profile.from_mapping(json.loads(json.dumps(GROWING_FIRM.to_dict()))) == GROWING_FIRM
    stored = GROWING_FIRM.to_dict()
    del stored["servers"]
    assert Profile.from_mapping(stored).servers == 0


# --- Properties over every valid profile ----------------------------------------------------

profiles = st.builds(
    Profile,
    employees=st.one_of(st.integers(1, 30), st.integers(1, 100_000)),
    devices=st.integers(0, 5_000),
    in_house_it=st.sampled_from(engine.IN_HOUSE_IT),
    downtime_cost_per_hour=st.one_of(st.integers(0, 5_000), st.integers(0, 10_000_000)),
    incidents_per_month=st.decimals(0, 50, places=2),
    compliance=st.sampled_from(engine.COMPLIANCE),
    budget_priority=st.sampled_from(engine.BUDGET_PRIORITY),
    growth=st.sampled_from(engine.GROWTH),
    remote_staff=st.booleans(),
    servers=st.integers(0, 20),
    card_payments=st.sampled_from(engine.CARD_PAYMENTS),
)
any_assumptions = st.one_of(st.just(PUBLISHED), assumption_sets())


def never_less_managed(before, after):
    return MANAGED_RANK[after.outcome] >= MANAGED_RANK[before.outcome]


@given(profiles, any_assumptions)
def test_the_engine_answers_every_valid_profile_with_an_explained_result(profile, assumptions):
    result = advice(profile, assumptions)
    assert result.outcome in engine.OUTCOMES and result.outcome in result.costs
    assert result.confidence in {"high", "medium", "low"} and result.confidence_reason
    assert (result.tradeoff is None) == (result.outcome == result.cheapest)
    cheapest = min(result.costs.values(), key=lambda cost: cost.three_years.typical)
    assert result.costs[result.cheapest].three_years.typical == cheapest.three_years.typical
    assert rules(result)[0] == "R1"
    json.dumps(result.to_dict())


@given(profiles, any_assumptions, st.integers(0, 10_000_000))
def test_a_higher_downtime_cost_never_moves_the_advice_away_from_managed(
    profile, assumptions, more
):
    higher = replace(profile, downtime_cost_per_hour=profile.downtime_cost_per_hour + more)
    assert never_less_managed(advice(profile, assumptions), advice(higher, assumptions))


@given(profiles, any_assumptions, st.decimals(0, 100, places=2))
def test_more_problems_never_move_the_advice_away_from_managed(profile, assumptions, more):
    extra = replace(profile, incidents_per_month=profile.incidents_per_month + more)
    assert never_less_managed(advice(profile, assumptions), advice(extra, assumptions))


@given(profiles, any_assumptions, st.sampled_from(["hipaa", "pci", "other"]))
def test_a_compliance_duty_never_moves_the_advice_away_from_managed(profile, assumptions, duty):
    without = advice(replace(profile, compliance="none"), assumptions)
    with_duty = advice(replace(profile, compliance=duty), assumptions)
    assert never_less_managed(without, with_duty)
    if not profile.has_it_staff and replace(profile, compliance=duty).needs_scheduled_patching:
        assert with_duty.outcome != "break_fix"


@given(profiles, any_assumptions, st.integers(1, 1000))
def test_more_people_never_move_the_advice_towards_break_fix_and_leave_managed_only_for_hybrid(
    profile, assumptions, more
):
    before = advice(profile, assumptions)
    after = advice(replace(profile, employees=profile.employees + more), assumptions)
    if never_less_managed(before, after):
        return
    # Per-user fees grow with headcount: the one way out of a managed plan is hybrid, and
    # the result shows why (it costs less, or a stated preference counts for it).
    assert after.outcome == "hybrid" and MANAGED_RANK[before.outcome] == 2
    option = profile.managed_option
    cheaper = after.costs["hybrid"].three_years.typical < after.costs[option].three_years.typical
    assert cheaper or {"R6", "R7"} & set(rules(after))


@given(profiles, any_assumptions)
def test_every_what_would_change_sentence_is_true_when_tried(profile, assumptions):
    result = advice(profile, assumptions)
    names = {
        "break/fix": "break_fix",
        "hybrid": "hybrid",
        "managed services": "managed",
        "co-managed": "co_managed",
    }
    for line in result.would_change:
        match = re.match(r"At ([\d.]+) problems a month or (more|fewer), (.+) would fit", line)
        if match:
            tried = replace(profile, incidents_per_month=Decimal(match.group(1)))
            assert advice(tried, assumptions).outcome == names[match.group(3)]
        match = re.match(r"If an hour offline cost \$([\d,]+) or (more|less), (.+) would fit", line)
        if match:
            tried = replace(profile, downtime_cost_per_hour=int(match.group(1).replace(",", "")))
            assert advice(tried, assumptions).outcome == names[match.group(3)]
        match = re.match(r"With ([\d,]+) (?:person|people) or (more|fewer), (.+) would fit", line)
        if match:
            tried = replace(profile, employees=int(match.group(1).replace(",", "")))
            assert advice(tried, assumptions).outcome == names[match.group(3)]


@given(profiles)
def test_every_reason_shown_comes_from_a_rule_that_fired_for_these_answers(profile):
    result = advice(profile)
    fired = set(rules(result))
    assert ("R2" in fired) == (profile.compliance != "none")
    if any("say so under Refine" in reason.text for reason in result.reasons):
        assert profile.compliance == "pci" and profile.card_payments == "unknown"
    assert ("R4" in fired) == profile.has_it_staff
    assert ("R6" in fired) == (profile.growth != "stable")
    assert ("R7" in fired) == profile.remote_staff
    if "R3" in fired:
        assert profile.employees >= 10
        assert not profile.needs_scheduled_patching or profile.has_it_staff
