"""A comment POST costs a fixed, small number of queries: counted through the HTTP client, with
every rule still applied (the duplicate check and flood control under the sender's lock, the
form's timestamp claimed once, the moderation rules, the redirect to the comment's page).

PostgreSQL counts its advisory locks (one per sender key: the email and the network); SQLite's
IMMEDIATE transaction needs none. The test's own transaction turns the moderator's into a
savepoint, which is counted too.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from comments.models import Comment, UsedFormTimestamp
from tests.support.pages import comment_create_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_comment_limits")]


def budget(on_sqlite):
    return on_sqlite + (2 if connection.vendor == "postgresql" else 0)


def test_an_accepted_comment_costs_ten_queries(
    client, make_post, make_comment, comment_form, django_assert_max_num_queries
):
    post = make_post()
    make_comment(post=post, email="ada@example.com")  # approved before: this one is too
    data = comment_form(post, body="Approved on arrival.")
    # The post, the sender's history (before the lock and under it), the savepoint, the form's
    # timestamp claimed, the blocked terms, the approved-email check, the insert, its release
    # and the comment's page for the redirect.
    with django_assert_max_num_queries(budget(10)):
        response = client.post(comment_create_url(post), data)
    assert response.status_code == 302
    assert Comment.objects.get(body="Approved on arrival.").status == Comment.Status.APPROVED


def test_a_first_comment_held_for_moderation_costs_nine_queries(
    client, make_post, comment_form, django_assert_max_num_queries
):
    post = make_post()
    data = comment_form(post, email="first@example.com", body="Held for a moderator.")
    with django_assert_max_num_queries(budget(9)):
        response = client.post(comment_create_url(post), data)
    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_a_reply_costs_one_query_more_for_its_parent(
    client, make_post, make_comment, comment_form, django_assert_max_num_queries
):
    post = make_post()
    parent = make_comment(post=post)
    data = comment_form(post, email="first@example.com", parent=str(parent.pk))
    with django_assert_max_num_queries(budget(10)):
        response = client.post(comment_create_url(post), data)
    assert response.status_code == 302
    assert Comment.objects.get(email="first@example.com").parent == parent


def test_expired_form_timestamps_are_cleared_every_so_many_claims(
    client, make_post, comment_form, monkeypatch
):
    """Not on every comment (a query each), yet the table never keeps what expired for long."""
    import comments.moderation

    post = make_post()
    expired = UsedFormTimestamp.objects.create(
        token_hash="0" * 64, expires_at=timezone.now() - timedelta(seconds=1)
    )
    kept = UsedFormTimestamp.objects.create(
        token_hash="1" * 64, expires_at=timezone.now() + timedelta(hours=1)
    )
    monkeypatch.setattr(comments.moderation, "CLEAR_EXPIRED_TIMESTAMPS_EVERY", 1)
    assert client.post(comment_create_url(post), comment_form(post)).status_code == 302
    assert not UsedFormTimestamp.objects.filter(pk=expired.pk).exists()
    assert UsedFormTimestamp.objects.filter(pk=kept.pk).exists()
    assert UsedFormTimestamp.objects.count() == 2  # the one just claimed, and the live one
