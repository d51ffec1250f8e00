"""One at a time across every process and server, without holding a database transaction:
for work too slow to do inside one (checking a password takes a quarter of a second).

On PostgreSQL a session-level advisory lock, shared by every server on the database. On
SQLite, which one machine serves, an exclusive lock on a small file beside the database,
shared by its processes. `held(key)` waits for the lock and releases it on leaving;
`attempted(key)` takes it only if it is free.
"""

import fcntl
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

from django.db import connection


def _number(key: str) -> int:
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock_folder() -> Path:
    name = str(connection.settings_dict["NAME"])
    if name in (":memory:", "") or name.startswith("file:"):
        return Path(os.environ.get("TMPDIR", "/tmp")) / "itguide-locks"
    return Path(name).resolve().parent / ".locks"


def _lock_file(key: str) -> Path:
    folder = _lock_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


@contextmanager
def held(key: str):
    if connection.vendor == "postgresql":
        number = _number(key)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [number])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        return
    with open(_lock_file(key), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def attempted(key: str):
    """The same lock as `held(key)`, but never waiting: yields True when this process now holds
    it (released on leaving), False when another does. For work one process can do for all
    (rendering a page every server then shares) while the others carry on without it."""
    if connection.vendor == "postgresql":
        number = _number(key)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [number])
        return
    with open(_lock_file(key), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
