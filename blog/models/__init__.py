"""The blog's models: series, posts and tags (posts.py) and site pages (pages.py)."""

from .pages import Page
from .posts import Post, PostQuerySet, Series, Tag

__all__ = ["Page", "Post", "PostQuerySet", "Series", "Tag"]
