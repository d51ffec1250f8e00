"""What the blog's cached pages are built from: the data versions in their keys, and the
moments they go stale with no write at all.

Two scopes of data versions (siteops.data_versions), both moved by database triggers so that
no write path can forget them (blog migration 0006):
- `content`: every post, series, tag, post-tag link and site page. A post page shows its
  series' parts and its tags' names, the feeds and the sitemap list posts: any such write
  gives them all a new key.
- `post:<id>`: whatever another app shows on one post's page. The comments app's triggers
  move it when a comment readers can see changes; a held or spam one moves nothing.

Time passing moves no version, so every cached page also carries the moment it stops being
right: the next scheduled post going live, or this post's comments closing
(`Versioned.valid_until`, `post_valid_until`).

The versions query runs on every view of every post, so it is compiled to SQL once
(siteops.compiled_queries) from `Post.objects.published()` itself: the rule keeps one
definition, and the ORM's cost of composing it is paid once per process.
"""

from datetime import UTC
from typing import NamedTuple

from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from blog.models import Post
from siteops.compiled_queries import CompiledQuery
from siteops.models import DataVersion

CONTENT = "content"


def post_scope(post_pk) -> str:
    """The data-version scope of what other apps show on this post's page."""
    return f"post:{post_pk}"


class PostVersions(NamedTuple):
    """A published post's id, the versions of what its page is built from (its cache key),
    and, read in the same query, the next scheduled publication and the latest change."""

    pk: int
    content: int
    post: int
    next_publication: object = None
    last_changed: object = None

    @property
    def key(self) -> tuple:
        # The counters alone name every state between two restores; a restore winds them
        # back, and the time of the last change tells a page written after it apart.
        return self.pk, self.content, self.post, self.last_changed


def _version_of(scope):
    return Subquery(DataVersion.objects.filter(scope=scope).values("version")[:1])


def _next_publication(now):
    upcoming = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
    return Subquery(upcoming.order_by("published_at").values("published_at")[:1])


def _own_scope():
    return Concat(Value("post:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())


_published_versions = CompiledQuery(
    lambda slug, now: (
        Post.objects.published(now=now)
        .filter(slug=slug)
        .annotate(
            content_version=_version_of(CONTENT),
            post_version=_version_of(_own_scope()),
            next_publication=_next_publication(now),
            last_changed=Subquery(
                DataVersion.objects.filter(Q(scope=CONTENT) | Q(scope=_own_scope()))
                .order_by("-changed_at")
                .values("changed_at")[:1]
            ),
        )
        .values_list("pk", "content_version", "post_version", "next_publication", "last_changed")
    ),
    slug=Post._meta.get_field("slug"),
    now=Post._meta.get_field("published_at"),
)


def post_versions(slug, **kwargs) -> PostVersions | None:
    """The versions of the published post at this slug, or None if readers may not see it."""
    rows = _published_versions.rows(slug=slug, now=timezone.now())
    if not rows:
        return None
    pk, content, post, next_publication, last_changed = rows[0]
    # Raw rows: the database's own value for a time (text, on SQLite) becomes a datetime.
    return PostVersions(
        pk, content or 0, post or 0, _as_datetime(next_publication), _as_datetime(last_changed)
    )


def _as_datetime(value):
    """A time from a raw row: SQLite gives the naive UTC time it stores (as text when the
    column's type is not declared), PostgreSQL an aware datetime."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=UTC)
    return moment


class Versioned(NamedTuple):
    """What `siteops.page_cache.cached_by_version` keys a response on, and until when it is
    right without any write."""

    version: object
    valid_until: object = None


def content_version(**kwargs) -> Versioned:
    """Moves on any write to posts, series, tags or site pages (the feeds and the sitemap);
    good until the next scheduled post goes live. One query."""
    row = (
        DataVersion.objects.filter(scope=CONTENT)
        .annotate(next_publication=_next_publication(timezone.now()))
        .values_list("version", "changed_at", "next_publication")
        .first()
    )
    if row is None:
        return Versioned(0)
    version, changed_at, next_publication = row
    # With the time of the change, as in a post page's key: a restore winds counters back.
    return Versioned((version, changed_at), next_publication)


def post_valid_until(post, versions: PostVersions):
    """The first moment the post's page changes with no write: a part going live (its
    series navigation), or its comments closing."""
    moments = [versions.next_publication]
    close_at = post.comments_close_at
    if close_at is not None and close_at > timezone.now():
        moments.append(close_at)
    return min((moment for moment in moments if moment is not None), default=None)
