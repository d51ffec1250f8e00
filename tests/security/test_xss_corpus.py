"""The XSS corpus through the post Markdown pipeline: every payload must come out inert.

The payloads live in `tests/data/xss_payloads.txt`; the checker in `tests/support/xss.py`
re-parses the output independently of nh3, and is itself shown below to fail on executable markup.
"""

import pytest

from blog.markdown import render
from tests.support.xss import assert_inert, load_numbered_payloads, load_payloads

NUMBERED_PAYLOADS = load_numbered_payloads()


def test_the_corpus_has_at_least_200_payloads():
    payloads = load_payloads()
    assert len(payloads) >= 200
    assert len(set(payloads)) == len(payloads), "the corpus holds duplicate payloads"


@pytest.mark.parametrize(
    "payload",
    [payload for _, payload in NUMBERED_PAYLOADS],
    ids=[f"line{number}" for number, _ in NUMBERED_PAYLOADS],
)
def test_the_payload_is_inert_after_the_markdown_pipeline(payload):
    for source in (payload, f"Some text\n\n{payload}\n\nMore text"):
        rendered = render(source)
        assert_inert(rendered.html, payload)
        assert_inert(rendered.toc_html, payload)


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
