"""App configuration: swaps in the throttled admin login form and connects the audit log."""

from django.apps import AppConfig


class AdminguardConfig(AppConfig):
    name = "adminguard"
    verbose_name = "Admin security"

    def ready(self):
        from django.contrib import admin

        from adminguard import audit
        from adminguard.forms import ThrottledAdminLoginForm

        admin.site.login_form = ThrottledAdminLoginForm
        audit.connect()
