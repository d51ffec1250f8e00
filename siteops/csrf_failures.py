"""The one CSRF failure view (settings.CSRF_FAILURE_VIEW), and how an app answers a form of
its own that arrived without a usable token.

Cached pages carry no CSRF token for a reader without the cookie, so a form sent from one by
a browser without script arrives without a token. An app whose form can come back whole
(everything typed kept, a fresh token, a request to send it again) registers a handler for
that form's view, by its URL name:

    from siteops import csrf_failures

    csrf_failures.on_token_problem("comments:create", handler)

`handler(request)` returns the HttpResponse to send (status 403, or 429 past a limit), or
None to leave the request to Django's own refusal. It is called only for a missing or
out-of-date token (no CSRF cookie, no token in the form, or a token that does not match the
cookie); every other failure (a request from another origin, a bad Referer) gets Django's
plain refusal, so a forged request gains nothing. Nothing is stored either way: the view
itself never ran. Register once, at import or in `AppConfig.ready()`; registering a name
again replaces its handler. Registered by comments ("comments:create") and subscriptions
("subscriptions:follow"); `TOKEN_NEEDED` is the message they show.
"""

from django.middleware import csrf
from django.views.csrf import csrf_failure as django_csrf_failure

TOKEN_NEEDED = (
    "Please send it again: your browser did not yet have this site's security token for the "
    "form, or had an out-of-date one. It has a fresh one now."
)

_handlers = {}


def on_token_problem(view_name: str, handler) -> None:
    """Answer a missing or out-of-date token on the view named `view_name` with
    `handler(request)` (an HttpResponse, or None for Django's own refusal)."""
    _handlers[view_name] = handler


def is_token_problem(reason: str) -> bool:
    """True for the reasons a genuine reader can hit: no cookie yet, no token in the form, or
    a token that does not match the cookie ("CSRF token from POST incorrect." and kin)."""
    return reason in (
        csrf.REASON_NO_CSRF_COOKIE,
        csrf.REASON_CSRF_TOKEN_MISSING,
    ) or reason.startswith("CSRF token from ")


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: the registered handler of the view asked for, if the
    reason is a token problem and it answers; otherwise Django's own refusal."""
    match = getattr(request, "resolver_match", None)
    handler = _handlers.get(match.view_name) if match is not None else None
    if handler is not None and is_token_problem(reason):
        response = handler(request)
        if response is not None:
            return response
    return django_csrf_failure(request, reason=reason)
