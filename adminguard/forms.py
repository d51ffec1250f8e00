"""The admin login form, refusing to check passwords while an address or user is locked out."""

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

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()[:150]
        ip_hash = client_hash(self.request) if self.request else ""
        if LoginFailure.objects.lockout_reason(ip_hash, username):
            raise ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": settings.ADMIN_LOGIN_LOCKOUT_MINUTES},
            )
        try:
            return super().clean()
        except ValidationError:
            LoginFailure.objects.create(ip_hash=ip_hash, username=username)
            raise
