"""A browser's claim to a comment (the `comments_own` cookie) is bound to that comment's own
secret, not only its id: an id issued again (after a restore, or any reuse) is worthless to an
old cookie. And a restore never issues an id again: it carries the live database's id
high-water marks over, so a comment written after it takes an id no cookie has named."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


def edit_url(comment):
    return reverse("comments:edit", args=[comment.post.slug, comment.pk])


def post_comment(client, post, comment_form, body):
    response = client.post(comment_create_url(post), comment_form(post, client=client, body=body))
    assert response.status_code == 302, response.status_code
    return Comment.objects.get(body=body)


@pytest.fixture
def unmoderated(settings):
    settings.COMMENTS_MODERATION = "none"


@pytest.mark.usefixtures("unmoderated")
def test_a_cookie_for_an_id_issued_again_cannot_edit_the_new_comment(
    client, make_post, make_comment, comment_form
):
    post = make_post()
    mine = post_comment(client, post, comment_form, "Mine, for a while.")
    assert client.get(edit_url(mine)).status_code == 200
    pk = mine.pk
    Comment.objects.filter(pk=pk).delete()
    theirs = make_comment(post=post, pk=pk, body="Someone else's words.")

    assert client.get(edit_url(theirs)).status_code == 403
    assert client.post(edit_url(theirs), {"body": "Taken over."}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.body == "Someone else's words."
    assert edit_url(theirs) not in html(client.get(post.get_absolute_url()))


def test_every_comment_has_its_own_secret(make_comment):
    first, second = make_comment(), make_comment()
    assert len(first.owner_token) >= 32 and first.owner_token != second.owner_token


@pytest.mark.django_db(transaction=True)
def test_existing_comments_each_get_their_own_secret_on_migrate():
    before = [("comments", "0002_own_tables_and_data_versions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldPost, OldComment = old.get_model("blog.Post"), old.get_model("comments.Comment")
    post = OldPost.objects.create(title="Old", slug="old", body_markdown="b", status="published")
    for n in range(3):
        OldComment.objects.create(post=post, name="A", email="a@example.com", body=f"Old {n}.")
    call_command("migrate", verbosity=0)
    tokens = list(Comment.objects.values_list("owner_token", flat=True))
    assert len(tokens) == 3 and len(set(tokens)) == 3 and all(len(t) >= 32 for t in tokens)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("unmoderated")
def test_a_comment_written_after_a_restore_takes_no_id_an_old_cookie_names(
    make_post, comment_form, tmp_path
):
    post = make_post()
    early, late, newcomer = Client(), Client(), Client()
    before = post_comment(early, post, comment_form, "Before the backup.")
    backup = tmp_path / "site.backup"
    call_command("backup_db", output=backup, stdout=StringIO())
    lost = post_comment(late, post, comment_form, "After the backup, lost in the restore.")

    call_command("restore_db", str(backup), interactive=False, stdout=StringIO())
    assert list(Comment.objects.values_list("pk", flat=True)) == [before.pk]

    new = post_comment(newcomer, post, comment_form, "After the restore.")
    assert new.pk > lost.pk
    # The old cookie names `lost.pk`; whatever id the newcomer got, the old cookie cannot
    # edit it, and the newcomer can.
    assert late.get(edit_url(new)).status_code == 403
    assert newcomer.get(edit_url(new)).status_code == 200
    assert early.get(edit_url(before)).status_code == 200
