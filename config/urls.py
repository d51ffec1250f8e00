"""Root URLconf: the URL map of DESIGN.md (blog and its comments, comparisons, following by
email, admin, feeds, health), then the site's own pages (About, Privacy, Contact…) at
/<slug>/, last so they can hide nothing."""

import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView, TemplateView

from blog import share_card_views
from blog import sitemaps as blog_sitemaps
from blog.page_cache import content_version, listing_version
from blog.sitemaps import sitemaps
from blog.views import PageView
from siteops.favicon import favicon
from siteops.page_cache import cached_for_readers
from siteops.views import HealthView, HomeView

# A section's pages beyond the first, as the index spells them.
SITEMAP_PAGE = {"p": re.compile(r"[2-9]|[1-9][0-9]{1,5}")}

urlpatterns = [
    path("", cached_for_readers(listing_version)(HomeView.as_view()), name="home"),
    path("blog/", include("blog.urls")),
    path("blog/", include("comments.urls")),
    path("compare/", include("comparisons.urls")),
    path("follow/", include("subscriptions.urls")),
    path("search/", include("search.urls")),
    # Comments left the blog app: the admin's old addresses (in managers' earlier emails and
    # bookmarks) lead to the same pages.
    re_path(
        rf"^{settings.ADMIN_URL}blog/(?P<model>comment|blockedterm)/(?P<rest>.*)$",
        RedirectView.as_view(
            url=f"/{settings.ADMIN_URL}comments/%(model)s/%(rest)s",
            query_string=True,
            permanent=True,
        ),
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    # /sitemap.xml (robots.txt names it) is the index of the sections; the footer links it
    # by the name it had when it was the whole sitemap.
    path(
        "sitemap.xml",
        cached_for_readers(content_version)(blog_sitemaps.index),
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_for_readers(content_version, allowed_query=SITEMAP_PAGE)(sitemap_views.sitemap),
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("healthz", HealthView.as_view(), name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    # Share cards missing from STATIC_ROOT (nginx and whitenoise serve those there).
    re_path(
        r"^static/cards/posts/(?P<slug>[-\w]+)\.(?P<digest>[0-9a-f]{12})\.png$",
        share_card_views.post_card,
        name="share-card",
    ),
    re_path(
        r"^static/cards/site\.(?P<digest>[0-9a-f]{12})\.png$",
        share_card_views.site_card,
        name="site-card",
    ),
    # Keep last: a page's slug may not be one of the segments above (blog.models.pages).
    path("<slug:slug>/", cached_for_readers(content_version)(PageView.as_view()), name="page"),
]

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Manage the site"
