"""App configuration for siteops; keeps the Sites framework's domain in step with SITE_URL."""

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


class SiteopsConfig(AppConfig):
    name = "siteops"
    verbose_name = "Site operations"

    def ready(self):
        post_migrate.connect(sync_site_domain, sender=self)
