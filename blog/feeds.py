"""RSS 2.0 and Atom feeds of the published posts, newest first.

Every address in a feed starts with SITE_URL (`on_site`): Django's syndication would otherwise
prefix the host of the Sites framework's row, which is whatever it was at the last `migrate`,
and leaves alone only addresses that are already absolute. The comments' feed uses it too.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.models import Post

FEED_LENGTH = 20


def on_site(path: str) -> str:
    """The absolute address of a path of this site, from SITE_URL (scheme and host)."""
    return settings.SITE_URL + path


class LatestPostsFeed(Feed):
    title = settings.SITE_NAME
    description = "New articles on choosing between break/fix IT support and managed services."
    url_name = "blog:feed-rss"

    def link(self):
        return on_site(reverse("blog:post-list"))

    def feed_url(self):
        return on_site(reverse(self.url_name))

    def items(self):
        return Post.objects.for_listing()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return on_site(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
    subtitle = LatestPostsFeed.description
    url_name = "blog:feed-atom"
