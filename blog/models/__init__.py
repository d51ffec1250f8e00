"""The blog's models: series, posts and tags (posts.py); site pages (pages.py); comments and
block list (comments.py)."""

from .comments import BlockedTerm, Comment, CommentQuerySet
from .pages import Page
from .posts import Post, PostQuerySet, Series, Tag

__all__ = [
    "BlockedTerm",
    "Comment",
    "CommentQuerySet",
    "Page",
    "Post",
    "PostQuerySet",
    "Series",
    "Tag",
]
