"""Consistent backups and restores of the configured database, whatever its engine.

SQLite uses the online backup API (a consistent copy even while the site serves requests);
PostgreSQL uses `pg_dump --format=custom` and `pg_restore --clean`. Used by the
`backup_db` and `restore_db` commands (`make backup`, `make restore FILE=…`).

A restore never issues an id again: a backup brings back its id counters as they were, so rows
written after it would have their ids handed out a second time, and anything that names a row
by id (a commenter's ownership cookie, a link in an email) would reach someone else's row.
`restore()` reads the live database's counters first and leaves each one at the highest of
that, the backup's own and the restored table's largest id.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from siteops import data_versions

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why, naming the file."""


def suffix_for(connection):
    return ".sqlite3" if connection.vendor == "sqlite" else ".dump"


def backup(connection, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={destination}"], connection)
    else:
        raise BackupError(f"backups of {connection.vendor} databases are not supported")
    return destination


def restore(connection, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    header = source.read_bytes()[:16]
    if connection.vendor in ("sqlite", "postgresql"):
        issued = ids_issued(connection)
        versions = data_versions.issued()
        _replace_contents(connection, source, header)
        keep_ids_issued(connection, issued)
        # Cached pages are keyed on data versions: never let the restored ones repeat a key.
        data_versions.keep_moving_forward(versions)
    else:
        raise BackupError(f"restores of {connection.vendor} databases are not supported")


def ids_issued(connection) -> dict[str, int]:
    """The highest id each counter has handed out: sequence name (or SQLite table) -> id."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            return {name: int(seq) for name, seq in cursor.fetchall()}
        issued = {}
        for sequence in _pg_sequences(cursor):
            cursor.execute(f"SELECT last_value, is_called FROM {_quoted(sequence['name'])}")
            last_value, is_called = cursor.fetchone()
            issued[sequence["name"]] = last_value if is_called else last_value - 1
        return issued


def keep_ids_issued(connection, issued: dict[str, int]) -> None:
    """Move every counter past what it had issued before the restore (never backwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            restored = {name: int(seq) for name, seq in cursor.fetchall()}
            for name, seq in issued.items():
                if name not in restored:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [name, seq]
                    )
                elif seq > restored[name]:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [seq, name]
                    )
            return
        for sequence in _pg_sequences(cursor):
            name, table, column = sequence["name"], sequence["table"], sequence["column"]
            cursor.execute(
                f"SELECT last_value, is_called, (SELECT MAX({_quoted(column)}) FROM "
                f"{_quoted(table)}) FROM {_quoted(name)}"
            )
            last_value, is_called, largest = cursor.fetchone()
            target = max(
                issued.get(name, 0), last_value if is_called else last_value - 1, largest or 0
            )
            if target >= 1:
                cursor.execute("SELECT setval(%s, %s, true)", [_quoted(name), target])


def _pg_sequences(cursor):
    """Every sequence owned by a table's column (serial and identity alike) in the schema."""
    cursor.execute(
        """
        SELECT s.relname, t.relname, a.attname
        FROM pg_class s
        JOIN pg_namespace n ON n.oid = s.relnamespace
        JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
            AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE s.relkind = 'S' AND n.nspname = current_schema()
        """
    )
    return [{"name": s, "table": t, "column": c} for s, t, c in cursor.fetchall()]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _replace_contents(connection, source: Path, header: bytes) -> None:
    if connection.vendor == "sqlite":
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(f"{source}: not a SQLite database backup")
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    elif connection.vendor == "postgresql":
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{source}: not a pg_dump custom-format backup")
        # Our own idle connection must not hold locks on the tables pg_restore drops.
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                str(source),
            ],
            connection,
            database_flag=True,
        )


def _run(command, connection, database_flag=False):
    settings = connection.settings_dict
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    command = (
        [*command, f"--dbname={settings['NAME']}"]
        if database_flag
        else [*command, settings["NAME"]]
    )
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error
