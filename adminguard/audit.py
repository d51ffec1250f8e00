"""The audit log: sign-ins, failed sign-ins, sign-outs and every admin change, to the
`audit` logger (one line each, whatever was typed: control characters are shown escaped; no
passwords, addresses only as keyed hashes).

Sign-in events come from Django's auth signals (`connect()`, called at start-up); admin
changes from `StaffAuditMiddleware`."""

import logging

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.utils import timezone

from siteops.clients import client_hash

logger = logging.getLogger("audit")


def printable(value) -> str:
    """The value on one line: control characters and line separators shown escaped (`\\n`),
    so nothing a visitor types can start a forged line of its own."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in str(value)
    )


def _ip(request):
    return client_hash(request)[:12] if request is not None else "-"


def _logged_in(sender, request, user, **kwargs):
    logger.info("sign-in user=%s ip=%s", printable(user.get_username()), _ip(request))


def _logged_out(sender, request, user, **kwargs):
    name = printable(user.get_username()) if user else "-"
    logger.info("sign-out user=%s ip=%s", name, _ip(request))


def _login_failed(sender, credentials, request=None, **kwargs):
    name = printable(credentials.get("username", "-"))
    logger.warning("failed sign-in user=%s ip=%s", name, _ip(request))


class StaffAuditMiddleware:
    """Logs the admin's own change records (LogEntry) written while serving a staff POST.

    The admin writes them with bulk_create, which sends no post_save signal, so they are read
    back once after the request: one query, and only for staff POSTs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        started = timezone.now()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_staff:
            entries = LogEntry.objects.filter(user=user, action_time__gte=started)
            for entry in entries.select_related("content_type").order_by("pk"):
                logger.info(
                    "admin %s user=%s object=%s:%s %r %s",
                    {1: "add", 2: "change", 3: "delete"}.get(entry.action_flag, "action"),
                    printable(user.get_username()),
                    entry.content_type.model if entry.content_type_id else "-",
                    printable(entry.object_id),
                    entry.object_repr,
                    printable(entry.get_change_message()),
                )
        return response


def connect():
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
