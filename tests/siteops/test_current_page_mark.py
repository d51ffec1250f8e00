"""The navigation marks where the reader is: `aria-current="page"` on the link to the page
being read, `aria-current="true"` on the link of the section a page belongs to, and nothing
elsewhere. Read from the address alone, so the shared page cache (keyed on it) stays right."""

import re

import pytest

from tests.support.pages import ok_html

pytestmark = pytest.mark.usefixtures("a_bit_of_everything")


def marks(html):
    """{link text: aria-current value} for the masthead's and the footer's marked links."""
    found = re.findall(r'<a [^>]*aria-current="(\w+)"[^>]*>(.*?)</a>', html)
    return {re.sub(r"<[^>]+>", "", text).strip(): value for value, text in found}


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("/", {"IT Support, Explained": "page"}),
        ("/blog/", {"Articles": "page"}),
        ("/blog/first/", {"Articles": "true"}),
        ("/blog/series/models/", {"Articles": "true"}),
        ("/blog/tags/", {"Articles": "true", "Tags": "page"}),
        ("/compare/", {"Compare": "page"}),
        ("/compare/recommend/", {"Get a recommendation": "page"}),
        ("/about/", {"About": "page"}),
        ("/privacy/", {"Privacy": "page"}),
    ],
)
def test_the_current_page_and_its_section_are_marked(client, settings, address, expected):
    settings.SITE_NAME = "IT Support, Explained"
    assert marks(ok_html(client.get(address))) == expected


def test_a_missing_page_marks_no_link(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "aria-current" not in response.content.decode()


def test_each_address_keeps_its_own_mark_when_served_from_the_cache(client):
    client.get("/blog/")
    client.get("/compare/")
    assert marks(ok_html(client.get("/blog/"))) == {"Articles": "page"}
    assert marks(ok_html(client.get("/compare/"))) == {"Compare": "page"}
