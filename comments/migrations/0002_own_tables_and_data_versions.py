"""The comments' tables take the app's name (rows, ids, indexes and foreign keys kept), their
content types follow (so permissions, admin history and revisions stay attached), and a
comment readers can see moves its post's data version on every write (siteops.data_versions):
a held or spam comment changes nothing readers see, so it moves nothing."""

from django.db import migrations

from siteops.data_versions import WatchTable

MODELS = ("comment", "blockedterm")
APPROVED = "'approved'"


def move_content_types(apps, schema_editor, old="blog", new="comments"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old="comments", new="blog")


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("blog", "0006_comments_leave_and_data_versions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="comment", table=None),
        migrations.AlterModelTable(name="blockedterm", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
        WatchTable(
            "comments_comment",
            "'post:' || {row}.post_id",
            condition_sql=f"{{row}}.status = {APPROVED}",
            name="comments_comment",
        ),
    ]
