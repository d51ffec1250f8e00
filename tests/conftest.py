"""Shared fixtures: test data factories for the blog, a plain static-files storage, and
background tasks run at once.

Tests render templates without running collectstatic first, so the hashed-name manifest
storage used in production is swapped for Django's plain storage here;
`tests/security/test_deployment.py` proves the production storage separately. Tasks run where they
are enqueued (django-tasks' immediate backend), so an email a task sends is in the outbox
when the request returns; `tests/subscriptions/test_subscriptions.py` runs the database queue
and its worker themselves.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

# Property tests check behaviour, never speed: hypothesis' per-example deadline would make
# them fail on a busy machine (speed is measured in bench/, not in tests).
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")

_sequence = itertools.count(1)

# Fixtures for the recommendation tests (submit the form, open the result).
pytest_plugins = ["tests.support.recommendation_support"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests that sign in many times only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
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


@pytest.fixture
def make_page(db):
    """Create a site page (About, Privacy…) straight in the database."""
    from blog.models import Page

    def make(**fields):
        n = next(_sequence)
        fields.setdefault("title", f"Page {n}")
        fields.setdefault("slug", f"page-{n}")
        fields.setdefault("summary", f"Summary of page {n}.")
        fields.setdefault("body_markdown", f"## Section {n}\n\nText of page {n}.")
        return Page.objects.create(**fields)

    return make


# --- Comments ---------------------------------------------------------------------------------


@pytest.fixture
def make_comment(db, make_post):
    """Create a comment straight in the database; approved unless told otherwise."""
    from comments.models import Comment

    def make(post=None, **fields):
        n = next(_sequence)
        fields.setdefault("name", f"Commenter {n}")
        fields.setdefault("email", f"commenter{n}@example.com")
        fields.setdefault("body", f"Comment number {n}.")
        fields.setdefault("status", Comment.Status.APPROVED)
        return Comment.objects.create(post=post or make_post(), **fields)

    return make


@pytest.fixture
def relaxed_comment_limits(settings):
    """No waiting between test submissions: the spam tests set these limits themselves."""
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 0
    settings.COMMENTS_MAX_PER_HOUR = 1000
    settings.MANAGERS = [("Managers", "managers@example.com")]


@pytest.fixture
def comment_form(client):
    """The comment form's fields as a browser sends them, with the timestamp read from the page."""
    import re

    def fields(post, client=client, **overrides):
        page = client.get(post.get_absolute_url())
        token = re.search(r'name="timestamp" value="([^"]+)"', page.content.decode())
        data = {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "body": "A fine article, thank you.",
            "website": "",
            "timestamp": token.group(1) if token else "",
            "homepage": "",
            "parent": "",
        }
        data.update(overrides)
        return data

    return fields
