"""Comments close a configurable number of days after publishing, with a per-post override;
a closed post says so, refuses new comments clearly, and still hands back what was typed."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Post
from comments.models import Comment
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


def days_old(make_post, days, **fields):
    return make_post(published_at=timezone.now() - timedelta(days=days), **fields)


@pytest.mark.parametrize(("age", "open_"), [(29, True), (31, False)])
def test_comments_close_after_the_configured_days(client, settings, make_post, age, open_):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    page = html(client.get(days_old(make_post, age).get_absolute_url()))
    assert ("Leave a comment!" in page) is open_
    assert ("Comments are closed." in page) is not open_


def test_zero_days_means_comments_never_close(client, settings, make_post):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert "Leave a comment!" in html(client.get(days_old(make_post, 3650).get_absolute_url()))


def test_a_post_can_stay_open_past_the_usual_period(client, settings, make_post, comment_form):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    post = days_old(make_post, 400, comments_policy=Post.CommentsPolicy.OPEN)
    assert client.post(comment_create_url(post), comment_form(post)).status_code == 302


def test_a_closed_post_refuses_comments_and_hands_back_the_text(
    client, make_post, make_comment, comment_form
):
    post = make_post()
    make_comment(post=post, body="Said before closing.")
    data = comment_form(post, body="Too late <b>but</b> worth keeping.")
    post.comments_policy = Post.CommentsPolicy.CLOSED
    post.save()
    response = client.post(comment_create_url(post), data)
    page = html(response)
    assert response.status_code == 403
    assert "Comments on this post are closed, so your comment was not saved." in page
    assert "Too late &lt;b&gt;but&lt;/b&gt; worth keeping." in page
    assert "Comments are closed." in page
    assert "Said before closing." in page
    assert 'name="body"' not in page
    assert Comment.objects.count() == 1


def test_a_post_that_closed_by_age_refuses_comments(client, settings, make_post, comment_form):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    post = days_old(make_post, 29)
    data = comment_form(post)
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(days=31))
    assert client.post(comment_create_url(post), data).status_code == 403
    assert not Comment.objects.exists()


def test_a_closed_post_hands_back_the_text_even_when_the_form_had_no_token(make_post, comment_form):
    post = make_post()
    data = {**comment_form(post, body="Typed without a token."), "csrfmiddlewaretoken": ""}
    post.comments_policy = Post.CommentsPolicy.CLOSED
    post.save()
    # A browser without script that read a cached page: no CSRF cookie, no token.
    response = Client(enforce_csrf_checks=True).post(
        comment_create_url(post), data, headers={"origin": "http://testserver"}
    )
    page = html(response)
    assert response.status_code == 403
    assert "Comments on this post are closed, so your comment was not saved." in page
    assert "Typed without a token." in page
    assert not Comment.objects.exists()
