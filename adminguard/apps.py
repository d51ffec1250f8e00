"""App configuration: swaps in the throttled admin login form and view, and connects the audit
log."""

from django.apps import AppConfig


class AdminguardConfig(AppConfig):
    name = "adminguard"
    verbose_name = "Admin security"

    def ready(self):
        from django.contrib import admin

        from adminguard import audit
        from adminguard.forms import ThrottledAdminLoginForm
        from adminguard.views import throttled_login

        admin.site.login_form = ThrottledAdminLoginForm
        # The admin builds its URLs after ready(), from the site's `login` attribute, so they
        # take the wrapped view; wrapped only once should ready() run again.
        if not getattr(admin.site.login, "throttled", False):
            admin.site.login = throttled_login(admin.site.login)
        audit.connect()
