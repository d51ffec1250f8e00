"""Reading what the test client got back, shared by the page tests: a response's HTML as text
(`html`, or `ok_html` where the page must have been served), the comment form's address, and
`READER_PAGES`, a page of each type a reader reads, as the `a_bit_of_everything` fixture of
tests/conftest.py makes them."""

from django.urls import reverse

READER_PAGES = [
    "/",
    "/blog/",
    "/blog/first/",
    "/blog/series/models/",
    "/blog/tag/costs/",
    "/blog/tags/",
    "/blog/author/jim/",
    "/about/",
    "/search/?q=post",  # a search finding the first post
]


def html(response):
    return response.content.decode()


def ok_html(response):
    assert response.status_code == 200, response.status_code
    return html(response)


def comment_create_url(post):
    return reverse("comments:create", args=[post.slug])
