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

Between writes a process need not read them again: `stamp()` stays equal while nothing was
written to the database, found without reading a table. On SQLite, the connection's own
`PRAGMA data_version` (moves when another connection commits) and its count of the rows it
changed itself; on PostgreSQL, a connection per process listening for the announcements
siteops migration 0002 makes on every move of a counter. Inside a transaction there is no
stamp: this connection may have written what nobody has announced yet.
"""

import itertools
import os
import time

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.migrations.operations.base import Operation
from django.dispatch import receiver
from django.utils import timezone

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


_connections_opened = itertools.count(1)


@receiver(connection_created)
def _number_the_connection(sender, connection, **kwargs):
    connection._opened_as = next(_connections_opened)


def stamp(using="default"):
    """A value equal to an earlier one only if no write reached the database in between
    (for this process to keep what it read then), or None when that cannot be told."""
    connection = connections[using]
    if connection.in_atomic_block:
        return None
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        (data_version,) = raw.execute("PRAGMA data_version").fetchone()
        # A new connection starts both counts again: its number tells it from the last one.
        return getattr(connection, "_opened_as", None), data_version, raw.total_changes
    if connection.vendor == "postgresql":
        return _announcements(connection).stamp()
    return None


# After the listening connection fails, how long the versions are read on every request
# before it is tried again.
RETRY_LISTENING_SECONDS = 10


class _Announcements:
    """This process's connection listening for the data versions' announcements: the stamp
    is the connection and how many it has heard. A broken connection gives no stamp, and the
    next one, made on the next call, starts a new count."""

    def __init__(self, settings_dict):
        self.settings_dict = settings_dict
        self.listener = None
        self.heard = 0
        self.retry_at = 0.0

    def _listen(self):
        import psycopg

        settings = self.settings_dict
        self.listener = psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"] or None,
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            autocommit=True,
            connect_timeout=5,
        )
        self.listener.execute("LISTEN data_versions")

    def stamp(self):
        import psycopg

        if self.listener is None and time.monotonic() < self.retry_at:
            return None  # it failed a moment ago: no connection attempt on every request
        try:
            if self.listener is None:
                self._listen()
            self.heard += sum(1 for _ in self.listener.notifies(timeout=0))
            return id(self.listener), self.heard
        except psycopg.Error:
            if self.listener is not None:
                self.listener.close()
            self.listener = None
            self.retry_at = time.monotonic() + RETRY_LISTENING_SECONDS
            return None


# What this process last read, kept while `stamp()` says nothing was written since and until
# the moment the reader says time alone changes it: between writes a cache hit then reads
# nothing at all.
_remembered = {}
_REMEMBER_AT_MOST = 10_000  # keys; a flood of made-up addresses cannot grow it for ever


def remembered(key, read, good_until=lambda value: None):
    """`read()`, or what it gave for `key` when last called, if nothing was written to the
    database since and `good_until(value)` (a moment, or None) has not passed."""
    mark = stamp()
    if mark is not None:
        kept = _remembered.get(key)
        if kept is not None and kept[0] == mark and (kept[2] is None or timezone.now() < kept[2]):
            return kept[1]
    value = read()
    if mark is not None:
        if len(_remembered) >= _REMEMBER_AT_MOST:
            _remembered.clear()
        _remembered[key] = (mark, value, good_until(value))
    return value


def forget() -> None:
    """Drop what this process remembered (tests, between databases)."""
    _remembered.clear()


_listening = {}


def _announcements(connection) -> _Announcements:
    # One per process and database: a forked worker makes its own (the parent's socket is
    # not its to read).
    key = (os.getpid(), connection.alias, connection.settings_dict["NAME"])
    if key not in _listening:
        _listening[key] = _Announcements(connection.settings_dict)
    return _listening[key]


def stop_listening() -> None:
    """Close this process's listening connections (before its database is dropped: tests)."""
    for announcements in _listening.values():
        if announcements.listener is not None:
            announcements.listener.close()
    _listening.clear()
