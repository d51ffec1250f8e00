"""Replies from the site, written in the admin, and the email that tells a commenter about a
reply when they asked for it: published at once, marked as the author's on the post page, the
same Markdown pipeline; one email per reply, only to those who ticked the box, never to the
replier, never twice. (The email's unsubscribe link is proven in
tests/subscriptions/test_subscriptions.py.)"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from comments.moderation import moderation_token
from tests.support.pages import html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")

QUEUE = reverse("admin:comments_comment_changelist") + "?status=pending"


def reply_url(comment):
    return reverse("admin:comments_comment_reply", args=[comment.pk])


def to(address):
    """The emails sent to this address (the managers get their own about new comments)."""
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def staff(admin_client, admin_user):
    admin_user.first_name, admin_user.last_name = "Jim", "Hollis"
    admin_user.save()
    return admin_client


# --- Replying as the site ---------------------------------------------------------------------


def test_each_row_and_the_change_page_link_to_the_reply_form(staff, make_comment):
    comment = make_comment(status=Comment.Status.PENDING, name="Ada")
    queue = html(staff.get(QUEUE))
    assert re.search(
        rf'<a class="moderation-reply" href="{re.escape(reply_url(comment))}\?next=[^"]+" '
        r'aria-label="Reply to Ada as the site">Reply</a>',
        queue,
    )
    change = html(staff.get(reverse("admin:comments_comment_change", args=[comment.pk])))
    assert f'href="{reply_url(comment)}?next=' in change and "Reply as the site" in change


def test_the_reply_form_shows_the_comment_and_asks_for_text(staff, make_comment):
    comment = make_comment(body="Is *managed* support worth it?")
    page = html(staff.get(reply_url(comment)))
    assert "Is <em>managed</em> support worth it?" in page
    assert re.search(r'<textarea name="body"', page)
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="name" value="Jim Hollis"' in page  # the staff member's name, editable


def test_a_reply_from_the_site_is_published_at_once_and_marked_as_the_authors(
    client, staff, make_comment
):
    comment = make_comment(name="Ada", body="Which one suits a dental practice?")
    post_url = comment.post.get_absolute_url()
    assert "Author</span>" not in html(client.get(post_url))  # a reader's page, now cached
    response = staff.post(
        reply_url(comment), {"name": "Jim Hollis", "body": "Break/fix, **usually**.", "next": QUEUE}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    reply = Comment.objects.get(by_site=True)
    assert (reply.post, reply.parent, reply.status) == (comment.post, comment, "approved")
    assert reply.name == "Jim Hollis"
    assert reply.body_html == "<p>Break/fix, <strong>usually</strong>.</p>"
    page = html(client.get(post_url))
    article = re.search(
        rf'<article id="comment-{reply.pk}" class="([^"]+)".*?</article>', page, re.S
    )
    assert "comment-by-site" in article.group(1)
    assert re.search(
        r'Jim Hollis <span class="badge[^"]*comment-site-badge"[^>]*>Author</span>',
        article.group(0),
    )
    assert "Break/fix, <strong>usually</strong>." in article.group(0)
    # A reader's comment carries no badge.
    reader = re.search(rf'<article id="comment-{comment.pk}".*?</article>', page, re.S).group(0)
    assert "Author</span>" not in reader


def test_the_site_replies_in_the_thread_of_a_reply(staff, make_comment):
    thread = make_comment()
    reply = make_comment(post=thread.post, parent=thread)
    staff.post(reply_url(reply), {"name": "Jim", "body": "Thank you both."})
    assert Comment.objects.get(by_site=True).parent == thread


def test_replying_to_a_held_comment_can_approve_it(client, staff, make_comment):
    held = make_comment(status=Comment.Status.PENDING, body="Held until now.")
    page = html(staff.get(reply_url(held)))
    assert re.search(r'<input type="checkbox" name="approve"[^>]*checked', page)
    staff.post(reply_url(held), {"name": "Jim", "body": "Welcome!", "approve": "on"})
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED
    public = html(client.get(held.post.get_absolute_url()))
    assert "Held until now." in public and "Welcome!" in public


def test_an_empty_reply_is_refused_with_nothing_lost(staff, make_comment):
    comment = make_comment()
    response = staff.post(reply_url(comment), {"name": "Jim Hollis", "body": "   "})
    assert response.status_code == 200
    assert 'value="Jim Hollis"' in html(response)
    assert not Comment.objects.filter(by_site=True).exists()


def test_replying_needs_permission_to_add_comments(client, db, make_comment):
    comment = make_comment()
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(user)
    assert client.get(reply_url(comment)).status_code == 403
    assert client.post(reply_url(comment), {"name": "X", "body": "Hi"}).status_code == 403
    assert not Comment.objects.filter(by_site=True).exists()


def test_readers_cannot_reply_as_the_site(client, make_comment):
    comment = make_comment()
    response = client.post(reply_url(comment), {"name": "Jim", "body": "Forged"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Comment.objects.filter(by_site=True).exists()


def test_after_replying_next_cannot_lead_off_the_site(staff, make_comment):
    comment = make_comment()
    response = staff.post(
        reply_url(comment), {"name": "Jim", "body": "Hi", "next": "https://evil.example/"}
    )
    assert response["Location"] == QUEUE


# --- The reply email ----------------------------------------------------------------------------


def test_a_reply_from_the_site_emails_a_commenter_who_asked(staff, make_comment):
    comment = make_comment(name="Ada", email="ada@example.com", notify_on_reply=True)
    staff.post(reply_url(comment), {"name": "Jim Hollis", "body": "Break/fix, **usually**."})
    reply = Comment.objects.get(by_site=True)
    (message,) = to("ada@example.com")
    assert message.to == ["ada@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert comment.post.title in message.subject and "\n" not in message.subject
    assert "Break/fix, **usually**." in message.body
    assert settings.SITE_URL + reply.get_absolute_url() in message.body
    # Built like every follower email (subscriptions.mail): plain text with an HTML twin
    # showing the sanitised reply, and the one-click unsubscribe in the headers and the text.
    ((html_body, mimetype),) = message.alternatives
    assert mimetype == "text/html" and "Break/fix, <strong>usually</strong>." in html_body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in message.body and unsubscribe in html_body
    reply.refresh_from_db()
    assert reply.reply_notified_at is not None


def test_no_email_for_a_commenter_who_did_not_ask(staff, make_comment):
    comment = make_comment(email="quiet@example.com")
    staff.post(reply_url(comment), {"name": "Jim", "body": "Thanks."})
    assert to("quiet@example.com") == []


def test_a_readers_reply_emails_the_parent_when_approved_once_only(staff, make_comment):
    parent = make_comment(email="ada@example.com", notify_on_reply=True)
    reply = make_comment(
        post=parent.post, parent=parent, status=Comment.Status.PENDING, body="I agree."
    )
    moderate = reverse("admin:comments_comment_moderate", args=[reply.pk, "approve"])
    assert to("ada@example.com") == []  # held: not yet
    staff.post(moderate)
    (message,) = to("ada@example.com")
    assert "I agree." in message.body
    assert settings.SITE_URL + reply.get_absolute_url() in message.body
    # Unapproved and approved again, in bulk this time: still the one email.
    staff.post(reverse("admin:comments_comment_moderate", args=[reply.pk, "spam"]))
    staff.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [reply.pk]},
    )
    assert len(to("ada@example.com")) == 1


def test_a_bulk_approval_emails_once_per_reply(staff, make_comment):
    parent = make_comment(email="ada@example.com", notify_on_reply=True)
    replies = [
        make_comment(post=parent.post, parent=parent, status=Comment.Status.PENDING)
        for _ in range(3)
    ]
    staff.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [r.pk for r in replies]},
    )
    assert len(to("ada@example.com")) == 3


def test_a_reply_approved_on_arrival_emails_the_parent(
    client, settings, make_comment, comment_form
):
    settings.COMMENTS_MODERATION = "none"
    parent = make_comment(email="ada@example.com", notify_on_reply=True)
    post = parent.post
    data = comment_form(post, name="Grace", email="grace@example.com", body="Me too.")
    client.post(reverse("comments:create", args=[post.slug]), {**data, "parent": parent.pk})
    (message,) = to("ada@example.com")
    assert "Me too." in message.body


def test_a_reply_approved_from_the_emailed_link_emails_the_parent(client, make_comment):
    parent = make_comment(email="ada@example.com", notify_on_reply=True)
    reply = make_comment(post=parent.post, parent=parent, status=Comment.Status.PENDING)
    link = reverse("comments:moderate", args=[reply.pk, moderation_token(reply)])
    client.post(link, {"action": "approve"})
    assert len(to("ada@example.com")) == 1


def test_never_to_the_replier_themselves(client, settings, make_comment, comment_form):
    settings.COMMENTS_MODERATION = "none"
    parent = make_comment(email="ada@example.com", notify_on_reply=True)
    post = parent.post
    data = comment_form(post, email="ADA@example.com", body="Replying to myself.")
    client.post(reverse("comments:create", args=[post.slug]), {**data, "parent": parent.pk})
    assert Comment.objects.filter(parent=parent).exists()
    assert to("ada@example.com") == []


def test_no_email_while_the_reply_is_not_public(staff, make_comment):
    parent = make_comment(email="ada@example.com", notify_on_reply=True)
    reply = make_comment(post=parent.post, parent=parent, status=Comment.Status.PENDING)
    staff.post(reverse("admin:comments_comment_moderate", args=[reply.pk, "spam"]))
    assert to("ada@example.com") == []


# --- The box on the public form -----------------------------------------------------------------


def test_the_public_form_offers_the_reply_email(client, make_post):
    page = html(client.get(make_post().get_absolute_url()))
    assert re.search(
        r'<input type="checkbox" name="notify_on_reply"[^>]*class="form-check-input"', page
    )
    label = "Email me when someone replies"
    assert f'<label class="form-check-label" for="id_notify_on_reply">{label}</label>' in page
    assert not re.search(r'<input type="checkbox" name="notify_on_reply"[^>]*checked', page)


def test_the_box_is_kept_when_the_form_comes_back_with_errors(client, make_post, comment_form):
    post = make_post()
    data = comment_form(post, name="", notify_on_reply="on")
    response = client.post(reverse("comments:create", args=[post.slug]), data)
    assert response.status_code == 400
    assert re.search(r'<input type="checkbox" name="notify_on_reply"[^>]*checked', html(response))
    assert "A fine article, thank you." in html(response)


def test_the_box_is_stored_with_the_comment(client, make_post, comment_form):
    post = make_post()
    url = reverse("comments:create", args=[post.slug])
    client.post(url, comment_form(post, notify_on_reply="on"))
    client.post(url, comment_form(post, email="other@example.com", body="Another."))
    asked = dict(Comment.objects.values_list("email", "notify_on_reply"))
    assert asked == {"ada@example.com": True, "other@example.com": False}


def test_a_reply_approved_on_its_change_page_emails_the_parent(staff, make_comment):
    parent = make_comment(email="ada@example.com", notify_on_reply=True)
    reply = make_comment(
        post=parent.post, parent=parent, status=Comment.Status.PENDING, body="Edited here."
    )
    change = reverse("admin:comments_comment_change", args=[reply.pk])
    form = {
        "post": parent.post.pk,
        "parent": parent.pk,
        "status": "approved",
        "name": reply.name,
        "email": reply.email,
        "website": "",
        "body": reply.body,
    }
    assert staff.post(change, form).status_code == 302
    assert len(to("ada@example.com")) == 1
    staff.post(change, form)  # saved again: nothing more
    assert len(to("ada@example.com")) == 1
