"""The link limit counts what readers can click (the links in the rendered comment) and the
protocol-relative `//host/path` forms, and an edit goes through the same moderation rules as a
new comment: ten links added to an approved comment send it back to moderation. Edits are
rate-limited like new comments (429 with Retry-After, the text kept)."""

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


@pytest.fixture
def unmoderated(settings):
    settings.COMMENTS_MODERATION = "none"
    settings.COMMENTS_MAX_LINKS = 2


def edit_url(comment):
    return reverse("comments:edit", args=[comment.post.slug, comment.pk])


@pytest.mark.usefixtures("unmoderated")
@pytest.mark.parametrize(
    "body",
    [
        "See //spam.example/a and //spam.example/b and //spam.example/c",
        "[one](//spam.example/1) [two](//spam.example/2) [three](//spam.example/3)",
        "[a](https://spam.example/1) [b](http://spam.example/2) //spam.example/3",
    ],
)
def test_protocol_relative_and_markdown_links_count(client, make_post, comment_form, body):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, body=body))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "3 links" in comment.moderation_reason


@pytest.mark.usefixtures("unmoderated")
def test_two_links_are_still_fine(client, make_post, comment_form):
    post = make_post()
    body = "[docs](https://docs.example/) and https://example.com/page"
    client.post(comment_create_url(post), comment_form(post, body=body))
    assert Comment.objects.get().status == Comment.Status.APPROVED


@pytest.mark.usefixtures("unmoderated")
def test_an_approved_comment_edited_to_hold_ten_links_goes_back_to_moderation(
    client, make_post, comment_form
):
    post = make_post()
    client.post(comment_create_url(post), comment_form(post, body="Harmless at first."))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    spam = " ".join(f"//spam.example/{n}" for n in range(10))
    assert client.post(edit_url(comment), {"body": spam}).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "10 links" in comment.moderation_reason
    assert "spam.example" not in html(Client().get(post.get_absolute_url()))


def test_an_edit_never_makes_a_held_comment_public(client, settings, make_post, comment_form):
    settings.COMMENTS_MODERATION = "all"
    post = make_post()
    client.post(comment_create_url(post), comment_form(post, body="Waiting for a moderator."))
    comment = Comment.objects.get()
    settings.COMMENTS_MODERATION = "none"
    client.post(edit_url(comment), {"body": "Still waiting, now edited."})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_edits_are_rate_limited_and_keep_the_text(client, settings, make_post, comment_form):
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    client.post(comment_create_url(post), comment_form(post, body="Version one."))
    comment = Comment.objects.get()
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    assert client.post(edit_url(comment), {"body": "Version two."}).status_code == 302
    response = client.post(edit_url(comment), {"body": "Version three, too soon."})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 30
    assert "Version three, too soon." in html(response)
    comment.refresh_from_db()
    assert comment.body == "Version two."


def test_edits_have_an_hourly_cap(client, settings, make_post, comment_form):
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    client.post(comment_create_url(post), comment_form(post, body="Version 0."))
    comment = Comment.objects.get()
    settings.COMMENTS_MAX_PER_HOUR = 3
    codes = [
        client.post(edit_url(comment), {"body": f"Version {n}."}).status_code for n in (1, 2, 3, 4)
    ]
    assert codes == [302, 302, 302, 429]
