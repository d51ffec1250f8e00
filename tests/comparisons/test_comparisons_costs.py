"""Specification of the cost model (comparisons/costs.py), tested directly.

Each option's formula is worked by hand with the published figures of
comparisons/seed/assumptions.yaml (docs/recommendation-rules.md lists them with their
sources), then hypothesis checks properties over any consistent set of assumptions: no
cost is negative, every range holds its typical figure, and the more managed an option,
the more slowly its cost rises with problems and downtime.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comparisons import costs
from comparisons.costs import BREAK_FIX, CO_MANAGED, HYBRID, IN_HOUSE, MANAGED, Business
from tests.support.shared_data import PUBLISHED, SEED_ROWS, assumption_sets, with_typical

TYPICAL = PUBLISHED.values()
TEN_PEOPLE = Business(
    users=10,
    devices=15,
    servers=0,
    problems_per_month=Decimal(2),
    downtime_cost_per_hour=Decimal(500),
)


def month(option, business=TEN_PEOPLE, values=TYPICAL):
    return costs.monthly_cost(option, business, values)


def test_the_published_set_is_complete_sourced_and_ranged():
    assert [row["key"] for row in SEED_ROWS] == list(costs.ASSUMPTION_KEYS)
    for row in SEED_ROWS:
        assert row["source_url"].startswith("https://"), row["key"]
        assert row["source"] and row["explanation"] and row["unit"]
        assert Decimal(row["low"]) <= Decimal(row["value"]) <= Decimal(row["high"])


def test_a_break_fix_call_bills_the_minimum_or_the_work_after_hours_and_the_trip():
    # $150 x max(1 h minimum, 1.25 h of work) x (1 + 10 % of calls x 0.5 extra) + $50 trip
    assert costs.call_out_charge(TYPICAL) == Decimal("246.875")
    slower = {**TYPICAL, "technician_hours_per_incident": Decimal("0.5")}
    assert costs.call_out_charge(slower) == Decimal(150) * Decimal("1.05") + 50  # the minimum


def test_break_fix_pays_per_call_buys_its_own_security_tools_and_waits_for_a_technician():
    cost = month(BREAK_FIX)
    assert cost.fees == 2 * Decimal("246.875")
    assert cost.tools == 15 * 10
    # 0.4 outages x (6 h + 4 h wait) x $500 + 1.6 single-person problems x (4 h + 4 h) x $33
    assert cost.downtime == Decimal("0.4") * 10 * 500 + Decimal("1.6") * 8 * 33


def test_hybrid_is_a_security_plan_per_device_plus_the_same_hours():
    cost = month(HYBRID)
    assert cost.fees == 2 * Decimal("246.875") + 15 * 25
    assert cost.tools == 0
    assert cost.downtime == month(BREAK_FIX).downtime  # no credit for prevention by default


def test_managed_charges_the_providers_minimum_until_per_user_fees_pass_it():
    assert month(MANAGED).fees == 1750  # 10 x $150 is under the $1,750 minimum
    bigger = Business(30, 40, 2, Decimal(2), Decimal(500))
    assert month(MANAGED, bigger).fees == 30 * 150 + 2 * 185
    # Fixed within published service levels: 6 h outages, 4 h for one person, no wait.
    assert month(MANAGED).downtime == Decimal("0.4") * 6 * 500 + Decimal("1.6") * 4 * 33


def test_onboarding_is_charged_once_at_1_2_months_of_fee():
    assert costs.one_time_cost(MANAGED, TEN_PEOPLE, TYPICAL) == Decimal("1.2") * 1750
    assert costs.one_time_cost(BREAK_FIX, TEN_PEOPLE, TYPICAL) == 0
    assert costs.one_time_cost(HYBRID, TEN_PEOPLE, TYPICAL) == 0


def test_co_managed_is_half_the_managed_fee_with_the_same_service_levels():
    assert month(CO_MANAGED).fees == Decimal("0.5") * 1750
    assert month(CO_MANAGED).downtime == month(MANAGED).downtime


def test_an_in_house_technician_is_the_bls_median_pay_with_overheads():
    assert month(IN_HOUSE).total == Decimal(60340) * Decimal("1.4") / 12


def test_one_person_stuck_never_costs_more_than_the_business_says_an_hour_costs():
    cheap_hour = Business(10, 15, 0, Decimal(1), Decimal(10))
    cost = month(MANAGED, cheap_hour)
    assert cost.downtime == Decimal("0.2") * 6 * 10 + Decimal("0.8") * 4 * 10


def test_prevention_lowers_monitored_options_only():
    values = with_typical(prevented_share="0.3").values()
    assert month(BREAK_FIX, values=values) == month(BREAK_FIX)
    assert month(HYBRID, values=values).downtime == Decimal("0.7") * month(HYBRID).downtime
    assert month(MANAGED, values=values).downtime == Decimal("0.7") * month(MANAGED).downtime


def test_first_year_and_three_years_count_onboarding_once():
    estimate = costs.estimate(MANAGED, TEN_PEOPLE, PUBLISHED)
    monthly = month(MANAGED).total
    assert estimate.first_year.typical == 12 * monthly + Decimal("2100")
    assert estimate.three_years.typical == 36 * monthly + Decimal("2100")


def test_a_range_runs_from_every_figure_at_its_cheap_end_to_every_figure_at_its_dear_end():
    estimate = costs.estimate(HYBRID, TEN_PEOPLE, PUBLISHED)
    cheap = costs.monthly_cost(HYBRID, TEN_PEOPLE, PUBLISHED.values("low"))
    dear = costs.monthly_cost(HYBRID, TEN_PEOPLE, PUBLISHED.values("high"))
    assert estimate.monthly.low == cheap.total and estimate.monthly.high == dear.total
    # Prevention lowers costs, so its high end belongs to the cheap scenario.
    assert PUBLISHED.values("low")["prevented_share"] == Decimal("0.3")
    assert estimate.to_dict()["three_years"]["low"] < estimate.to_dict()["three_years"]["high"]


def test_an_adjusted_figure_widens_its_range_to_hold_it():
    adjusted = with_typical(break_fix_hourly_rate=400)
    figure = adjusted.figures["break_fix_hourly_rate"]
    assert (figure.low, figure.value, figure.high) == (125, 400, 400)


@pytest.mark.parametrize(
    ("key", "low", "value", "high"),
    [
        ("outage_share", "0", "1.5", "2"),
        ("after_hours_multiplier", "0.5", "0.5", "1"),
        ("break_fix_hourly_rate", "200", "150", "250"),
        ("msp_fee_per_user_month", "-1", "-1", "1"),
        ("msp_fee_per_user_month", "NaN", "1", "1"),
    ],
)
def test_an_impossible_figure_is_refused_with_its_name(key, low, value, high):
    rows = {row["key"]: row for row in SEED_ROWS}
    rows[key] = {"value": value, "low": low, "high": high}
    with pytest.raises(costs.InvalidAssumptions, match=key):
        costs.Assumptions.from_mapping(rows)


def test_a_missing_figure_is_refused():
    rows = {row["key"]: row for row in SEED_ROWS[1:]}
    with pytest.raises(costs.InvalidAssumptions, match="Missing assumptions"):
        costs.Assumptions.from_mapping(rows)


# --- Properties over any consistent set ------------------------------------------------------

businesses = st.builds(
    Business,
    users=st.integers(1, 100_000),
    devices=st.integers(0, 1_000_000),
    servers=st.integers(0, 10_000),
    problems_per_month=st.decimals(0, 1000, places=2),
    downtime_cost_per_hour=st.decimals(0, 10_000_000, places=0),
)


@given(st.sampled_from([*costs.OPTIONS, IN_HOUSE]), businesses, assumption_sets())
def test_no_cost_is_ever_negative_and_every_range_holds_its_typical_figure(
    option, business, assumptions
):
    estimate = costs.estimate(option, business, assumptions)
    for measure in (estimate.monthly, estimate.one_time, estimate.first_year, estimate.three_years):
        assert 0 <= measure.low <= measure.typical <= measure.high


@given(businesses, assumption_sets(), st.decimals(0, 100, places=2), st.integers(0, 100_000))
def test_the_more_managed_the_option_the_slower_its_cost_rises_with_problems_and_downtime(
    business, assumptions, more_problems, more_downtime
):
    values = assumptions.values()
    worse = Business(
        business.users,
        business.devices,
        business.servers,
        business.problems_per_month + more_problems,
        business.downtime_cost_per_hour + more_downtime,
    )

    def rise(option):
        return (
            costs.monthly_cost(option, worse, values).total
            - costs.monthly_cost(option, business, values).total
        )

    assert rise(BREAK_FIX) >= rise(HYBRID) >= rise(MANAGED) >= 0
    assert rise(MANAGED) == rise(CO_MANAGED)
