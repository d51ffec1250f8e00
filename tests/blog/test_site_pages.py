"""The pages a real site has: About, Privacy and Contact from the project's content/pages/,
an author page, tag pages named for their tags and a list of every tag, all linked from the
footer and listed in the sitemap. Through the test client, as a reader meets them; syncing the
page files is specified in `tests/blog/test_page_files.py`.
"""

import re
import subprocess
import sys
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.utils import timezone

from blog.models import Page, Post
from tests.support.pages import READER_PAGES, ok_html

pytestmark = pytest.mark.django_db


# --- About, Privacy, Contact -------------------------------------------------------------------


def test_the_projects_about_page_says_who_writes_and_pays_for_the_site(client, project_pages):
    page = ok_html(client.get("/about/"))
    assert "<title>About this site · " in page
    assert "Jim" in page and "IT adviser" in page
    assert "no advertising" in page and "no affiliate links" in page
    assert "no payment from IT providers" in page


def test_the_projects_privacy_page_names_what_is_kept_and_every_cookie(client, project_pages):
    page = ok_html(client.get("/privacy/"))
    assert "<title>Privacy · " in page
    for text in ("name", "email address", "website", "keyed hash", "never stored"):
        assert text in page, text
    for cookie in ("csrftoken", "comments_own", "comment_author", "messages", "sessionid"):
        assert f"<code>{cookie}</code>" in page, cookie
    assert "no trackers, no analytics" in page
    assert 'href="/contact/"' in page


def test_the_privacy_page_names_every_cookie_a_reader_can_be_given(
    client, project_pages, make_post, comment_form, relaxed_comment_limits
):
    post = make_post(slug="cookies")
    named = set(re.findall(r"<code>([a-z_]+)</code>", ok_html(client.get("/privacy/"))))
    given = set()
    for url in ["/", "/about/", post.get_absolute_url(), "/compare/", "/blog/tags/"]:
        assert not client.get(url).cookies, f"reading {url} set a cookie"
    for url in ["/blog/comments/token/", "/compare/recommend/"]:
        given |= set(client.get(url).cookies)
    sent = client.post(f"{post.get_absolute_url()}comments/", comment_form(post, remember="on"))
    given |= set(sent.cookies)
    comment = post.comments.get()
    edited = client.post(
        f"{post.get_absolute_url()}comments/{comment.pk}/edit/", {"body": "Second thoughts."}
    )
    given |= set(edited.cookies)
    assert {"csrftoken", "comments_own", "comment_author", "messages"} <= given
    assert given <= named


def test_the_contact_page_gives_the_configured_address(client, project_pages, settings):
    settings.SITE_CONTACT_EMAIL = "ask@guide.example.org"
    page = ok_html(client.get("/contact/"))
    assert '<a class="fs-5" href="mailto:ask@guide.example.org">' in page
    assert "comments under each article" in page


def test_the_contact_address_defaults_to_hello_at_the_sites_host():
    def contact_email(**env):
        script = "import django; django.setup(); from django.conf import settings; "
        script += "print(settings.SITE_CONTACT_EMAIL)"
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=settings.BASE_DIR,
            env={"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1", **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert contact_email(SITE_URL="https://www.guide.example.com") == "hello@guide.example.com"
    assert contact_email(SITE_URL="http://127.0.0.1:8000") == "hello@localhost"
    assert contact_email(SITE_CONTACT_EMAIL="jim@example.org") == "jim@example.org"


def test_a_page_has_its_own_title_description_and_canonical_meta(client, make_page):
    make_page(title="Terms", slug="terms", summary="The terms of use.")
    page = ok_html(client.get("/terms/"))
    assert f"<title>Terms · {settings.SITE_NAME}</title>" in page
    assert '<meta name="description" content="The terms of use.">' in page
    assert f'<link rel="canonical" href="{settings.SITE_URL}/terms/">' in page
    assert '<h1 id="page-title">Terms</h1>' in page and page.count("<h1") == 1


def test_an_unknown_page_is_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_page_row_with_a_reserved_slug_hides_no_other_address(client, make_page, make_post):
    make_post(title="Still the blog")
    for slug in ("blog", "compare", "healthz"):
        Page.objects.bulk_create([Page(title=f"Impostor {slug}", slug=slug, body_markdown="x")])
    assert "Still the blog" in ok_html(client.get("/blog/"))
    assert "Impostor" not in ok_html(client.get("/compare/"))
    assert client.get("/healthz").content == b"ok"


# --- Footer, sitemap ---------------------------------------------------------------------------


def test_every_page_type_links_the_site_pages_from_its_footer(client, a_bit_of_everything):
    urls = [
        *READER_PAGES,
        "/privacy/",
        "/contact/",
        "/compare/",
        "/compare/recommend/",
        "/no-such-page/",
    ]
    for url in urls:
        page = client.get(url).content.decode()
        footer = re.search(r'<nav aria-label="Site">(.*?)</nav>', page, re.DOTALL)
        assert footer, url
        for link in ("/about/", "/privacy/", "/contact/", "/blog/tags/"):
            assert f'href="{link}"' in footer.group(1), (url, link)


def sitemap_entries(client):
    """Every address the sitemap's sections list (the index at /sitemap.xml names them)."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def xml(path):
        response = client.get(path)
        assert response.status_code == 200
        return ElementTree.fromstring(response.content)

    sections = [loc.text.split("/", 3)[3] for loc in xml("/sitemap.xml").iter(f"{{{ns['s']}}}loc")]
    return {
        u.findtext("s:loc", namespaces=ns).split("/", 3)[3]: u.findtext("s:lastmod", namespaces=ns)
        for section in sections
        for u in xml(f"/{section}").findall("s:url", ns)
    }


def test_the_sitemap_lists_pages_authors_and_the_tag_list(client, a_bit_of_everything):
    entries = sitemap_entries(client)
    assert {"about/", "privacy/", "contact/", "blog/tags/", "blog/author/jim/"} <= set(entries)
    assert entries["about/"] and entries["blog/author/jim/"]


def test_a_new_page_reaches_the_cached_sitemap_at_once(client, a_bit_of_everything, make_page):
    assert "terms/" not in sitemap_entries(client)
    make_page(slug="terms")
    assert "terms/" in sitemap_entries(client)


# --- The author page ---------------------------------------------------------------------------


def test_the_author_page_lists_only_their_published_posts_newest_first(client, make_post):
    now = timezone.now()
    make_post(title="Older by Jim", published_at=now - timedelta(days=2))
    make_post(title="Newer by Jim", published_at=now - timedelta(days=1))
    make_post(title="Draft by Jim", status=Post.Status.DRAFT)
    make_post(title="Scheduled by Jim", published_at=now + timedelta(days=1))
    make_post(title="By Ada", author_name="Ada Lovelace")
    page = ok_html(client.get("/blog/author/jim/"))
    assert '<h1 class="mb-2">Articles by Jim</h1>' in page
    assert page.index("Newer by Jim") < page.index("Older by Jim")
    for absent in ("Draft by Jim", "Scheduled by Jim", "By Ada"):
        assert absent not in page
    assert "By Ada" in ok_html(client.get("/blog/author/ada-lovelace/"))


def test_an_author_without_published_posts_has_no_page(client, make_post):
    make_post(author_name="Drafty", status=Post.Status.DRAFT)
    assert client.get("/blog/author/drafty/").status_code == 404
    assert client.get("/blog/author/nobody/").status_code == 404


def test_the_author_page_is_paginated_like_the_post_list(client, make_post):
    for n in range(12):
        make_post(title=f"Numbered {n:02d}", published_at=timezone.now() - timedelta(days=n))
    first = ok_html(client.get("/blog/author/jim/"))
    assert "Numbered 09" in first and "Numbered 10" not in first and "Page 1 of 2" in first
    assert "Numbered 11" in ok_html(client.get("/blog/author/jim/?page=2"))
    assert client.get("/blog/author/jim/?page=3").status_code == 404


def test_the_byline_links_to_the_author_page(client, make_post):
    make_post(slug="bylined", author_name="Jim")
    link = '<a href="/blog/author/jim/" rel="author">Jim</a>'
    assert f"By {link}" in ok_html(client.get("/blog/bylined/"))
    assert f"By {link}" in ok_html(client.get("/blog/"))


# --- Tags --------------------------------------------------------------------------------------


def test_a_tag_page_is_titled_with_the_tags_name(client, make_post):
    make_post(title="Tagged", tags=["Break/fix"])
    page = ok_html(client.get("/blog/tag/breakfix/"))
    assert "<title>Articles tagged “Break/fix”" in page
    assert '<h1 class="mb-4">Articles tagged “Break/fix”</h1>' in page
    assert 'href="/blog/tags/"' in page


def test_the_tags_page_counts_published_posts_only_ordered_by_name(client, make_post):
    make_post(tags=["Security", "Costs"])
    make_post(tags=["Costs"])
    make_post(tags=["Costs", "Security"], status=Post.Status.DRAFT)
    make_post(tags=["Only drafts"], status=Post.Status.DRAFT)
    make_post(tags=["Costs"], published_at=timezone.now() + timedelta(days=1))
    page = ok_html(client.get("/blog/tags/"))
    counts = re.findall(r'href="/blog/tag/([-a-z]+)/">([^<]+)</a> <span[^>]*>\((\d+) article', page)
    assert counts == [("costs", "Costs", "2"), ("security", "Security", "1")]
    assert "Only drafts" not in page


def test_the_projects_tags_carry_their_names_from_tags_yaml(client, project_pages):
    page = ok_html(client.get("/blog/tags/"))
    assert '<a href="/blog/tag/break-fix/">Break/fix</a>' in page
    assert "Articles tagged “Managed services”" in ok_html(
        client.get("/blog/tag/managed-services/")
    )


# --- Query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_new_pages_take_a_constant_number_of_queries(
    client, make_post, make_page, django_assert_max_num_queries, count
):
    make_page(slug="about")
    for n in range(count):
        make_post(slug=f"p{n}", tags=["a", "b", f"t{n}"])
    # The versions the page cache keys them on, then what the page itself reads.
    for url, budget in [("/about/", 2), ("/blog/tags/", 2), ("/blog/author/jim/", 4)]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    for url in ("/sitemap.xml", "/sitemap-authors.xml", "/sitemap-site-pages.xml"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200, url
