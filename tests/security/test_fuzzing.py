"""Fuzzing every form and URL parameter: arbitrary text, sizes and encodings never yield a 500.

Forms that refuse input must say why and give the input back; URLs with nonsense in them
are 404s (or a clear 400), never errors.
"""

import re
from urllib.parse import quote

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.shared_data import RECOMMENDATION_FIELDS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Long values are a short random piece repeated: drawing thousands of characters for each of
# a form's fields would exceed hypothesis' budget for one example and fail its health check.
long_text = st.builds(
    lambda piece, times: (piece * times)[:6000],
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40),
    st.integers(min_value=1000, max_value=6000),
)
anything = st.one_of(
    st.text(max_size=300),
    long_text,
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "%00",
            "<script>alert(1)</script>",
            "😀" * 50,
            "\u202e\u200b",
            "a" * 10_000,
            "' OR 1=1 --",
            "../../etc/passwd",
        ]
    ),
)
PRINTABLE = re.compile(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]*$")


def kept(value, html):
    """The value, as typed, is back on the page (escaped), unless it had no visible form."""
    stripped = value.strip()
    if not stripped or not PRINTABLE.match(value) or len(stripped) > 6000:
        return True
    return escape(stripped.replace("\r\n", "\n")) in html or escape(value) in html


@pytest.fixture
def post(make_post):
    return make_post(slug="fuzzed", title="Fuzzed post")


@FUZZ
@given(name=anything, email=anything, body=anything, website=anything, extra=anything)
def test_the_comment_form_never_errors_and_keeps_what_was_typed(
    client, post, name, email, body, website, extra
):
    response = client.post(
        "/blog/fuzzed/comments/",
        {
            "name": name,
            "email": email,
            "body": body,
            "website": website,
            "timestamp": extra,
            "parent": extra,
            "homepage": "",
        },
    )
    assert response.status_code in (200, 302, 400, 403, 429), response.status_code
    if response.status_code != 302:
        html = response.content.decode()
        assert all(kept(value, html) for value in (name, body))


@FUZZ
@given(values=st.fixed_dictionaries({field: anything for field in RECOMMENDATION_FIELDS}))
def test_the_recommendation_form_never_errors(client, values):
    response = client.post("/compare/recommend/", values)
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert "is-invalid" in response.content.decode() or "error" in response.content.decode()


@FUZZ
@given(values=st.dictionaries(st.sampled_from(RECOMMENDATION_FIELDS), anything))
def test_prefilling_the_recommendation_form_from_the_query_string_never_errors(client, values):
    assert client.get("/compare/recommend/", values).status_code in (200, 400)


@FUZZ
@given(username=anything, password=anything)
def test_the_admin_login_never_errors(client, username, password):
    response = client.post("/admin/login/", {"username": username, "password": password})
    # 429: the examples share one address, so enough failed sign-ins lock it out.
    assert response.status_code in (200, 302, 400, 429)


@FUZZ
@given(value=anything)
def test_url_parameters_and_slugs_never_error(client, post, value):
    quoted = quote(value, safe="")
    for url in [
        f"/blog/?page={quoted}",
        f"/blog/tag/x/?page={quoted}",
        f"/blog/fuzzed/?cpage={quoted}",
        f"/blog/{quoted}/",
        f"/blog/series/{quoted}/",
        f"/blog/tag/{quoted}/",
        f"/blog/{quoted}/comments/feed/",
        f"/blog/fuzzed/comments/{quoted}/",
        f"/compare/recommend/{quoted}/",
        f"/compare/recommend/00000000-0000-0000-0000-{quoted[:12]}/",
    ]:
        assert client.get(url).status_code in (200, 301, 302, 400, 404), url
