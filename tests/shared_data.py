"""Test data shared by several test files: the recommendation form's field names (part of
the interface in DESIGN.md) and a hypothesis strategy for consistent cost assumptions."""

from hypothesis import strategies as st

from comparisons.costs import Assumptions

RECOMMENDATION_FIELDS = [
    "employees",
    "devices",
    "in_house_it",
    "downtime_cost_per_hour",
    "incidents_per_month",
    "compliance",
    "budget_priority",
    "growth",
    "remote_staff",
]


@st.composite
def assumption_sets(draw):
    """Any consistent set: proactive care never lengthens an outage (see costs.py)."""
    money = st.decimals(0, 1000, places=2)
    break_fix_downtime = draw(st.decimals(0, 48, places=2))
    return Assumptions(
        msp_fee_per_user_month=draw(money),
        co_managed_fee_per_user_month=draw(money),
        onboarding_share_of_monthly_fee=draw(st.decimals(0, 3, places=2)),
        break_fix_hourly_rate=draw(money),
        break_fix_hours_per_incident=draw(st.decimals(0, 10, places=2)),
        break_fix_downtime_hours_per_incident=break_fix_downtime,
        managed_downtime_hours_per_incident=break_fix_downtime * draw(st.decimals(0, 1, places=2)),
        managed_prevented_share=draw(st.decimals(0, 1, places=2)),
    )
