"""Reading the series: every public page of the blog, as a reader's browser receives it."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from blog.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def series_of_three(make_series, make_post):
    series = make_series(title="Understanding models", slug="models", planned_parts=3)
    parts = [
        make_post(
            title=f"Part {n} title",
            slug=f"part-{n}",
            series=series,
            part=n,
            published_at=timezone.now() - timedelta(days=10 - n),
            tags=["costs"],
        )
        for n in (1, 2, 3)
    ]
    return series, parts


def test_home_shows_the_series_latest_posts_and_the_call_to_the_form(client, series_of_three):
    html = client.get("/").content.decode()
    assert "Understanding models" in html
    assert "Part 3 title" in html and "Part 1 title" in html
    assert 'href="/compare/recommend/"' in html
    assert html.count("<h1") == 1


def test_post_page_shows_the_article_and_its_place_in_the_series(client, series_of_three):
    html = client.get("/blog/part-2/").content.decode()
    assert '<h1 id="post-title">Part 2 title</h1>' in html
    assert "Part 2 of 3" in html
    assert 'href="/blog/part-1/" rel="prev"' in html
    assert 'href="/blog/part-3/" rel="next"' in html
    assert 'aria-current="page"' in html
    assert html.count("<h1") == 1


def test_an_unpublished_part_is_coming_soon_without_a_link(client, series_of_three):
    _, parts = series_of_three
    parts[2].status = Post.Status.DRAFT
    parts[2].save()
    html = client.get("/blog/part-2/").content.decode()
    assert "Part 3: coming soon" in html
    assert "Part 3 title" not in html and "/blog/part-3/" not in html
    assert "Part 2 of 3" in html


def test_series_page_lists_every_part_in_order(client, series_of_three, make_series):
    html = client.get("/blog/series/models/").content.decode()
    assert html.index("Part 1 title") < html.index("Part 2 title") < html.index("Part 3 title")
    series = make_series(slug="longer", planned_parts=4)
    series.posts.add(Post.objects.get(slug="part-1"))
    assert "Part 4: coming soon" in client.get("/blog/series/longer/").content.decode()


def test_post_list_is_newest_first_and_paginated(client, make_post):
    for n in range(12):
        make_post(title=f"Numbered {n:02d}", published_at=timezone.now() - timedelta(days=n))
    first = client.get("/blog/").content.decode()
    assert first.index("Numbered 00") < first.index("Numbered 09")
    assert "Numbered 10" not in first and "Page 1 of 2" in first
    second = client.get("/blog/?page=2").content.decode()
    assert "Numbered 10" in second and "Numbered 11" in second


@pytest.mark.parametrize("page", ["99", "0", "-1", "abc", "1e9", "\x00", "9" * 40])
def test_a_bad_page_number_is_a_404_not_an_error(client, make_post, page):
    make_post()
    assert client.get("/blog/", {"page": page}).status_code == 404


def test_tag_page_lists_published_posts_with_the_tag(client, make_post):
    make_post(title="Tagged one", tags=["security"])
    make_post(title="Other", tags=["costs"])
    html = client.get("/blog/tag/security/").content.decode()
    assert "Tagged one" in html and "Other" not in html
    assert client.get("/blog/tag/no-such-tag/").status_code == 404


def test_post_page_has_canonical_open_graph_and_twitter_meta(client, make_post, settings):
    make_post(title="Meta post", slug="meta-post", summary="A summary for sharing.")
    html = client.get("/blog/meta-post/").content.decode()
    canonical = f"{settings.SITE_URL}/blog/meta-post/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Meta post">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta name="twitter:description" content="A summary for sharing.">' in html
    assert '<meta name="description" content="A summary for sharing.">' in html


def test_unknown_pages_get_the_friendly_404(client):
    response = client.get("/blog/no-such-post/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_robots_txt_points_to_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode()


def test_robots_txt_keeps_crawlers_off_the_comment_forms_token(client):
    assert "Disallow: /blog/comments/token/" in client.get("/robots.txt").content.decode()


def _xml(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_rss_feed_parses_and_lists_published_posts_newest_first(client, series_of_three):
    root = _xml(client.get("/blog/feed/"))
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == ["Part 3 title", "Part 2 title", "Part 1 title"]
    assert root.find("channel/item/link").text.endswith("/blog/part-3/")


def test_atom_feed_parses_and_lists_published_posts(client, series_of_three):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = _xml(client.get("/blog/atom/"))
    titles = [entry.findtext("a:title", namespaces=ns) for entry in root.findall("a:entry", ns)]
    assert titles == ["Part 3 title", "Part 2 title", "Part 1 title"]
    assert root.find("a:entry/a:updated", ns).text


def test_sitemap_lists_posts_series_tags_and_pages_with_lastmod(client, series_of_three):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = _xml(client.get("/sitemap.xml"))
    sections = [loc.text.split("/", 3)[3] for loc in index.findall("s:sitemap/s:loc", ns)]
    assert sections == [
        f"sitemap-{name}.xml"
        for name in ("posts", "series", "tags", "authors", "site-pages", "pages")
    ]
    urls = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for section in sections
        for u in _xml(client.get(f"/{section}")).findall("s:url", ns)
    }
    paths = {loc.split("/", 3)[3] for loc in urls}
    assert {"blog/part-1/", "blog/series/models/", "blog/tag/costs/", "compare/", ""} <= paths
    assert all(urls[loc] for loc in urls if "/blog/part-" in loc)


def test_pages_send_a_strict_content_security_policy(client, series_of_three):
    for url in ["/", "/blog/", "/blog/part-1/", "/blog/series/models/", "/blog/tag/costs/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "style=" not in response.content.decode()
        assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_page_queries_do_not_grow_with_the_number_of_posts(
    client, make_series, make_post, django_assert_max_num_queries, count
):
    series = make_series(slug="big", planned_parts=count)
    for n in range(1, count + 1):
        make_post(slug=f"p{n}", series=series, part=n, tags=["a", "b", f"t{n}"])
    for url in [
        "/",
        "/blog/",
        "/blog/p2/",
        "/blog/series/big/",
        "/blog/tag/a/",
        "/blog/feed/",
        "/blog/atom/",
        "/sitemap.xml",
        "/sitemap-posts.xml",
        "/sitemap-series.xml",
        "/sitemap-tags.xml",
    ]:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
