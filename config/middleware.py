"""Header hygiene at the edge, before any other middleware reads the request.

Incoming: cookies that no browser of ours could have set (a control character in the name or
value, or longer than a browser keeps) are dropped, so every reader of `request.COOKIES`
(sessions, CSRF, the comments' cookies, the page cache) sees them as absent. A NUL in the
session cookie otherwise reaches the session lookup and PostgreSQL answers it with an error,
a 500 for an anonymous request.

Outgoing: Permissions-Policy turns off browser features the site never uses, and
Cross-Origin-Resource-Policy stops other origins from embedding our responses.

Below it, three of the stack's middleware made to cost only what a request uses (measured in
docs/performance.md; each was a tenth or more of a cached page's time):
- `FixedPolicyCSPMiddleware`: django-csp builds the same header for every response (no nonce,
  no per-view policy here), so it is built once, by django-csp itself, and reused.
- `LazyMessageMiddleware`: the messages storage is made only when something reads or adds a
  message, not for every request.
- `ValidatorsOnlyConditionalGetMiddleware`: answers If-None-Match / If-Modified-Since from the
  validators a view sets (every cached page sets both) but hashes no body to invent an ETag,
  and leaves a request that asks nothing conditional alone.

And `TextGZipMiddleware`, Django's gzip with its BREACH padding, for text only (pages, feeds,
the sitemap, JSON) and at zlib's fastest level (docs/security.md, "Compression and BREACH").
"""

import gzip
import secrets

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

from siteops.text import CONTROL_CHARACTER

# Browsers keep at most 4096 bytes for a cookie's name and value together (RFC 6265 5.3).
MAX_COOKIE_LENGTH = 4096


def well_formed(name: str, value: str) -> bool:
    return (
        len(name) + len(value) <= MAX_COOKIE_LENGTH
        and not CONTROL_CHARACTER.search(name)
        and not CONTROL_CHARACTER.search(value)
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookies = request.COOKIES
        if not all(well_formed(name, value) for name, value in cookies.items()):
            request.COOKIES = {n: v for n, v in cookies.items() if well_formed(n, v)}
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


_fixed_policy = {}


@receiver(setting_changed)
def _forget_the_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _fixed_policy.clear()


class FixedPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once while nothing varies it: no view
    changed it for this response and no template asked for a nonce."""

    def process_response(self, request, response):
        varies = getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, f"_csp_{part}{suffix}", None) is not None
            for part in ("config", "update", "replace")
            for suffix in ("", "_ro")
        )
        if varies or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
            return super().process_response(request, response)
        if "policy" not in _fixed_policy:
            _fixed_policy["policy"] = build_policy()
        if (
            _fixed_policy["policy"]
            and HEADER not in response
            and not getattr(response, "_csp_exempt", False)
            and not request.path_info.startswith(
                tuple(settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES") or ())
            )
        ):
            response[HEADER] = _fixed_policy["policy"]
        return response


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages middleware, making the storage only for a request that uses it."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)


# The request headers that make a GET conditional: without one, there is nothing to answer.
_CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class ValidatorsOnlyConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        # Django parses the response's Last-Modified before looking at the request; most
        # requests ask nothing conditional, and then the answer is the response as it is.
        if not any(name in request.META for name in _CONDITIONS):
            return response
        return super().process_response(request, response)

    def needs_etag(self, response):
        return False


# What is worth compressing: HTML, feeds, the sitemap, JSON, robots.txt. PNG, JPEG and the
# icon are compressed formats already (gzip would only cost time and rarely wins a byte).
_COMPRESSIBLE = ("text/", "application/xml", "application/json", "application/rss+xml")
_COMPRESSIBLE += ("application/atom+xml",)
# zlib's fastest level: a 36 KB post page in 0.26 ms to 12.2 KB, where Django's level 6 takes
# 0.65 ms for 10.7 KB, more than the cached page itself costs (docs/performance.md).
COMPRESS_LEVEL = 1


def padded_gzip(content: bytes, max_random_bytes: int) -> bytes:
    """gzip of `content` with 0 to max_random_bytes - 1 random bytes as the header's file
    name, exactly as Django's compress_string pads ("Heal the Breach"), at COMPRESS_LEVEL."""
    compressed = gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0)
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    name = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    return bytes(header) + name + compressed[10:]


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, with its padding of each response's gzip header by 0-100
    random bytes so that a response's length no longer says how well a guessed secret
    compressed (BREACH), for text responses only and at zlib's fastest level. Compressed per
    response, never stored: a page with a CSRF token differs per reader. It sits below
    WhiteNoise (whose files come compressed already) and above the conditional GET
    middleware, so a 304 is answered before anything is compressed and the ETags stay the
    weak ones the page cache gives."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(_COMPRESSIBLE):
            return response
        if response.streaming:
            return super().process_response(request, response)
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = padded_gzip(response.content, self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
