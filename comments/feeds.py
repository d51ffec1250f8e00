"""The Atom feed of one post's approved comments, newest first: /blog/<slug>/comments/feed/.

Only public posts have a feed and only `Comment.objects.public()` appears in it, so a draft's
comments, and comments awaiting moderation, never leak through it. Emails are never included.
Its addresses start with SITE_URL, as the blog's feeds' do (`blog.feeds.on_site`).
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from blog.feeds import on_site
from blog.models import Post
from comments.markdown import without_control_characters as printable
from comments.models import Comment

FEED_LENGTH = 50


class PostCommentsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Post.objects.published(), slug=slug)

    def title(self, post):
        return f"Comments on “{post.title}”"

    def subtitle(self, post):
        return f"Approved comments on “{post.title}”, newest first."

    def link(self, post):
        return on_site(post.get_absolute_url() + "#comments")

    def feed_url(self, post):
        return on_site(reverse("comments:feed", kwargs={"slug": post.slug}))

    def items(self, post):
        return (
            Comment.objects.public()
            .filter(post=post)
            .select_related("post")
            .order_by("-created_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, comment):
        # Saved comments hold no control characters; rows written around save() (bulk
        # loads, raw SQL) might, and one would make the whole feed unserialisable.
        return printable(f"{comment.name}: {comment.excerpt()}")

    def item_description(self, comment):
        return printable(comment.body_html)  # sanitised by nh3 when the comment was saved

    def item_link(self, comment):
        return on_site(comment.get_absolute_url())

    def item_guid(self, comment):
        return f"comment-{comment.pk}"

    def item_pubdate(self, comment):
        return comment.created_at

    def item_updateddate(self, comment):
        return comment.edited_at or comment.created_at

    def item_author_name(self, comment):
        return printable(comment.name)

    def item_author_link(self, comment):
        return printable(comment.website) or None
