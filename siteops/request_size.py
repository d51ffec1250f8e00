"""No request body larger than the site's forms need: refused with 413 before it is read.

The longest form (a 5,000-character comment, or an admin post of up to 200 KB of Markdown) is
far below the cap; a 10 MB upload to the comment form never reaches a view or the disk.
nginx refuses the same bodies first in production (deploy/nginx.conf's client_max_body_size);
this holds where nothing stands in front (make serve, a misconfigured proxy).
"""

from django.conf import settings
from django.http import HttpResponse


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return HttpResponse(
                "Request too large.", status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
