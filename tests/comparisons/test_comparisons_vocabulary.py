"""Specification of the recommendation's one vocabulary (comparisons/vocabulary.py): every
outcome the engine can return is called the same on its result page, in its JSON, in the
chart and in the admin's filter, counts and CSV, because all of them read one definition.
"""

import csv
import io
import json

from django.urls import reverse

from comparisons.engine import OUTCOMES
from comparisons.models import Recommendation
from comparisons.vocabulary import Option
from tests.support.recommendation_support import ANSWERS_FOR_OUTCOME, outcome_of

CHANGELIST = reverse("admin:comparisons_recommendation_changelist")


def test_every_outcome_has_one_name_on_its_page_its_json_the_chart_and_the_admin(
    admin_client, result_page
):
    assert set(ANSWERS_FOR_OUTCOME) == set(OUTCOMES)  # a new outcome needs answers here
    for outcome, answers in ANSWERS_FOR_OUTCOME.items():
        option = Option(outcome)
        page = result_page(answers)
        html = page.content.decode()
        assert outcome_of(page) == outcome
        assert f'data-recommendation="{outcome}">{option.label}</span>' in html
        assert f'<p class="lead">{option.words.summary}\n</p>' in html
        assert f'class="chart-legend-label">{option.label}</span>' in html
        assert f">{option.short_label}</tspan>" in html
        assert f'<span class="d-block small fw-normal">{option.words.note}\n</span>' in html
        data = json.loads(admin_client.get(page.context["recommendation"].get_json_url()).content)
        assert data["outcome"] == outcome and data["outcome_label"] == option.label
        assert data["costs"][outcome]["label"] == option.label

    changelist = admin_client.get(CHANGELIST).content.decode()
    ids = [str(pk) for pk in Recommendation.objects.values_list("pk", flat=True)]
    export = admin_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": ids})
    header = next(csv.reader(io.StringIO(export.content.decode())))
    for outcome in OUTCOMES:
        label = Option(outcome).label
        assert f'<a href="?outcome__exact={outcome}">{label}</a>' in changelist  # the filter
        assert f'<th scope="row">{label}</th><td>1</td>' in changelist  # the counts
        assert f"three_year_cost_{outcome}" in header
