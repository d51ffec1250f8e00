"""An author may edit or delete their own comment for 15 minutes, proven by a signed cookie
set when they posted it; nobody else can, and nobody can afterwards."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import BlockedTerm, Comment
from tests.support.pages import html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


@pytest.fixture
def posted(client, settings, make_post, comment_form):
    """An approved comment posted through the form by `client`."""
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    client.post(
        reverse("comments:create", args=[post.slug]),
        comment_form(post, body="First draft of my thoughts."),
    )
    return Comment.objects.get()


def edit_url(comment):
    return reverse("comments:edit", args=[comment.post.slug, comment.pk])


def delete_url(comment):
    return reverse("comments:delete", args=[comment.post.slug, comment.pk])


def test_the_author_sees_edit_and_delete_links(client, posted):
    page = html(client.get(posted.post.get_absolute_url()))
    assert edit_url(posted) in page and delete_url(posted) in page
    assert edit_url(posted) not in html(Client().get(posted.post.get_absolute_url()))


def test_the_author_can_edit_within_the_window(client, posted):
    assert "First draft of my thoughts." in html(client.get(edit_url(posted)))
    response = client.post(edit_url(posted), {"body": "Second, *better* draft."})
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.body == "Second, *better* draft."
    assert "<em>better</em>" in posted.body_html
    assert posted.edited_at is not None
    assert "(edited)" in html(client.get(posted.post.get_absolute_url()))


def test_an_edit_that_fails_keeps_the_text(client, posted):
    response = client.post(edit_url(posted), {"body": "x" * 5001})
    assert response.status_code == 400
    assert "x" * 5001 in html(response)
    posted.refresh_from_db()
    assert posted.body == "First draft of my thoughts."


def test_an_edit_is_checked_against_the_block_list(client, posted):
    BlockedTerm.objects.create(phrase="casino")
    client.post(edit_url(posted), {"body": "Now about a casino."})
    posted.refresh_from_db()
    assert posted.status == Comment.Status.SPAM


def test_the_author_can_delete_within_the_window(client, posted):
    assert client.get(delete_url(posted)).status_code == 200
    response = client.post(delete_url(posted))
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.status == Comment.Status.REMOVED
    assert "First draft" not in html(client.get(posted.post.get_absolute_url()))


def test_nobody_else_can_edit_or_delete(posted):
    stranger = Client()
    assert stranger.get(edit_url(posted)).status_code == 403
    assert stranger.post(edit_url(posted), {"body": "Hijacked."}).status_code == 403
    assert stranger.post(delete_url(posted)).status_code == 403
    stranger.cookies["comments_own"] = str(posted.pk)  # unsigned: forged
    assert stranger.post(delete_url(posted)).status_code == 403
    posted.refresh_from_db()
    assert posted.body == "First draft of my thoughts."
    assert posted.status == Comment.Status.APPROVED


def test_the_window_closes_after_fifteen_minutes(client, posted):
    Comment.objects.filter(pk=posted.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = client.post(edit_url(posted), {"body": "Too late."})
    assert response.status_code == 403
    assert "can no longer be changed" in html(response)
    assert client.post(delete_url(posted)).status_code == 403
    assert edit_url(posted) not in html(client.get(posted.post.get_absolute_url()))


def test_a_removed_comment_cannot_be_brought_back_by_its_author(client, posted):
    Comment.objects.filter(pk=posted.pk).update(status=Comment.Status.REMOVED)
    assert client.post(edit_url(posted), {"body": "Resurrected."}).status_code == 403
