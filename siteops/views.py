"""Site-wide pages that belong to no one app: the home page and the health check."""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import TemplateView

from blog.models import Post


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        latest = list(Post.objects.for_listing()[:5])
        series = next((post.series for post in latest if post.series_id), None)
        return super().get_context_data(
            latest_posts=latest,
            featured_series=series,
            featured_parts=series.table_of_contents() if series else [],
            **kwargs,
        )


class HealthView(View):
    """For load balancers: 200 "ok" when the database answers, 503 otherwise."""

    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok", content_type="text/plain")
        add_never_cache_headers(response)
        return response
