"""The sitemap at a thousand posts and more: /sitemap.xml is an index of sections
(/sitemap-<section>.xml), the posts' section split into pages of at most 500, each page a
constant number of queries however many posts there are, every address in exactly one
section and every link on SITE_URL's scheme and host."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
POSTS_A_PAGE = 500
SECTIONS = ["posts", "series", "tags", "authors", "site-pages", "pages"]


def many_posts(count):
    """`count` published posts and one draft, written in one go (no rendering)."""
    now = timezone.now()
    Post.objects.bulk_create(
        [
            Post(
                title=f"Post {n}",
                slug=f"bulk-{n}",
                author_name="Jim",
                author_slug="jim",
                body_markdown="Text.",
                body_html="<p>Text.</p>",
                status=Post.Status.PUBLISHED,
                published_at=now - timedelta(minutes=n + 1),
            )
            for n in range(count)
        ]
        + [Post(title="Draft", slug="bulk-draft", body_markdown="x", status=Post.Status.DRAFT)],
        batch_size=500,
    )


def xml(response):
    assert response.status_code == 200, response
    return ElementTree.fromstring(response.content)


def path_of(url, settings):
    """The address's path and query, after checking it is on SITE_URL's scheme and host."""
    assert url.startswith(f"{settings.SITE_URL}/"), url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def index_entries(client, settings):
    root = xml(client.get("/sitemap.xml"))
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    return [path_of(loc.text, settings) for loc in root.findall("s:sitemap/s:loc", NS)]


def listed_urls(client, settings, sitemap_path):
    root = xml(client.get(sitemap_path))
    return [path_of(loc.text, settings) for loc in root.findall("s:url/s:loc", NS)]


def test_the_index_lists_every_section_and_every_page_of_posts(client, settings):
    many_posts(1_200)
    assert index_entries(client, settings) == [
        "/sitemap-posts.xml",
        "/sitemap-posts.xml?p=2",
        "/sitemap-posts.xml?p=3",
        *(f"/sitemap-{section}.xml" for section in SECTIONS[1:]),
    ]


def test_each_published_post_is_on_exactly_one_page_of_at_most_500(client, settings):
    many_posts(1_200)
    pages = [
        listed_urls(client, settings, entry)
        for entry in index_entries(client, settings)
        if entry.startswith("/sitemap-posts.xml")
    ]
    assert [len(page) for page in pages] == [POSTS_A_PAGE, POSTS_A_PAGE, 200]
    listed = [url for page in pages for url in page]
    assert sorted(listed) == sorted(f"/blog/bulk-{n}/" for n in range(1_200))
    assert pages[0][0] == "/blog/bulk-0/"  # newest first
    assert client.get("/sitemap-posts.xml?p=4").status_code == 404


def test_no_address_is_in_two_sections(client, settings, a_bit_of_everything):
    many_posts(600)
    entries = index_entries(client, settings)
    listed = [url for entry in entries for url in listed_urls(client, settings, entry)]
    assert len(listed) == len(set(listed))
    assert {"/", "/blog/", "/blog/tags/", "/blog/author/jim/", "/about/"} <= set(listed)


@pytest.mark.parametrize("count", [10, 1_200])
def test_each_sitemap_page_takes_the_same_queries_at_10_and_1200_posts(
    client, settings, django_assert_max_num_queries, count
):
    many_posts(count)
    with django_assert_max_num_queries(8):
        entries = index_entries(client, settings)
    for entry in entries:
        with django_assert_max_num_queries(4):
            assert client.get(entry).status_code == 200, entry
