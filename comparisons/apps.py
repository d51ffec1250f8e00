"""App configuration for comparisons: tells the CSRF failure view how to bring back the
recommendation and adjust forms sent without a usable token (comparisons.views.token_refused)."""

from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from comparisons.views import token_refused
        from siteops import csrf_failures

        csrf_failures.on_token_problem("comparisons:recommend", token_refused)
        csrf_failures.on_token_problem("comparisons:adjust", token_refused)
