"""How often something may happen, and the one way the site says "not yet".

Every limit on the site is declared here the same way and answers the same way: the follow
form (`subscriptions.following`), saved recommendations (`comparisons.views`), admin sign-in
(`adminguard`) and the comments' flood control.

- `RateLimit(name, limit, window, message)`: at most `limit` events in any `window`.
  `RateLimit.min_interval(name, interval, message)` is "one at a time, `interval` apart".
- `limit.refusal(events, now)` counts the events of a queryset (one sender's earlier events,
  by their timestamp field) in the database, so the limit holds across processes and servers,
  and returns a `Refusal` (message and the seconds to wait) or None.
- `strictest_refusal(checks, now)`: several limits at once; the one that waits longest.
- `too_many_requests(response, refusal)`: the answer, 429 with `Retry-After`, everywhere.
- `exclusively(*keys)`: count and record under a lock per sender, so requests racing each
  other (on any server, about any post) cannot all pass a count that none has yet raised.

The wait is exact: the time until enough events have aged out of the window for one more to
fit, rounded up to whole seconds and never less than one, so a client that waits exactly
`Retry-After` seconds is let through (if nothing else happened meanwhile).
"""

import hashlib
import math
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after_seconds: int
    limit_name: str = ""


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` events in any `window`; a `limit` of 0 refuses everything."""

    name: str
    limit: int
    window: timedelta
    message: str
    timestamp_field: str = "created_at"

    @classmethod
    def min_interval(cls, name: str, interval: timedelta, message: str, **kwargs) -> "RateLimit":
        """One event at a time, each at least `interval` after the one before."""
        return cls(name, 1, interval, message, **kwargs)

    def refusal(self, events: QuerySet, now: datetime | None = None) -> Refusal | None:
        """Refuse one more event now if `events` already fill the window.

        `events` are the earlier events this limit counts (one sender's), without the one
        being asked about. An event exactly `window` old no longer counts, which is what
        makes the Retry-After exact.
        """
        now = now or timezone.now()
        if self.limit <= 0:
            return Refusal(self.message, _whole_seconds(self.window), self.name)
        field = self.timestamp_field
        recent = events.filter(**{f"{field}__gt": now - self.window})
        count = recent.count()
        if count < self.limit:
            return None
        # Once the oldest `count - limit + 1` are out of the window, one more fits: the wait
        # is until the last of them is `window` old. One row fetched, whatever the count.
        position = count - self.limit
        times = recent.order_by(field).values_list(field, flat=True)[position : position + 1]
        # Empty only if rows were deleted in between (an erasure): then wait a whole window.
        freed_at = times[0] + self.window if times else now + self.window
        return Refusal(self.message, _whole_seconds(freed_at - now), self.name)


def strictest_refusal(
    checks: Iterable[tuple[RateLimit, QuerySet | None]], now: datetime | None = None
) -> Refusal | None:
    """The refusal with the longest wait among these limits, or None if all allow one more.

    The longest, not the first: a client told to come back sooner would only be refused
    again by the other limit. A check whose events are None (no key to count by, say an
    empty hash) is skipped. On a tie the first listed wins, so list the clearest message
    first.
    """
    now = now or timezone.now()
    refusals = [
        refusal
        for limit, events in checks
        if events is not None
        for refusal in [limit.refusal(events, now)]
        if refusal is not None
    ]
    return max(refusals, key=lambda refusal: refusal.retry_after_seconds, default=None)


def too_many_requests(response, refusal: Refusal):
    """The refusal as HTTP: status 429, `Retry-After` in whole seconds, and never cached.

    The response is the page the client would see anyway (the form re-rendered with what
    was typed), so only the status and headers change. Never cached, so no shared cache can
    hand one client's refusal to another.
    """
    response.status_code = 429
    response["Retry-After"] = str(refusal.retry_after_seconds)
    add_never_cache_headers(response)
    return response


def _whole_seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


@contextmanager
def exclusively(*keys: str):
    """A transaction in which no other request holding any of `keys` runs: check a limit,
    then record the event, inside it.

    On PostgreSQL a transaction-scoped advisory lock per key (taken in a fixed order, so two
    requests never wait on each other in a circle), released at commit, on every server alike.
    SQLite has one writer at a time: the project's IMMEDIATE transactions take the write lock
    at their start, which serialises them all.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for key in sorted(set(keys)):
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_number(key)])
        yield


def _lock_number(key: str) -> int:
    """The signed 64-bit number PostgreSQL's advisory locks are named by."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
