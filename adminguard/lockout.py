"""Admin sign-in lockout with django-axes, set up for this site (settings `AXES_*`).

- Locked by the user name and address together: five wrong passwords for "admin" from one
  place pause sign-in for that name there, never for the owner signing in from elsewhere.
- The address axes stores is a pseudonym (`siteops.clients.pseudonymous_address`), never the
  client's own: the site keeps only keyed hashes of addresses.
- A locked-out attempt is answered as every limit is: 429 with the real wait in `Retry-After`
  (siteops.rate_limits), the sign-in form again with the user name kept and a plain message.
- Attempts for one name and address are checked one at a time (`siteops.locks`), on any
  number of servers, so racing guesses cannot all slip in before the first failure counts.
- `manage.py axes_reset` lifts every lockout; expired failures are removed by axes itself.
"""

import functools

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.template.response import TemplateResponse
from django.utils import timezone

from siteops.clients import pseudonymous_address
from siteops.locks import held
from siteops.rate_limits import Refusal, too_many_requests

LOCKED_OUT = (
    "Too many failed sign-in attempts. For your security, sign-in with this name is paused "
    "here; please try again in {minutes} minute{plural}."
)


def username_of(request, credentials=None) -> str:
    """The user name as axes counts it: trimmed, lower-case, as Django's field allows."""
    given = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(given).strip().lower()[:150]


def seconds_left(request, username) -> int:
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(
        username=username, ip_address=pseudonymous_address(request)
    )
    latest = attempts.aggregate(latest=Max("attempt_time"))["latest"]
    if latest is None:
        return 1
    ends = latest + settings.AXES_COOLOFF_TIME
    return max(1, int((ends - timezone.now()).total_seconds() + 0.999))


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, refused with 429 and the real wait."""
    username = username_of(request, credentials)
    wait = seconds_left(request, username)
    minutes = max(1, round(wait / 60))
    message = LOCKED_OUT.format(minutes=minutes, plural="" if minutes == 1 else "s")
    form = AdminAuthenticationForm(request, data={"username": username})
    form.is_valid()  # binds the name; its own errors are replaced by the lockout's
    form._errors = {}
    form.add_error(None, ValidationError(message, code="locked_out"))
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": form,
        "username": username,
        "next": request.POST.get("next", ""),
    }
    # Rendered here: axes' middleware answers after the view, past where Django renders.
    response = TemplateResponse(request, "admin/login.html", context).render()
    return too_many_requests(response, Refusal(message, wait))


def one_at_a_time(login):
    """The admin's login view, taking attempts for one name and address in turn."""

    @functools.wraps(login)
    def view(request, extra_context=None):
        if request.method != "POST":
            return login(request, extra_context)
        key = f"admin-sign-in:{username_of(request)}:{pseudonymous_address(request)}"
        with held(key):
            return login(request, extra_context)

    view.one_at_a_time = True
    return view
