"""RSS 2.0 and Atom feeds of the published posts, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from blog.models import Post

FEED_LENGTH = 20


class LatestPostsFeed(Feed):
    title = settings.SITE_NAME
    link = reverse_lazy("blog:post-list")
    description = "New articles on choosing between break/fix IT support and managed services."

    def items(self):
        return Post.objects.for_listing()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

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
    link = reverse_lazy("blog:post-list")
