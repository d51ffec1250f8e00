"""The pages a real site has: About, Privacy and Contact from content/pages/, an author page,
tag pages named for their tags and a list of every tag, all linked from the footer and listed
in the sitemap. Through the test client and `sync_posts`, as a reader and an editor meet them.
"""

import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from blog.models import Page, Post

pytestmark = pytest.mark.django_db

PROJECT_CONTENT = Path(settings.BASE_DIR) / "content"

ABOUT = """\
---
title: About this site
slug: about
summary: "Who writes it."
updated: 2026-12-01
---

## Who writes it

Jim does.
"""


@pytest.fixture
def content(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "about.md").write_text(ABOUT)
    return tmp_path


def sync(content_dir, *args):
    out, err = StringIO(), StringIO()
    call_command("sync_posts", *args, content_dir=content_dir, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def sync_error(content_dir):
    with pytest.raises(CommandError) as raised:
        sync(content_dir)
    return str(raised.value)


@pytest.fixture
def project_pages():
    sync(PROJECT_CONTENT)


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Syncing pages from content/pages ----------------------------------------------------------


def test_pages_are_created_from_their_files_with_sanitised_html(content):
    (content / "pages" / "about.md").write_text(
        ABOUT + "\n# A big heading\n\n<script>alert(1)</script> [x](javascript:alert(1))\n"
    )
    assert "pages: 1 created, 0 updated, 0 unchanged" in sync(content)
    page = Page.objects.get(slug="about")
    assert page.title == "About this site" and page.summary == "Who writes it."
    assert page.updated_on.isoformat() == "2026-12-01"
    assert '<h2 id="who-writes-it">' in page.body_html
    assert "<h1" not in page.body_html
    assert "<script" not in page.body_html and "javascript:" not in page.body_html


def test_a_second_run_changes_no_page(content):
    sync(content)
    before = Page.objects.get(slug="about").updated_at
    assert "pages: 0 created, 0 updated, 1 unchanged" in sync(content)
    assert Page.objects.get(slug="about").updated_at == before


def test_an_edited_page_file_updates_the_page(content):
    sync(content)
    (content / "pages" / "about.md").write_text(ABOUT.replace("Jim does.", "Jim still does."))
    assert "pages: 0 created, 1 updated" in sync(content)
    assert "Jim still does." in Page.objects.get(slug="about").body_html


def test_a_page_edited_in_the_admin_is_kept_unless_forced(content):
    sync(content)
    page = Page.objects.get(slug="about")
    page.body_markdown = "Edited in the admin."
    page.save()
    (content / "pages" / "about.md").write_text(ABOUT.replace("Jim does.", "File changed."))

    output = sync(content)
    assert "kept page about" in output and "1 kept" in output
    assert Page.objects.get(slug="about").body_markdown == "Edited in the admin."

    assert "pages: 0 created, 1 updated" in sync(content, "--force")
    assert "File changed." in Page.objects.get(slug="about").body_markdown


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("title: About this site\n", "", "02-bad.md:1: missing title"),
        ("slug: about", "slug: blog", "02-bad.md:3: the slug 'blog' is reserved"),
        ("slug: about", "slug: compare", "02-bad.md:3: the slug 'compare' is reserved"),
        ("slug: about", "slug: admin", "02-bad.md:3: the slug 'admin' is reserved"),
        ("slug: about", "slug: healthz", "02-bad.md:3: the slug 'healthz' is reserved"),
        ("slug: about", "slug: static", "02-bad.md:3: the slug 'static' is reserved"),
        ("slug: about", "slug: Not_A_Slug", "02-bad.md:3: invalid slug"),
        ("updated: 2026-12-01\n", "", "02-bad.md:1: missing updated date"),
        ("updated: 2026-12-01", "updated: soon", "02-bad.md:5: invalid date 'soon'"),
        ('summary: "Who writes it."', "sumary: x", "02-bad.md:4: unknown field(s) ['sumary']"),
        ("title: About", "title: [About", "02-bad.md:2: invalid YAML"),
    ],
)
def test_a_bad_page_is_rejected_naming_file_line_and_problem(content, replace, by, expected):
    sync(content)
    bad = ABOUT.replace(replace, by)
    if "slug:" not in replace:  # not a copy of about.md's slug, which is another problem
        bad = bad.replace("slug: about", "slug: other")
    (content / "pages" / "02-bad.md").write_text(bad)
    message = sync_error(content)
    assert expected in message, message
    assert "No post or page was changed" in message


def test_a_page_without_a_body_or_front_matter_is_rejected(content):
    (content / "pages" / "02-empty.md").write_text(ABOUT.split("## Who")[0].replace("about", "x"))
    (content / "pages" / "03-plain.md").write_text("Just text.\n")
    message = sync_error(content)
    assert "02-empty.md:7: the page has no body" in message
    assert "03-plain.md:1: no YAML front matter" in message


def test_two_pages_with_one_slug_are_rejected(content):
    (content / "pages" / "copy.md").write_text(ABOUT)
    assert "copy.md:1: duplicate slug 'about'" in sync_error(content)


def test_a_bad_page_changes_no_post_and_no_page(content):
    sync(content)
    (content / "posts" / "01-new.md").write_text(
        "---\ntitle: New\nstatus: published\n---\n\nA new post.\n"
    )
    (content / "pages" / "about.md").write_text(ABOUT.replace("Jim does.", "Would change."))
    (content / "pages" / "02-bad.md").write_text(ABOUT.replace("slug: about", "slug: blog"))
    sync_error(content)
    assert not Post.objects.exists()
    assert "Would change." not in Page.objects.get(slug="about").body_markdown


def test_the_admin_refuses_a_reserved_slug_and_saves_a_good_page(admin_client):
    form = {
        "title": "Blog",
        "slug": "blog",
        "summary": "",
        "body_markdown": "Text.",
        "updated_on": "2026-12-01",
    }
    refused = html(admin_client.post("/admin/blog/page/add/", form))
    assert "the slug &#x27;blog&#x27; is reserved" in refused
    assert not Page.objects.exists()
    saved = admin_client.post("/admin/blog/page/add/", {**form, "slug": "terms"})
    assert saved.status_code == 302
    assert "<p>Text.</p>" in Page.objects.get(slug="terms").body_html


# --- About, Privacy, Contact -------------------------------------------------------------------


def test_the_projects_about_page_says_who_writes_and_pays_for_the_site(client, project_pages):
    page = html(client.get("/about/"))
    assert "<title>About this site · " in page
    assert "Jim" in page and "IT adviser" in page
    assert "no advertising" in page and "no affiliate links" in page
    assert "no payment from IT providers" in page


def test_the_projects_privacy_page_names_what_is_kept_and_every_cookie(client, project_pages):
    page = html(client.get("/privacy/"))
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
    named = set(re.findall(r"<code>([a-z_]+)</code>", html(client.get("/privacy/"))))
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
    page = html(client.get("/contact/"))
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
    page = html(client.get("/terms/"))
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
    assert "Still the blog" in html(client.get("/blog/"))
    assert "Impostor" not in html(client.get("/compare/"))
    assert client.get("/healthz").content == b"ok"


# --- Footer, sitemap ---------------------------------------------------------------------------


@pytest.fixture
def a_bit_of_everything(make_series, make_post, make_page):
    series = make_series(slug="models", planned_parts=2)
    make_post(slug="first", series=series, part=1, tags=["costs"])
    for slug in ("about", "privacy", "contact"):
        make_page(slug=slug, title=slug.title())


def test_every_page_type_links_the_site_pages_from_its_footer(client, a_bit_of_everything):
    urls = [
        "/",
        "/blog/",
        "/blog/first/",
        "/blog/series/models/",
        "/blog/tag/costs/",
        "/blog/tags/",
        "/blog/author/jim/",
        "/about/",
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
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return {
        u.findtext("s:loc", namespaces=ns).split("/", 3)[3]: u.findtext("s:lastmod", namespaces=ns)
        for u in root.findall("s:url", ns)
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
    page = html(client.get("/blog/author/jim/"))
    assert '<h1 class="mb-2">Articles by Jim</h1>' in page
    assert page.index("Newer by Jim") < page.index("Older by Jim")
    for absent in ("Draft by Jim", "Scheduled by Jim", "By Ada"):
        assert absent not in page
    assert "By Ada" in html(client.get("/blog/author/ada-lovelace/"))


def test_an_author_without_published_posts_has_no_page(client, make_post):
    make_post(author_name="Drafty", status=Post.Status.DRAFT)
    assert client.get("/blog/author/drafty/").status_code == 404
    assert client.get("/blog/author/nobody/").status_code == 404


def test_the_author_page_is_paginated_like_the_post_list(client, make_post):
    for n in range(12):
        make_post(title=f"Numbered {n:02d}", published_at=timezone.now() - timedelta(days=n))
    first = html(client.get("/blog/author/jim/"))
    assert "Numbered 09" in first and "Numbered 10" not in first and "Page 1 of 2" in first
    assert "Numbered 11" in html(client.get("/blog/author/jim/?page=2"))
    assert client.get("/blog/author/jim/?page=3").status_code == 404


def test_the_byline_links_to_the_author_page(client, make_post):
    make_post(slug="bylined", author_name="Jim")
    link = '<a href="/blog/author/jim/" rel="author">Jim</a>'
    assert f"By {link}" in html(client.get("/blog/bylined/"))
    assert f"By {link}" in html(client.get("/blog/"))


# --- Tags --------------------------------------------------------------------------------------


def test_a_tag_page_is_titled_with_the_tags_name(client, make_post):
    make_post(title="Tagged", tags=["Break/fix"])
    page = html(client.get("/blog/tag/breakfix/"))
    assert "<title>Articles tagged “Break/fix”" in page
    assert '<h1 class="mb-4">Articles tagged “Break/fix”</h1>' in page
    assert 'href="/blog/tags/"' in page


def test_the_tags_page_counts_published_posts_only_ordered_by_name(client, make_post):
    make_post(tags=["Security", "Costs"])
    make_post(tags=["Costs"])
    make_post(tags=["Costs", "Security"], status=Post.Status.DRAFT)
    make_post(tags=["Only drafts"], status=Post.Status.DRAFT)
    make_post(tags=["Costs"], published_at=timezone.now() + timedelta(days=1))
    page = html(client.get("/blog/tags/"))
    counts = re.findall(r'href="/blog/tag/([-a-z]+)/">([^<]+)</a> <span[^>]*>\((\d+) article', page)
    assert counts == [("costs", "Costs", "2"), ("security", "Security", "1")]
    assert "Only drafts" not in page


def test_the_projects_tags_carry_their_names_from_tags_yaml(client, project_pages):
    page = html(client.get("/blog/tags/"))
    assert '<a href="/blog/tag/break-fix/">Break/fix</a>' in page
    assert "Articles tagged “Managed services”" in html(client.get("/blog/tag/managed-services/"))


# --- Query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_new_pages_take_a_constant_number_of_queries(
    client, make_post, make_page, django_assert_max_num_queries, count
):
    make_page(slug="about")
    for n in range(count):
        make_post(slug=f"p{n}", tags=["a", "b", f"t{n}"])
    for url, budget in [("/about/", 1), ("/blog/tags/", 1), ("/blog/author/jim/", 3)]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200, url
    with django_assert_max_num_queries(7):
        assert client.get("/sitemap.xml").status_code == 200
