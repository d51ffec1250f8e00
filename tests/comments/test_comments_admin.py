"""The moderation queue in the admin: it opens on Pending; rows with a status badge, the text as
readers see it and one-click buttons; filters, search, bulk actions, the pending count on the
admin index, the block list, and erasing a commenter's comments on request (GDPR)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import BlockedTerm, Comment
from tests.support.pages import html

CHANGELIST = reverse("admin:comments_comment_changelist")
PENDING_QUEUE = f"{CHANGELIST}?status=pending"


@pytest.fixture
def staff(admin_client):
    return admin_client


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
    by_post = html(staff.get(CHANGELIST, {"status": "all", "post__id__exact": post.pk}))
    assert "Pending here." in by_post and "Approved here." in by_post
    assert "Pending elsewhere." not in by_post


@pytest.mark.parametrize("query", ["Marple", "jane@village.example", "vicarage"])
def test_the_queue_searches_name_email_and_text(staff, make_comment, query):
    make_comment(name="Jane Marple", email="jane@village.example", body="Murder at the vicarage.")
    make_comment(name="Hercule", email="h@example.com", body="Little grey cells.")
    page = html(staff.get(CHANGELIST, {"status": "all", "q": query}))
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
    found = html(staff.get(CHANGELIST, {"status": "all", "q": "forget.me@example.com"}))
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
    page = html(staff.get(reverse("admin:comments_comment_change", args=[comment.pk])))
    assert "<em>emphasis</em>" in page
    assert "<script>alert(1)</script>" not in page


def test_the_block_list_is_edited_in_the_admin(staff):
    response = staff.post(reverse("admin:comments_blockedterm_add"), {"phrase": "  Cheap   Pills "})
    assert response.status_code == 302
    assert BlockedTerm.objects.get().phrase == "cheap pills"


def test_a_post_can_override_when_its_comments_close(staff, make_post):
    post = make_post()
    page = html(staff.get(reverse("admin:blog_post_change", args=[post.pk])))
    assert 'name="comments_policy"' in page


def test_readers_cannot_open_the_queue(client, make_comment):
    make_comment(status=Comment.Status.PENDING)
    assert client.get(CHANGELIST).status_code == 302


# --- The queue opens on Pending -------------------------------------------------------------


def test_the_queue_opens_on_pending_and_keeps_the_rest_of_the_query(staff):
    response = staff.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"] == PENDING_QUEUE
    searched = staff.get(CHANGELIST, {"q": "vicarage"})
    assert searched["Location"] == f"{CHANGELIST}?q=vicarage&status=pending"


def test_all_is_an_explicit_choice_of_the_queue(staff, make_comment):
    make_comment(body="An approved one.")
    make_comment(body="A held one.", status=Comment.Status.PENDING)
    pending = html(staff.get(PENDING_QUEUE))
    assert "A held one." in pending and "An approved one." not in pending
    assert re.search(r'<a href="\?status=all">All \(2\)</a>', pending)
    everything = staff.get(CHANGELIST, {"status": "all"})
    assert everything.status_code == 200
    assert "A held one." in html(everything) and "An approved one." in html(everything)


def test_choosing_a_parent_comment_in_a_popup_shows_every_status(staff, make_comment):
    make_comment(body="An approved parent.")
    response = staff.get(CHANGELIST, {"_popup": "1", "_to_field": "id"})
    assert response.status_code == 200
    assert "An approved parent." in html(response)


def test_the_queue_lists_the_newest_first(staff, make_post, make_comment):
    post = make_post()
    now = timezone.now()
    for days, body in [(3, "Oldest one."), (1, "Newest one."), (2, "Middle one.")]:
        make_comment(
            post=post, body=body, status=Comment.Status.PENDING, created_at=now - timedelta(days)
        )
    page = html(staff.get(PENDING_QUEUE))
    assert page.index("Newest one.") < page.index("Middle one.") < page.index("Oldest one.")


# --- What a row shows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [("pending", "Pending"), ("approved", "Approved"), ("spam", "Spam"), ("removed", "Removed")],
)
def test_each_row_shows_its_status_as_a_badge_with_text(staff, make_comment, status, label):
    make_comment(status=status, moderation_reason="First comment from this email.")
    page = html(staff.get(CHANGELIST, {"status": status}))
    assert f'<span class="moderation-badge moderation-badge-{status}">{label}</span>' in page
    assert '<span class="moderation-reason">First comment from this email.</span>' in page


def test_a_row_shows_the_text_as_readers_see_it_never_the_markdown(staff, make_comment):
    make_comment(
        status=Comment.Status.PENDING,
        body="We moved to **on-site** support, see [our notes](https://example.com).\n\n"
        "Second paragraph with `code` & <b>tags</b>.",
    )
    page = html(staff.get(PENDING_QUEUE))
    assert "We moved to on-site support, see our notes. Second paragraph with code" in page
    assert "&amp; &lt;b&gt;tags&lt;/b&gt;." in page  # typed HTML is text, escaped once
    assert "**on-site**" not in page and "[our notes]" not in page
    assert "<b>tags</b>" not in page


def test_a_long_comment_is_cut_at_a_word(staff, make_comment):
    make_comment(status=Comment.Status.PENDING, body=" ".join(["lengthy"] * 60) + " ENDWORD")
    excerpt = re.search(
        r'<a class="moderation-excerpt" href="[^"]+">([^<]*)</a>', html(staff.get(PENDING_QUEUE))
    )
    assert excerpt.group(1).endswith("lengthy…")
    assert len(excerpt.group(1)) <= 160
    assert "ENDWORD" not in excerpt.group(1)


def test_a_row_shows_the_commenter_the_post_and_the_date(staff, make_post, make_comment):
    post = make_post(title="Break/fix or managed?")
    parent = make_comment(post=post, name="Agatha")
    reply = make_comment(
        post=post,
        parent=parent,
        name="Jane Marple",
        email="jane@village.example",
        status=Comment.Status.PENDING,
        created_at=timezone.make_aware(timezone.datetime(2026, 3, 4, 9, 30)),
    )
    page = html(staff.get(PENDING_QUEUE))
    change = reverse("admin:comments_comment_change", args=[reply.pk])
    # The text links to the change page, which returns to the queue as it was.
    assert (
        f'<a class="moderation-excerpt" href="{change}?_changelist_filters=status%3Dpending">'
        in page
    )
    assert '<span class="moderation-name">Jane Marple</span>' in page
    assert '<span class="moderation-email">jane@village.example</span>' in page
    assert f'<a href="{post.get_absolute_url()}">Break/fix or managed?</a>' in page
    assert '<span class="moderation-note">in reply to Agatha</span>' in page
    assert "4 Mar 2026, 09:30</time>" in page


def test_the_queue_of_fifty_takes_no_query_per_row(
    staff, make_post, make_comment, django_assert_max_num_queries
):
    posts = [make_post() for _ in range(5)]
    parents = [make_comment(post=post) for post in posts]
    for n in range(50):
        make_comment(post=posts[n % 5], parent=parents[n % 5], status=Comment.Status.PENDING)

    def queries_for_the_queue(rows):
        with CaptureQueriesContext(connection) as captured:
            response = staff.get(PENDING_QUEUE)
        assert html(response).count('class="moderation-controls"') == rows
        return len(captured)

    with django_assert_max_num_queries(10):
        fifty = queries_for_the_queue(50)
    Comment.objects.filter(
        pk__in=list(Comment.objects.awaiting_moderation().values_list("pk", flat=True)[:45])
    ).delete()
    assert queries_for_the_queue(5) == fifty


# --- One-click decisions ----------------------------------------------------------------------


def moderate_url(comment, decision):
    return reverse("admin:comments_comment_moderate", args=[comment.pk, decision])


def test_each_row_has_one_click_buttons_for_the_other_statuses(staff, make_comment):
    held = make_comment(status=Comment.Status.PENDING, name="Held Harriet")
    page = html(staff.get(PENDING_QUEUE))
    for decision, label in [("approve", "Approve"), ("spam", "Spam"), ("remove", "Remove")]:
        assert re.search(
            rf'<button type="submit" form="comment-moderation-form" '
            rf'formaction="{re.escape(moderate_url(held, decision))}"[^>]*'
            rf'aria-label="{label} the comment by Held Harriet">{label}</button>',
            page,
        )
    # The form they submit: outside the bulk actions' form, with a token and the way back.
    form = re.search(
        r'<form id="comment-moderation-form" method="post"[^>]*>(.*?)</form>', page, re.S
    )
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert f'name="next" value="{PENDING_QUEUE}"' in form.group(1)
    assert page.index('id="comment-moderation-form"') > page.index("</form>")
    approved = make_comment(name="Approved Alice")
    everything = html(staff.get(CHANGELIST, {"status": "all"}))
    assert moderate_url(approved, "approve") not in everything
    assert moderate_url(approved, "spam") in everything


@pytest.mark.parametrize(
    ("decision", "status", "message"),
    [
        ("approve", "approved", "Approved: the comment by Ada."),
        ("spam", "spam", "Marked as spam: the comment by Ada."),
        ("remove", "removed", "Removed: the comment by Ada."),
    ],
)
def test_one_click_decides_and_returns_to_the_queue(staff, make_comment, decision, status, message):
    comment = make_comment(name="Ada", status=Comment.Status.PENDING)
    other = make_comment(status=Comment.Status.PENDING)
    back = f"{CHANGELIST}?status=pending&q=Ada"
    response = staff.post(moderate_url(comment, decision), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderation_reason.endswith("by a moderator.")
    other.refresh_from_db()
    assert other.status == Comment.Status.PENDING
    assert message in html(staff.get(back))


def test_one_click_moves_the_discussion_as_the_bulk_actions_do(client, staff, make_comment):
    comment = make_comment(body="Held, then approved.", status=Comment.Status.PENDING)
    post_url = comment.post.get_absolute_url()
    assert "Held, then approved." not in html(client.get(post_url))  # now in the page cache
    staff.post(moderate_url(comment, "approve"))
    assert "Held, then approved." in html(client.get(post_url))


def test_one_click_acts_only_on_post(staff, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    response = staff.get(moderate_url(comment, "approve"))
    assert response.status_code == 405
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_one_click_needs_the_csrf_token(admin_user, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    assert browser.post(moderate_url(comment, "approve")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    page = html(browser.get(PENDING_QUEUE))
    token = re.search(
        r'id="comment-moderation-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    ).group(1)
    response = browser.post(moderate_url(comment, "approve"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


@pytest.fixture
def viewer(db, client):
    """A staff member who may look at comments but not change them."""
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(user)
    return client


def test_one_click_needs_the_change_permission(viewer, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    assert viewer.get(PENDING_QUEUE).status_code == 200
    assert viewer.post(moderate_url(comment, "approve")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_readers_cannot_decide(client, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    response = client.post(moderate_url(comment, "approve"))
    assert response.status_code == 302 and "/login/" in response["Location"]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/admin/",
        "//evil.example/",
        "javascript:alert(1)",
        "https:///evil.example",
    ],
)
def test_next_cannot_lead_off_the_site(staff, make_comment, elsewhere):
    comment = make_comment(status=Comment.Status.PENDING)
    response = staff.post(moderate_url(comment, "spam"), {"next": elsewhere})
    assert response.status_code == 302
    assert response["Location"] == PENDING_QUEUE


def test_an_unknown_decision_or_comment_is_not_found(staff, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    assert staff.post(moderate_url(comment, "delete")).status_code == 404
    missing = reverse("admin:comments_comment_moderate", args=[comment.pk + 1000, "approve"])
    assert staff.post(missing).status_code == 404
