"""Filters of the comparisons templates: the recommendation's numbers for people (dollars,
points, percentages) and the words for an option's key, read from comparisons/vocabulary.py
so no template spells an option out.

Kept here rather than enabling django.contrib.humanize so the comparisons templates
depend on nothing outside their app.
"""

from django import template

from comparisons.vocabulary import WORDS

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
def option_summary(key):
    """The result page's lead sentence for a recommended option's key."""
    words = WORDS.get(key)
    return words.summary if words else ""


@register.filter
def option_note(key):
    """How an option is paid, in a few words, for its row of the cost table."""
    words = WORDS.get(key)
    return words.note if words else ""


@register.filter
def leaning(value):
    """Which way a factor's points push, in words. Only format-1 pages use it, so its words
    are theirs, frozen, not the vocabulary's."""
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
