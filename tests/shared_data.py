"""Test data shared by several test files: the recommendation form's field names (part of
the interface in DESIGN.md), the published cost assumptions, and a hypothesis strategy for
consistent ones."""

from decimal import Decimal

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

# The published figures the cost and engine tests work by hand (see docs/recommendation-rules.md).
PUBLISHED = Assumptions(
    msp_fee_per_user_month=Decimal(150),
    co_managed_fee_per_user_month=Decimal(90),
    onboarding_share_of_monthly_fee=Decimal("0.4"),
    break_fix_hourly_rate=Decimal(150),
    break_fix_hours_per_incident=Decimal("1.25"),
    break_fix_downtime_hours_per_incident=Decimal(4),
    managed_downtime_hours_per_incident=Decimal("1.5"),
    managed_prevented_share=Decimal("0.2"),
)


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
