"""Failed admin sign-ins, counted in the database so limits hold across processes and servers.

`LoginFailure.objects.lockout()` says whether a user name or an address has failed too often
lately, as a `siteops.rate_limits` refusal with the real wait; `adminguard.forms` asks it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from siteops.rate_limits import RateLimit, Refusal, strictest_refusal


class LoginFailureQuerySet(models.QuerySet):
    def lockout(self, ip_hash, username, message, now=None) -> Refusal | None:
        """The refusal while this user name or this address is locked out, else None.

        Per user name, so a guessed password is not tried from many networks; per address,
        so one network cannot try many user names. `message` is what the form shows.
        """
        window = timedelta(minutes=settings.ADMIN_LOGIN_LOCKOUT_MINUTES)
        per_user = RateLimit(
            "admin sign-in failures per user",
            settings.ADMIN_LOGIN_MAX_FAILURES_PER_USER,
            window,
            message,
        )
        per_address = RateLimit(
            "admin sign-in failures per address",
            settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP,
            window,
            message,
        )
        return strictest_refusal(
            [
                (per_user, self.filter(username=username) if username else None),
                (per_address, self.filter(ip_hash=ip_hash) if ip_hash else None),
            ],
            now,
        )


class LoginFailure(models.Model):
    ip_hash = models.CharField(max_length=64, blank=True)
    username = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LoginFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["username", "created_at"], name="loginfailure_user_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="loginfailure_ip_idx"),
        ]

    def __str__(self):
        return f"{self.username or '?'} at {self.created_at:%Y-%m-%d %H:%M}"
