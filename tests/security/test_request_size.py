"""A request body larger than any form of the site needs is refused before it is read, by
Django too (nginx refuses it first in production: tests/deploy/)."""

import io

import pytest

from comments.models import Comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_comment_limits")]


def test_a_ten_megabyte_file_in_a_comment_post_is_refused_unread(client, make_post, comment_form):
    post = make_post(slug="big")
    upload = io.BytesIO(b"x" * (10 * 1024 * 1024))
    upload.name = "big.bin"
    response = client.post("/blog/big/comments/", {**comment_form(post), "attachment": upload})
    assert response.status_code == 413
    assert not Comment.objects.exists()


def test_a_long_comment_is_well_within_the_limit(client, make_post, comment_form):
    post = make_post(slug="long")
    response = client.post("/blog/long/comments/", comment_form(post, body="word " * 999))
    assert response.status_code == 302
