"""Each comment gets its own secret (`owner_token`), which the author's `comments_own` cookie must
show, so an id issued again after a restore is worthless to an old cookie; existing comments
get one each (a callable default would give every existing row the same one). Also the
authors' edits, counted by the edits' rate limits, and the form timestamps already used.

SQLite adds and alters a column by rebuilding the table, which drops its triggers: the comments'
data-version triggers (migration 0002) are put back after the change, either way."""

import secrets

import comments.models
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from siteops.data_versions import WatchTable


class WatchCommentsAgain(WatchTable):
    """The triggers of migration 0002, dropped if still there and created again."""

    def __init__(self):
        super().__init__(
            "comments_comment",
            "'post:' || {row}.post_id",
            condition_sql="{row}.status = 'approved'",
            name="comments_comment",
        )

    def deconstruct(self):
        return self.__class__.__qualname__, [], {}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    database_backwards = database_forwards


def give_each_comment_its_secret(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for pk in Comment.objects.filter(owner_token="").values_list("pk", flat=True).iterator():
        Comment.objects.filter(pk=pk).update(owner_token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_own_tables_and_data_versions"),
    ]

    operations = [
        # First, so that going back puts the triggers back after the table is rebuilt.
        WatchCommentsAgain(),
        migrations.CreateModel(
            name="UsedFormTimestamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.AddField(
            model_name="comment",
            name="owner_token",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_comment_its_secret, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="comment",
            name="owner_token",
            field=models.CharField(
                default=comments.models.new_owner_token, editable=False, max_length=64
            ),
        ),
        migrations.CreateModel(
            name="CommentEdit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("ip_hash", models.CharField(blank=True, editable=False, max_length=64)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "comment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="edits",
                        to="comments.comment",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["ip_hash", "created_at"], name="comment_edit_ip_idx")
                ],
            },
        ),
        WatchCommentsAgain(),
    ]
