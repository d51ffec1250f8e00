"""The site's URLs plus the benchmark's reference views, served by the site's own stack:

/__bench__/bare/    fixed bytes (bench/bare.py): what Django and our middleware cost alone
/__bench__/insert/  one INSERT in a transaction, then a redirect: the floor under any write
"""

from django.db import connection, transaction
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone

from bench.bare import bare
from config.urls import urlpatterns as site_urlpatterns

# Created by bench/seed.py, outside any app's migrations: nothing of the site uses it.
INSERT_TABLE = "bench_insert"


def insert(request):
    """One row, as a real write stores one: inside a transaction (on SQLite an IMMEDIATE one,
    which takes the write lock as every write of the site does), answered by a redirect."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {INSERT_TABLE} (body, created_at) VALUES (%s, %s)",
            [request.POST.get("body", ""), timezone.now()],
        )
    return HttpResponseRedirect("/__bench__/bare/")


urlpatterns = [
    path("__bench__/bare/", bare),
    path("__bench__/insert/", insert),
    *site_urlpatterns,
]
