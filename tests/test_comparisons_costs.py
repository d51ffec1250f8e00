"""Specification of the cost model (comparisons/costs.py) and its chart (chart.py).

Each formula is checked against figures worked out by hand from the published assumptions;
hypothesis then checks that no cost is ever negative, that both options cost the same at
the break-even point, and that the chart always fits its own axes.
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comparisons import chart, costs
from comparisons.costs import Assumptions, InvalidAssumptions, annual_cost
from tests.shared_data import PUBLISHED, assumption_sets


def cost(model, users=10, incidents="2", downtime=500, assumptions=PUBLISHED):
    return annual_cost(
        model,
        users=users,
        incidents_per_month=Decimal(incidents),
        downtime_cost_per_hour=downtime,
        assumptions=assumptions,
    )


# --- Formulas -------------------------------------------------------------------------------


def test_break_fix_fees_are_incidents_times_billed_hours_times_rate():
    # 2 incidents x 12 months x 1.25 h x $150
    assert cost("break_fix").fees == Decimal(4500)


def test_break_fix_downtime_is_incidents_times_outage_hours_times_hourly_cost():
    # 2 x 12 x 4 h x $500
    assert cost("break_fix").downtime_loss == Decimal(48_000)
    assert cost("break_fix").total == Decimal(52_500)


def test_break_fix_costs_nothing_in_a_year_without_incidents():
    assert cost("break_fix", incidents="0").total == 0


def test_managed_fees_are_users_times_monthly_fee_all_year_whatever_the_incidents():
    assert cost("managed").fees == Decimal(18_000)  # 10 x $150 x 12
    assert cost("managed", incidents="0").fees == Decimal(18_000)


def test_managed_downtime_counts_only_incidents_not_prevented_and_shorter_outages():
    # 2 x 12 x (1 - 0.2) x 1.5 h x $500
    assert cost("managed").downtime_loss == Decimal(14_400)


def test_managed_onboarding_is_a_share_of_one_month_charged_once_and_kept_apart():
    estimate = cost("managed")
    assert estimate.one_time == Decimal(600)  # 0.4 x 10 x $150
    assert estimate.total == estimate.fees + estimate.downtime_loss


def test_co_managed_uses_the_smaller_fee_and_the_managed_downtime():
    estimate = cost("co_managed")
    assert estimate.fees == Decimal(10_800)  # 10 x $90 x 12
    assert estimate.downtime_loss == cost("managed").downtime_loss


def test_estimates_round_to_whole_dollars_for_display():
    assert cost("managed", incidents="0.33", downtime=7).to_dict() == {
        "model": "managed",
        "fees": 18_000,
        "downtime_loss": 33,  # 0.33 x 12 x 0.8 x 1.5 x 7 = 33.26
        "total": 18_033,
        "one_time": 600,
    }


def test_compare_costs_gives_every_model_in_matrix_order():
    compared = costs.compare_costs(
        users=10, incidents_per_month=Decimal(2), downtime_cost_per_hour=500, assumptions=PUBLISHED
    )
    assert list(compared) == ["break_fix", "managed", "co_managed"]


def test_break_even_is_the_monthly_fee_over_the_extra_cost_of_each_incident():
    # $1,500 a month over ($187.50 + 4 h x $500) - (0.8 x 1.5 h x $500) = $1,587.50
    point = costs.break_even_incidents_per_month(
        "managed", users=10, downtime_cost_per_hour=500, assumptions=PUBLISHED
    )
    assert point == Decimal(1500) / Decimal("1587.5")


def test_there_is_no_break_even_when_an_incident_costs_no_more_under_break_fix():
    free = replace(
        PUBLISHED,
        break_fix_hourly_rate=Decimal(0),
        break_fix_downtime_hours_per_incident=Decimal(1),
        managed_downtime_hours_per_incident=Decimal(1),
        managed_prevented_share=Decimal(0),
    )
    assert (
        costs.break_even_incidents_per_month(
            "managed", users=5, downtime_cost_per_hour=100, assumptions=free
        )
        is None
    )


def test_an_unknown_model_is_refused():
    with pytest.raises(ValueError):
        cost("in_house")


# --- Assumptions must make sense ------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"msp_fee_per_user_month": Decimal(-1)},
        {"managed_prevented_share": Decimal("1.5")},
        {"break_fix_hourly_rate": Decimal("Infinity")},
        {"managed_downtime_hours_per_incident": Decimal(5)},  # longer than break/fix's 4 h
    ],
)
def test_contradictory_or_impossible_assumptions_are_refused(change):
    with pytest.raises(InvalidAssumptions):
        replace(PUBLISHED, **change)


def test_assumptions_are_built_from_a_mapping_of_keys_to_numbers():
    values = {key: str(getattr(PUBLISHED, key)) for key in Assumptions.field_names()}
    assert Assumptions.from_mapping({**values, "unrelated": "x"}) == PUBLISHED


def test_a_missing_or_non_numeric_assumption_is_named_in_the_error():
    values = {key: "1" for key in Assumptions.field_names()}
    with pytest.raises(InvalidAssumptions, match="break_fix_hourly_rate"):
        Assumptions.from_mapping({k: v for k, v in values.items() if k != "break_fix_hourly_rate"})
    with pytest.raises(InvalidAssumptions):
        Assumptions.from_mapping({**values, "break_fix_hourly_rate": "a lot"})


# --- Properties -----------------------------------------------------------------------------


users = st.integers(1, 100_000)
incidents = st.decimals(0, 1000, places=2)
downtime = st.integers(0, 10_000_000)


@given(st.sampled_from(costs.MODELS), users, incidents, downtime, assumption_sets())
def test_no_cost_is_ever_negative(model, people, rate, hourly, assumptions):
    estimate = annual_cost(
        model,
        users=people,
        incidents_per_month=rate,
        downtime_cost_per_hour=hourly,
        assumptions=assumptions,
    )
    assert estimate.fees >= 0 and estimate.downtime_loss >= 0 and estimate.one_time >= 0
    assert min(estimate.to_dict()[key] for key in ("fees", "downtime_loss", "total")) >= 0


@given(st.sampled_from(["managed", "co_managed"]), users, downtime, assumption_sets())
def test_both_options_cost_the_same_at_the_break_even_point(model, people, hourly, assumptions):
    point = costs.break_even_incidents_per_month(
        model, users=people, downtime_cost_per_hour=hourly, assumptions=assumptions
    )
    if point is None:
        return
    totals = [
        annual_cost(
            name,
            users=people,
            incidents_per_month=point,
            downtime_cost_per_hour=hourly,
            assumptions=assumptions,
        ).total
        for name in ("break_fix", model)
    ]
    assert totals[0] == pytest.approx(totals[1], rel=Decimal("1e-9"), abs=Decimal("0.01"))


# --- The chart ------------------------------------------------------------------------------


def draw(users=10, incidents="2", downtime=500, option="managed", assumptions=PUBLISHED):
    return chart.cost_chart(
        users=users,
        incidents_per_month=Decimal(incidents),
        downtime_cost_per_hour=downtime,
        managed_option=option,
        assumptions=assumptions,
    )


def test_the_chart_draws_break_fix_from_zero_and_managed_from_its_yearly_fee():
    picture = draw()
    break_fix, managed = picture.series
    assert (break_fix.model, managed.model) == ("break_fix", "managed")
    assert break_fix.points.startswith(f"{float(picture.left)},{float(picture.bottom)} ")
    assert picture.y_ticks[0].label == "$0"


def test_the_chart_marks_break_even_where_the_lines_cross_and_says_so_in_words():
    picture = draw()
    assert picture.break_even is not None
    assert picture.break_even.label == "Break-even: 0.94 a month"
    assert "The two cost the same at 0.94 incidents a month." in picture.description
    assert "You reported 2 a month." in picture.description


def test_a_break_even_far_off_the_chart_is_described_but_not_drawn():
    picture = draw(users=100_000, incidents="0", downtime=0)
    assert picture.break_even is None
    assert "cost the same at" in picture.description


def test_without_a_break_even_the_chart_says_break_fix_stays_cheaper():
    free = replace(
        PUBLISHED,
        break_fix_hourly_rate=Decimal(0),
        managed_downtime_hours_per_incident=Decimal(4),
        managed_prevented_share=Decimal(0),
    )
    assert "never costs more" in draw(assumptions=free).description


@given(users, incidents, downtime, st.sampled_from(["managed", "co_managed"]), assumption_sets())
def test_every_mark_on_the_chart_lies_inside_its_plot_area(people, rate, hourly, option, values):
    picture = chart.cost_chart(
        users=people,
        incidents_per_month=rate,
        downtime_cost_per_hour=hourly,
        managed_option=option,
        assumptions=values,
    )
    points = [
        tuple(map(float, pair.split(",")))
        for line in picture.series
        for pair in line.points.split()
    ]
    if picture.break_even:
        points.append((picture.break_even.x, picture.break_even.y))
    points.append((picture.current.x, picture.current.y))
    for x, y in points:
        assert picture.left <= x <= picture.right
        assert picture.top <= y <= picture.bottom


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "$0"), (950, "$950"), (12_500, "$12.5k"), (2_000_000, "$2M"), (3.2e9, "$3.2B")],
)
def test_axis_money_labels_are_short(value, text):
    assert chart.format_usd_short(value) == text


@pytest.mark.parametrize(("rough", "step"), [(0.3, 0.5), (1, 1), (1.2, 2), (3, 5), (7, 10)])
def test_tick_steps_are_one_two_or_five_times_a_power_of_ten(rough, step):
    assert chart.nice_step(rough) == pytest.approx(step)
