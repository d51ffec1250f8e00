"""Geometry of the result page's chart: cumulative cost of each option over three years.

A pure module (no Django), used when a result is saved: `cumulative_chart()` turns the
options' one-time and monthly cost ranges into coordinates, tick labels, line styles and
an accessible description, all as plain JSON-serialisable data. The result stores that
dict, so a saved chart never changes when the cost model or this module does; the
template templates/comparisons/_cost_chart.html only draws it as inline SVG (the CSP
forbids scripts and inline styles, so the chart is plain markup with presentation
attributes, laid out by classes in static/css/comparisons.css). The options' line styles
and short names are keyed by, and read from, comparisons/vocabulary.py.

Cumulative cost after m months is one_time + m * monthly, onboarding counted at month 0.
Each option gets its typical line and a shaded band from its low line to its high line;
all are straight, so two points draw each line.
"""

from __future__ import annotations

import math
from itertools import combinations

from comparisons.vocabulary import OUTCOMES, Option, band

# The viewBox: a little narrower than the narrowest phone's column (296 px at 320 px), so the
# 13-unit text draws at 12 px or more on every phone (15 px at 390 px); wide screens cap the
# chart's width in static/css/comparisons.css. Charts saved before were 400 units wide.
WIDTH, HEIGHT = 310, 270
# Margins: y tick labels on the left, the axis title on top, x tick labels below and the
# options' names and three-year totals on the right, at the end of their lines.
LEFT, RIGHT, TOP, BOTTOM = 48, 98, 30, 30
MONTHS = 36
TICK_FONT_SIZE = LABEL_FONT_SIZE = 13
TITLE_FONT_SIZE = 14
# End labels are two lines (name, total); their centres stay at least this far apart.
END_LABEL_GAP = 32

LINE_WIDTH, RECOMMENDED_LINE_WIDTH = 2.5, 4.5
BAND_OPACITY = 0.12

# Line colours have at least 4.5:1 contrast on white (so they also serve as text colours);
# each option has its own dash pattern, so colour is never the only difference.
STYLES = {
    option: {"colour": colour, "dash": dash, "linecap": linecap, "pattern": pattern}
    for option, colour, dash, linecap, pattern in (
        (Option.BREAK_FIX, "#b02a37", "9 5", "butt", "dashed"),
        (Option.HYBRID, "#6f42c1", "12 4 2 4", "butt", "dash-dot"),
        (Option.MANAGED, "#0a58ca", "", "butt", "solid"),
        (Option.CO_MANAGED, "#146c43", "0.5 5", "round", "dotted"),
    )
}
# The names at the lines' ends, where room is short.
SHORT_LABELS = {option.value: option.short_label for option in OUTCOMES}
X_TICKS = ((0, "Start"), (12, "Year 1"), (24, "Year 2"), (36, "Year 3"))


def cumulative_chart(options: list[dict]) -> dict:
    """Everything the template draws for the options' cumulative costs over 36 months.

    Each option is a dict with "key", "label", "recommended", and "one_time" and
    "monthly" dicts of "low", "typical" and "high" US dollars.
    """
    if not options:
        raise ValueError("the chart needs at least one option")
    for option in options:
        for part in ("one_time", "monthly"):
            if any(option[part][level] < 0 for level in ("low", "typical", "high")):
                raise ValueError(f"{option['key']}: costs cannot be negative")

    highest = max(total(option, level) for option in options for level in ("typical", "high"))
    y_step = nice_step(highest / 5) if highest > 0 else 0.0
    y_max = math.ceil(highest / y_step - 1e-9) * y_step if highest > 0 else 0.0
    right_edge, bottom_edge = WIDTH - RIGHT, HEIGHT - BOTTOM

    def px(months: float) -> float:
        return round(LEFT + (right_edge - LEFT) * months / MONTHS, 1)

    def py(cost: float) -> float:
        if y_max <= 0:
            return float(bottom_edge)
        return round(bottom_edge - (bottom_edge - TOP) * cost / y_max, 1)

    def line(option: dict, level: str) -> list[str]:
        return [
            f"{px(0)},{py(total(option, level, 0))}",
            f"{px(MONTHS)},{py(total(option, level))}",
        ]

    drawn = []
    for index, option in enumerate(options):
        style = style_for(option["key"], index)
        low, high = line(option, "low"), line(option, "high")
        end_y = py(total(option, "typical"))
        drawn.append(
            {
                "key": option["key"],
                "label": option["label"],
                "short_label": SHORT_LABELS.get(option["key"], option["label"]),
                "recommended": bool(option["recommended"]),
                "colour": style["colour"],
                "dash": style["dash"],
                "linecap": style["linecap"],
                "pattern": style["pattern"],
                "stroke_width": RECOMMENDED_LINE_WIDTH if option["recommended"] else LINE_WIDTH,
                "band_opacity": BAND_OPACITY,
                "points": " ".join(line(option, "typical")),
                # Low line out, high line back; none where low and high are the same.
                "band": None if low == high else " ".join(low + high[::-1]),
                "end": {
                    "x": float(right_edge),
                    "y": end_y,
                    "label_x": float(right_edge + 10),
                    "label_y": end_y,
                    "text": format_usd_short(round_significant(total(option, "typical"))),
                },
            }
        )
    spread_end_labels(drawn, top=TOP + 4, bottom=bottom_edge - 14)

    y_ticks = [{"y": py(0), "label": format_usd_short(0)}]
    if y_max > 0:
        y_ticks += [
            {"y": py(i * y_step), "label": format_usd_short(i * y_step)}
            for i in range(1, round(y_max / y_step) + 1)
        ]
    crossings = find_crossings(options)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": float(LEFT),
        "right": float(right_edge),
        "top": float(TOP),
        "bottom": float(bottom_edge),
        "tick_mark_bottom": float(bottom_edge + 5),
        "months": MONTHS,
        "tick_font_size": TICK_FONT_SIZE,
        "label_font_size": LABEL_FONT_SIZE,
        "title_font_size": TITLE_FONT_SIZE,
        "options": drawn,
        "x_ticks": [{"x": px(months), "label": label} for months, label in X_TICKS],
        "y_ticks": y_ticks,
        "cheapest": cheapest(options),
        "crossings": crossings,
        "description": describe(options, crossings),
    }


def total(option: dict, level: str, months: float = MONTHS) -> float:
    """Cumulative cost after `months` months at the `level` ("low", "typical", "high")."""
    return float(option["one_time"][level]) + months * float(option["monthly"][level])


def style_for(key: str, index: int) -> dict:
    if key in STYLES:
        return STYLES[key]
    return list(STYLES.values())[index % len(STYLES)]


def spread_end_labels(drawn: list[dict], *, top: float, bottom: float) -> None:
    """Move the end labels apart vertically, keeping them near their lines' ends."""
    labels = sorted((item["end"] for item in drawn), key=lambda end: end["y"])
    count = len(labels)
    gap = min(END_LABEL_GAP, (bottom - top) / max(count - 1, 1))
    ys = [min(max(end["y"], top), bottom) for end in labels]
    for i in range(1, count):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    ys[-1] = min(ys[-1], bottom)
    for i in range(count - 2, -1, -1):
        ys[i] = min(ys[i], ys[i + 1] - gap)
    for end, y in zip(labels, ys, strict=True):
        end["label_y"] = round(y, 1)
        end["leader"] = (
            f"{end['x']},{end['y']} {end['label_x'] - 7},{end['label_y']} "
            f"{end['label_x'] - 3},{end['label_y']}"
        )


def cheapest(options: list[dict]) -> list[str]:
    """The keys of the option(s) with the lowest typical cost after three years."""
    lowest = min(total(option, "typical") for option in options)
    return [option["key"] for option in options if math.isclose(total(option, "typical"), lowest)]


def find_crossings(options: list[dict]) -> list[dict]:
    """Where two typical lines cross inside the chart, in month order.

    `costlier` is the option that is cheaper before the crossing and costlier after it.
    Lines starting at the same cost only part ways; they do not cross.
    """
    found = []
    for first, second in combinations(options, 2):
        start_gap = total(first, "typical", 0) - total(second, "typical", 0)
        slope_gap = float(second["monthly"]["typical"]) - float(first["monthly"]["typical"])
        if slope_gap == 0 or start_gap == 0:
            continue
        month = start_gap / slope_gap
        if 0 < month < MONTHS:
            costlier, cheaper = (second, first) if slope_gap > 0 else (first, second)
            found.append(
                {"month": round(month, 1), "costlier": costlier["key"], "cheaper": cheaper["key"]}
            )
    return sorted(found, key=lambda crossing: crossing["month"])


def describe(options: list[dict], crossings: list[dict]) -> str:
    """The chart in words, for screen readers and for anyone who skips the picture."""
    labels = {option["key"]: option["label"] for option in options}
    parts = [
        "Total paid over the first three years, counting any one-time onboarding fee at the start."
    ]
    for option in options:
        name = option["label"] + (" (recommended)" if option["recommended"] else "")
        typical, low, high = (
            round_significant(total(option, level)) for level in ("typical", "low", "high")
        )
        about = "" if typical == total(option, "typical") else "about "
        text = f"{name}: {about}{format_usd(typical)} over three years"
        if low != high:
            text += f" (range {format_usd(low)} to {format_usd(high)})"
        parts.append(text + ".")

    lowest = [prose_name(labels[key]) for key in cheapest(options)]
    if len(lowest) == len(options):
        parts.append("After three years all options cost about the same.")
    else:
        parts.append(f"Cheapest after three years, by typical cost: {join_words(lowest)}.")

    # One sentence per option that overtakes others, in the order of its first crossing.
    overtakes: dict[str, list[str]] = {}
    for crossing in crossings:
        month = round(crossing["month"])
        when = f"after about month {month}" if month >= 1 else "within the first month"
        overtakes.setdefault(crossing["costlier"], []).append(
            f"than {prose_name(labels[crossing['cheaper']])} {when}"
        )
    for key, clauses in overtakes.items():
        parts.append(f"{labels[key].split(' (', 1)[0]} becomes costlier {join_words(clauses)}.")
    if not crossings and len(options) > 1:
        parts.append("The typical lines do not cross within the three years.")
    return " ".join(parts)


def prose_name(label: str) -> str:
    """A label for use mid-sentence: "Hybrid (security plan + hours)" -> "hybrid"."""
    name = label.split(" (", 1)[0]
    return name[:1].lower() + name[1:]


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def round_significant(value: float, digits: int = 3) -> float:
    """`value` to `digits` significant figures, never finer than whole dollars."""
    if value == 0:
        return 0.0
    places = digits - 1 - math.floor(math.log10(abs(value)))
    return float(round(value, min(places, 0)))


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


# A dollar figure's unit on the chart by its size, each band's limit its first excluded value:
# whole dollars below $1k, then thousands, millions and billions.
USD_UNITS = ((1e3, (1, "")), (1e6, (1e3, "k")), (1e9, (1e6, "M")))


def format_usd_short(value: float) -> str:
    size, suffix = band(value, USD_UNITS, above=(1e9, "B"))
    if not suffix:
        return format_usd(value)
    return "$" + format_number(value / size) + suffix
