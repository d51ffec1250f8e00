"""Renders results saved before format 2: the result page of cost model 1, from storage only.

A format-1 result (`result["version"] == 1`, set by migration 0004) holds everything its
page shows: the engine's factors and costs, the assumption snapshot and, since that
migration, the chart's geometry (`result["chart"]`). `v1_context()` builds the context the
result page had before cost model 2 without running any cost model, for
templates/comparisons/result_v1.html; the page must stay byte-for-byte what it was
(tests/comparisons/test_comparisons_frozen_results.py). So the questions' wording and the
order of the cost table are copied here as they were, rather than read from the current form
and models, which are free to change. Only the matrix rows and blog posts linked from the
page are live: they are read from the database as before.
"""

from django.urls import reverse
from django.utils.http import urlencode

from comparisons.models import Criterion
from comparisons.related_posts import published_posts

# The options of format 1, in the order of the matrix's columns, with their names.
V1_OPTIONS = {"break_fix": "Break/fix", "managed": "Managed services", "co_managed": "Co-managed"}

YES_NO = "yes/no"
# The questions of the format-1 form in its order: field name, label, choices (a dict, YES_NO
# for the checkbox, None for a number) and unit.
V1_QUESTIONS = (
    ("employees", "People who use IT", None, ""),
    ("devices", "Devices to support", None, ""),
    (
        "in_house_it",
        "IT staff of your own",
        {
            "none": "None",
            "part_time": "Someone part-time (for example an office manager who does IT)",
            "full_time": "At least one full-time IT person",
        },
        "",
    ),
    ("remote_staff", "Some staff work outside the office (from home or on the road)", YES_NO, ""),
    (
        "growth",
        "Where your headcount is going over the next year or two",
        {"shrinking": "Shrinking", "stable": "Stable", "growing": "Growing"},
        "",
    ),
    ("downtime_cost_per_hour", "Cost of one hour of IT outage", None, "USD per hour"),
    ("incidents_per_month", "IT problems needing outside help", None, "a month"),
    (
        "compliance",
        "Regulatory duties",
        {
            "none": "None",
            "hipaa": "HIPAA (patient health information)",
            "pci": "PCI DSS (card payments)",
            "other": "Another regulation (for example financial or legal records)",
        },
        "",
    ),
    (
        "budget_priority",
        "How you prefer to pay for IT",
        {
            "predictable": "A predictable monthly bill",
            "lowest_upfront": "The lowest upfront cost: pay only when something breaks",
        },
        "",
    ),
)


def v1_context(recommendation) -> dict:
    """What the format-1 result page adds to its context: result, the outcome's name,
    factors with their matrix rows, related criteria and posts, cost rows, the stored chart,
    retry link and answers."""
    result = recommendation.result
    factors = result["factors"]
    criteria = {
        criterion.slug: criterion
        for criterion in Criterion.objects.filter(
            slug__in={factor["criterion"] for factor in factors}
        )
    }
    posts = published_posts(criterion.related_post_slug for criterion in criteria.values())
    return {
        "result": result,
        # The outcome's name as format 1 had it, not the vocabulary's, which may change.
        "outcome_name": V1_OPTIONS.get(recommendation.outcome, recommendation.outcome),
        "factors": [{**factor, "row": criteria.get(factor["criterion"])} for factor in factors],
        "related_criteria": sorted(criteria.values(), key=lambda criterion: criterion.order),
        "related_posts": sorted(posts.values(), key=lambda post: post.title),
        "cost_rows": cost_rows(result, recommendation.outcome),
        "chart": result["chart"],
        "retry_url": reverse("comparisons:recommend")
        + "?"
        + urlencode(prefill_query(recommendation.inputs)),
        "answers": describe_answers(recommendation.inputs),
    }


def cost_rows(result: dict, outcome: str) -> list[dict]:
    """The saved estimates in the order of the matrix's columns, with display names."""
    return [
        {**result["costs"][option], "name": name, "chosen": option == outcome}
        for option, name in V1_OPTIONS.items()
    ]


# The order the answers were saved in on SQLite (the engine's profile of the time); PostgreSQL
# stores JSON objects in an order of its own, so the link follows this one on both.
V1_ANSWER_ORDER = (
    "employees",
    "devices",
    "in_house_it",
    "downtime_cost_per_hour",
    "incidents_per_month",
    "compliance",
    "budget_priority",
    "growth",
    "remote_staff",
)


def prefill_query(inputs: dict) -> dict:
    """GET parameters that pre-fill the form with saved answers (a checkbox is absent)."""
    query = {name: inputs[name] for name in V1_ANSWER_ORDER if name in inputs}
    if query.get("remote_staff"):
        query["remote_staff"] = "on"
    else:
        query.pop("remote_staff", None)
    return query


def describe_answers(inputs: dict) -> list[tuple[str, str]]:
    """Saved answers as (question, answer) pairs in words, as the format-1 page put them."""
    described = []
    for name, label, choices, unit in V1_QUESTIONS:
        if name not in inputs:
            continue
        value = inputs[name]
        if choices == YES_NO:
            text = "Yes" if value else "No"
        elif choices is not None:
            text = str(choices.get(value, value))
        else:
            text = f"{value:,}" if isinstance(value, int) else str(value)
            if unit:
                text = f"{text} {unit}"
        described.append((label, text))
    return described
