"""The whole-page cache of post pages, for readers with nothing personal on the page.

Most readers arrive with no session, no remembered commenter details and no comment of their
own awaiting moderation: for them the post page is the same bytes but for two per-reader
tokens in the comment form (the CSRF token and the signed timestamp). The page is rendered
once, stored with those two tokens blanked, and each request fills in fresh ones.

Invalidation needs no messages between servers: the cache key holds the versions the page
was built from (the post's `updated_at`, its `comments_changed_at`, its series' `updated_at`),
all read in the one query that finds the post. Any change moves a version, so the next
request on any server misses and renders anew; stale keys simply expire. A short timeout
bounds what no row records: time passing (a scheduled part going live, comments closing).
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.middleware.csrf import get_token
from django.utils.http import http_date

from blog.comment_views import AUTHOR_COOKIE, OWN_COOKIE
from blog.forms import issue_timestamp

TIMEOUT_SECONDS = 60
PAGE_NUMBER = re.compile(r"^[0-9]{1,6}$")
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
TIMESTAMP_FIELD = re.compile(r'(name="timestamp" value=")[^"]*(")')
CSRF_HOLE, TIMESTAMP_HOLE = "%%csrf-token%%", "%%form-timestamp%%"


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


def key_for(request, post) -> str:
    series_version = post.series.updated_at.timestamp() if post.series_id else 0
    return "post-page:{}:{}:{}:{}:{}".format(
        post.pk,
        post.updated_at.timestamp(),
        post.comments_changed_at.timestamp(),
        series_version,
        request.GET.get("cpage", "1"),
    )


def template_from(html: str) -> str:
    """The page with its per-reader tokens taken out."""
    html = CSRF_FIELD.sub(rf"\g<1>{CSRF_HOLE}\g<2>", html)
    return TIMESTAMP_FIELD.sub(rf"\g<1>{TIMESTAMP_HOLE}\g<2>", html)


def fill(template: str, request, post) -> str:
    """The page for this reader: a fresh CSRF token and form timestamp."""
    return template.replace(CSRF_HOLE, get_token(request)).replace(
        TIMESTAMP_HOLE, issue_timestamp(post)
    )


def validators(key, post):
    """ETag and Last-Modified for conditional requests (repeat readers get a 304)."""
    versions = [post.updated_at, post.comments_changed_at]
    if post.series_id:
        versions.append(post.series.updated_at)
    etag = 'W/"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'
    return etag, http_date(max(versions).timestamp())


def posts_version(**kwargs) -> str:
    """Moves whenever any post is saved, added or removed: for feeds and the sitemap."""
    from blog.models import Post

    latest = Post.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
    return f"{latest['changed'].timestamp() if latest['changed'] else 0}-{latest['count']}"


def discussion_version(slug, **kwargs) -> str:
    """Moves whenever the post or any of its comments changes: for its comment feed."""
    from blog.models import Post

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
