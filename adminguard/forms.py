"""The admin login form, refusing to check passwords while an address or user is locked out.

While locked out the form keeps the refusal (`form.refusal`), so `adminguard.views` can
answer 429 with the real wait; the page itself is the form again, user name kept.
"""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from adminguard.models import LoginFailure
from siteops.clients import client_hash


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked_out": (
            "Too many failed sign-in attempts. For your security, sign-in is paused for "
            "%(minutes)s minutes; please try again later."
        ),
    }
    refusal = None

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()[:150]
        ip_hash = client_hash(self.request) if self.request else ""
        params = {"minutes": settings.ADMIN_LOGIN_LOCKOUT_MINUTES}
        message = self.error_messages["locked_out"] % params
        self.refusal = LoginFailure.objects.lockout(ip_hash, username, message)
        if self.refusal is not None:
            # Not counted as a failure: waiting out the lockout must be enough to end it.
            raise ValidationError(
                self.error_messages["locked_out"], code="locked_out", params=params
            )
        try:
            return super().clean()
        except ValidationError:
            LoginFailure.objects.create(ip_hash=ip_hash, username=username)
            raise
