"""App configuration: admin sign-ins taken one at a time per name and address (the lockout
itself is django-axes', adminguard.lockout), and the audit log connected."""

from django.apps import AppConfig


class AdminguardConfig(AppConfig):
    name = "adminguard"
    verbose_name = "Admin security"

    def ready(self):
        from django.contrib import admin

        from adminguard import audit
        from adminguard.lockout import one_at_a_time

        # The admin builds its URLs after ready(), from the site's `login` attribute, so they
        # take the wrapped view; wrapped only once should ready() run again.
        if not getattr(admin.site.login, "one_at_a_time", False):
            admin.site.login = one_at_a_time(admin.site.login)
        audit.connect()
