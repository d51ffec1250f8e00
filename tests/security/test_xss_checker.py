"""The XSS checks themselves (tests/support/xss.py), specified once: `assert_inert` fails on
executable markup and accepts the Markdown pipeline's ordinary output, the page inspector
(`assert_page_inert`) fails on anything in a page that could run, the verbatim check
(`assert_not_verbatim`) bites on every payload it can, and the websites the comment tests
draw from the corpus are http(s) URLs. The tests that run the corpus through the site rely on
these checks: without them a green run would prove nothing.
"""

from html import escape as html_escape

import pytest
from django.utils.html import escape

from blog.markdown import render
from tests.support.xss import (
    SPECIAL,
    assert_inert,
    assert_not_verbatim,
    assert_page_inert,
    is_http_url,
    load_payloads,
    website_for,
)

PAYLOADS = load_payloads()


@pytest.mark.parametrize(
    "html",
    [
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        "<svg onload=alert(1)>",
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        "<script>alert(1)</script>",
        "<!--><img src=x onerror=alert(1)>-->",
        "<p>x</p><svg onload=alert(1)//",
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    ],
)
def test_assert_inert_catches_executable_markup(html):
    with pytest.raises(AssertionError, match="executable markup survived"):
        assert_inert(html, payload=html)


def test_assert_inert_accepts_the_pipelines_ordinary_output():
    source = (
        "## Costs\n\nSee [the guide](https://example.com/guide), [a page](/about/), "
        "[a section](#costs), [mail](mailto:hi@example.com) and "
        '![a chart](https://example.com/chart.png "Chart").\n\n'
        "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nA claim.[^1]\n\n[^1]: Its source."
    )
    rendered = render(source)
    assert_inert(rendered.html, source)
    assert_inert(rendered.toc_html, source)


@pytest.mark.parametrize(
    "markup",
    [
        "<p><img src=x onerror=alert(1)></p>",
        '<a href=" java\tscript:alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<p style="color:red">x</p>',
        "<svg><a xlink:href='javascript:alert(1)'>x</a></svg>",
        '<script type="application/ld+json">alert(1)</script>',
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}',
        '<script type="application/ld+json" onload="alert(1)">{}</script>',
    ],
)
def test_the_page_inspector_catches_executable_markup(markup):
    with pytest.raises(AssertionError):
        assert_page_inert(f"<html><body>{markup}</body></html>")


def test_the_page_inspector_accepts_json_ld_that_cannot_close_itself():
    block = '{"headline": "\\u003C/script\\u003E \\u0026 more"}'
    assert_page_inert(f'<html><head><script type="application/ld+json">{block}</script></head>')


def test_the_verbatim_check_fails_on_unescaped_output():
    payload = '"><img src=x onerror=alert(1)>'
    with pytest.raises(AssertionError, match="reflected unescaped"):
        assert_not_verbatim(f'<input value="{payload}">', payload)
    assert_not_verbatim(f'<input value="{escape(payload)}">', payload)
    # The stdlib's escaping, which leaves nothing of the payload's markup either.
    assert_not_verbatim(html_escape(payload), payload)


def test_every_payload_can_be_caught_reflected():
    """Each payload holds a character escaping changes, so the verbatim check bites on it."""
    unchecked = [payload for payload in PAYLOADS if not SPECIAL & set(payload)]
    for payload in PAYLOADS:
        if payload not in unchecked:
            with pytest.raises(AssertionError):
                assert_not_verbatim(f"<p>{payload}</p>", payload)
    # The rest are harmless as text (javascript: URLs and the like); assert_inert and the
    # feed's URL check cover them where they could become a link.
    assert len(unchecked) < len(PAYLOADS) // 5


def test_websites_are_drawn_from_the_corpus():
    websites = [website_for(payload) for payload in PAYLOADS]
    assert sum(bool(url) for url in websites) >= 50
    assert all(is_http_url(url) for url in websites if url)
