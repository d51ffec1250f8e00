"""App configuration for siteops: after every `migrate`, keeps the Sites framework's domain in
step with SITE_URL and refreshes the query planner's statistics (siteops.database_statistics).
"""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_site_domain(sender, using="default", **kwargs):
    """Feeds and sitemaps build absolute links from the current Site: make it SITE_URL."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME},
    )
    Site.objects.clear_cache()


def refresh_statistics_after_migrate(sender, using="default", plan=None, **kwargs):
    """Connected for this app only, so it runs once a `migrate`, after every app's migrations.
    `flush` sends the same signal without a plan: its tables were just emptied, there is
    nothing to measure (and the test suite flushes after every transactional test)."""
    from siteops.database_statistics import refresh_statistics

    if plan is not None:
        refresh_statistics(using)


class SiteopsConfig(AppConfig):
    name = "siteops"
    verbose_name = "Site operations"

    def ready(self):
        post_migrate.connect(sync_site_domain, sender=self)
        post_migrate.connect(refresh_statistics_after_migrate, sender=self)
