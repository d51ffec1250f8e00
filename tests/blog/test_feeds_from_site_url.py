"""Feeds and the sitemap link to SITE_URL's scheme and host, whatever the Sites framework's
row says (it was written at migrate time, and a site moved since still has the old one)."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def moved_site(settings, a_bit_of_everything, make_comment):
    Site.objects.filter(pk=settings.SITE_ID).update(domain="old-host.test")
    Site.objects.clear_cache()
    settings.SITE_URL = "https://example.org"
    settings.SITE_SCHEME = "https"
    settings.SITE_DOMAIN = "example.org"
    from blog.models import Post

    make_comment(post=Post.objects.get(slug="first"), website="https://commenter.test/")


def links_in(xml: bytes) -> list[str]:
    """Every address the document gives: element text that is a URL, and href attributes."""
    root = ElementTree.fromstring(xml)
    found = []
    for element in root.iter():
        if element.get("href"):
            found.append(element.get("href"))
        text = (element.text or "").strip()
        if re.match(r"^[a-z]+://", text):
            found.append(text)
    return found


def assert_all_on_site_url(links, allowed_elsewhere=()):
    assert links
    for link in links:
        if link in allowed_elsewhere:
            continue
        assert link.startswith("https://example.org/"), link


@pytest.mark.parametrize("url", ["/blog/feed/", "/blog/atom/"])
def test_the_post_feeds_link_to_site_url(client, moved_site, url):
    response = client.get(url)
    assert response.status_code == 200
    links = links_in(response.content)
    assert_all_on_site_url(links)
    assert "https://example.org/blog/first/" in links


def test_the_comment_feed_links_to_site_url(client, moved_site):
    response = client.get("/blog/first/comments/feed/")
    assert response.status_code == 200
    links = links_in(response.content)
    # A commenter's own website is theirs, not ours.
    assert_all_on_site_url(links, allowed_elsewhere={"https://commenter.test/"})
    assert any(link.startswith("https://example.org/blog/first/") for link in links)


def test_the_sitemap_index_and_every_section_link_to_site_url(client, moved_site):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = [
        element.text for element in ElementTree.fromstring(index.content).iter(f"{SITEMAP}loc")
    ]
    assert_all_on_site_url(sections)
    assert "https://example.org/sitemap-posts.xml" in sections
    for section in sections:
        response = client.get(section.removeprefix("https://example.org"))
        assert response.status_code == 200, section
        locations = [e.text for e in ElementTree.fromstring(response.content).iter(f"{SITEMAP}loc")]
        assert_all_on_site_url(locations)
    posts = client.get("/sitemap-posts.xml").content.decode()
    assert "<loc>https://example.org/blog/first/</loc>" in posts
