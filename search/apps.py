"""App configuration for search over posts: connects the index's upkeep to posts being
saved (search.index)."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import index

        index.connect_signals()
