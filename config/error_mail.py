"""Error email to the admins, throttled: at most ERROR_MAIL_MAX_PER_WINDOW emails every
ERROR_MAIL_WINDOW_SECONDS, counted in the shared cache so the limit holds across servers.

Without it every 500 emails a full traceback, and a crawler hitting a broken page sends
thousands. The last email a window allows says that more are held back; the first of the
next says how many were. Configured in config/settings.py LOGGING as the `mail_admins`
handler of the `django` logger.
"""

import threading

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.log import AdminEmailHandler

KEY = "error-mail:{window}"


class ThrottledAdminEmailHandler(AdminEmailHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._note = threading.local()

    def emit(self, record):
        note = self._admit()
        if note is None:
            return
        self._note.text = note
        try:
            super().emit(record)
        finally:
            self._note.text = ""

    def send_mail(self, subject, message, *args, **kwargs):
        note = getattr(self._note, "text", "")
        if note:
            message = f"{note}\n\n{message}"
            if kwargs.get("html_message"):
                kwargs["html_message"] = f"<p>{note}</p>\n{kwargs['html_message']}"
        super().send_mail(subject, message, *args, **kwargs)

    def _admit(self):
        """The note for this email ("" for none), or None when it is held back."""
        limit = settings.ERROR_MAIL_MAX_PER_WINDOW
        seconds = settings.ERROR_MAIL_WINDOW_SECONDS
        window = int(timezone.now().timestamp() // seconds)
        try:
            key = KEY.format(window=window)
            cache.add(key, 0, timeout=2 * seconds)
            count = cache.incr(key)
            earlier = cache.get(KEY.format(window=window - 1), 0) if count == 1 else 0
        except Exception:  # a cache outage must not stop error mail
            return ""
        if count > limit:
            return None
        notes = []
        if earlier > limit:
            notes.append(
                f"{earlier - limit} error emails were held back in the "
                f"{seconds // 60} minutes before this one."
            )
        if count == limit:
            notes.append(
                f"This is error email {limit} in {seconds // 60} minutes: further error "
                "emails are held back until the next window (see the server's log)."
            )
        return " ".join(notes)
