"""Test data shared by several test files: the recommendation form's field names (part of
the interface in DESIGN.md), the published cost assumptions as the seed file states them,
and a hypothesis strategy for any consistent set."""

from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import strategies as st

from comparisons import costs
from comparisons.costs import Assumptions, Figure

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

SEED = Path(__file__).resolve().parents[2] / "comparisons" / "seed" / "assumptions.yaml"
SEED_ROWS = yaml.safe_load(SEED.read_text(encoding="utf-8"))
# The published figures the cost and engine tests work by hand (docs/recommendation-rules.md).
PUBLISHED = Assumptions.from_mapping({row["key"]: row for row in SEED_ROWS})


@st.composite
def assumption_sets(draw):
    """Any consistent set: every range holds its value, shares stay within 0-1 and
    multipliers at 1 or more."""
    figures = {}
    for key in costs.ASSUMPTION_KEYS:
        if key in costs.SHARES:
            numbers = st.decimals(0, 1, places=2)
        elif key in costs.MULTIPLIERS:
            numbers = st.decimals(1, 3, places=2)
        else:
            numbers = st.decimals(0, 5000, places=2)
        low, value, high = sorted(draw(st.lists(numbers, min_size=3, max_size=3)))
        figures[key] = Figure(key, value, low, high)
    return Assumptions(figures)


def with_typical(**values) -> Assumptions:
    """The published set with some typical values changed (ranges widen to hold them)."""
    return PUBLISHED.with_values({key: Decimal(str(value)) for key, value in values.items()})
