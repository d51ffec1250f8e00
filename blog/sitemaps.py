"""sitemap.xml: published posts, series, tags and the fixed pages, with real lastmod dates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from blog.models import Post, Series, Tag


class _SiteSitemap(Sitemap):
    protocol = settings.SITE_SCHEME


class PostSitemap(_SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Post.objects.published().order_by("-published_at")

    def lastmod(self, item):
        return item.updated_at


class SeriesSitemap(_SiteSitemap):
    priority = 0.6

    def items(self):
        return (
            Series.objects.filter(posts__in=Post.objects.published())
            .annotate(last_change=Max("posts__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_change


class TagSitemap(_SiteSitemap):
    priority = 0.3

    def items(self):
        return (
            Tag.objects.filter(posts__in=Post.objects.published())
            .annotate(last_change=Max("posts__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_change


class PageSitemap(_SiteSitemap):
    priority = 0.5

    def items(self):
        return ["home", "blog:post-list", "comparisons:matrix", "comparisons:recommend"]

    def location(self, item):
        return reverse(item)


sitemaps = {"posts": PostSitemap, "series": SeriesSitemap, "tags": TagSitemap, "pages": PageSitemap}
