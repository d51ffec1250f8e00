"""The XSS corpus through the post Markdown pipeline: every payload must come out inert.

The payloads live in `tests/data/xss_payloads.txt`; the checker in `tests/support/xss.py`
re-parses the output independently of nh3; `tests/security/test_xss_checker.py` shows it
fails on executable markup.
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
