"""`manage.py rebuild_search_index`: every post's search entry written again from the posts.

Saves keep the index current by themselves (search.index); this is for text changed without
a save (an `update()`, a raw SQL fix) and for a database restored from elsewhere.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from search.index import rebuild


class Command(BaseCommand):
    help = "Write every post's search index entry again from the posts as they are."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild()
        self.stdout.write(f"search index: {count} posts")
