"""Seeds a benchmark database: posts with 10, 50 and 10,000 approved comments.

Run as `python -m bench.seed` with the benchmark's environment (bench/run.py does this).
"""

import os
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from blog.models import Post  # noqa: E402
from comments.markdown import render_comment_markdown  # noqa: E402
from comments.models import Comment  # noqa: E402

COMMENT_COUNTS = {"bench-10": 10, "bench-50": 50, "bench-10k": 10_000}
BODY = "Thanks for the *clear* write-up. We moved to a managed provider last year and [our "
BODY += "downtime](https://example.com/) dropped; the monthly fee took some getting used to."


def seed():
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


if __name__ == "__main__":
    seed()
