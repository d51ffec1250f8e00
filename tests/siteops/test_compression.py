"""Pages, feeds and the sitemap arrive gzip-compressed for a client that accepts it, padded
against BREACH, with conditional GETs still answered; images and icons are left alone."""

import gzip
import re

import pytest
from django.test import Client

from tests.support.pages import READER_PAGES

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


def without_form_timestamp(html: bytes) -> bytes:
    """The comment form's signed timestamp is filled in for each response."""
    return re.sub(rb'name="timestamp" value="[^"]*"', b"", html)


def test_a_post_page_arrives_compressed_and_decompresses_to_the_same_html(a_bit_of_everything):
    reader = Client()
    plain = reader.get("/blog/first/")
    compressed = reader.get("/blog/first/", headers=GZIP)
    assert compressed.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"] and "Cookie" in compressed["Vary"]
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(plain.content) / 2
    assert without_form_timestamp(gzip.decompress(compressed.content)) == without_form_timestamp(
        plain.content
    )
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]  # a shared cache must not give it to the other


@pytest.mark.parametrize(
    "url", [*READER_PAGES, "/blog/feed/", "/blog/atom/", "/sitemap.xml", "/sitemap-posts.xml"]
)
def test_every_reader_page_feed_and_sitemap_is_compressed(a_bit_of_everything, make_post, url):
    for number in range(5):  # a sitemap section of one post is too short to gain (below)
        make_post(slug=f"more-{number}")
    response = Client().get(url, headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip", url


def test_a_body_too_short_to_gain_is_sent_as_it_is_never_longer(a_bit_of_everything):
    """With up to 100 bytes of padding, a few hundred bytes may come out longer compressed:
    those go uncompressed, and every compressed one is shorter than the page."""
    plain = Client().get("/sitemap-posts.xml").content
    assert len(plain) < 400
    responses = [Client().get("/sitemap-posts.xml", headers=GZIP) for _ in range(30)]
    for response in responses:
        if response.has_header("Content-Encoding"):
            assert len(response.content) < len(plain)
            assert gzip.decompress(response.content) == plain
        else:
            assert response.content == plain


def test_a_compressed_page_is_revalidated_with_a_304(a_bit_of_everything):
    reader = Client()
    first = reader.get("/blog/first/", headers=GZIP)
    assert first["ETag"].startswith('W/"')
    again = reader.get("/blog/first/", headers={**GZIP, "if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    # The same validator whether or not the reader's client compresses.
    assert reader.get("/blog/first/")["ETag"] == first["ETag"]


def test_two_responses_of_one_page_differ_in_length_though_the_page_does_not(a_bit_of_everything):
    """Django's gzip pads the header with 0-100 random bytes: what a response's length says
    about how well a guessed secret compressed is drowned in noise (BREACH)."""
    reader = Client()
    lengths = {len(reader.get("/blog/first/", headers=GZIP).content) for _ in range(12)}
    assert len(lengths) > 1


def test_a_client_that_does_not_accept_gzip_gets_the_page_as_it_is(a_bit_of_everything):
    response = Client().get("/blog/first/", headers={"accept-encoding": "identity"})
    assert "Content-Encoding" not in response
    assert b"<html" in response.content


def test_the_favicon_is_not_compressed_again(client):
    response = client.get("/favicon.ico", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
