"""`sync_posts` refuses control characters in content files, naming the file and line, and
warns (file and line, never blocking) when the sanitiser drops text from a post or page.
Saving a post or page strips control characters from its text whatever wrote it: NUL is the
page cache's hole marker, and a title holding one printed the reader's CSRF token.
"""

import re

import pytest

from blog.models import Page, Post
from tests.support.content import sync, sync_error
from tests.support.pages import ok_html

pytestmark = pytest.mark.django_db

POST = """\
---
title: {title}
slug: plain
summary: "A post."
published: 2026-01-05T09:00:00Z
status: published
---

First paragraph.

{body}
"""
PAGE = """\
---
title: About
updated: 2026-01-05
---

About {body}.
"""


@pytest.fixture
def content(tmp_path):
    (tmp_path / "posts").mkdir()
    return tmp_path


def write_post(content, title="Plain", body="Last paragraph."):
    (content / "posts" / "plain.md").write_text(POST.format(title=title, body=body))


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x07", "\x7f", "\x0b"])
def test_a_control_character_in_the_body_is_refused_with_its_line(content, character):
    write_post(content, body=f"Last{character} paragraph.")
    message = sync_error(content)
    assert f"plain.md:11: control character U+{ord(character):04X}" in message
    assert not Post.objects.exists()


def test_a_control_character_in_a_front_matter_value_is_refused_with_its_line(content):
    write_post(content, title="Plain\x00")
    assert "plain.md:2: control character U+0000" in sync_error(content)


def test_a_control_character_written_as_a_yaml_escape_is_refused_at_its_field(content):
    write_post(content, title='"Hole \\0 here"')
    assert "plain.md:2: control character U+0000 in title" in sync_error(content)


def test_a_control_character_in_a_page_is_refused_with_its_line(content):
    write_post(content)
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text(PAGE.format(body="us\x00"))
    assert "about.md:6: control character U+0000" in sync_error(content)
    assert not Page.objects.exists()


def test_tabs_and_windows_line_ends_are_text(content):
    write_post(content, body="Tab\there.\r\n\r\nEnd.")
    assert "1 created" in sync(content)


def test_text_the_sanitiser_drops_is_a_warning_with_its_file_and_line(content):
    write_post(content, body="Kept words.\n\n<style>hidden styling words</style>\n\nMore.")
    output = sync(content)
    assert "1 created" in output
    assert "plain.md:13: warning: Text will be removed from the page: “hidden styling words”" in (
        output
    )


def test_a_clean_post_has_no_warning(content):
    write_post(content)
    assert "warning" not in sync(content)


def test_saving_strips_control_characters_from_every_text_field(make_post, make_page):
    post = make_post(
        slug="holes", title="Hole\x00here", summary="Sum\x1bmary", body_markdown="Bo\x00dy\ttab."
    )
    post.refresh_from_db()
    assert (post.title, post.summary) == ("Holehere", "Summary")
    assert post.body_markdown == "Body\ttab."
    page = make_page(slug="about", title="Ab\x00out", summary="S\x00", body_markdown="B\x00")
    page.refresh_from_db()
    assert (page.title, page.summary, page.body_markdown) == ("About", "S", "B")


def test_a_nul_in_a_title_never_prints_the_readers_csrf_token(client, make_post):
    post = make_post(slug="holes", title="Before\x00after")
    client.get("/blog/comments/token/")  # the reader now has a CSRF cookie
    for _ in range(2):  # rendered, then from the page cache
        page = ok_html(client.get(post.get_absolute_url()))
        title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
        assert title.strip().startswith("Beforeafter"), title


def test_a_control_character_in_series_yaml_is_refused_with_its_line(content):
    write_post(content)
    (content / "series.yaml").write_text('- slug: models\n  title: "Models \\e[31m"\n')
    assert "series.yaml:2: control character U+001B (a YAML escape)" in sync_error(content)
    (content / "series.yaml").write_text("- slug: models\n  title: Models\x00\n")
    assert "series.yaml:2: control character U+0000" in sync_error(content)


def test_a_re_run_over_unchanged_files_checks_nothing_again(content, monkeypatch):
    write_post(content, body="Kept words.\n\n<style>hidden styling words</style>\n\nMore.")
    assert "warning" in sync(content)
    import blog.markdown_checks

    checked = []
    real = blog.markdown_checks.dropped_text
    monkeypatch.setattr(
        blog.markdown_checks, "dropped_text", lambda body: checked.append(body) or real(body)
    )
    output = sync(content)
    assert "1 unchanged" in output and checked == []  # warned once, when it was written
    write_post(content, body="New words.\n\n<style>still hidden</style>")
    assert "warning" in sync(content) and len(checked) == 1
