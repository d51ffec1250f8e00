"""The post Markdown pipeline: features on, unsafe markup off, rendered once at save."""

import pytest

from blog.markdown import render


def test_headings_get_anchors_and_a_table_of_contents():
    rendered = render("## Costs compared\n\nText.\n\n### Hourly rates\n\nMore.")
    assert '<h2 id="costs-compared">' in rendered.html
    assert 'href="#costs-compared"' in rendered.html
    assert 'href="#hourly-rates"' in rendered.toc_html


def test_a_level_one_heading_in_a_post_becomes_h2_so_the_title_stays_the_only_h1():
    assert "<h1" not in render("# Big heading").html
    assert "<h2" in render("# Big heading").html


def test_tables_fenced_code_and_footnotes_render():
    source = (
        "| Model | Fee |\n|:--|--:|\n| MSP | monthly |\n\n"
        "```python\nprint('hi')\n```\n\n"
        "A claim.[^1]\n\n[^1]: Its source."
    )
    html = render(source).html
    assert "<table>" in html and '<td align="right">monthly</td>' in html
    assert '<code class="language-python">' in html
    assert 'class="footnote"' in html and "Its source." in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<iframe src="https://evil.example"></iframe>',
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<div onmouseover="alert(1)">hover</div>',
        "<object data='x.swf'></object><embed src='x.swf'>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<form action='https://evil.example'><input name=x></form>",
    ],
)
def test_unsafe_markup_does_not_survive(payload):
    html = render(f"Before\n\n{payload}\n\nAfter").html.lower()
    for dangerous in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "data:",
        "<iframe",
        "<svg",
        "style=",
        "<object",
        "<embed",
        "<form",
        "<input",
    ):
        assert dangerous not in html, (dangerous, html)
    assert "before" in html


def test_links_keep_safe_urls():
    html = render("[a](https://example.com) [b](/compare/) [c](mailto:jim@example.com)").html
    assert 'href="https://example.com"' in html
    assert 'href="/compare/"' in html
    assert 'href="mailto:jim@example.com"' in html


def test_reading_time_is_at_least_one_minute_and_grows_with_length():
    assert render("short").reading_minutes == 1
    assert render("word " * 2300).reading_minutes == 10
