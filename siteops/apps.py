"""App configuration for siteops."""

from django.apps import AppConfig


class SiteopsConfig(AppConfig):
    name = "siteops"
    verbose_name = "Site operations"
