"""App configuration for subscriptions (following the series by email)."""

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Following by email"
