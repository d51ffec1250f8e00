"""Posts and pages stored before tables were wrapped in their scrolling region are rendered
again by blog migration 0007: a deploy's `migrate` gives them today's HTML, with nothing else
changed (their Markdown, their sync fingerprint)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("blog", "0006_comments_leave_and_data_versions")]
AFTER = [("blog", "0007_render_bodies_again")]
TABLE = "| A | B |\n|---|---|\n| 1 | 2 |\n"


@pytest.fixture(autouse=True)
def every_migration_applied_afterwards():
    """The tests after this one find the database fully migrated again (later migrations of
    the blog, and other apps' depending on them, were unapplied to reach BEFORE)."""
    yield
    call_command("migrate", verbosity=0)


def test_stored_posts_and_pages_are_rendered_again_and_keep_their_markdown():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    models = executor.loader.project_state(BEFORE).apps
    Post, Page = models.get_model("blog.Post"), models.get_model("blog.Page")
    post = Post.objects.create(
        title="Old", slug="old", body_markdown=TABLE, body_html="<table>…</table>",
        synced_fingerprint="kept",
    )  # fmt: skip
    page = Page.objects.create(title="Old", slug="old-page", body_markdown=TABLE, body_html="x")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    models = executor.loader.project_state(AFTER).apps
    post = models.get_model("blog.Post").objects.get(pk=post.pk)
    assert 'class="table-scroll"' in post.body_html
    assert (post.body_markdown, post.synced_fingerprint) == (TABLE, "kept")
    assert 'class="table-scroll"' in models.get_model("blog.Page").objects.get(pk=page.pk).body_html
