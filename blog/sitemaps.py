"""sitemap.xml: published posts, series, tags, authors, the site's pages and the fixed pages,
with real lastmod dates. Everything about posts goes through `Post.objects.published()`."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from blog.models import Page, Post, Series, Tag


class _SiteSitemap(Sitemap):
    """Each section's items are read as a list: the paginator then counts them without a
    second query, so the sitemap costs one query a section."""

    protocol = settings.SITE_SCHEME


class PostSitemap(_SiteSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return list(Post.objects.published().order_by("-published_at"))

    def lastmod(self, item):
        return item.updated_at


class SeriesSitemap(_SiteSitemap):
    priority = 0.6

    def items(self):
        return list(
            Series.objects.filter(posts__in=Post.objects.published())
            .annotate(last_change=Max("posts__updated_at"))
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_change


class TagSitemap(_SiteSitemap):
    priority = 0.3

    def items(self):
        return list(Tag.objects.in_use().order_by("slug"))

    def lastmod(self, item):
        return item.last_change


class AuthorSitemap(_SiteSitemap):
    priority = 0.3

    def items(self):
        return list(
            Post.objects.published()
            .exclude(author_slug="")
            .values("author_slug")
            .annotate(last_change=Max("updated_at"))
            .order_by("author_slug")
        )

    def location(self, item):
        return reverse("blog:author", kwargs={"slug": item["author_slug"]})

    def lastmod(self, item):
        return item["last_change"]


class SitePageSitemap(_SiteSitemap):
    """About, Privacy, Contact and any other page from content/pages/."""

    priority = 0.4

    def items(self):
        return list(Page.objects.order_by("slug"))

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(_SiteSitemap):
    priority = 0.5

    def items(self):
        return [
            "home",
            "blog:post-list",
            "blog:tag-list",
            "comparisons:matrix",
            "comparisons:recommend",
        ]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "posts": PostSitemap,
    "series": SeriesSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "site-pages": SitePageSitemap,
    "pages": PageSitemap,
}
