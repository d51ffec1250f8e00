"""Consistent backups and restores of the configured database, whatever its engine.

SQLite uses the online backup API (a consistent copy even while the site serves requests);
PostgreSQL uses `pg_dump --format=custom` and `pg_restore --clean`. Used by the
`backup_db` and `restore_db` commands (`make backup`, `make restore FILE=…`).
"""

import os
import sqlite3
import subprocess
from pathlib import Path

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
    else:
        raise BackupError(f"restores of {connection.vendor} databases are not supported")


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
