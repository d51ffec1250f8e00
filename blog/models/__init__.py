"""The blog's models: series, posts and tags (posts.py); comments live beside them."""

from .posts import Post, PostQuerySet, Series, Tag

__all__ = ["Post", "PostQuerySet", "Series", "Tag"]
