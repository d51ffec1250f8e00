"""On PostgreSQL, every move of a data version is announced to the app processes listening
(`NOTIFY data_versions`), so they can keep the versions in memory between writes instead of
reading them on every request (siteops.data_versions.stamp). SQLite needs nothing: a process
asks its own connection whether the file changed (`PRAGMA data_version`)."""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION siteops_announce_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('data_versions', NEW.scope); RETURN NULL; END; $$
"""
TRIGGER = """
CREATE TRIGGER siteops_announce_data_version AFTER INSERT OR UPDATE ON siteops_dataversion
FOR EACH ROW EXECUTE FUNCTION siteops_announce_data_version()
"""


def announce(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(TRIGGER)


def stop_announcing(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS siteops_announce_data_version ON siteops_dataversion"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS siteops_announce_data_version()")


class Migration(migrations.Migration):
    dependencies = [("siteops", "0001_data_versions")]

    operations = [migrations.RunPython(announce, stop_announcing, elidable=False)]
