"""The search index: `search_document` (one row per post, its text without markup), and what
each database searches it with.

- SQLite: an external-content FTS5 table over it (Porter stemming, diacritics folded), kept in
  step by triggers on every insert, update and delete, whatever wrote the row.
- PostgreSQL: a stored tsvector column, title weighted A, summary B, body C, and its GIN index
  (angle brackets read as other characters, so text shaped like a tag is still words).

Both vendors' tables are watched for the `content` data version, so a rebuilt index gives the
cached search pages a new key; the posts already there are indexed here.
"""

import django.db.models.deletion
from django.db import migrations, models

from siteops.data_versions import WatchTable

SQLITE = [
    (
        "CREATE VIRTUAL TABLE search_document_fts USING fts5(title, summary, body, "
        "content='search_document', content_rowid='post_id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "DROP TABLE search_document_fts",
    ),
    (
        "CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_document BEGIN "
        "INSERT INTO search_document_fts (rowid, title, summary, body) "
        "VALUES (new.post_id, new.title, new.summary, new.body); END",
        "DROP TRIGGER search_document_fts_insert",
    ),
    (
        "CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN "
        "INSERT INTO search_document_fts (search_document_fts, rowid, title, summary, body) "
        "VALUES ('delete', old.post_id, old.title, old.summary, old.body); END",
        "DROP TRIGGER search_document_fts_delete",
    ),
    (
        "CREATE TRIGGER search_document_fts_update AFTER UPDATE ON search_document BEGIN "
        "INSERT INTO search_document_fts (search_document_fts, rowid, title, summary, body) "
        "VALUES ('delete', old.post_id, old.title, old.summary, old.body); "
        "INSERT INTO search_document_fts (rowid, title, summary, body) "
        "VALUES (new.post_id, new.title, new.summary, new.body); END",
        "DROP TRIGGER search_document_fts_update",
    ),
]
# PostgreSQL's parser drops anything shaped like a tag ("<script>…</script>" in a post about
# phishing): angle brackets are read as two private-use characters instead (search.backends).
TEXT_OF_TAGS = "translate({}, '<>', U&'\\E002\\E003')"
POSTGRESQL = [
    (
        "ALTER TABLE search_document ADD COLUMN document tsvector GENERATED ALWAYS AS ("
        f"setweight(to_tsvector('english', {TEXT_OF_TAGS.format('title')}), 'A') || "
        f"setweight(to_tsvector('english', {TEXT_OF_TAGS.format('summary')}), 'B') || "
        f"setweight(to_tsvector('english', {TEXT_OF_TAGS.format('body')}), 'C')) STORED",
        "ALTER TABLE search_document DROP COLUMN document",
    ),
    (
        "CREATE INDEX search_document_gin ON search_document USING gin (document)",
        "DROP INDEX search_document_gin",
    ),
]
STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def build(apps, schema_editor):
    for forwards, _ in STATEMENTS[schema_editor.connection.vendor]:
        schema_editor.execute(forwards)


def unbuild(apps, schema_editor):
    for _, backwards in reversed(STATEMENTS[schema_editor.connection.vendor]):
        schema_editor.execute(backwards)


def index_existing_posts(apps, schema_editor):
    from search.text import indexable, plain_text

    Post = apps.get_model("blog", "Post")
    Document = apps.get_model("search", "Document")
    Document.objects.bulk_create(
        [
            Document(
                post_id=post.pk,
                title=indexable(post.title),
                summary=indexable(post.summary),
                body=plain_text(post.body_html),
            )
            for post in Post.objects.order_by("pk").iterator()
        ],
        batch_size=200,
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("blog", "0006_comments_leave_and_data_versions"),
        ("siteops", "0002_announce_data_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="blog.post",
                    ),
                ),
                ("title", models.TextField()),
                ("summary", models.TextField()),
                (
                    "body",
                    models.TextField(
                        help_text="The post's text as readers see it, without markup."
                    ),
                ),
            ],
            options={
                "verbose_name": "search index entry",
                "verbose_name_plural": "search index entries",
                "db_table": "search_document",
            },
        ),
        migrations.RunPython(build, unbuild),
        migrations.RunPython(index_existing_posts, migrations.RunPython.noop),
        WatchTable("search_document", "'content'"),
    ]
