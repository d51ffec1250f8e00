"""The moderation queue in the admin: filters, search, bulk actions, the pending count on the
admin index, the block list, and erasing a commenter's comments on request (GDPR)."""

import pytest
from django.urls import reverse

from blog.models import BlockedTerm, Comment

CHANGELIST = reverse("admin:blog_comment_changelist")


@pytest.fixture
def staff(admin_client):
    return admin_client


def html(response):
    return response.content.decode()


def test_the_admin_index_shows_how_many_comments_await_moderation(staff, make_comment):
    make_comment(status=Comment.Status.PENDING)
    make_comment(status=Comment.Status.PENDING)
    make_comment(status=Comment.Status.APPROVED)
    page = html(staff.get(reverse("admin:index")))
    assert "2 comments awaiting moderation" in page
    assert f"{CHANGELIST}?status=pending" in page


def test_the_queue_filters_by_status_and_post(staff, make_post, make_comment):
    post = make_post()
    make_comment(post=post, body="Pending here.", status=Comment.Status.PENDING)
    make_comment(post=post, body="Approved here.")
    make_comment(body="Pending elsewhere.", status=Comment.Status.PENDING)
    by_status = html(staff.get(CHANGELIST, {"status": "pending"}))
    assert "Pending here." in by_status and "Pending elsewhere." in by_status
    assert "Approved here." not in by_status
    assert "Pending (2)" in by_status
    by_post = html(staff.get(CHANGELIST, {"post__id__exact": post.pk}))
    assert "Pending here." in by_post and "Approved here." in by_post
    assert "Pending elsewhere." not in by_post


@pytest.mark.parametrize("query", ["Marple", "jane@village.example", "vicarage"])
def test_the_queue_searches_name_email_and_text(staff, make_comment, query):
    make_comment(name="Jane Marple", email="jane@village.example", body="Murder at the vicarage.")
    make_comment(name="Hercule", email="h@example.com", body="Little grey cells.")
    page = html(staff.get(CHANGELIST, {"q": query}))
    assert "Murder at the vicarage." in page
    assert "Little grey cells." not in page


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("mark_spam", "spam"), ("remove", "removed")],
)
def test_bulk_actions_set_the_status(staff, make_comment, action, status):
    chosen = [make_comment(status=Comment.Status.PENDING) for _ in range(2)]
    untouched = make_comment(status=Comment.Status.PENDING)
    response = staff.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in chosen]}
    )
    assert response.status_code == 302
    statuses = Comment.objects.filter(pk__in=[c.pk for c in chosen]).values_list("status")
    assert set(statuses) == {(status,)}
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING


def test_a_commenter_can_be_erased_by_email(staff, make_post, make_comment):
    first = make_comment(email="forget.me@example.com", body="Mine, on one post.")
    make_comment(email="forget.me@example.com", body="Mine, on another post.")
    reply = make_comment(post=first.post, parent=first, body="Someone else's reply.")
    found = html(staff.get(CHANGELIST, {"q": "forget.me@example.com"}))
    assert "Mine, on one post." in found and "Mine, on another post." in found
    response = staff.post(
        CHANGELIST, {"action": "erase_commenters", "_selected_action": [first.pk]}
    )
    assert response.status_code == 302
    assert not Comment.objects.filter(email="forget.me@example.com").exists()
    reply.refresh_from_db()
    assert reply.parent is None


def test_a_comment_shows_as_readers_see_it(staff, make_comment):
    comment = make_comment(body="Some *emphasis* and <script>alert(1)</script>")
    page = html(staff.get(reverse("admin:blog_comment_change", args=[comment.pk])))
    assert "<em>emphasis</em>" in page
    assert "<script>alert(1)</script>" not in page


def test_the_block_list_is_edited_in_the_admin(staff):
    response = staff.post(reverse("admin:blog_blockedterm_add"), {"phrase": "  Cheap   Pills "})
    assert response.status_code == 302
    assert BlockedTerm.objects.get().phrase == "cheap pills"


def test_a_post_can_override_when_its_comments_close(staff, make_post):
    post = make_post()
    page = html(staff.get(reverse("admin:blog_post_change", args=[post.pk])))
    assert 'name="comments_policy"' in page


def test_readers_cannot_open_the_queue(client, make_comment):
    make_comment(status=Comment.Status.PENDING)
    assert client.get(CHANGELIST).status_code == 302
