"""Data versions kept by the database itself, for caches that must never serve a stale page.

A cached page is only as fresh as the versions in its key. Versions kept in step by Python
(`save()` overrides, overridden querysets) miss every write path nobody remembered:
`update()`, `bulk_create`, a tag added through a many-to-many table, a raw SQL fix. So the
versions here are moved by database triggers: a `WatchTable` operation in an app's migration
makes every insert, update and delete of a table bump a named scope's counter
(`DataVersion`), on SQLite and on PostgreSQL alike, whatever wrote the row.

A scope is a name chosen by the watching app ("content" for everything the blog's pages are
built from; "discussion:<post id>" for one post's public comments); its counter only grows,
so any change gives a new cache key; readers of the counters (blog.page_cache) read them in
the query a page needs anyway, and a restore moves them forward (`keep_moving_forward`).
"""

from django.db.migrations.operations.base import Operation

from siteops.models import DataVersion

EVENTS = ("INSERT", "UPDATE", "DELETE")


def _row(event):
    """The row a trigger sees for this event: the new one, except for a delete."""
    return "OLD" if event == "DELETE" else "NEW"


class WatchTable(Operation):
    """Migration operation: every write to `table` bumps the scope `scope_sql` evaluates to.

    `scope_sql` and `condition_sql` are SQL expressions over the changed row, written with
    `{row}` for it (`'post:' || {row}.post_id`); a condition limits the bump to the rows that
    matter (a held comment changes nothing readers see). An update counts when the row meets
    the condition before or after it; its scope is taken from the row after.
    """

    reversible = True

    def __init__(self, table, scope_sql, condition_sql=None, name=None):
        self.table = table
        self.scope_sql = scope_sql
        self.condition_sql = condition_sql
        self.name = name or table

    def deconstruct(self):
        kwargs = {"table": self.table, "scope_sql": self.scope_sql}
        if self.condition_sql:
            kwargs["condition_sql"] = self.condition_sql
        if self.name != self.table:
            kwargs["name"] = self.name
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass  # triggers are not part of the model state

    def describe(self):
        return f"Bump data versions on writes to {self.table}"

    def trigger_name(self, event):
        return f"dataversion_{self.name}_{event.lower()}"

    def _upsert(self, schema_editor, event):
        now = (
            "now()"
            if schema_editor.connection.vendor == "postgresql"
            else ("strftime('%Y-%m-%d %H:%M:%f', 'now')")
        )
        table = schema_editor.quote_name(DataVersion._meta.db_table)
        scope = self.scope_sql.format(row=_row(event))
        return (
            f"INSERT INTO {table} (scope, version, changed_at) VALUES ({scope}, 1, {now}) "
            f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1, "
            f"changed_at = excluded.changed_at"
        )

    def _when(self, event):
        if not self.condition_sql:
            return ""
        rows = ("NEW", "OLD") if event == "UPDATE" else (_row(event),)
        either = " OR ".join(f"({self.condition_sql.format(row=row)})" for row in rows)
        return f" WHEN ({either})"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        table = schema_editor.quote_name(self.table)
        for event in EVENTS:
            name = self.trigger_name(event)
            upsert = self._upsert(schema_editor, event)
            if vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
                    f"{self._when(event)} BEGIN {upsert}; END"
                )
            elif vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN {upsert}; RETURN NULL; END; $$"
                )
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
                    f"{self._when(event)} EXECUTE FUNCTION {name}()"
                )
            else:
                raise NotImplementedError(f"data-version triggers for {vendor}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = schema_editor.quote_name(self.table)
        for event in EVENTS:
            name = self.trigger_name(event)
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def issued() -> dict[str, int]:
    """Every scope's counter as it stands: taken before a restore (siteops.backups)."""
    return dict(DataVersion.objects.values_list("scope", "version"))


def keep_moving_forward(before: dict[str, int]) -> None:
    """After a restore, move every counter past what it had reached before it.

    A restore winds the counters back with the data; without this, the writes after it
    would count up to numbers that cached pages of the old data are already keyed on.
    """
    after = issued()
    for scope in before.keys() | after.keys():
        version = max(before.get(scope, 0), after.get(scope, 0)) + 1
        DataVersion.objects.update_or_create(scope=scope, defaults={"version": version})
