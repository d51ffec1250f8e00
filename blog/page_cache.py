"""The whole-page cache of post pages, for readers with nothing personal on the page.

Most readers arrive with no session, no remembered commenter details and no comment of their
own awaiting moderation: for them the post page is the same bytes but for two per-reader
tokens in the comment form (the CSRF token and the signed timestamp). The page is rendered
once, stored split around those two tokens, and each request fills in fresh ones.

A reader who has no CSRF cookie yet gets the form with an empty token and no cookie at all:
reading sets no cookie. The page's script fetches a token when the reader starts on the form
(`comment-token`), and a browser without script is asked to send its kept comment again
(`comment_views.csrf_failure`). docs/comments.md tells the whole story.

Invalidation needs no messages between servers: the cache key holds the versions the page
was built from (the post's `updated_at`, its `comments_changed_at`, its series' `updated_at`),
all read in the one query that finds the post. Any change moves a version, so the next
request on any server misses and renders anew; stale keys simply expire. A short timeout
bounds what no row records: time passing (a scheduled part going live, comments closing).
Because an entry never changes under its key, each process keeps its own copy in memory in
front of the shared cache (Redis, when several servers run), and most views never leave it.

That query runs on every view of every post, so it is written once in SQL rather than built
by the ORM on each request: the ORM spends ten times longer composing it than the database
spends answering (docs/performance.md has the figures). It filters exactly as
`Post.objects.published()` does, which the tests hold it to through the pages.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from functools import cache as memoize
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Count, Max
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.http import http_date

from blog.comment_views import AUTHOR_COOKIE, OWN_COOKIE
from blog.forms import issue_timestamp
from blog.models import Page, Post, Series

TIMEOUT_SECONDS = 60
# Part of every key: a deploy that changes what an entry holds never reads an old one.
FORMAT = "v3"
PAGE_NUMBER = re.compile(r"^[0-9]{1,6}$")
# Anchored on the element: sanitised post and comment HTML never holds an <input>.
TIMESTAMP_FIELD = re.compile(r'(<input type="hidden" name="timestamp" value=")[^"]*(")')
# NUL cannot occur in what readers see (forms refuse it, the HTML sanitiser replaces it), so
# no text of a post or comment can be mistaken for a hole.
CSRF_HOLE, TIMESTAMP_HOLE = "\x00csrf-token\x00", "\x00form-timestamp\x00"
HOLES = re.compile(f"({re.escape(CSRF_HOLE)}|{re.escape(TIMESTAMP_HOLE)})")


def shareable(request) -> bool:
    """True when nothing on the page can belong to this reader."""
    cookies = request.COOKIES
    if request.method not in ("GET", "HEAD"):
        return False
    if any(
        name in cookies
        for name in (settings.SESSION_COOKIE_NAME, OWN_COOKIE, AUTHOR_COOKIE, "messages")
    ):
        return False
    query = request.GET
    return not query or (list(query) == ["cpage"] and bool(PAGE_NUMBER.match(query["cpage"])))


class PublishedVersions(NamedTuple):
    """A published post's id and what its page was built from, as the database holds them."""

    pk: int
    updated: object
    comments_changed: object
    series_updated: object


@memoize
def _versions_sql(vendor):
    """The versions query, built once per database engine (quoting differs) from the models."""
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    post, series = quote(Post._meta.db_table), quote(Series._meta.db_table)
    return (
        f"SELECT {post}.{column(Post, 'id')}, {post}.{column(Post, 'updated_at')}, "
        f"{post}.{column(Post, 'comments_changed_at')}, {series}.{column(Series, 'updated_at')} "
        f"FROM {post} LEFT OUTER JOIN {series} "
        f"ON {series}.{column(Series, 'id')} = {post}.{column(Post, 'series')} "
        f"WHERE {post}.{column(Post, 'slug')} = %s AND {post}.{column(Post, 'status')} = %s "
        f"AND {post}.{column(Post, 'published_at')} <= %s"
    )


def published_versions(slug) -> PublishedVersions | None:
    """The versions of the published post at this slug, or None if readers may not see it."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_versions_sql(connection.vendor), [slug, Post.Status.PUBLISHED, now])
        row = cursor.fetchone()
    return PublishedVersions(*row) if row else None


def key_for(request, versions: PublishedVersions) -> str:
    # The values are only compared, never read: their text (a string on SQLite, a datetime on
    # PostgreSQL) is a version as good as any. Hashed, as a key may not hold spaces.
    built_from = "|".join(map(str, versions[1:])).encode()
    digest = hashlib.blake2b(built_from, digest_size=16).hexdigest()
    return f"post-page:{FORMAT}:{versions.pk}:{digest}:{request.GET.get('cpage', '1')}"


def etag_for(key) -> str:
    return 'W/"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


@dataclass(frozen=True)
class CachedPage:
    """A rendered post page in pieces around its per-reader holes, and its Last-Modified."""

    pieces: tuple  # bytes, with the name of a hole at every odd position
    last_modified: str
    expires_at: float  # time.time() after which it must be rendered again, wherever it is

    @classmethod
    def from_html(cls, html: str, post) -> "CachedPage":
        """The page rendered with `csrf_token=CSRF_HOLE` in its context, ready to store."""
        html = TIMESTAMP_FIELD.sub(rf"\g<1>{TIMESTAMP_HOLE}\g<2>", html)
        versions = [post.updated_at, post.comments_changed_at]
        if post.series_id:
            versions.append(post.series.updated_at)
        pieces = tuple(
            part if odd else part.encode() for odd, part in _alternating(HOLES.split(html))
        )
        return cls(pieces, http_date(max(versions).timestamp()), time.time() + TIMEOUT_SECONDS)

    def fill(self, request, post_pk) -> bytes:
        """The page for this reader: their CSRF token (if they have a cookie) and a timestamp."""
        values, holes = {}, self.pieces[1::2]
        if CSRF_HOLE in holes:
            has_cookie = settings.CSRF_COOKIE_NAME in request.COOKIES
            # Only a reader who already has the cookie gets a token in the page: making one
            # would mean setting a cookie on someone who may only have come to read.
            values[CSRF_HOLE] = get_token(request).encode() if has_cookie else b""
        if TIMESTAMP_HOLE in holes:
            values[TIMESTAMP_HOLE] = issue_timestamp(post_pk).encode()
        return b"".join(values[part] if odd else part for odd, part in _alternating(self.pieces))


def cached_page(key) -> CachedPage | None:
    """The page under this key: from this process's memory, else from the shared cache."""
    local = caches["pages"]
    page = local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            # Kept here only as long as it is good anywhere: time passing is what the timeout
            # bounds (a scheduled part going live, comments closing).
            remaining = page.expires_at - time.time()
            if remaining <= 0:
                return None
            local.set(key, page, remaining)
    return page


def store_page(key, page: CachedPage) -> None:
    for level in (caches["pages"], cache):
        level.set(key, page, TIMEOUT_SECONDS)


def _alternating(parts):
    return ((index % 2 == 1, part) for index, part in enumerate(parts))


def posts_version(**kwargs) -> str:
    """Moves whenever any post is saved, added or removed: for the feeds."""
    latest = Post.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    return f"{latest['changed'].timestamp() if latest['changed'] else 0}-{latest['count']}"


@memoize
def _sitemap_version_sql(vendor):
    """Latest change and row count of posts and of site pages, in one query."""
    quote = connection.ops.quote_name
    columns = []
    for model in (Post, Page):
        table = quote(model._meta.db_table)
        updated = quote(model._meta.get_field("updated_at").column)
        columns += [f"(SELECT MAX({updated}) FROM {table})", f"(SELECT COUNT(*) FROM {table})"]
    return "SELECT " + ", ".join(columns)


def sitemap_version(**kwargs) -> str:
    """Moves whenever any post or site page is saved, added or removed: for the sitemap."""
    with connection.cursor() as cursor:
        cursor.execute(_sitemap_version_sql(connection.vendor))
        built_from = "|".join(map(str, cursor.fetchone())).encode()
    # Hashed, as a key may not hold spaces (the text of a time on SQLite has one).
    return hashlib.blake2b(built_from, digest_size=16).hexdigest()


def discussion_version(slug, **kwargs) -> str:
    """Moves whenever the post or any of its comments changes: for its comment feed."""
    versions = Post.objects.filter(slug=slug).values_list("updated_at", "comments_changed_at")
    return "-".join(str(moment.timestamp()) for moment in next(iter(versions), ()))


def cached_by_version(version, timeout=TIMEOUT_SECONDS):
    """Cache a view's whole response (no cookies, nothing per reader) under its data version."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or request.GET:
                return view(request, *args, **kwargs)
            # Hashed: a path can be arbitrarily long and hold any character.
            path = hashlib.blake2b(request.path.encode(), digest_size=16).hexdigest()
            key = f"view:{path}:{version(**kwargs)}"
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.cookies:
                    if hasattr(response, "render"):
                        response.render()
                    cache.set(key, response, timeout)
            return response

        return wrapped

    return decorator
