"""Header hygiene at the edge, before any other middleware reads the request.

Incoming: cookies that no browser of ours could have set (a control character in the name or
value, or longer than a browser keeps) are dropped, so every reader of `request.COOKIES`
(sessions, CSRF, the comments' cookies, the page cache) sees them as absent. A NUL in the
session cookie otherwise reaches the session lookup and PostgreSQL answers it with an error,
a 500 for an anonymous request.

Outgoing: Permissions-Policy turns off browser features the site never uses, and
Cross-Origin-Resource-Policy stops other origins from embedding our responses.
"""

from django.conf import settings

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
