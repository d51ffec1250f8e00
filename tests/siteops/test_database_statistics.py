"""The query planner's statistics kept current (issue #17): without them SQLite checks whether
an email already has an approved comment by walking every approved comment (the index on
status), inside the comments' write lock. `migrate`, `sync_posts` and the background worker
refresh them, so the check uses the index on email however many comments there are.

Each test starts from a site that grew after its statistics were gathered (10,000 approved
comments written after `migrate`), captures the moderator's check while a comment is posted
through the site, and asks SQLite how it runs that very query, before and after the refresh."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_comment_limits")]

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL")

APPROVED_COMMENTS = 10_000


@pytest.fixture(autouse=True)
def _planner_reads_the_statistics_tables_again(db):
    """A test's rolled-back transaction takes the statistics it gathered with it, but an
    SQLite connection keeps what it loaded: have it read the tables again first, so each test
    starts from the statistics `migrate` gathered, not another test's."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sqlite_schema")


@pytest.fixture
def grown_site(make_post):
    """A post and 10,000 approved comments from as many addresses, written after `migrate`
    gathered its statistics (on an empty database)."""
    post = make_post(slug="popular")
    Comment.objects.bulk_create(
        (
            Comment(
                post=post,
                name=f"Reader {n}",
                email=f"reader{n}@grown.example",
                body="Thanks.",
                body_html="<p>Thanks.</p>",
                status=Comment.Status.APPROVED,
            )
            for n in range(APPROVED_COMMENTS)
        ),
        batch_size=500,
    )
    return post


def _is_first_time_check(sql):
    return (
        sql.startswith('SELECT 1 AS "a" FROM "comments_comment"')
        and '"comments_comment"."email" = ' in sql
        and '"comments_comment"."status" = ' in sql
    )


def first_time_check_plan(client, comment_form, post, email):
    """Post a first comment from `email` and return SQLite's plan for the moderator's check
    whether that email already has an approved comment."""
    fields = comment_form(post, email=email)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{post.get_absolute_url()}comments/", fields)
    assert response.status_code == 302
    assert Comment.objects.get(email=email).status == Comment.Status.PENDING
    checks = [query["sql"] for query in queries if _is_first_time_check(query["sql"])]
    assert len(checks) == 1, [query["sql"] for query in queries]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {checks[0]}")
        return " | ".join(row[-1] for row in cursor.fetchall())


def assert_walks_the_approved_comments(plan):
    assert "comment_email_idx" not in plan and "comment_queue_idx (status=?)" in plan


def assert_looks_up_the_email(plan):
    assert "USING INDEX comment_email_idx (email=?)" in plan


@sqlite_only
def test_sync_posts_refreshes_the_statistics_the_first_time_check_needs(
    client, comment_form, grown_site, tmp_path
):
    assert_walks_the_approved_comments(
        first_time_check_plan(client, comment_form, grown_site, "before@example.com")
    )
    (tmp_path / "posts").mkdir()
    call_command("sync_posts", content_dir=tmp_path, stdout=StringIO(), stderr=StringIO())
    assert_looks_up_the_email(
        first_time_check_plan(client, comment_form, grown_site, "after@example.com")
    )


@sqlite_only
def test_migrate_refreshes_the_statistics(client, comment_form, grown_site):
    assert_walks_the_approved_comments(
        first_time_check_plan(client, comment_form, grown_site, "before@example.com")
    )
    call_command("migrate", verbosity=0)
    assert_looks_up_the_email(
        first_time_check_plan(client, comment_form, grown_site, "after@example.com")
    )


@sqlite_only
def test_the_background_worker_refreshes_the_statistics(client, comment_form, grown_site):
    assert_walks_the_approved_comments(
        first_time_check_plan(client, comment_form, grown_site, "before@example.com")
    )
    call_command("run_worker", "--once", verbosity=0, stdout=StringIO())
    assert_looks_up_the_email(
        first_time_check_plan(client, comment_form, grown_site, "after@example.com")
    )


def planner_knows_the_grown_sites_addresses():
    """Whether PostgreSQL's statistics on comment emails (rolled back with the test, unlike
    pg_class's row estimate) describe this test's 10,000 addresses."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT histogram_bounds::text FROM pg_stats"
            " WHERE tablename = 'comments_comment' AND attname = 'email'"
        )
        row = cursor.fetchone()
    return row is not None and "@grown.example" in (row[0] or "")


@postgresql_only
@pytest.mark.parametrize("command", ["sync_posts", "migrate"])
def test_postgresql_analyzes_after_migrate_and_sync_posts(grown_site, tmp_path, command):
    assert not planner_knows_the_grown_sites_addresses()
    (tmp_path / "posts").mkdir()
    options = {"content_dir": tmp_path} if command == "sync_posts" else {"verbosity": 0}
    call_command(command, stdout=StringIO(), stderr=StringIO(), **options)
    assert planner_knows_the_grown_sites_addresses()
