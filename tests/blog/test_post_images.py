"""Images in posts: a file under content/images/, written in a post as
`![alt](../images/name.png)`, is published by sync_posts under a name holding its content's
hash and shown with its width and height, lazily after the first; sync_posts refuses an image
with no alt text, a missing file, a path leaving content/images/ or another site's image,
naming the file and line; no address but a published image's survives the sanitiser."""

import re
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from blog.markdown import render
from blog.markdown_checks import warnings_for
from blog.models import Post
from tests.support.content import sync, sync_error
from tests.support.pages import ok_html

pytestmark = pytest.mark.django_db

POST = """\
---
title: Pictured
slug: pictured
summary: "A post with pictures."
published: 2026-01-05T09:00:00Z
status: published
---

First paragraph.

{body}
"""
HASHED = r"/static/content-images/{stem}\.[0-9a-f]{{12}}\.{ext}"


@pytest.fixture
def content(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    root = tmp_path / "content"
    (root / "posts").mkdir(parents=True)
    (root / "images").mkdir()
    return root


def image(content, name, size=(640, 360), color="navy", kind="PNG"):
    path = content / "images" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, kind)
    return path


def write_post(content, body, name="pictured.md", slug="pictured"):
    text = POST.format(body=body).replace("slug: pictured", f"slug: {slug}")
    (content / "posts" / name).write_text(text)


def images_in(html):
    return [dict(re.findall(r'(\w+)="([^"]*)"', tag)) for tag in re.findall(r"<img [^>]*>", html)]


def test_an_image_is_published_under_its_hash_and_shown_with_its_size(content, settings):
    image(content, "chart.png", size=(640, 360))
    write_post(content, "![Costs by month](../images/chart.png)")
    sync(content)
    (shown,) = images_in(Post.objects.get().body_html)
    assert f'src="{shown["src"]}"' in ok_html(Client().get("/blog/pictured/"))
    assert re.fullmatch(HASHED.format(stem="chart", ext="png"), shown["src"])
    assert (shown["width"], shown["height"], shown["alt"]) == ("640", "360", "Costs by month")
    published = Path(settings.STATIC_ROOT) / shown["src"].removeprefix("/static/")
    assert published.read_bytes() == (content / "images" / "chart.png").read_bytes()


def test_every_image_after_the_first_loads_lazily(content):
    image(content, "one.png")
    image(content, "charts/two.jpg", kind="JPEG")
    image(content, "three.webp", kind="WEBP")
    write_post(
        content,
        "![One](../images/one.png)\n\nText.\n\n![Two](../images/charts/two.jpg)\n\n"
        "![Three](../images/three.webp)",
    )
    sync(content)
    first, second, third = images_in(Post.objects.get().body_html)
    assert "loading" not in first and "decoding" not in first
    assert re.fullmatch(HASHED.format(stem="charts/two", ext="jpg"), second["src"])
    for later in (second, third):
        assert (later["loading"], later["decoding"]) == ("lazy", "async")


def test_a_changed_image_gets_a_new_name_and_every_post_showing_it_follows(content):
    image(content, "chart.png", color="navy")
    write_post(content, "![Costs](../images/chart.png)")
    write_post(content, "Again: ![Costs](../images/chart.png)", name="other.md", slug="other")
    sync(content)
    before = {post.slug: images_in(post.body_html)[0]["src"] for post in Post.objects.all()}
    image(content, "chart.png", size=(800, 600), color="teal")
    sync(content)  # the posts' files did not change: only the image did
    after = {post.slug: images_in(post.body_html)[0] for post in Post.objects.all()}
    for slug, shown in after.items():
        assert shown["src"] != before[slug]
        assert (shown["width"], shown["height"]) == ("800", "600")
    assert "Costs" in ok_html(Client().get("/blog/other/"))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("![](../images/chart.png)", "pictured.md:11: image “../images/chart.png”: no alt text"),
        ("![ ](../images/chart.png)", "pictured.md:11: image “../images/chart.png”: no alt text"),
        (
            "Text.\n\n![Gone](../images/missing.png)",
            "pictured.md:13: image “../images/missing.png”: no such file: "
            "content/images/missing.png",
        ),
        ("![Up](../images/../../etc/passwd)", "pictured.md:11: image “../images/../../etc/passwd”"),
        ("![Up](../../etc/passwd)", "pictured.md:11: image “../../etc/passwd”: write the path"),
        ("![Other](images/chart.png)", "pictured.md:11: image “images/chart.png”: write the path"),
        (
            "![Far](https://example.com/x.png)",
            "pictured.md:11: image “https://example.com/x.png”: put the file in content/images/",
        ),
        ("![Fake](../images/notes.png)", "pictured.md:11: image “../images/notes.png”: not a PNG"),
    ],
)
def test_sync_refuses_a_bad_image_naming_the_file_and_line(content, body, expected):
    image(content, "chart.png")
    (content / "images" / "notes.png").write_text("not an image at all")
    write_post(content, body)
    message = sync_error(content)
    assert expected in message
    assert not Post.objects.exists()


def test_an_image_shown_in_code_is_text_and_not_checked(content):
    write_post(content, "```text\n![](../images/nowhere.png)\n```")
    sync(content)
    assert "![](../images/nowhere.png)" in Post.objects.get().body_html


@pytest.mark.parametrize(
    "source",
    [
        '<img src="javascript:alert(1)" alt="x">',
        '<img src="../../etc/passwd" alt="x">',
        '<img src="/static/content-images/../../settings.py" alt="x">',
        '<img src="https://evil.example/track.png" alt="x">',
        '<img src="/static/content-images/chart.png" alt="x">',  # not a published name
        "![x](javascript:alert(1))",
        "![x](../images/../../../etc/passwd)",
    ],
)
def test_no_address_but_a_published_images_survives_the_sanitiser(source, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    for shown in images_in(render(source + "\n").html):
        assert "src" not in shown, shown


def test_image_attributes_take_only_their_expected_values():
    source = (
        '<img src="/static/content-images/a.0123456789ab.png" alt="A" width="10px" '
        'height="-1" loading="eager" decoding="sync" onerror="alert(1)">\n'
    )
    (shown,) = images_in(render(source).html)
    assert shown == {"src": "/static/content-images/a.0123456789ab.png", "alt": "A"}


def test_the_editor_warns_of_an_image_not_published_and_not_of_one_that_is(content):
    image(content, "chart.png")
    write_post(content, "![Costs](../images/chart.png)")
    sync(content)
    assert warnings_for("![Costs](../images/chart.png)\n") == []
    assert warnings_for("![Costs](../images/later.png)\n") == [
        "Image “../images/later.png”: no such image published: put the file in "
        "content/images/ and run sync_posts."
    ]
