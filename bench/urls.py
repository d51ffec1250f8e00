"""The site's URLs plus /__bench__/bare/, a bare view returning fixed bytes.

The bytes are the post page as the benchmark first fetched it (BENCH_BARE_FILE), so the
comparison measures what our view adds on top of Django's own request handling.
"""

import os
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

_BARE_FILE = os.environ.get("BENCH_BARE_FILE", "")


@cache
def _bare_body():
    return Path(_BARE_FILE).read_bytes() if _BARE_FILE else b"bare"


def bare(request):
    return HttpResponse(_bare_body(), content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/bare/", bare), *site_urlpatterns]
