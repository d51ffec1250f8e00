"""/favicon.ico: browsers, feed readers and crawlers ask for it at the root whatever the page
links (the pages link static/favicon.svg). The file is static/favicon.ico (drawn once with
Pillow from favicon.svg's design and committed); nginx serves the collected copy itself
(deploy/nginx.conf), this view answers everywhere else (`make run`, `make serve`, app
servers reached directly).

Its name can never change, so it cannot be cached for ever like the hashed static files: a
week keeps the requests away and a new icon still arrives within one."""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

MAX_AGE_SECONDS = 7 * 24 * 3600


@cache
def _icon() -> bytes:
    return (Path(settings.BASE_DIR) / "static" / "favicon.ico").read_bytes()


@require_safe
def favicon(request):
    response = HttpResponse(_icon(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response
