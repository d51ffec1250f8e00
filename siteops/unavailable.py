"""When the database cannot be reached or cannot write (a full disk, a read-only file or
server, a lost connection), nobody loses what they typed.

`DatabaseUnavailableMiddleware` turns such an error from any view into a 503 with
`Retry-After`. For a form that was sent (a comment, a recommendation, anything), the page holds
every field as typed, editable, in a form that sends it again to the same address with a fresh
CSRF token (which needs no database); only passwords are never shown back. The page is rendered
without the request's context processors, which could touch the database (messages, sessions).

Readers are served on from the page cache meanwhile (blog.views), and `/healthz` says which
of the two is wrong (siteops.views).
"""

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

# The errors of a database that is down, full or read-only (psycopg's read-only transaction
# error is an InternalError); integrity and programming errors are bugs, not outages.
UNAVAILABLE = (OperationalError, InterfaceError, InternalError)
RETRY_AFTER_SECONDS = 30
NOT_SHOWN_BACK = ("csrfmiddlewaretoken",)


def kept_fields(request):
    """The fields sent, as (name, value, how to show it), passwords left out."""
    fields = []
    for name, values in request.POST.lists():
        if name in NOT_SHOWN_BACK or "password" in name.lower():
            continue
        for value in values:
            if "\n" in value or len(value) > 120:
                shown = "textarea"
            elif value in ("", "on") or name in ("timestamp", "parent"):
                shown = "hidden"
            else:
                shown = "text"
            fields.append({"name": name, "value": value, "shown": shown})
    return fields


def unavailable_response(request):
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "sent": request.method == "POST",
        "fields": kept_fields(request) if request.method == "POST" else [],
        "action": request.get_full_path(),
        "csrf_token": get_token(request) if request.method == "POST" else "",
        "retry_after": RETRY_AFTER_SECONDS,
    }
    response = HttpResponse(render_to_string("siteops/unavailable.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            return unavailable_response(request)
        return None
