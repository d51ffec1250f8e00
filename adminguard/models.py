"""Failed admin sign-ins, counted in the database so limits hold across processes and servers."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class LoginFailureQuerySet(models.QuerySet):
    def recent(self):
        window = timedelta(minutes=settings.ADMIN_LOGIN_LOCKOUT_MINUTES)
        return self.filter(created_at__gte=timezone.now() - window)

    def lockout_reason(self, ip_hash, username):
        """Why sign-in is refused right now for this address and user name, or ''."""
        recent = self.recent()
        if username and recent.filter(username=username).count() >= (
            settings.ADMIN_LOGIN_MAX_FAILURES_PER_USER
        ):
            return "user"
        if ip_hash and recent.filter(ip_hash=ip_hash).count() >= (
            settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP
        ):
            return "address"
        return ""


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
