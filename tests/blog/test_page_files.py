"""Site pages as files: About, Privacy and Contact written in content/pages/ and synced by
`sync_posts` into sanitised pages; a second run changes nothing, an admin edit is kept unless
forced, and a bad page file is refused naming its file, line and problem with nothing changed.
The admin refuses a reserved slug too.
"""

import pytest

from blog.models import Page, Post
from tests.support.content import sync, sync_error
from tests.support.pages import ok_html

pytestmark = pytest.mark.django_db

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
    refused = ok_html(admin_client.post("/admin/blog/page/add/", form))
    assert "the slug &#x27;blog&#x27; is reserved" in refused
    assert not Page.objects.exists()
    saved = admin_client.post("/admin/blog/page/add/", {**form, "slug": "terms"})
    assert saved.status_code == 302
    assert "<p>Text.</p>" in Page.objects.get(slug="terms").body_html
