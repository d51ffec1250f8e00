"""Shared by the recommendation tests: answers as the form sends them, submitting them, and
reading the outcome off a result page."""

import re

import pytest
from django.urls import reverse

FORM = reverse("comparisons:recommend")
GROWING_FIRM = {
    "employees": "25",
    "devices": "30",
    "in_house_it": "none",
    "downtime_cost_per_hour": "1000",
    "incidents_per_month": "3",
    "compliance": "none",
    "budget_priority": "predictable",
    "growth": "growing",
    "remote_staff": "on",
}
MICRO_OFFICE = {
    **GROWING_FIRM,
    "employees": "2",
    "devices": "3",
    "downtime_cost_per_hour": "50",
    "incidents_per_month": "0.2",
    "budget_priority": "lowest_upfront",
    "growth": "stable",
}
MICRO_OFFICE.pop("remote_staff")


@pytest.fixture
def submit(client, db):
    def post(answers):
        return client.post(FORM, answers)

    return post


@pytest.fixture
def result_page(client, submit):
    def get(answers):
        response = submit(answers)
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert page.status_code == 200
        return page

    return get


def outcome_of(page):
    return outcome_of_html(page.content.decode())


def outcome_of_html(html):
    return re.search(r'data-recommendation="(\w+)"', html).group(1)


# Answers that lead to each outcome, as the form sends them.
ANSWERS_FOR_OUTCOME = {
    "break_fix": MICRO_OFFICE,
    "hybrid": {**MICRO_OFFICE, "compliance": "pci"},
    "managed": GROWING_FIRM,
    "co_managed": {**GROWING_FIRM, "in_house_it": "full_time"},
}
