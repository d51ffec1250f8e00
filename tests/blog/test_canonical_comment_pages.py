"""A post's comment pages have one address each: `?cpage=2`…N, and page 1 is the post's URL
without it. Every other spelling of a page number redirects (301) there, anything that cannot
be a page is a 404, and only the canonical addresses are ever stored in the page cache, so a
flood of variants fills nothing."""

import pytest
from django.core.cache import caches

from tests.support.pages import ok_html


@pytest.fixture
def post(settings, make_post, make_comment):
    """A post with five approved comments, two to a page: pages 1, 2 and 3."""
    settings.COMMENTS_PER_PAGE = 2
    post = make_post()
    for n in range(5):
        make_comment(post=post, body=f"Comment {n}.")
    return post


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("000002", "?cpage=2"),
        ("2%0A", "?cpage=2"),
        ("%202", "?cpage=2"),
        ("3%20", "?cpage=3"),
        ("1", ""),
        ("01", ""),
        ("1%0A", ""),
        ("000001", ""),
    ],
)
def test_other_spellings_of_a_page_redirect_to_its_one_address(client, post, query, canonical):
    response = client.get(f"{post.get_absolute_url()}?cpage={query}")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() + canonical


def test_other_parameters_are_kept_by_the_redirect(client, post):
    response = client.get(f"{post.get_absolute_url()}?replyto=7&cpage=02")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() + "?replyto=7&cpage=2"


@pytest.mark.parametrize(
    "query", ["abc", "0", "00", "-1", "2.0", "4", "999999", "99999999999", "%EF%BC%92", "", "1e3"]
)
def test_what_cannot_be_a_page_is_not_found(client, post, query):
    assert client.get(f"{post.get_absolute_url()}?cpage={query}").status_code == 404


def test_the_canonical_pages_are_served(client, post):
    assert "Comment 0." in ok_html(client.get(post.get_absolute_url()))
    assert "Comment 2." in ok_html(client.get(post.get_absolute_url() + "?cpage=2"))
    assert "Comment 4." in ok_html(client.get(post.get_absolute_url() + "?cpage=3"))


def test_a_flood_of_variants_stores_no_new_page(client, post):
    url = post.get_absolute_url()
    for canonical in ("", "?cpage=2", "?cpage=3"):
        ok_html(client.get(url + canonical))
    pages = caches["pages"]
    stored = len(pages._cache)
    assert sum(":page:" in key for key in pages._cache) == 3  # beside each, its latest mark
    spellings = [
        f"{'0' * zeros}{n}{tail}"
        for zeros in range(5)
        for n in (1, 2, 3, 4, 50)
        for tail in ("", "%0A", "%20", "%09")
    ]
    variants = [v for v in spellings if v not in ("2", "3")] + ["x", "-2", "+2", "2.", "0x2"]
    for variant in variants:
        assert client.get(f"{url}?cpage={variant}").status_code in (301, 404)
    assert len(pages._cache) == stored
    # Followed, the redirects land on the three pages already stored, or on a 404.
    for variant in variants:
        assert client.get(f"{url}?cpage={variant}", follow=True).status_code in (200, 404)
    assert len(pages._cache) == stored


def test_the_pages_link_to_each_other_by_their_one_address(client, post):
    second = ok_html(client.get(post.get_absolute_url() + "?cpage=2"))
    assert f'href="{post.get_absolute_url()}#comments" rel="prev"' in second
    assert 'href="?cpage=3#comments" rel="next"' in second
    assert "cpage=1" not in second
