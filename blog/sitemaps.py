"""The sitemap's sections: published posts, series, tags, authors, the site's pages and the
fixed pages, with real lastmod dates. Everything about posts goes through
`Post.objects.published()`.

/sitemap.xml is the index of the sections (config/urls.py), each served at
/sitemap-<section>.xml, so no response grows with the whole site: the posts' section is split
into pages of `PostSitemap.limit` (/sitemap-posts.xml?p=2…), each read with a count and one
page of slugs. The other sections are small and read whole, in one query each.

Every address, in the index and in the sections, starts with SITE_URL's scheme and host:
Django's sitemaps would take the host of the Sites framework's row (written at the last
`migrate`), so the sections say where they are themselves and `index` is our own.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import http_date

from blog.models import Page, Post, Series, Tag


class _SiteSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return settings.SITE_SCHEME

    def get_domain(self, site=None):
        return settings.SITE_DOMAIN


class _SmallSection(_SiteSitemap):
    """A section of a few dozen rows, read once as a list: the paginator then counts it and
    the index finds its latest change without another query."""

    def rows(self):
        raise NotImplementedError

    @cached_property
    def _rows(self):
        return list(self.rows())

    def items(self):
        return self._rows


class PostSitemap(_SiteSitemap):
    """Newest first (the public posts' index), with the primary key breaking ties, so every
    post falls on exactly one page."""

    changefreq = "monthly"
    priority = 0.8
    limit = 500

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the index: one aggregate instead of reading every post."""
        return Post.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class SeriesSitemap(_SmallSection):
    priority = 0.6

    def rows(self):
        return (
            Series.objects.filter(posts__in=Post.objects.published())
            .annotate(last_change=Max("posts__updated_at"))
            .only("slug")
            .order_by("slug")
        )

    def lastmod(self, item):
        return item.last_change


class TagSitemap(_SmallSection):
    priority = 0.3

    def rows(self):
        return Tag.objects.in_use().only("slug").order_by("slug")

    def lastmod(self, item):
        return item.last_change


class AuthorSitemap(_SmallSection):
    priority = 0.3

    def rows(self):
        return (
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


class SitePageSitemap(_SmallSection):
    """About, Privacy, Contact and any other page from content/pages/."""

    priority = 0.4

    def rows(self):
        return Page.objects.only("slug", "updated_at").order_by("slug")

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


@x_robots_tag
def index(request, sitemaps, sitemap_url_name):
    """/sitemap.xml: every section's address (and its further pages), at SITE_URL, with the
    latest change of each; Last-Modified the latest of them all."""
    entries = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        address = settings.SITE_URL + reverse(sitemap_url_name, kwargs={"section": section})
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(address, lastmod))
        entries.extend(
            SitemapIndexItem(f"{address}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    changes = [entry.last_mod for entry in entries]
    headers = None
    if changes and None not in changes:
        headers = {"Last-Modified": http_date(max(changes).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )
