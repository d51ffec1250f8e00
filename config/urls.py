"""Root URLconf: the URL map of DESIGN.md (blog, comparisons, following by email, admin, feeds,
health), then the site's own pages (About, Privacy, Contact…) at /<slug>/, last so they can
hide nothing."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from blog.page_cache import cached_by_version, sitemap_version
from blog.sitemaps import sitemaps
from blog.views import HealthView, HomeView, PageView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("blog/", include("blog.urls")),
    path("compare/", include("comparisons.urls")),
    path("follow/", include("subscriptions.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "sitemap.xml",
        cached_by_version(sitemap_version)(sitemap),
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", HealthView.as_view(), name="healthz"),
    # Keep last: a page's slug may not be one of the segments above (blog.models.pages).
    path("<slug:slug>/", PageView.as_view(), name="page"),
]

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Manage the site"
