"""Every write to a comment readers can see also moves one site-wide data version, `comments`
(siteops.data_versions): the lists of posts show each post's count of public comments, so
they are keyed on it (blog.page_cache.listing_version). A held or spam comment moves nothing,
as for the post's own version (migration 0002).

SQLite rebuilds a table to alter a column, which drops its triggers: a later migration that
changes this table must put these back too (as 0003 does for the post's)."""

from django.db import migrations

from siteops.data_versions import WatchTable


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_owner_token_edits_and_used_timestamps"),
        ("siteops", "0002_announce_data_versions"),
    ]

    operations = [
        WatchTable(
            "comments_comment",
            "'comments'",
            condition_sql="{row}.status = 'approved'",
            name="comments_comment_public",
        ),
    ]
