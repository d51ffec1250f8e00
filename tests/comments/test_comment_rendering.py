"""A comment's Markdown is rendered when its text is saved, and only then: moderating it
(a status change, from any path) leaves its HTML as it was rendered."""

import pytest

from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_the_text_is_rendered_on_save_and_again_when_it_changes(make_comment):
    comment = make_comment(body="First *words*.")
    assert comment.body_html == "<p>First <em>words</em>.</p>"
    comment.body = "Second **words**."
    comment.save()
    assert Comment.objects.get(pk=comment.pk).body_html == "<p>Second <strong>words</strong>.</p>"


def test_a_status_change_does_not_render_the_text_again(make_comment):
    comment = make_comment(body="Kept *as rendered*.", status=Comment.Status.PENDING)
    # A marker only a fresh rendering would replace.
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>rendered once</p>")
    loaded = Comment.objects.get(pk=comment.pk)
    loaded.status = Comment.Status.APPROVED
    loaded.save()
    assert Comment.objects.get(pk=comment.pk).body_html == "<p>rendered once</p>"
    loaded.status = Comment.Status.SPAM
    loaded.save(update_fields=["status"])
    assert Comment.objects.get(pk=comment.pk).body_html == "<p>rendered once</p>"


def test_an_edit_through_update_fields_renders_the_new_text(make_comment):
    comment = make_comment(body="Before.")
    comment.body = "After *the edit*."
    comment.save(update_fields=["body"])
    assert Comment.objects.get(pk=comment.pk).body_html == "<p>After <em>the edit</em>.</p>"
