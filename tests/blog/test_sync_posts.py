"""`manage.py sync_posts`: files in, posts out; idempotent, keeps admin edits, strict on errors."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError

from blog.models import Page, Post, Series, Tag
from tests.support.content import PROJECT_CONTENT, sync

SERIES_YAML = """\
- slug: models
  title: IT service models
  planned_parts: 3
"""

GOOD_POST = """\
---
title: "Part one"
slug: part-one
series: models
part: 1
author: Jim
summary: "The first part."
published: 2026-01-05T09:00:00Z
status: published
tags: [break-fix, managed-services]
---

## Hello

Body text.
"""


@pytest.fixture
def content(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "series.yaml").write_text(SERIES_YAML)
    (tmp_path / "posts" / "01-part-one.md").write_text(GOOD_POST)
    return tmp_path


def write(content_dir, name, text):
    (content_dir / "posts" / name).write_text(text)


@pytest.mark.django_db
def test_creates_series_posts_and_tags_with_rendered_html(content):
    assert "1 created, 0 updated, 0 unchanged" in sync(content)
    post = Post.objects.get(slug="part-one")
    assert post.series.slug == "models" and post.part == 1
    assert post.status == "published" and post.published_at.isoformat().startswith("2026-01-05")
    assert sorted(post.tags.values_list("slug", flat=True)) == ["break-fix", "managed-services"]
    assert '<h2 id="hello">' in post.body_html


@pytest.mark.django_db
def test_a_second_run_changes_nothing(content):
    sync(content)
    before = Post.objects.get(slug="part-one").updated_at
    assert "0 created, 0 updated, 1 unchanged" in sync(content)
    assert Post.objects.get(slug="part-one").updated_at == before


@pytest.mark.django_db
def test_an_edited_file_updates_its_post(content):
    sync(content)
    write(content, "01-part-one.md", GOOD_POST.replace("Body text.", "New body."))
    assert "0 created, 1 updated" in sync(content)
    assert "New body." in Post.objects.get(slug="part-one").body_html


@pytest.mark.django_db
def test_an_admin_edit_is_kept_unless_forced(content):
    sync(content)
    post = Post.objects.get(slug="part-one")
    post.body_markdown = "Edited in the admin."
    post.save()
    write(content, "01-part-one.md", GOOD_POST.replace("Body text.", "File changed."))

    output = sync(content)
    assert "kept part-one" in output and "1 kept" in output
    assert Post.objects.get(slug="part-one").body_markdown == "Edited in the admin."

    assert "1 updated" in sync(content, "--force")
    assert "File changed." in Post.objects.get(slug="part-one").body_markdown


@pytest.mark.django_db
def test_an_admin_tag_change_counts_as_an_edit(content):
    sync(content)
    Post.objects.get(slug="part-one").tags.clear()
    write(content, "01-part-one.md", GOOD_POST.replace("Body text.", "File changed."))
    assert "1 kept" in sync(content)


def _error(content):
    with pytest.raises(CommandError) as raised:
        sync(content)
    return str(raised.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("series: models", "series: nope", "02-bad.md:4: unknown series 'nope'"),
        ('title: "Part one"\n', "", "02-bad.md:1: missing title"),
        ("published: 2026-01-05T09:00:00Z", "published: next tuesday", "02-bad.md:8: invalid date"),
        ("published: 2026-01-05T09:00:00Z", "published: 2026-02-30", "02-bad.md:8: invalid date"),
        ("status: published", "status: live", "02-bad.md:9: status must be one of"),
        ("part: 1", "part: zero", "02-bad.md:5: a post in a series needs a part number"),
        ("tags: [break-fix, managed-services]", "tags: 7", "02-bad.md:10: tags must be a list"),
        ("author: Jim", "author: [unclosed", "02-bad.md:6: invalid YAML"),
        ("summary:", "summmary:", "02-bad.md:7: unknown field(s) ['summmary']"),
    ],
)
def test_a_bad_file_is_rejected_naming_file_line_and_problem(content, replace, by, expected):
    sync(content)
    bad = GOOD_POST.replace(replace, by).replace("part-one", "other").replace("part: 1", "part: 2")
    write(content, "02-bad.md", bad)
    message = _error(content)
    assert expected in message
    assert "No post or page was changed" in message


@pytest.mark.django_db
def test_a_file_without_front_matter_is_rejected(content):
    write(content, "02-bad.md", "Just text.\n")
    assert "02-bad.md:1: no YAML front matter" in _error(content)


@pytest.mark.django_db
def test_a_duplicate_slug_names_both_files(content):
    write(content, "02-copy.md", GOOD_POST.replace("part: 1", "part: 2"))
    message = _error(content)
    assert "02-copy.md:1: duplicate slug 'part-one'" in message
    assert "01-part-one.md" in message


@pytest.mark.django_db
def test_a_bad_file_leaves_every_other_post_as_it_was(content):
    sync(content)
    write(content, "01-part-one.md", GOOD_POST.replace("Body text.", "Would change."))
    write(content, "02-new.md", GOOD_POST.replace("part-one", "new").replace("part: 1", "part: 2"))
    write(content, "03-bad.md", GOOD_POST.replace("series: models", "series: nope"))
    _error(content)
    assert Post.objects.count() == 1
    assert "Would change." not in Post.objects.get(slug="part-one").body_markdown


@pytest.mark.django_db
def test_two_files_claiming_the_same_part_are_rejected(content):
    write(content, "02-other.md", GOOD_POST.replace("part-one", "other"))
    assert "part 1 of 'models' is also claimed by" in _error(content)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["tags", "author", "feed", "tag", "series", "comments"])
def test_a_post_slug_that_another_blog_address_uses_is_rejected(content, slug):
    write(content, "02-bad.md", GOOD_POST.replace("slug: part-one", f"slug: {slug}"))
    assert f"02-bad.md:3: the slug {slug!r} is reserved" in _error(content)


@pytest.mark.django_db
def test_tags_take_their_names_from_tags_yaml(content):
    (content / "tags.yaml").write_text("# names\nbreak-fix: Break/fix\n")
    assert "1 created" in sync(content)
    names = dict(Tag.objects.values_list("slug", "name"))
    # A tag tags.yaml does not name, written as a slug, reads as words (#14).
    assert names == {"break-fix": "Break/fix", "managed-services": "Managed services"}
    (content / "tags.yaml").write_text("break-fix: Break/fix\nmanaged-services: Managed IT\n")
    sync(content)
    assert Tag.objects.get(slug="managed-services").name == "Managed IT"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("break-fix: Break/fix\ncosts:\n", "tags.yaml:2: tag 'costs': the name must be some text"),
        ("Break Fix: Break/fix\n", "tags.yaml:1: invalid tag slug 'Break Fix'"),
        ("- break-fix\n", "tags.yaml:1: expected a mapping of tag slug to name"),
        ("break-fix: [unclosed\n", "tags.yaml:1: invalid YAML"),
    ],
)
def test_a_bad_tags_yaml_is_rejected_naming_the_line(content, text, expected):
    (content / "tags.yaml").write_text(text)
    message = _error(content)
    assert expected in message
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_the_projects_own_content_includes_about_privacy_and_contact(settings):
    sync(PROJECT_CONTENT)
    assert {"about", "privacy", "contact"} <= set(Page.objects.values_list("slug", flat=True))
    assert "0 created, 0 updated" in sync(PROJECT_CONTENT)


def test_the_command_exits_non_zero_on_a_bad_file(content):
    write(content, "02-bad.md", GOOD_POST.replace("series: models", "series: nope"))
    env = {"PATH": "", "DATABASE_URL": f"sqlite:///{content / 'db.sqlite3'}", "DJANGO_DEBUG": "1"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=settings.BASE_DIR, env=env, check=True)
    result = subprocess.run(
        [*manage, "sync_posts", "--content-dir", str(content)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={
            "PATH": "",
            "DATABASE_URL": f"sqlite:///{content / 'db.sqlite3'}",
            "DJANGO_DEBUG": "1",
        },
        check=False,
    )
    assert result.returncode != 0
    assert "02-bad.md:4: unknown series 'nope'" in result.stderr


ORIGINAL = Path(settings.BASE_DIR).parent / "shared" / "content" / "original-article.txt"


@pytest.mark.django_db
def test_the_projects_own_content_is_the_three_part_series(settings):
    sync(PROJECT_CONTENT)
    series = Series.objects.get(slug="understanding-it-service-models")
    parts = list(series.posts.published().order_by("part").values_list("part", flat=True))
    assert parts == [1, 2, 3]


@pytest.mark.django_db
@pytest.mark.skipif(not ORIGINAL.exists(), reason="../shared/content is not beside the project")
def test_part_one_keeps_the_customers_words(settings):
    import re
    from html import unescape

    sync(PROJECT_CONTENT)
    part_one = Post.objects.get(series__slug="understanding-it-service-models", part=1)
    text = re.sub(r"<[^>]+>|#", " ", part_one.body_html)
    words = " ".join(unescape(text).split())
    paragraphs = [p.strip() for p in ORIGINAL.read_text().split("\n\n") if p.strip()]
    title, body = paragraphs[0], paragraphs[2 : paragraphs.index("- Jim") + 1]
    assert part_one.title == title
    for paragraph in body:
        assert " ".join(paragraph.split()) in words
