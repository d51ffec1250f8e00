"""Two gunicorn servers (two workers each) sharing the database, and Redis when configured
(CI's PostgreSQL run), or their page files beside the SQLite database: a page each has cached
changes on both at the next request after a change made anywhere, even one made behind their
backs in raw SQL, and at the moment a scheduled post goes live."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.live_servers import running_site

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(
        tmp_path_factory.mktemp("cache-across-servers"),
        servers=2,
        COMMENTS_FORM_MIN_SECONDS=0,
        DJANGO_TRUSTED_PROXY_COUNT=1,
    ) as site:
        yield site


def first_post(site):
    return site.sql(
        "SELECT slug FROM blog_post WHERE status = 'published' ORDER BY published_at, id LIMIT 1"
    )[0][0]


def read_everywhere(site, urls):
    """Each page on each server, twice (the second from the cache): their bodies."""
    pages = {}
    for server in (0, 1):
        for url in urls:
            for _ in range(2):
                status, body, _ = site.page(server, url)
                assert status == 200, (server, url, status)
            pages[server, url] = body
    return pages


def showing(site, urls, text):
    return {key for key, body in read_everywhere(site, urls).items() if text in body}


def everywhere(urls):
    return {(server, url) for server in (0, 1) for url in urls}


def test_a_post_renamed_in_raw_sql_shows_on_both_servers_next_request(site):
    slug = first_post(site)
    urls = ["/", "/blog/", f"/blog/{slug}/", "/blog/feed/", f"/blog/{slug}/comments/feed/"]
    assert showing(site, urls, "Renamed behind their backs") == set()
    site.write(
        "UPDATE blog_post SET title = %s WHERE slug = %s", "Renamed behind their backs", slug
    )
    assert showing(site, urls, "Renamed behind their backs") == everywhere(urls)


def test_a_comment_approved_shows_on_both_servers_next_request(site):
    slug = first_post(site)
    status, _, _ = site.post_comment(
        0,
        slug,
        name="First-time reader",
        email="held-then-approved@example.com",
        body="Approved while both servers had the page cached.",
        forwarded_for="198.51.100.7",
    )
    assert status == 302
    urls = [f"/blog/{slug}/", f"/blog/{slug}/comments/feed/"]
    assert showing(site, urls, "Approved while both") == set()  # held: nothing moved
    site.write(
        "UPDATE comments_comment SET status = 'approved' WHERE email = %s",
        "held-then-approved@example.com",
    )
    assert showing(site, urls, "Approved while both") == everywhere(urls)


def test_a_tag_renamed_shows_on_both_servers_next_request(site):
    tag = site.sql(
        "SELECT t.slug FROM blog_tag t JOIN blog_post_tags pt ON pt.tag_id = t.id LIMIT 1"
    )[0][0]
    urls = [f"/blog/tag/{tag}/", "/blog/tags/"]
    assert showing(site, urls, "A tag renamed") == set()
    site.write("UPDATE blog_tag SET name = %s WHERE slug = %s", "A tag renamed", tag)
    assert showing(site, urls, "A tag renamed") == everywhere(urls)


def test_a_matrix_cell_edited_shows_on_both_servers_next_request(site):
    assert showing(site, ["/compare/"], "A cell edited in SQL") == set()
    site.write(
        "UPDATE comparisons_assessment SET summary = %s"
        " WHERE id = (SELECT MIN(id) FROM comparisons_assessment)",
        "A cell edited in SQL.",
    )
    assert showing(site, ["/compare/"], "A cell edited in SQL") == everywhere(["/compare/"])


def test_a_scheduled_post_appears_on_both_servers_at_its_moment(site):
    slug = first_post(site)
    goes_live = datetime.now(UTC) + timedelta(seconds=4)
    if site.env["DATABASE_URL"].startswith("sqlite"):
        moment = goes_live.strftime("%Y-%m-%d %H:%M:%S.%f")  # as Django stores it there
    else:
        moment = goes_live.isoformat()
    site.write(
        "UPDATE blog_post SET title = %s, published_at = %s WHERE slug = %s",
        "Scheduled to go live shortly",
        moment,
        slug,
    )
    urls = ["/", "/blog/", "/blog/atom/"]
    assert showing(site, urls, "Scheduled to go live shortly") == set()
    time.sleep(max(0.0, (goes_live - datetime.now(UTC)).total_seconds()) + 0.5)
    assert showing(site, urls, "Scheduled to go live shortly") == everywhere(urls)
