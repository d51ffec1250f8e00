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
cache (Redis when several servers run; files beside the database when one machine's workers
share it, config/gunicorn.py), and entries live until evicted: their keys hold the data
versions, the release of the code that rendered them (`RELEASE`) and their own expiry.

Views use it through `cached_for_readers(built_from)` (or `serve()`, for a view working out
its own key). A change renders the page once for everyone: the first request to miss takes a
lock (siteops.locks) and renders; requests arriving meanwhile, on any worker or server, get
the page as it last was (for the length of one render at most) rather than rendering it too.
"""

import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache as once
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe

from siteops import locks
from siteops.unavailable import UNAVAILABLE

# Entries are keyed by what they were built from and expire when time alone changes them, so
# nothing needs them to go sooner: a day keeps a quiet page's entry from outliving its use.
TIMEOUT_SECONDS = 24 * 3600
# Part of every key: a deploy that changes what an entry holds never reads an old one.
FORMAT = "v5"
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


@once
def release() -> str:
    """A digest of the code, templates and static-file names that render pages, worked out
    once per process: a deploy that changes any of them never serves what the old code
    rendered."""
    root = Path(settings.BASE_DIR)
    skip = {".venv", "venv", "tests", "bench", "node_modules", "media", "staticfiles"}
    hashed = hashlib.blake2b(digest_size=8)
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in skip and not d.startswith("."))
        for name in sorted(names):
            if name.endswith((".py", ".html", ".txt", ".xml")):
                path = Path(folder, name)
                hashed.update(str(path.relative_to(root)).encode())
                hashed.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or root / "staticfiles") / "staticfiles.json"
    if manifest.is_file():
        hashed.update(manifest.read_bytes())
    return hashed.hexdigest()


def context_processor(request) -> dict:
    """While a page is rendered for every reader, `{% csrf_token %}` (and anything else using
    `csrf_token`) writes the hole each response fills: no reader's token is ever stored."""
    return {"csrf_token": CSRF_HOLE} if is_shared_render(request) else {}


def page_times(request, valid_until=None, last_modified=None) -> None:
    """Called while rendering a shared page: it stops being right at `valid_until` with no
    write at all (a post going live, comments closing), and last changed at `last_modified`."""
    if valid_until is not None:
        request._page_valid_until = valid_until
    if last_modified is not None:
        request._page_last_modified = last_modified


# Response headers a view sets that belong to the page itself, stored with it; the rest
# (validators, caching, cookies) is worked out for each response.
_NOT_STORED = {"set-cookie", "vary", "cache-control", "etag", "last-modified", "expires"}
_NOT_STORED |= {"content-length"}


@dataclass(frozen=True)
class CachedPage:
    """A rendered page in pieces around its holes, with its validators and its expiry."""

    pieces: tuple  # bytes, with a (name, argument) hole at every odd position
    etag: str
    last_modified: str
    expires_at: float  # a timestamp on timezone.now()'s clock
    headers: tuple = (("Content-Type", "text/html; charset=utf-8"),)

    @classmethod
    def from_html(cls, html: str, last_modified=None, valid_until=None, headers=None):
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
        kept = tuple(headers) if headers is not None else cls.headers
        return cls(tuple(pieces), f'W/"{shared.hexdigest()}"', modified, expires_at, kept)

    @classmethod
    def from_response(cls, request, response, valid_until=None) -> "CachedPage | None":
        """The rendered response as a page for every reader, or None if it may not be one
        (not a 200, sets a cookie, streams, or turned out to hold this reader's own data).
        Anything but a 200 is left unrendered, for the reader's own rendering."""
        if response.status_code != 200 or response.streaming:
            return None
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if response.cookies or is_personal(request):
            return None
        moments = [valid_until, getattr(request, "_page_valid_until", None)]
        return cls.from_html(
            response.content.decode(response.charset),
            last_modified=getattr(request, "_page_last_modified", None),
            valid_until=min((m for m in moments if m is not None), default=None),
            headers=tuple(
                (name, value) for name, value in response.items() if name.lower() not in _NOT_STORED
            ),
        )

    @property
    def is_personalised(self) -> bool:
        """True when each response fills in something of the reader's (a CSRF token)."""
        return len(self.pieces) > 1

    def is_fresh(self) -> bool:
        return timezone.now().timestamp() < self.expires_at

    def fill(self, request) -> bytes:
        if len(self.pieces) == 1:
            return self.pieces[0]
        return b"".join(
            piece if isinstance(piece, bytes) else _fillers[piece[0]](request, piece[1]).encode()
            for piece in self.pieces
        )

    def response(self, request) -> HttpResponse:
        """This page for this reader, with its tokens filled in and its validators."""
        response = HttpResponse(self.fill(request))
        for name, value in self.headers:
            response[name] = value
        response["ETag"], response["Last-Modified"] = self.etag, self.last_modified
        # A page with a reader's token may be kept by their browser, never by a shared cache;
        # either way it is checked again each time (a 304 when unchanged).
        response["Cache-Control"] = "private, no-cache" if self.is_personalised else "no-cache"
        # It differs for a reader with a cookie (their own token, or a personal page).
        response["Vary"] = "Cookie"
        return response


def _latest_key(address):
    """The key of the latest page this process served at `address`: what it serves, without
    a trip to the shared cache, while another process renders the address's next version."""
    return f"latest:{FORMAT}:{digest(address)}"


def cached_page(key, address=None) -> CachedPage | None:
    """The page under this key if still fresh: from this process's memory, else shared (then
    kept in memory, as the latest page at `address` too)."""
    local = caches["pages"]
    page = local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None and page.is_fresh():
            local.set(key, page, TIMEOUT_SECONDS)
            if address is not None:
                local.set(_latest_key(address), page, TIMEOUT_SECONDS)
    return page if page is not None and page.is_fresh() else None


# How long the last page rendered at an address is kept: for readers while another process
# renders its new version, and while the database is down (siteops.unavailable): stale, but
# far better than an error page or a queue of renders.
LAST_KNOWN_SECONDS = 24 * 3600


def store_page(key, page: CachedPage, last_known_key=None) -> None:
    for level in (caches["pages"], cache):
        level.set(key, page, TIMEOUT_SECONDS)
    if last_known_key:
        cache.set(f"last-known:{FORMAT}:{last_known_key}", page, LAST_KNOWN_SECONDS)


def last_known_page(last_known_key) -> CachedPage | None:
    """The last page stored for this address, however old: for when the database is down."""
    return cache.get(f"last-known:{FORMAT}:{last_known_key}")


# Longer than any render takes: a process that dies while rendering holds nobody up for long.
RENDER_LOCK_SECONDS = 10


@contextmanager
def rendering(address):
    """Held while one process renders the page at `address` for everyone: yields True when
    this process may render it now, False when another is rendering it. In the shared cache
    when it has an atomic add (Redis; this process's memory when there is no other), else a
    file lock beside the database."""
    if isinstance(caches["default"], FileBasedCache):
        with locks.attempted(f"render:{address}") as got:
            yield got
        return
    key = f"rendering:{FORMAT}:{digest(address)}"
    got = cache.add(key, True, RENDER_LOCK_SECONDS)
    try:
        yield got
    finally:
        if got:
            cache.delete(key)


def page_key(address, *built_from) -> str:
    """The key of the page at `address` built from these versions by this release for this
    site's address (absolute links in pages and feeds)."""
    built = digest(settings.SITE_URL, *built_from)
    return f"page:{FORMAT}:{release()}:{digest(address)}:{built}"


def serve(request, address, built_from, render, valid_until=None):
    """The response for a shareable request to `address`, whose page is built from
    `built_from` (data versions: anything that changes when the page must).

    On a miss `render()` (the view, returning its response) is called once across every
    process for each new key: it is called with the request marked as a shared render, so
    per-reader spots come out as holes. What it returns is served as it is when it cannot be
    shared (a 404, a personal page rendered again for this reader).
    """
    key = page_key(address, *built_from)
    page = cached_page(key, address)
    if page is not None:
        return page.response(request)
    with rendering(address) as rendering_here:
        if not rendering_here:
            # Another process is rendering this address right now: the page as it last was,
            # from this process's memory if it served it, else as the shared cache last had it.
            page = caches["pages"].get(_latest_key(address)) or last_known_page(address)
            if page is not None:
                return page.response(request)
        page = cached_page(key, address)  # stored while this process waited for the lock
        if page is not None:
            return page.response(request)
        render_shared(request)
        try:
            response = render()
            page = CachedPage.from_response(request, response, valid_until)
        finally:
            render_shared(request, False)
        if page is not None:
            store_page(key, page, last_known_key=address)
            caches["pages"].set(_latest_key(address), page, TIMEOUT_SECONDS)
    if page is not None:
        return page.response(request)
    if response.status_code == 200:
        # Rendered for everyone but not to be shared after all (personal, or setting a
        # cookie): rendered again as this reader's own page, with their own token.
        return render()
    return response


def cached_for_readers(built_from, allowed_query=()):
    """Serve a view's page from the shared page cache to every reader it can be shared with.

    `built_from(**view_kwargs)` returns what the page is built from (a `Versioned`: data
    versions and the moment time alone changes it) or None when there is no such page (the
    view then answers, a 404 as a rule). It runs on every request, so it should be one cheap
    query. Query parameters outside `allowed_query` (see `shareable`) are rendered, never
    stored.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not shareable(request, allowed_query):
                return view(request, *args, **kwargs)
            address = request.get_full_path()
            try:
                built = built_from(**kwargs)
            except UNAVAILABLE:
                page = last_known_page(address)
                if page is None:
                    raise
                return page.response(request)
            if built is None:
                return view(request, *args, **kwargs)
            return serve(
                request,
                address,
                (getattr(built, "version", built),),
                lambda: view(request, *args, **kwargs),
                valid_until=getattr(built, "valid_until", None),
            )

        return wrapped

    return decorator
