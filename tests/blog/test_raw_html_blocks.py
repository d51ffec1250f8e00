"""An unclosed raw-text element (`<style>`, `<script>`, `<textarea>`…) in a post ends with its
own block of Markdown: the rest of the post is still rendered, and the element itself is still
removed by the sanitiser. Code that shows such a tag is shown as written.
"""

import pytest

from tests.support.pages import ok_html

pytestmark = pytest.mark.django_db

REST = "\n\nThe rest of the **post** is here.\n\n## A later heading\n\nLast words."
RAW_TEXT_TAGS = [
    "style",
    "script",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "plaintext",
]


def article(client, post):
    page = ok_html(client.get(post.get_absolute_url()))
    return page.split("<article", 1)[1].split("</article>", 1)[0]


def assert_rest_rendered(html):
    assert "The rest of the <strong>post</strong> is here." in html
    assert '<h2 id="a-later-heading">' in html
    assert "Last words." in html


@pytest.mark.parametrize("tag", RAW_TEXT_TAGS)
def test_an_unclosed_raw_text_block_keeps_the_rest_of_the_post(client, make_post, tag):
    post = make_post(slug="unclosed", body_markdown=f"First words.\n\n<{tag}>\nbody {{}}{REST}")
    html = article(client, post)
    assert "First words." in html
    assert_rest_rendered(html)
    assert f"<{tag}" not in html.lower()


@pytest.mark.parametrize(
    "opening",
    ["<STYLE>", '<style type="text/css">', "<script src=//x.example/a.js>", "<style\n  media=all>"],
)
def test_unclosed_tags_in_any_spelling_keep_the_rest(client, make_post, opening):
    post = make_post(slug="spelled", body_markdown=f"First.\n\n{opening}\nx{REST}")
    html = article(client, post)
    assert_rest_rendered(html)
    assert "<style" not in html.lower() and "<script" not in html.lower()


def test_an_unclosed_tag_inside_a_paragraph_keeps_the_rest(client, make_post):
    post = make_post(slug="inline", body_markdown=f"Some words <script>alert(1){REST}")
    html = article(client, post)
    assert "Some words" in html and "alert(1)" not in html
    assert_rest_rendered(html)


def test_a_closed_block_is_removed_whole_even_across_blank_lines(client, make_post):
    body = f"First.\n\n<style>\na {{}}\n\nb {{ color: red }}\n</style>{REST}"
    html = article(client, make_post(slug="closed", body_markdown=body))
    assert "color" not in html and "<style" not in html
    assert_rest_rendered(html)


def test_code_showing_an_unclosed_tag_is_shown_as_written(client, make_post):
    body = (
        "Write `<style>` in the head.\n\n```html\n<style>\n\nbody {}\n```\n\n"
        f"    <script>\n\nAfter the code.{REST}"
    )
    html = article(client, make_post(slug="code", body_markdown=body))
    assert "<code>&lt;style&gt;</code> in the head." in html
    assert "&lt;style&gt;\n\nbody {}\n</code></pre>" in html
    assert "<pre><code>&lt;script&gt;\n</code></pre>" in html
    assert "&lt;/style&gt;" not in html and "&lt;/script&gt;" not in html
    assert_rest_rendered(html)
