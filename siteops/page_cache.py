"""Whole-page caching for pages that are the same for every reader but for a few tokens.

Most readers arrive with nothing personal: no session, no remembered details, nothing of
their own awaiting moderation. For them a page is the same bytes but for per-reader tokens
(a form's CSRF token, its signed timestamp). Templates mark those spots with `hole()`, the
app that owns them registers how to fill one (`register_filler`), and a page is stored as the
pieces between its holes: each request fills in fresh tokens, nothing parses the HTML.

Nothing here knows any app's views. What an app tells it:
- which cookies make a page personal (`treat_as_personal`: a request carrying one is never
  served or stored here);
- at render time, that this page turned out personal after all (`mark_personal`);
- what the key holds (the data versions the page was built from, siteops.data_versions) and
  until when the page stays right with no write at all (`valid_until`: a scheduled post going
  live, comments closing), so time passing can never leave a stale page behind.

The ETag is a hash of the stored pieces, the bytes every reader shares: the same page gets
the same ETag on every server, and any change to what readers see moves it. Because an
entry never changes under its key, each process keeps a copy in memory in front of the shared
cache (Redis, when several servers run).
"""

import hashlib
import re
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe

TIMEOUT_SECONDS = 60
# Part of every key: a deploy that changes what an entry holds never reads an old one.
FORMAT = "v4"
# NUL cannot occur in what readers see (forms refuse it, the HTML sanitiser replaces it), so
# no text of a post or comment can be mistaken for a hole.
_HOLE = re.compile("\x00hole:([a-z-]+):([^\x00]{0,100})\x00")
_fillers = {}
_personal_cookies = {"messages"}


def hole(name: str, argument="") -> SafeString:
    """A spot in a template filled per request by the filler registered under `name`."""
    return mark_safe(f"\x00hole:{name}:{argument}\x00")


def register_filler(name: str, filler) -> None:
    """`filler(request, argument) -> str` fills the holes called `name` on every response."""
    _fillers[name] = filler


def treat_as_personal(*cookie_names: str) -> None:
    """A request with any of these cookies sees a page of its own: never shared."""
    _personal_cookies.update(cookie_names)


def mark_personal(request) -> None:
    """Called while rendering: this response holds the reader's own data."""
    request._page_is_personal = True


def is_personal(request) -> bool:
    return getattr(request, "_page_is_personal", False)


def render_shared(request, shared=True) -> None:
    """Called by a caching view before it renders a page it will store for every reader."""
    request._page_is_shared = shared


def is_shared_render(request) -> bool:
    return getattr(request, "_page_is_shared", False)


def per_reader(request, name: str, argument, value):
    """A per-reader value for a template: a hole on a page stored for every reader, else
    `value()` itself."""
    if is_shared_render(request):
        return hole(name, argument)
    return value()


def shareable(request, allowed_query=()) -> bool:
    """True when nothing on the page can belong to this reader.

    `allowed_query` maps the query parameters a page may be cached with to a pattern their
    value must match (anything else is rendered, never stored).
    """
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(n in cookies for n in _personal_cookies):
        return False
    allowed = dict(allowed_query)
    return all(
        name in allowed and allowed[name].fullmatch(request.GET[name]) for name in request.GET
    )


def _csrf_filler(request, argument):
    # Only a reader who already has the cookie gets a token in the page: making one would
    # mean setting a cookie on someone who may only have come to read.
    return get_token(request) if settings.CSRF_COOKIE_NAME in request.COOKIES else ""


register_filler("csrf", _csrf_filler)
CSRF_HOLE = hole("csrf")


def digest(*parts) -> str:
    """A short hash of the parts' text, fit for a cache key (which may not hold spaces)."""
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class CachedPage:
    """A rendered page in pieces around its holes, with its validators and its expiry."""

    pieces: tuple  # bytes, with a (name, argument) hole at every odd position
    etag: str
    last_modified: str
    expires_at: float  # a timestamp on timezone.now()'s clock

    @classmethod
    def from_html(cls, html: str, last_modified=None, valid_until=None) -> "CachedPage":
        """The page rendered with `csrf_token=CSRF_HOLE` in its context, ready to store.

        It is good for TIMEOUT_SECONDS, or until `valid_until` if that comes first.
        """
        now = timezone.now()
        split = _HOLE.split(html)
        pieces = []
        for index in range(0, len(split), 3):
            pieces.append(split[index].encode())
            if index + 2 < len(split):
                pieces.append((split[index + 1], split[index + 2]))
        shared = hashlib.blake2b(digest_size=12)
        for piece in pieces:
            shared.update(piece if isinstance(piece, bytes) else repr(piece).encode())
        expires_at = now.timestamp() + TIMEOUT_SECONDS
        if valid_until is not None:
            expires_at = min(expires_at, valid_until.timestamp())
        modified = http_date((last_modified or now).timestamp())
        return cls(tuple(pieces), f'W/"{shared.hexdigest()}"', modified, expires_at)

    def is_fresh(self) -> bool:
        return timezone.now().timestamp() < self.expires_at

    def fill(self, request) -> bytes:
        return b"".join(
            piece if isinstance(piece, bytes) else _fillers[piece[0]](request, piece[1]).encode()
            for piece in self.pieces
        )


def cached_page(key) -> CachedPage | None:
    """The page under this key if still fresh: from this process's memory, else shared."""
    local = caches["pages"]
    page = local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None and page.is_fresh():
            local.set(key, page, TIMEOUT_SECONDS)
    return page if page is not None and page.is_fresh() else None


# How long the last page rendered at an address is kept for readers while the database is
# down (siteops.unavailable): stale, but far better than an error page.
LAST_KNOWN_SECONDS = 24 * 3600


def store_page(key, page: CachedPage, last_known_key=None) -> None:
    for level in (caches["pages"], cache):
        level.set(key, page, TIMEOUT_SECONDS)
    if last_known_key:
        cache.set(f"last-known:{FORMAT}:{last_known_key}", page, LAST_KNOWN_SECONDS)


def last_known_page(last_known_key) -> CachedPage | None:
    """The last page stored for this address, however old: for when the database is down."""
    return cache.get(f"last-known:{FORMAT}:{last_known_key}")


@dataclass(frozen=True)
class _CachedResponse:
    response: object
    expires_at: float


def cached_by_version(version):
    """Cache a view's whole response (no cookies, nothing per reader) under its data version.

    `version(**kwargs)` names what the response was built from; if it has a `valid_until`
    (a moment, or None), the response is not served past it (a scheduled post going live).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or request.GET:
                return view(request, *args, **kwargs)
            built_from = version(**kwargs)
            key = f"view:{FORMAT}:{digest(request.path)}:{digest(built_from)}"
            now = timezone.now().timestamp()
            entry = cache.get(key)
            if entry is not None and now < entry.expires_at:
                return entry.response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                if hasattr(response, "render"):
                    response.render()
                until = getattr(built_from, "valid_until", None)
                expires_at = now + TIMEOUT_SECONDS
                if until is not None:
                    expires_at = min(expires_at, until.timestamp())
                cache.set(key, _CachedResponse(response, expires_at), TIMEOUT_SECONDS)
            return response

        return wrapped

    return decorator
