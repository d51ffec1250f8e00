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
"""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.http import ConditionalGetMiddleware
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
