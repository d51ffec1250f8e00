"""Freeze the cost chart of every result saved in format 1, so its permalink never changes.

Until cost model 2, a saved result stored its answers, its figures and a snapshot of the
assumptions, but not its chart: the result page recomputed the chart's geometry on every
visit from comparisons/costs.py and comparisons/chart.py. Those modules are being replaced,
so this migration computes each old result's chart once, with the old code, and stores it
as plain JSON in result["chart"] beside result["version"] = 1; the result page then draws a
format-1 result from what is stored (comparisons/legacy.py, result_v1.html) and never runs
a cost model for it again.

The old code is copied here rather than imported on purpose: a migration must give the same
answer forever, whatever later happens to the app's modules. What follows is the old
`costs.annual_cost()` (its total only) and `costs.break_even_incidents_per_month()` for the
three old options and the eight old assumption keys, and the old `chart.cost_chart()` with
its helpers, trimmed to what the chart needs but otherwise unchanged, down to the order of
every Decimal operation (the chart's coordinates are rounded floats of those results).
Do not edit it to follow the current cost model.
"""

import math
from decimal import Decimal

from django.db import migrations

BREAK_FIX, MANAGED, CO_MANAGED = "break_fix", "managed", "co_managed"
MONTHS = Decimal(12)
ASSUMPTION_KEYS = (
    "msp_fee_per_user_month",
    "co_managed_fee_per_user_month",
    "onboarding_share_of_monthly_fee",
    "break_fix_hourly_rate",
    "break_fix_hours_per_incident",
    "break_fix_downtime_hours_per_incident",
    "managed_downtime_hours_per_incident",
    "managed_prevented_share",
)

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 76, 20, 28, 56
MODEL_NAMES = {BREAK_FIX: "Break/fix", MANAGED: "Managed services", CO_MANAGED: "Co-managed"}
MIN_X_EXTENT = 4.0
MAX_BREAK_EVEN_STRETCH = 3.0


# --- The old cost model (comparisons/costs.py before cost model 2) ---------------------------


def assumptions_of(result) -> dict[str, Decimal]:
    """The stored snapshot as the old `Assumptions.from_mapping()` read it."""
    values = {row["key"]: row["value"] for row in result["assumptions"]}
    missing = [key for key in ASSUMPTION_KEYS if key not in values]
    if missing:
        raise ValueError("Missing assumptions: " + ", ".join(missing))
    return {key: Decimal(str(values[key])) for key in ASSUMPTION_KEYS}


def monthly_fee_per_user(model, a) -> Decimal:
    if model == MANAGED:
        return a["msp_fee_per_user_month"]
    if model == CO_MANAGED:
        return a["co_managed_fee_per_user_month"]
    return Decimal(0)


def per_incident_cost(model, downtime_cost_per_hour, a) -> Decimal:
    downtime_cost = Decimal(downtime_cost_per_hour)
    if model == BREAK_FIX:
        labour = a["break_fix_hourly_rate"] * a["break_fix_hours_per_incident"]
        outage = a["break_fix_downtime_hours_per_incident"] * downtime_cost
        return labour + outage
    not_prevented = 1 - a["managed_prevented_share"]
    return not_prevented * a["managed_downtime_hours_per_incident"] * downtime_cost


def annual_total(model, *, users, incidents_per_month, downtime_cost_per_hour, a) -> Decimal:
    """The old `annual_cost(...).total`: fees plus downtime losses for a year."""
    incidents_a_year = Decimal(str(incidents_per_month)) * MONTHS
    monthly_fee = monthly_fee_per_user(model, a) * users
    downtime_cost = Decimal(downtime_cost_per_hour)
    if model == BREAK_FIX:
        labour = a["break_fix_hourly_rate"] * a["break_fix_hours_per_incident"]
        fees = incidents_a_year * labour
        outage_hours = a["break_fix_downtime_hours_per_incident"]
    else:
        fees = monthly_fee * MONTHS
        outage_hours = (1 - a["managed_prevented_share"]) * a["managed_downtime_hours_per_incident"]
    return fees + incidents_a_year * outage_hours * downtime_cost


def break_even_incidents_per_month(model, *, users, downtime_cost_per_hour, a):
    fixed = monthly_fee_per_user(model, a) * users
    extra_per_incident = per_incident_cost(BREAK_FIX, downtime_cost_per_hour, a) - (
        per_incident_cost(model, downtime_cost_per_hour, a)
    )
    if extra_per_incident <= 0:
        return None
    return fixed / extra_per_incident


# --- The old chart (comparisons/chart.py before cost model 2), as plain JSON -----------------


def cost_chart(*, users, incidents_per_month, downtime_cost_per_hour, managed_option, a):
    """The old `cost_chart()`, returning `dataclasses.asdict()` of its `CostChart`."""
    break_even = break_even_incidents_per_month(
        managed_option, users=users, downtime_cost_per_hour=downtime_cost_per_hour, a=a
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

    def total(model, incidents):
        return float(
            annual_total(
                model,
                users=users,
                incidents_per_month=Decimal(repr(incidents)),
                downtime_cost_per_hour=downtime_cost_per_hour,
                a=a,
            )
        )

    models = (BREAK_FIX, managed_option)
    ends = {model: (total(model, 0.0), total(model, x_max)) for model in models}
    highest = max(max(pair) for pair in ends.values())
    y_step = nice_step(highest / 4) if highest > 0 else 1.0
    y_max = max(1.0, math.ceil(highest / y_step) * y_step)

    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM

    def px(incidents):
        return round(LEFT + (right_edge - LEFT) * incidents / x_max, 1)

    def py(cost):
        return round(bottom_edge - (bottom_edge - TOP) * cost / y_max, 1)

    series = [
        {
            "model": model,
            "name": MODEL_NAMES[model],
            "points": f"{px(0)},{py(start)} {px(x_max)},{py(end)}",
        }
        for model, (start, end) in ends.items()
    ]
    x_ticks = [
        {"position": px(i * x_step), "label": format_number(i * x_step)}
        for i in range(round(x_max / x_step) + 1)
    ]
    y_ticks = [
        {"position": py(i * y_step), "label": format_usd_short(i * y_step)}
        for i in range(round(y_max / y_step) + 1)
    ]
    even_marker = None
    if shows_break_even:
        at = float(break_even)
        even_marker = marker(
            px(at), py(total(BREAK_FIX, at)), f"Break-even: {format_number(at)} a month"
        )
    you_x = px(min(current, x_max))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": right_edge,
        "top": TOP,
        "bottom": bottom_edge,
        "series": series,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "break_even": even_marker,
        "current": marker(you_x, TOP, f"You: {format_number(current)} a month"),
        "description": describe(managed_option, ends, x_max, break_even, current),
    }


def marker(x, y, label):
    # Labels right of the middle are drawn leftwards so they stay inside the picture.
    return {"x": x, "y": y, "label": label, "anchor": anchor_for(x)}


def anchor_for(x):
    return "end" if x > (LEFT + WIDTH - RIGHT) / 2 else "start"


def describe(managed_option, ends, x_max, break_even, current):
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


def nice_step(rough):
    if rough <= 0 or not math.isfinite(rough):
        return 1.0
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough * (1 - 1e-9))


def format_number(value):
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_usd(value):
    return f"${value:,.0f}"


def format_usd_short(value):
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            return "$" + format_number(value / size) + suffix
    return format_usd(value)


def v1_chart(inputs, result):
    """The chart the old result page drew for these stored answers and assumptions."""
    return cost_chart(
        users=int(inputs["employees"]),
        incidents_per_month=Decimal(str(inputs["incidents_per_month"])),
        downtime_cost_per_hour=int(inputs["downtime_cost_per_hour"]),
        managed_option=MANAGED if inputs["in_house_it"] == "none" else CO_MANAGED,
        a=assumptions_of(result),
    )


# --- The migration ------------------------------------------------------------------------


def rewrite_results(apps, schema_editor, change):
    """Apply `change(inputs, result)` (a new result, or None to leave it) to every row, in
    batches of primary keys so no read cursor stays open while the table is written."""
    Recommendation = apps.get_model("comparisons", "Recommendation")
    rows = Recommendation.objects.using(schema_editor.connection.alias)
    pks = list(rows.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 500):
        changed = []
        for row in rows.filter(pk__in=pks[start : start + 500]).only("pk", "inputs", "result"):
            result = change(row.inputs, row.result) if isinstance(row.result, dict) else None
            if result is not None:
                row.result = result
                changed.append(row)
        rows.bulk_update(changed, ["result"])


def freeze(inputs, result):
    if "version" in result:
        return None
    try:
        chart = v1_chart(inputs, result)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise ValueError(f"A saved result's chart cannot be frozen: {error!r}") from error
    return {**result, "chart": chart, "version": 1}


def thaw(inputs, result):
    if result.get("version") != 1:
        return None
    return {key: value for key, value in result.items() if key not in ("chart", "version")}


def forward(apps, schema_editor):
    rewrite_results(apps, schema_editor, freeze)


def backward(apps, schema_editor):
    rewrite_results(apps, schema_editor, thaw)


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0003_recommendation_sender"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
