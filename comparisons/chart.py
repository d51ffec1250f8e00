"""Geometry of the result page's chart: annual cost against incidents per month.

A pure module (no Django): `cost_chart()` turns the cost model into coordinates, tick
labels and an accessible description, and the template only draws them as inline SVG
(the CSP forbids scripts and inline styles, so the chart is plain markup styled by
classes in static/css/comparisons.css). Both costs are straight lines in the number of
incidents, so two points draw each line; they cross at the break-even point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from comparisons import costs
from comparisons.costs import BREAK_FIX, CO_MANAGED, Assumptions

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 76, 20, 28, 56
MODEL_NAMES = {BREAK_FIX: "Break/fix", costs.MANAGED: "Managed services", CO_MANAGED: "Co-managed"}
# The x axis always shows at least this many incidents a month, so a business reporting
# none still sees how the two lines move apart.
MIN_X_EXTENT = 4.0
# A break-even point further out than this many times the otherwise chosen extent would
# squash everything else against the axis; it is then described in words instead.
MAX_BREAK_EVEN_STRETCH = 3.0


@dataclass(frozen=True)
class Series:
    model: str
    name: str
    points: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    # Labels right of the middle are drawn leftwards so they stay inside the picture.
    anchor: str = "start"


@dataclass(frozen=True)
class CostChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    break_even: Marker | None
    current: Marker
    description: str


def cost_chart(
    *,
    users: int,
    incidents_per_month: Decimal,
    downtime_cost_per_hour: int,
    managed_option: str,
    assumptions: Assumptions,
) -> CostChart:
    """Lines for break/fix and the managed option that fits, with break-even and 'you'."""
    break_even = costs.break_even_incidents_per_month(
        managed_option,
        users=users,
        downtime_cost_per_hour=downtime_cost_per_hour,
        assumptions=assumptions,
    )
    current = float(incidents_per_month)
    extent = max(MIN_X_EXTENT, current * 1.25)
    shows_break_even = break_even is not None and float(break_even) <= (
        extent * MAX_BREAK_EVEN_STRETCH
    )
    if shows_break_even:
        extent = max(extent, float(break_even) * 1.25)
    x_step = nice_step(extent / 4)
    x_max = math.ceil(extent / x_step) * x_step

    def total(model: str, incidents: float) -> float:
        estimate = costs.annual_cost(
            model,
            users=users,
            incidents_per_month=Decimal(repr(incidents)),
            downtime_cost_per_hour=downtime_cost_per_hour,
            assumptions=assumptions,
        )
        return float(estimate.total)

    models = (BREAK_FIX, managed_option)
    ends = {model: (total(model, 0.0), total(model, x_max)) for model in models}
    highest = max(max(pair) for pair in ends.values())
    y_step = nice_step(highest / 4) if highest > 0 else 1.0
    y_max = max(1.0, math.ceil(highest / y_step) * y_step)

    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM

    def px(incidents: float) -> float:
        return round(LEFT + (right_edge - LEFT) * incidents / x_max, 1)

    def py(cost: float) -> float:
        return round(bottom_edge - (bottom_edge - TOP) * cost / y_max, 1)

    series = tuple(
        Series(
            model=model,
            name=MODEL_NAMES[model],
            points=f"{px(0)},{py(start)} {px(x_max)},{py(end)}",
        )
        for model, (start, end) in ends.items()
    )
    x_ticks = tuple(
        Tick(px(i * x_step), format_number(i * x_step)) for i in range(round(x_max / x_step) + 1)
    )
    y_ticks = tuple(
        Tick(py(i * y_step), format_usd_short(i * y_step)) for i in range(round(y_max / y_step) + 1)
    )
    even_marker = None
    if shows_break_even:
        at = float(break_even)
        even_marker = Marker(
            px(at),
            py(total(BREAK_FIX, at)),
            f"Break-even: {format_number(at)} a month",
            anchor_for(px(at)),
        )
    you_x = px(min(current, x_max))
    you = Marker(you_x, TOP, f"You: {format_number(current)} a month", anchor_for(you_x))
    return CostChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right_edge,
        top=TOP,
        bottom=bottom_edge,
        series=series,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        break_even=even_marker,
        current=you,
        description=describe(managed_option, ends, x_max, break_even, current),
    )


def anchor_for(x: float) -> str:
    return "end" if x > (LEFT + WIDTH - RIGHT) / 2 else "start"


def describe(managed_option, ends, x_max, break_even, current) -> str:
    """The chart in words, for screen readers and for anyone who skips the picture."""
    parts = [
        f"{MODEL_NAMES[model]} costs {format_usd(start)} a year with no incidents and "
        f"{format_usd(end)} at {format_number(x_max)} incidents a month."
        for model, (start, end) in ends.items()
    ]
    if break_even is None:
        parts.append(
            f"Break/fix never costs more than {MODEL_NAMES[managed_option].lower()} "
            "under these assumptions."
        )
    else:
        parts.append(
            f"The two cost the same at {format_number(float(break_even))} incidents a month."
        )
    parts.append(f"You reported {format_number(current)} a month.")
    return " ".join(parts)


def nice_step(rough: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten that is at least `rough`."""
    if rough <= 0 or not math.isfinite(rough):
        return 1.0
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough * (1 - 1e-9))


def format_number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_usd(value: float) -> str:
    return f"${value:,.0f}"


def format_usd_short(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return "$" + format_number(value / size) + suffix
    return format_usd(value)
