"""The bare views both benchmark servers share: fixed bytes, and a health check.

The bytes are the post page as the benchmark first fetched it (BENCH_BARE_FILE), so the
site's bare view (bench/urls.py) and the minimal project's (bench/minimal/) return the same
response, and any difference between them is the project's settings and middleware.
"""

import os
from functools import cache
from pathlib import Path

from django.http import HttpResponse

_BARE_FILE = os.environ.get("BENCH_BARE_FILE", "")


@cache
def _bare_body():
    # Read on first use: run.py writes the file after the servers have started.
    return Path(_BARE_FILE).read_bytes() if _BARE_FILE else b"bare"


def bare(request):
    return HttpResponse(_bare_body(), content_type="text/html; charset=utf-8")


def healthz(request):
    """What the live-server harness waits for before it hands out a server."""
    return HttpResponse(b"ok", content_type="text/plain")
