"""Shared fixtures: test data factories for the blog and a plain static-files storage.

Tests render templates without running collectstatic first, so the hashed-name manifest
storage used in production is swapped for Django's plain storage here;
`tests/test_deployment.py` proves the production storage separately.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_series(db):
    from blog.models import Series

    def make(**fields):
        n = next(_sequence)
        fields.setdefault("title", f"Series {n}")
        fields.setdefault("slug", f"series-{n}")
        fields.setdefault("planned_parts", 3)
        return Series.objects.create(**fields)

    return make


@pytest.fixture
def make_post(db):
    """Create a post; published an hour ago unless told otherwise. `tags` takes names."""
    from blog.models import Post, Tag

    def make(tags=(), **fields):
        n = next(_sequence)
        fields.setdefault("title", f"Post number {n}")
        fields.setdefault("slug", f"post-{n}")
        fields.setdefault("summary", f"Summary of post {n}.")
        fields.setdefault("body_markdown", f"## Heading {n}\n\nBody of post {n}.")
        fields.setdefault("status", Post.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
        post = Post.objects.create(**fields)
        for name in tags:
            tag, _ = Tag.objects.get_or_create_by_name(name)
            post.tags.add(tag)
        return post

    return make
