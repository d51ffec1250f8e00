"""Shared fixtures: test data factories for the blog and comments, the site owner's account,
the project's own content synced, a clock the tests move by hand, a plain static-files
storage, and background tasks run at once.

Tests render templates without running collectstatic first, so the hashed-name manifest
storage used in production is swapped for Django's plain storage here;
`tests/security/test_deployment.py` proves the production storage separately. Tasks run where they
are enqueued (django-tasks' immediate backend), so an email a task sends is in the outbox
when the request returns; `tests/subscriptions/test_delivery_exactly_once.py` and the other
subscription tests run the database queue and its worker themselves.
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
def _share_cards_apart(settings, tmp_path_factory):
    # The share cards sync_posts and the card views draw (blog.share_cards): never into the
    # checkout's staticfiles/.
    settings.SHARE_CARDS_ROOT = tmp_path_factory.mktemp("cards")


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests that sign in many times only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _listeners_closed(django_db_setup, django_db_blocker):
    """The connections listening for data-version announcements (PostgreSQL) are closed
    before the test database is dropped, which they would otherwise hold open."""
    yield
    from siteops.data_versions import stop_listening

    stop_listening()


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import caches

    from siteops.data_versions import forget

    forget()  # the data versions a process keeps between writes, too
    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


class Clock:
    """The time the code sees (`django.utils.timezone.now`), moved only by the test."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    """The site's clock, frozen at a whole second and moved by hand: `clock.advance(seconds)`."""
    frozen = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture
def site_owner(django_user_model):
    """The owner's superuser account; `tests.support.admin_forms.sign_in` signs in as it."""
    from tests.support.admin_forms import OWNER, OWNER_PASSWORD

    return django_user_model.objects.create_superuser(OWNER, "", OWNER_PASSWORD)


@pytest.fixture
def project_pages(db):
    """The project's own content/ folder synced: its posts, series, tags and site pages."""
    from tests.support.content import PROJECT_CONTENT, sync

    sync(PROJECT_CONTENT)


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


@pytest.fixture
def a_bit_of_everything(make_series, make_post, make_page):
    """A page of each type (`tests.support.pages.READER_PAGES`): a series with a tagged first
    part, and the About, Privacy and Contact pages."""
    series = make_series(slug="models", planned_parts=2)
    make_post(slug="first", series=series, part=1, tags=["costs"])
    for slug in ("about", "privacy", "contact"):
        make_page(slug=slug, title=slug.title())


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
