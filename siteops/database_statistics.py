"""The query planner's statistics kept current (issue #17).

With no statistics SQLite guesses which index to use, and for "has this email an approved
comment?" (comments.moderation, inside the comments' write lock) it guesses the index on
status: a walk over every approved comment, slower with each one (4 ms at 10,000). With
statistics it looks the email up instead.

`refresh_statistics()` runs `ANALYZE`. On SQLite it is run after every `migrate`
(siteops.apps), at the end of `sync_posts` and every hour by the background worker
(`run_worker`): the worker's connection is long-lived and never reads the comments, so
`PRAGMA optimize` there would skip them (before SQLite 3.46 it only looks at the tables its
own connection queried); a sampled `ANALYZE` is as cheap (about a millisecond at 10,000
comments) and sees every table. On PostgreSQL it runs after `migrate` and `sync_posts`, and
autovacuum keeps the statistics current in between, so the worker leaves it alone.
"""

from django.db import connections

REFRESH_EVERY_SECONDS = 60 * 60
"""How often the background worker refreshes SQLite's statistics."""

SQLITE_ANALYSIS_LIMIT = 400
"""Rows SQLite reads from each index to estimate it, the amount its documentation
recommends: the estimates are as good for choosing an index, and ANALYZE stays cheap however
large the tables grow."""


def refresh_statistics(using="default", *, periodic=False):
    """Gather the planner's statistics for every table of the database `using`.

    `periodic` is the worker's hourly refresh: done on SQLite only, as PostgreSQL's
    autovacuum already does it."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
    elif connection.vendor == "postgresql" and not periodic:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
