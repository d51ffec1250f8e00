"""Seeds a benchmark database: posts with 10, 50 and 10,000 approved comments, one saved
recommendation (its address, and the answers it was made from, written as JSON to
BENCH_SEED_FILE for bench/run.py, which has no Django of its own), and the table
the bare insert view (bench/urls.py) writes to.

Run as `python -m bench.seed` with the benchmark's environment (bench/run.py does this).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.urls import INSERT_TABLE  # noqa: E402
from blog.models import Post  # noqa: E402
from comments.markdown import render_comment_markdown  # noqa: E402
from comments.models import Comment  # noqa: E402
from comparisons.forms import RecommendationForm  # noqa: E402
from comparisons.models import Recommendation  # noqa: E402
from siteops.clients import hash_ip  # noqa: E402
from tests.support.recommendation_support import GROWING_FIRM  # noqa: E402

COMMENT_COUNTS = {"bench-10": 10, "bench-50": 50, "bench-10k": 10_000}
BODY = "Thanks for the *clear* write-up. We moved to a managed provider last year and [our "
BODY += "downtime](https://example.com/) dropped; the monthly fee took some getting used to."


def seed_posts():
    template = Post.objects.published().order_by("part").first()
    now = timezone.now()
    for slug, count in COMMENT_COUNTS.items():
        Post.objects.filter(slug=slug).delete()
        post = Post.objects.create(
            slug=slug,
            title=f"Benchmark post with {count} comments",
            summary=template.summary,
            body_markdown=template.body_markdown,
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(days=1),
        )
        post.tags.set(template.tags.all())
        html = render_comment_markdown(BODY)
        Comment.objects.bulk_create(
            [
                Comment(
                    post=post,
                    name=f"Reader {n}",
                    email=f"reader{n}@example.com",
                    body=BODY,
                    body_html=html,
                    status=Comment.Status.APPROVED,
                    created_at=now - timedelta(minutes=count - n),
                )
                for n in range(count)
            ],
            batch_size=1000,
        )


def seed_recommendation():
    """A saved result made as comparisons.views.RecommendView makes one from a valid form."""
    form = RecommendationForm(GROWING_FIRM)
    if not form.is_valid():
        raise SystemExit(f"the benchmark's answers no longer pass the form: {form.errors}")
    recommendation = Recommendation.objects.prepare(form.profile(), ip_hash=hash_ip("192.0.2.1"))
    recommendation.save()
    return recommendation.get_absolute_url()


def create_insert_table():
    key = "bigserial PRIMARY KEY" if connection.vendor == "postgresql" else "integer PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {INSERT_TABLE} "
            f"(id {key}, body text NOT NULL, created_at timestamp NOT NULL)"
        )


if __name__ == "__main__":
    seed_posts()
    create_insert_table()
    seeded = {"result_url": seed_recommendation(), "answers": GROWING_FIRM}
    print(json.dumps(seeded))
    if os.environ.get("BENCH_SEED_FILE"):
        Path(os.environ["BENCH_SEED_FILE"]).write_text(json.dumps(seeded))
