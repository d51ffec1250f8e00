"""Results saved before cost model 2 (format 1) render exactly as they did, forever.

tests/data/v1_results.json holds three results saved by the format-1 code through its form
(a growing 25-person firm: managed; a 2-person office: break/fix; a firm with full-time IT
staff: co-managed), and tests/data/v1_result_<outcome>.html the `<article class="result">`
element that code rendered for each. The database is put back the way it was when they were
captured: the comparisons app is migrated back to 0001 and forward to 0003 (so the matrix is
freshly seeded, whatever an earlier transactional test's flush left), no blog posts exist,
and the three rows are written with the historical model of 0003. Migrating forward then
freezes each result's chart (migration 0004), and each permalink must render byte for byte
what it rendered before.
"""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

DATA = Path(__file__).resolve().parents[1] / "data"
V1_ROWS = json.loads((DATA / "v1_results.json").read_text(encoding="utf-8"))
BEFORE_FREEZE = ("comparisons", "0003_recommendation_sender")
ARTICLE = re.compile(rb'<article class="result">.*?</article>', re.DOTALL)


def historical_model(node, name="comparisons.Recommendation"):
    """A model as the migrations up to `node` (None: all of them) define it."""
    return MigrationExecutor(connection).loader.project_state(node).apps.get_model(name)


def database_as_captured():
    """The seeded matrix of 0002, no posts, and the captured rows saved in format 1."""
    call_command("migrate", "comparisons", "0001_initial", verbosity=0)
    call_command("migrate", "comparisons", BEFORE_FREEZE[1], verbosity=0)
    historical_model(None, "blog.Post").objects.all().delete()
    Recommendation = historical_model(BEFORE_FREEZE)
    for row in V1_ROWS:
        Recommendation.objects.create(
            id=row["id"], inputs=row["inputs"], outcome=row["outcome"], result=row["result"]
        )
        # created_at is auto_now_add, which a create() cannot set.
        Recommendation.objects.filter(pk=row["id"]).update(
            created_at=datetime.fromisoformat(row["created_at"])
        )


# Transactional: migrations run outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_results_saved_in_format_1_render_exactly_as_before(client):
    database_as_captured()
    call_command("migrate", verbosity=0)
    assert {row["outcome"] for row in V1_ROWS} == {"managed", "break_fix", "co_managed"}
    for row in V1_ROWS:
        response = client.get(f"/compare/recommend/{row['id']}/")
        assert response.status_code == 200
        article = ARTICLE.search(response.content)
        assert article, f"no result article on the {row['outcome']} page"
        expected = (DATA / f"v1_result_{row['outcome']}.html").read_bytes()
        assert article.group(0).decode() == expected.decode(), row["outcome"]
        # Their JSON twin gives what they stored, marked as the first format.
        data = client.get(f"/compare/recommend/{row['id']}.json").json()
        assert data["version"] == 1 and data["outcome"] == row["outcome"]
        assert data["costs"] == row["result"]["costs"]
        # Adjusting needs ranges they never had: it leads back to the result unchanged.
        adjust = client.post(f"/compare/recommend/{row['id']}/adjust/", {})
        assert adjust.status_code == 302 and adjust["Location"].endswith(f"{row['id']}/")


@pytest.mark.django_db(transaction=True)
def test_freezing_the_charts_can_be_undone_and_redone():
    database_as_captured()
    call_command("migrate", "comparisons", "0004_freeze_v1_result_charts", verbosity=0)
    Frozen = historical_model(("comparisons", "0004_freeze_v1_result_charts"))
    for saved in Frozen.objects.all():
        assert saved.result["version"] == 1
        assert {"width", "series", "x_ticks", "current"} <= set(saved.result["chart"])
    call_command("migrate", "comparisons", BEFORE_FREEZE[1], verbosity=0)
    Recommendation = historical_model(BEFORE_FREEZE)
    assert {str(saved.pk): saved.result for saved in Recommendation.objects.all()} == {
        row["id"]: row["result"] for row in V1_ROWS
    }
    call_command("migrate", verbosity=0)
