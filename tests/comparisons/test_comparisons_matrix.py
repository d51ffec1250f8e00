"""Specification of the pros/cons matrix at /compare/ and of the data seeded behind it.

The matrix is data (seeded by migration 0002 from comparisons/seed/), so these tests read
it through the page a visitor sees, plus the `migrate` command for the seeding itself.
"""

import importlib
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from comparisons.engine import Profile, recommend
from comparisons.models import Assessment, Assumption, Criterion, ServiceModel

MATRIX = reverse("comparisons:matrix")
PART_2 = "pros-and-cons-of-break-fix-and-managed-services"


@pytest.fixture
def matrix_page(client, db):
    def get():
        response = client.get(MATRIX)
        assert response.status_code == 200
        return response.content.decode()

    return get


# --- The seeded data ------------------------------------------------------------------------


def test_the_matrix_is_seeded_with_three_models_and_at_least_ten_criteria(db):
    assert list(ServiceModel.objects.values_list("key", flat=True)) == [
        "break_fix",
        "managed",
        "co_managed",
    ]
    assert Criterion.objects.count() >= 10


def test_every_criterion_has_a_sourced_assessment_for_every_model(db):
    for criterion in Criterion.objects.prefetch_related("assessments__service_model"):
        cells = list(criterion.assessments.all())
        assert {cell.service_model.key for cell in cells} == {
            "break_fix",
            "managed",
            "co_managed",
        }, criterion.slug
        for cell in cells:
            assert cell.verdict in {"pro", "con", "mixed"}
            assert cell.summary.endswith(".") and cell.source.strip()


def test_every_seeded_cell_links_to_an_https_source(db):
    cells = list(Assessment.objects.all())
    assert len(cells) == 3 * Criterion.objects.count()
    for cell in cells:
        url = urlsplit(cell.source_url)
        assert url.scheme == "https" and url.netloc, (str(cell), cell.source_url)


def test_the_source_url_migration_fills_only_empty_seeded_cells(db):
    fill = importlib.import_module(
        "comparisons.migrations.0007_assessment_source_url"
    ).fill_source_urls
    owner_url = "https://example.com/our-own-check"
    Assessment.objects.filter(criterion__slug="control", service_model__key="managed").update(
        source_url=owner_url
    )
    Assessment.objects.filter(criterion__slug="control", service_model__key="break_fix").update(
        source_url=""
    )
    extra = Criterion.objects.create(slug="extra", name="Extra", order=99)
    Assessment.objects.create(
        criterion=extra,
        service_model=ServiceModel.objects.get(key="managed"),
        verdict="mixed",
        summary="X.",
        source="Y",
    )
    fill(apps, None)
    cells = {
        (cell.criterion.slug, cell.service_model.key): cell.source_url
        for cell in Assessment.objects.select_related("criterion", "service_model")
    }
    assert cells["control", "managed"] == owner_url
    assert cells["control", "break_fix"].startswith("https://")
    assert cells["extra", "managed"] == ""


def test_the_matrix_covers_the_criteria_a_business_owner_weighs(db):
    slugs = set(Criterion.objects.values_list("slug", flat=True))
    assert {
        "cost-predictability",
        "upfront-cost",
        "response-time",
        "proactive-maintenance",
        "downtime-risk",
        "security-and-compliance",
        "scalability",
        "access-to-expertise",
        "provider-incentives",
        "control",
        "contract-commitment",
        "very-small-business-fit",
    } <= slugs


def test_every_outcome_the_engine_can_give_is_named_by_the_seeded_assumptions(db):
    profile = Profile(5, 5, "none", 100, Decimal(1), "none", "predictable", "stable", False)
    result = recommend(profile, Assumption.objects.all().as_cost_assumptions())
    assert set(result.costs) == {"break_fix", "hybrid", "managed"}
    assert Assumption.objects.count() == 21


# Transactional (migrations run outside a test transaction) but not serialized: it needs no
# rows at the start, and restoring serialized rows after another transactional test's flush
# collides with the content types that flush recreated.
@pytest.mark.django_db(transaction=True)
def test_the_seed_migration_can_be_reversed_and_reapplied():
    call_command("migrate", "comparisons", "0001", verbosity=0)
    assert not Criterion.objects.exists()
    assert not ServiceModel.objects.exists() and not Assumption.objects.exists()
    call_command("migrate", "comparisons", verbosity=0)
    assert Criterion.objects.count() >= 10
    assert Assessment.objects.count() == 3 * Criterion.objects.count()
    assert Assumption.objects.count() == 21  # the second set (migration 0005) replaced the first


# --- The page -------------------------------------------------------------------------------


def test_the_matrix_is_a_table_with_column_and_row_headers(matrix_page):
    html = matrix_page()
    assert html.count("<h1") == 1
    assert "<caption>" in html
    for name in ("Break/fix", "Managed services", "Co-managed"):
        assert f'<th scope="col">{name}</th>' in html
    assert html.count('<th scope="row">') == Criterion.objects.count()


def test_each_cell_tells_pro_or_con_by_icon_and_by_word(matrix_page):
    html = matrix_page()
    badge = re.compile(
        r'<span class="verdict verdict-(\w+)">'
        r'<span class="verdict-icon" aria-hidden="true">(.+?)</span>\s*(\w+)</span>'
    )
    cells = badge.findall(html)
    assert len(cells) >= Assessment.objects.count()
    words = {"pro": "Pro", "con": "Con", "mixed": "Mixed"}
    icons = {verdict: icon for verdict, icon, _ in cells}
    assert len(set(icons.values())) == 3  # a different icon for each verdict
    for verdict, _icon, word in cells:
        assert word == words[verdict]


def test_each_cell_shows_its_source(matrix_page):
    html = matrix_page()
    assert html.count('<span class="matrix-source">Source: ') == Assessment.objects.count()


def test_each_cell_s_source_links_to_its_page(matrix_page):
    html = matrix_page()
    cells = Assessment.objects.all()
    assert html.count('rel="noopener noreferrer">') == cells.count()
    for cell in cells:
        link = (
            f'<span class="matrix-source">Source: <a href="{escape(cell.source_url)}" '
            f'rel="noopener noreferrer">{escape(cell.source)}</a></span>'
        )
        assert link in html, str(cell)


def test_a_cell_without_a_url_shows_its_source_as_text(matrix_page):
    cell = Assessment.objects.get(criterion__slug="control", service_model__key="managed")
    cell.source_url = ""
    cell.save()
    html = matrix_page()
    assert f'<span class="matrix-source">Source: {escape(cell.source)}</span>' in html
    assert html.count('rel="noopener noreferrer">') == Assessment.objects.count() - 1


def test_each_row_has_an_anchor_that_other_pages_link_to(matrix_page):
    html = matrix_page()
    for criterion in Criterion.objects.all():
        assert f'<tr id="{criterion.slug}">' in html


def test_a_criterion_links_to_its_post_once_that_post_is_published(matrix_page, make_post):
    assert f'href="/blog/{PART_2}/"' not in matrix_page()
    make_post(slug=PART_2, title="The pros and cons in detail")
    html = matrix_page()
    assert f'href="/blog/{PART_2}/"' in html
    assert "Read more: The pros and cons in detail" in html


def test_a_draft_or_future_post_is_never_linked(matrix_page, make_post):
    make_post(slug=PART_2, status="draft")
    make_post(
        slug="advantages-of-managed-services",
        published_at=timezone.now() + timedelta(days=1),
    )
    html = matrix_page()
    assert f"/blog/{PART_2}/" not in html
    assert "/blog/advantages-of-managed-services/" not in html


def test_admin_edits_show_on_the_page_in_the_admin_s_order(matrix_page):
    Criterion.objects.filter(slug="control").update(order=0, name="Who holds the keys")
    html = matrix_page()
    assert html.index("Who holds the keys") < html.index("Cost predictability")


def test_the_page_needs_the_same_few_queries_however_many_rows_and_posts(
    client, make_post, django_assert_max_num_queries
):
    for n in range(5):
        make_post(slug=f"extra-{n}")
        criterion = Criterion.objects.create(
            slug=f"extra-{n}", name=f"Extra {n}", order=99, related_post_slug=f"extra-{n}"
        )
        for model in ServiceModel.objects.all():
            Assessment.objects.create(
                criterion=criterion, service_model=model, verdict="mixed", summary="X.", source="Y"
            )
    # The versions the page cache keys it on, then the models, criteria, cells and posts.
    with django_assert_max_num_queries(5):
        assert client.get(MATRIX).status_code == 200


def test_the_page_uses_no_inline_style_or_script(matrix_page):
    html = matrix_page()
    assert "style=" not in html and "<style" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
