"""A draft or a future-dated post appears nowhere a reader can look, until it is published."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/blog/",
    "/blog/series/models/",
    "/blog/tag/secret-tag/",
    "/blog/tag/shared/",
    "/blog/tags/",
    "/blog/author/jim/",
    "/blog/author/zebra-writer/",
    "/blog/feed/",
    "/blog/atom/",
    "/sitemap.xml",
    "/sitemap-posts.xml",
    "/sitemap-series.xml",
    "/sitemap-tags.xml",
    "/sitemap-authors.xml",
    "/search/?q=zebra",
    "/search/?q=secret",
]


@pytest.fixture
def setting(make_series, make_post):
    series = make_series(slug="models", planned_parts=3)
    make_post(title="Visible part", slug="visible", series=series, part=1, tags=["shared"])
    return series


def published_count_on_the_tags_page(client, slug):
    page = client.get("/blog/tags/").content.decode()
    found = re.search(rf'href="/blog/tag/{slug}/">[^<]+</a> <span[^>]*>\((\d+) article', page)
    return int(found.group(1)) if found else 0


def everything_a_reader_sees(client):
    pages = []
    for url in PUBLIC_URLS:
        response = client.get(url)
        pages.append(response.content.decode() if response.status_code == 200 else "")
    return "\n".join(pages)


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Post.Status.DRAFT},
        {"status": Post.Status.PUBLISHED, "published_at_delta": timedelta(days=2)},
    ],
    ids=["draft", "scheduled"],
)
def test_a_hidden_post_appears_nowhere_until_published(client, setting, make_post, hidden):
    delta = hidden.pop("published_at_delta", -timedelta(hours=1))
    post = make_post(
        title="Zebra secret title",
        slug="zebra-secret",
        author_name="Zebra Writer",
        series=setting,
        part=2,
        tags=["shared", "secret-tag"],
        published_at=timezone.now() + delta,
        **hidden,
    )
    seen = everything_a_reader_sees(client)
    assert "Zebra secret title" not in seen and "zebra-secret" not in seen
    assert "Zebra Writer" not in seen and "zebra-writer" not in seen  # author page, sitemap
    assert "secret-tag" not in client.get("/blog/tags/").content.decode()
    assert published_count_on_the_tags_page(client, "shared") == 1
    assert "Visible part" in seen
    assert client.get("/blog/zebra-secret/").status_code == 404
    assert client.get("/blog/author/zebra-writer/").status_code == 404
    assert client.get("/blog/tag/secret-tag/").status_code == 200  # the tag exists, but empty
    assert "Part 2: coming soon" in client.get("/blog/visible/").content.decode()

    post.status = Post.Status.PUBLISHED
    post.published_at = timezone.now() - timedelta(minutes=1)
    post.save()
    seen = everything_a_reader_sees(client)
    assert seen.count("Zebra secret title") >= 7
    assert client.get("/blog/zebra-secret/").status_code == 200
    assert "/blog/zebra-secret/</loc>" in client.get("/sitemap-posts.xml").content.decode()
    assert "/blog/author/zebra-writer/</loc>" in client.get("/sitemap-authors.xml").content.decode()
    assert published_count_on_the_tags_page(client, "shared") == 2
    assert published_count_on_the_tags_page(client, "secret-tag") == 1


def test_staff_can_preview_a_draft_with_a_banner_and_no_caching(client, make_post, admin_user):
    make_post(title="Draft to check", slug="draft-check", status=Post.Status.DRAFT)
    client.force_login(admin_user)
    response = client.get("/blog/draft-check/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview:" in html and "it is a draft" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_logged_in_non_staff_user_cannot_preview(client, make_post, django_user_model):
    make_post(slug="draft-check", status=Post.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("reader", password="x-long-pass"))
    assert client.get("/blog/draft-check/").status_code == 404
