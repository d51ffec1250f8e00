"""Site-wide pages that belong to no one app: the home page and the health check."""

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import TemplateView

from blog.views import listed
from siteops.models import DataVersion


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        latest = list(listed()[:5])
        series = next((post.series for post in latest if post.series_id), None)
        return super().get_context_data(
            latest_posts=latest,
            featured_series=series,
            featured_parts=series.table_of_contents() if series else [],
            **kwargs,
        )


class HealthView(View):
    """For load balancers: 200 "ok" when the database answers and can write; otherwise 503
    and what is wrong ("database unavailable: …" or "database read-only: …").

    The write check changes nothing: an UPDATE that matches no row, in a transaction, which a
    read-only database refuses all the same.
    """

    def get(self, request):
        problem = ""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            problem = f"database unavailable: {_first_line(error)}"
        else:
            try:
                with transaction.atomic():
                    DataVersion.objects.filter(scope="").update(version=F("version"))
            except DatabaseError as error:
                problem = f"database read-only: {_first_line(error)}"
        if problem:
            response = HttpResponse(problem, status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok", content_type="text/plain")
        add_never_cache_headers(response)
        return response


def _first_line(error) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
