"""The blog's models: series, posts and tags (posts.py); comments and block list (comments.py)."""

from .comments import BlockedTerm, Comment, CommentQuerySet
from .posts import Post, PostQuerySet, Series, Tag

__all__ = ["BlockedTerm", "Comment", "CommentQuerySet", "Post", "PostQuerySet", "Series", "Tag"]
