"""Filters that format the recommendation's numbers for people: dollars and points.

Kept here rather than enabling django.contrib.humanize so the comparisons templates
depend on nothing outside their app.
"""

from django import template

register = template.Library()


@register.filter
def usd(value):
    """Whole US dollars with thousands separators: 12345 -> "$12,345"."""
    try:
        amount = round(float(value))
    except (TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,}"


@register.filter
def points(value):
    """A factor's points with an explicit sign; negatives get a true minus sign (U+2212)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if number == 0:
        return "0"
    text = f"{abs(number):.2f}".rstrip("0").rstrip(".")
    return ("+" if number > 0 else "\u2212") + text


@register.filter
def leaning(value):
    """Which way a factor's points push, in words."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if number > 0:
        return "towards managed services"
    if number < 0:
        return "towards break/fix"
    return "neither way"


@register.filter
def percent(value):
    """A share between 0 and 1 as a whole percentage: 0.78 -> "78 %"."""
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return ""


@register.filter
def adjusted_count(rows):
    """How many of a result's assumptions the reader set themselves."""
    try:
        return sum(1 for row in rows if row.get("adjusted"))
    except (TypeError, AttributeError):
        return 0
