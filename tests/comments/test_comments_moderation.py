"""Moderation: which status each rule gives, that only approved comments are public, the
managers' notification and its confirm-then-POST moderation link."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from comments.models import BlockedTerm, Comment
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


def submit(client, comment_form, post, **fields):
    response = client.post(comment_create_url(post), comment_form(post, **fields))
    assert response.status_code == 302, response.content.decode()[:300]
    return Comment.objects.order_by("-pk").first()


@pytest.mark.parametrize("status", ["pending", "spam", "removed"])
def test_only_approved_comments_are_public(client, make_post, make_comment, status):
    post = make_post()
    make_comment(post=post, body="Visible to all.")
    make_comment(post=post, body="Not for readers.", status=status)
    page = html(client.get(post.get_absolute_url()))
    feed = html(client.get(reverse("comments:feed", args=[post.slug])))
    assert "Visible to all." in page and "Visible to all." in feed
    assert "Not for readers." not in page and "Not for readers." not in feed
    assert "1 comment<" in page


def test_a_first_time_commenter_is_held(client, make_post, comment_form):
    comment = submit(client, comment_form, make_post())
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "First comment from this email."


def test_an_email_with_an_approved_comment_is_approved(
    client, make_post, make_comment, comment_form
):
    make_comment(email="regular@example.com")
    comment = submit(client, comment_form, make_post(), email="Regular@Example.com")
    assert comment.status == Comment.Status.APPROVED
    assert comment.email == "regular@example.com"


def test_an_email_with_only_held_comments_is_still_held(
    client, make_post, make_comment, comment_form
):
    make_comment(email="newish@example.com", status=Comment.Status.PENDING)
    comment = submit(client, comment_form, make_post(), email="newish@example.com")
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("mode", "known", "expected"),
    [
        ("all", True, "pending"),
        ("all", False, "pending"),
        ("first_time", True, "approved"),
        ("first_time", False, "pending"),
        ("none", False, "approved"),
    ],
)
def test_the_moderation_setting_chooses_the_policy(
    client, settings, make_post, make_comment, comment_form, mode, known, expected
):
    settings.COMMENTS_MODERATION = mode
    if known:
        make_comment(email="ada@example.com")
    assert submit(client, comment_form, make_post()).status == expected


def test_too_many_links_are_held_even_when_nothing_else_is(
    client, settings, make_post, comment_form
):
    settings.COMMENTS_MODERATION = "none"
    settings.COMMENTS_MAX_LINKS = 2
    post = make_post()
    two = "See https://a.example and [b](http://b.example)."
    three = two + " Also www.c.example."
    assert submit(client, comment_form, post, body=two).status == Comment.Status.APPROVED
    held = submit(client, comment_form, post, body=three)
    assert held.status == Comment.Status.PENDING
    assert held.moderation_reason == "Contains 3 links."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body", "Buy VIAGRA now"),
        ("body", "really cheap\n  pills here"),
        ("name", "Viagra Sales"),
        ("website", "https://example.com/viagra"),
    ],
)
def test_a_blocked_term_anywhere_marks_spam(
    client, settings, make_post, comment_form, field, value
):
    settings.COMMENTS_MODERATION = "none"
    BlockedTerm.objects.create(phrase="viagra")
    BlockedTerm.objects.create(phrase="Cheap  Pills")
    comment = submit(client, comment_form, make_post(), **{field: value})
    assert comment.status == Comment.Status.SPAM


def test_blocked_terms_match_whole_words_only(client, settings, make_post, comment_form):
    settings.COMMENTS_MODERATION = "none"
    BlockedTerm.objects.create(phrase="cialis")
    comment = submit(client, comment_form, make_post(), body="Specialists agree: socialism.")
    assert comment.status == Comment.Status.APPROVED


def test_spam_looks_held_to_its_author(client, make_post, comment_form):
    BlockedTerm.objects.create(phrase="casino")
    post = make_post()
    submit(client, comment_form, post, body="Best casino bonus.")
    page = html(client.get(post.get_absolute_url()))
    assert "Your comment is awaiting moderation" in page


def test_managers_are_emailed_with_a_moderation_link(client, make_post, comment_form):
    post = make_post(title="Managed services")
    comment = submit(client, comment_form, post, body="Tell the managers.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["managers@example.com"]
    assert "ada@example.com" not in message.to + message.cc + message.bcc
    assert message.subject.endswith("New comment awaiting moderation on “Managed services”")
    assert "Tell the managers." in message.body
    assert f"/blog/comments/{comment.pk}/moderate/" in message.body


def test_no_header_injection_from_what_commenters_type(client, make_post, comment_form):
    post = make_post()
    submit(client, comment_form, post, name="Eve\r\nBcc: victim@example.com", body="Hi\r\nBcc: x")
    message = mail.outbox[0]
    assert message.recipients() == ["managers@example.com"]
    assert "Eve" not in message.subject and "\n" not in message.subject


def test_spam_is_not_announced(client, make_post, comment_form):
    BlockedTerm.objects.create(phrase="casino")
    submit(client, comment_form, make_post(), body="casino")
    assert mail.outbox == []


def test_without_managers_no_email_is_sent(client, settings, make_post, comment_form):
    settings.MANAGERS = []
    submit(client, comment_form, make_post())
    assert mail.outbox == []


def moderation_link(message):
    return re.search(r"https?://[^/\s]+(/blog/comments/\S+)", message.body).group(1)


def test_the_moderation_link_confirms_before_acting(client, make_post, comment_form):
    post = make_post()
    comment = submit(client, comment_form, post, body="Please approve me.")
    link = moderation_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "Please approve me." in html(page)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    response = client.post(link, {"action": "approve"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    from django.test import Client

    assert "Please approve me." in html(Client().get(post.get_absolute_url()))


@pytest.mark.parametrize(("action", "status"), [("spam", "spam"), ("remove", "removed")])
def test_the_moderation_link_can_mark_spam_or_remove(
    client, make_post, comment_form, action, status
):
    comment = submit(client, comment_form, make_post())
    client.post(moderation_link(mail.outbox[0]), {"action": action})
    comment.refresh_from_db()
    assert comment.status == status


def test_an_unknown_moderation_action_changes_nothing(client, make_post, comment_form):
    comment = submit(client, comment_form, make_post())
    response = client.post(moderation_link(mail.outbox[0]), {"action": "delete-everything"})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_forged_or_borrowed_moderation_link_is_refused(
    client, make_post, make_comment, comment_form
):
    comment = submit(client, comment_form, make_post())
    other = make_comment(status=Comment.Status.PENDING)
    link = moderation_link(mail.outbox[0])
    borrowed = link.replace(f"/comments/{comment.pk}/", f"/comments/{other.pk}/")
    assert client.post(borrowed, {"action": "approve"}).status_code == 404
    assert client.get(link[:-5] + "xxxx/").status_code == 404
    other.refresh_from_db()
    assert other.status == Comment.Status.PENDING


def test_an_old_moderation_link_has_expired(client, monkeypatch, make_post, comment_form):
    post = make_post()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 15 * 24 * 3600)
    # Everything happens "15 days ago", including signing the emailed link.
    client.post(comment_create_url(post), comment_form(post))
    monkeypatch.setattr(time, "time", real_time)
    assert client.get(moderation_link(mail.outbox[0])).status_code == 404
