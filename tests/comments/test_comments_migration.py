"""Comments moving from the blog into their own app lose nothing: every comment keeps its
id, text, status, thread and post; the block list, a moderator's permission, the admin's
history and a pending reply email stay attached; and the move can be undone. Run on SQLite
and (in CI) on PostgreSQL."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

BEFORE_THE_MOVE = [
    ("blog", "0005_comment_site_reply_and_notify"),
    ("subscriptions", "0001_initial"),
]


def historical(name, nodes=None):
    """A model as the migrations up to `nodes` (None: all of them) define it."""
    return MigrationExecutor(connection).loader.project_state(nodes).apps.get_model(name)


def comments_as_the_blog_kept_them():
    """Migrate back to before the move and store comments the way the blog app did, with a
    moderator allowed to change them."""
    # The executor, not the command: no post_migrate, so the content types stay as the blog
    # app had them (a real upgrade starts from there).
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    models = executor.loader.project_state(BEFORE_THE_MOVE).apps
    Post, Comment = models.get_model("blog.Post"), models.get_model("blog.Comment")
    BlockedTerm = models.get_model("blog.BlockedTerm")
    Subscription = models.get_model("subscriptions.Subscription")
    Delivery = models.get_model("subscriptions.Delivery")
    post = Post.objects.create(
        title="Kept words",
        slug="kept-words",
        body_markdown="Body.",
        body_html="<p>Body.</p>",
        status="published",
        published_at=timezone.now() - timedelta(days=1),
    )
    parent = Comment.objects.create(
        post=post,
        name="Ann",
        email="ann@example.com",
        body="The *first* comment.",
        body_html="<p>The <em>first</em> comment.</p>",
        status="approved",
        notify_on_reply=True,
    )
    reply = Comment.objects.create(
        post=post,
        parent=parent,
        name="Site",
        email="site@example.com",
        body="A reply from the site.",
        body_html="<p>A reply from the site.</p>",
        status="approved",
        by_site=True,
    )
    held = Comment.objects.create(
        post=post,
        name="Bob",
        email="bob@example.com",
        body="Held for a moderator.",
        body_html="<p>Held for a moderator.</p>",
        status="pending",
        ip_hash="abc",
    )
    BlockedTerm.objects.create(phrase="cheap pills")
    subscription = Subscription.objects.create(email="ann@example.com", status="confirmed")
    Delivery.objects.create(subscription=subscription, reply_id=reply.pk)
    moderator = User.objects.create_user("moderator", password="pw", is_staff=True)
    moderator.user_permissions.add(
        Permission.objects.get(codename="change_comment", content_type__app_label="blog")
    )
    return post.pk, [parent.pk, reply.pk, held.pk]


# Transactional: migrations run outside a test transaction.
@pytest.mark.django_db(transaction=True)
def test_comments_move_to_their_own_app_with_nothing_lost():
    post_pk, ids = comments_as_the_blog_kept_them()
    call_command("migrate", verbosity=0)

    from comments.models import BlockedTerm, Comment
    from subscriptions.models import Delivery

    parent, reply, held = (Comment.objects.get(pk=pk) for pk in ids)
    assert Comment.objects.count() == 3
    assert parent.post_id == reply.post_id == held.post_id == post_pk
    assert reply.parent_id == parent.pk and reply.by_site and parent.notify_on_reply
    assert parent.body_html == "<p>The <em>first</em> comment.</p>"
    assert held.status == "pending" and held.ip_hash == "abc"
    assert list(BlockedTerm.objects.values_list("phrase", flat=True)) == ["cheap pills"]
    assert Delivery.objects.get().reply_id == reply.pk
    # A new comment continues the ids: none is issued twice.
    newer = Comment.objects.create(post_id=post_pk, name="C", email="c@example.com", body="New.")
    assert newer.pk > max(ids)
    # The moderator's permission followed the model to its new app.
    moderator = User.objects.get(username="moderator")
    assert moderator.has_perm("comments.change_comment")
    staff = Client()
    staff.force_login(moderator)
    assert staff.get(f"/admin/comments/comment/{held.pk}/change/").status_code == 200
    # Readers see what they saw.
    page = Client().get("/blog/kept-words/").content.decode()
    assert "The <em>first</em> comment." in page and "A reply from the site." in page
    assert "Held for a moderator." not in page


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_with_the_comments_back_in_the_blog():
    _, ids = comments_as_the_blog_kept_them()
    call_command("migrate", verbosity=0)
    call_command("migrate", "comments", "zero", verbosity=0)
    Comment = historical("blog.Comment", BEFORE_THE_MOVE)
    assert sorted(Comment.objects.values_list("pk", flat=True)) == sorted(ids)
    call_command("migrate", verbosity=0)
    from comments.models import Comment as MovedComment

    assert sorted(MovedComment.objects.values_list("pk", flat=True)) == sorted(ids)


@pytest.mark.django_db
def test_the_admins_old_comment_addresses_lead_to_the_same_pages(admin_client, make_comment):
    comment = make_comment()
    old = admin_client.get(f"/admin/blog/comment/{comment.pk}/change/?status=all")
    assert old.status_code == 301
    assert old["Location"] == f"/admin/comments/comment/{comment.pk}/change/?status=all"
    assert admin_client.get(old["Location"]).status_code == 200
    blocked = admin_client.get("/admin/blog/blockedterm/")
    assert blocked["Location"] == "/admin/comments/blockedterm/"
