"""What the blog's cached pages are built from: the data versions in their keys, and the
moments they go stale with no write at all.

Two scopes of data versions (siteops.data_versions), both moved by database triggers so that
no write path can forget them (blog migration 0006):
- `content`: every post, series, tag, post-tag link and site page. A post page shows its
  series' parts and its tags' names, the feeds and the sitemap list posts: any such write
  gives them all a new key.
- `post:<id>`: whatever another app shows on one post's page. The comments app's triggers
  move it when a comment readers can see changes; a held or spam one moves nothing.
- `comments`: every comment readers can see, on any post (comments migration 0004). The
  lists of posts show each post's count of public comments, so they are keyed on it too
  (`listing_version`); a held or spam comment moves nothing here either.

Time passing moves no version, so every cached page also carries the moment it stops being
right: the next scheduled post going live, or this post's comments closing
(`Versioned.valid_until`, `post_valid_until`).

The versions query runs on every view of every post, so it is compiled to SQL once
(siteops.compiled_queries) from `Post.objects.published()` itself: the rule keeps one
definition, and the ORM's cost of composing it is paid once per process. It reads only the
counters; what a page needs beyond its key (its Last-Modified, its lifetime) is read with the
post when the page is rendered (`with_page_times`). A restore moves every counter past what
it had reached (siteops.backups), so no key is ever issued twice.
"""

from datetime import UTC
from typing import NamedTuple

from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from blog.models import Post
from siteops import data_versions
from siteops.compiled_queries import CompiledQuery, CompiledScalars
from siteops.models import DataVersion

CONTENT = "content"
COMMENTS = "comments"


def post_scope(post_pk) -> str:
    """The data-version scope of what other apps show on this post's page."""
    return f"post:{post_pk}"


class PostVersions(NamedTuple):
    """A published post's id and the versions of what its page is built from: its cache key."""

    pk: int
    content: int
    post: int

    @property
    def key(self) -> tuple:
        return self.pk, self.content, self.post


def _version_of(scope):
    return Subquery(DataVersion.objects.filter(scope=scope).values("version")[:1])


def _own_scope():
    return Concat(Value("post:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())


def _next_publication(now):
    upcoming = Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
    return Subquery(upcoming.order_by("published_at").values("published_at")[:1])


# What a cache hit reads, and all it reads: two primary-key lookups beside the post's row.
_published_versions = CompiledQuery(
    lambda slug, now: (
        Post.objects.published(now=now)
        .filter(slug=slug)
        .annotate(content_version=_version_of(CONTENT), post_version=_version_of(_own_scope()))
        .values_list("pk", "content_version", "post_version")
    ),
    slug=Post._meta.get_field("slug"),
    now=Post._meta.get_field("published_at"),
)


def post_versions(slug, **kwargs) -> PostVersions | None:
    """The versions of the published post at this slug, or None if readers may not see it."""
    rows = data_versions.remembered(
        ("post", slug),
        lambda: _published_versions.rows(slug=slug, now=timezone.now()),
        lambda rows: content_version().valid_until,
    )
    if not rows:
        return None
    pk, content, post = rows[0]
    return PostVersions(pk, content or 0, post or 0)


def with_page_times(posts):
    """The posts with, read in the same query, what a page rendered from them needs for its
    validators and lifetime: `next_publication` (the next scheduled post anywhere) and
    `last_changed` (the latest move of the content's or this post's version)."""
    return posts.annotate(
        next_publication=_next_publication(timezone.now()),
        last_changed=Subquery(
            DataVersion.objects.filter(Q(scope=CONTENT) | Q(scope=_own_scope()))
            .order_by("-changed_at")
            .values("changed_at")[:1]
        ),
    )


class Versioned(NamedTuple):
    """What `siteops.page_cache.cached_for_readers` keys a page on, and until when it is
    right without any write."""

    version: object
    valid_until: object = None


def content_and(*scopes):
    """The compiled query reading the content's version, the next scheduled publication and
    the versions of `scopes`: one query, each counter a primary-key lookup, one row even
    before any counter has moved."""

    def version(scope):
        return DataVersion.objects.filter(scope=scope).values("version")

    return CompiledScalars(
        lambda now: [
            version(CONTENT),
            Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values("published_at")[:1],
            *(version(scope) for scope in scopes),
        ],
        now=Post._meta.get_field("published_at"),
    )


_content_only = content_and()


def content_version(**kwargs) -> Versioned:
    """Moves on any write to posts, series, tags or site pages (the lists, feeds, sitemap and
    site pages); good until the next scheduled post goes live. One query."""
    return versions_with(_content_only)


_content_and_comments = content_and(COMMENTS)


def listing_version(**kwargs) -> Versioned:
    """The content's version and the public comments' (the lists' cards count them): moves
    on what moves `content_version` and on any change to a comment readers can see. One
    query."""
    return versions_with(_content_and_comments)


def versions_with(query) -> Versioned:
    """The versions `query` (from `content_and()`) reads, with the next scheduled publication
    as the moment the page goes stale on its own."""
    rows = data_versions.remembered(
        ("versions", id(query)),
        lambda: query.rows(now=timezone.now()),
        lambda rows: _aware(rows[0][1]),
    )
    content, next_publication, *others = rows[0]
    return Versioned((content or 0, *(other or 0 for other in others)), _aware(next_publication))


def _aware(moment):
    """A moment read by raw SQL as the ORM would give it: SQLite hands back text or a naive
    datetime in UTC, which is what it stores."""
    if isinstance(moment, str):
        moment = parse_datetime(moment)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def post_valid_until(post):
    """The first moment the post's page changes with no write: a part going live (its
    series navigation), or its comments closing. `post` comes from `with_page_times()`."""
    moments = [post.next_publication]
    close_at = post.comments_close_at
    if close_at is not None and close_at > timezone.now():
        moments.append(close_at)
    return min((moment for moment in moments if moment is not None), default=None)
