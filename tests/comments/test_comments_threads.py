"""Reading comments: replies one level deep, permalinks, pagination (newest last) in a constant
number of queries, the count beside the post, the comment feed, and drafts revealing nothing."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.models import Comment
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


def test_a_reply_is_shown_under_its_comment(client, settings, make_comment, comment_form):
    settings.COMMENTS_MODERATION = "none"
    parent = make_comment(body="The question.")
    post = parent.post
    form_page = html(client.get(f"{post.get_absolute_url()}?replyto={parent.pk}"))
    assert f'Replying to <a href="#comment-{parent.pk}">{parent.name}</a>' in form_page
    assert f'name="parent" value="{parent.pk}"' in form_page
    response = client.post(
        comment_create_url(post), comment_form(post, parent=parent.pk, body="Answer.")
    )
    reply = Comment.objects.get(body="Answer.")
    assert reply.parent == parent
    page = html(client.get(response["Location"]))
    replies = re.search(r'<ol class="comment-replies.*?</ol>', page, re.S).group(0)
    assert f'id="comment-{reply.pk}"' in replies


def test_replies_go_one_level_deep(client, settings, make_comment, comment_form):
    settings.COMMENTS_MODERATION = "none"
    parent = make_comment()
    reply = make_comment(post=parent.post, parent=parent)
    page = html(client.get(parent.post.get_absolute_url()))
    assert f"?replyto={parent.pk}" in page
    assert f"?replyto={reply.pk}" not in page
    data = comment_form(parent.post, parent=reply.pk, body="Reply to a reply.")
    client.post(comment_create_url(parent.post), data)
    assert Comment.objects.get(body="Reply to a reply.").parent == parent


@pytest.mark.parametrize("parent", ["other-post", "pending", "no-such", "not-a-number"])
def test_a_reply_to_an_unavailable_comment_keeps_the_text(
    client, make_post, make_comment, comment_form, parent
):
    post = make_post()
    targets = {
        "other-post": lambda: make_comment().pk,
        "pending": lambda: make_comment(post=post, status=Comment.Status.PENDING).pk,
        "no-such": lambda: 999999,
        "not-a-number": lambda: "abc",
    }
    data = comment_form(post, parent=targets[parent](), body="My reply.")
    response = client.post(comment_create_url(post), data)
    assert response.status_code == 400
    assert "no longer available" in html(response)
    assert "My reply." in html(response)
    assert not Comment.objects.filter(body="My reply.").exists()


def test_replies_under_a_hidden_comment_are_not_public(client, make_comment):
    parent = make_comment(status=Comment.Status.REMOVED)
    make_comment(post=parent.post, parent=parent, body="Orphaned answer.")
    page = html(client.get(parent.post.get_absolute_url()))
    assert "Orphaned answer." not in page
    assert "0 comments" in page


def test_comments_are_paginated_newest_last(client, settings, make_post, make_comment):
    settings.COMMENTS_PER_PAGE = 2
    post = make_post()
    start = timezone.now() - timedelta(days=1)
    for n in range(5):
        make_comment(post=post, body=f"Number {n}.", created_at=start + timedelta(minutes=n))
    first = html(client.get(post.get_absolute_url()))
    last = html(client.get(post.get_absolute_url() + "?cpage=3"))
    assert first.index("Number 0.") < first.index("Number 1.")
    assert "Number 2." not in first
    assert "Number 4." in last and "Number 3." not in last
    assert "Comments page 1 of 3" in first
    assert 'href="?cpage=2#comments" rel="next">Newer comments' in first


@pytest.mark.parametrize("cpage", ["0", "-1", "99", "x", "1.5", "%00"])
def test_any_comment_page_number_is_answered(client, make_comment, cpage):
    comment = make_comment()
    response = client.get(f"{comment.post.get_absolute_url()}?cpage={cpage}&replyto={cpage}")
    assert response.status_code == 404  # not a page; tests/blog/test_canonical_comment_pages.py


def test_a_permalink_finds_the_page_holding_the_comment(client, settings, make_post, make_comment):
    settings.COMMENTS_PER_PAGE = 2
    post = make_post()
    start = timezone.now() - timedelta(days=1)
    comments = [make_comment(post=post, created_at=start + timedelta(minutes=n)) for n in range(5)]
    reply = make_comment(post=post, parent=comments[2])
    url = post.get_absolute_url()
    permalink = reverse("comments:permalink", args=[post.slug, comments[4].pk])
    assert client.get(permalink)["Location"] == f"{url}?cpage=3#comment-{comments[4].pk}"
    assert client.get(reply.get_absolute_url())["Location"] == f"{url}?cpage=2#comment-{reply.pk}"
    first = client.get(comments[0].get_absolute_url())["Location"]
    assert first == f"{url}#comment-{comments[0].pk}"


def test_a_permalink_to_a_hidden_comment_is_not_found(client, make_comment):
    comment = make_comment(status=Comment.Status.PENDING)
    assert client.get(comment.get_absolute_url()).status_code == 404


def fill(post, threads, replies_each):
    now = timezone.now() - timedelta(days=1)
    parents = Comment.objects.bulk_create(
        Comment(
            post=post, name=f"N{n}", email=f"e{n}@example.com", body=f"b{n}",
            body_html=f"<p>b{n}</p>", status="approved", created_at=now + timedelta(seconds=n),
        )
        for n in range(threads)
    )  # fmt: skip
    Comment.objects.bulk_create(
        Comment(
            post=post, parent=parent, name="R", email="r@example.com", body="r",
            body_html="<p>r</p>", status="approved", created_at=now + timedelta(hours=1),
        )
        for parent in parents
        for _ in range(replies_each)
    )  # fmt: skip


@pytest.mark.parametrize(("threads", "replies_each"), [(1, 0), (3, 1), (10_000, 0), (60, 2)])
def test_the_post_page_takes_a_constant_number_of_queries(
    client, settings, make_post, django_assert_max_num_queries, threads, replies_each
):
    settings.COMMENTS_PER_PAGE = 50
    post = make_post(tags=["msp"])
    fill(post, threads, replies_each)
    # A first view renders the page: the versions query, the post, its tags, the paginator's
    # count, the page of threads, their replies, the comment count and the related posts.
    with django_assert_max_num_queries(8):
        response = client.get(post.get_absolute_url() + ("?cpage=2" if threads > 50 else ""))
    assert response.status_code == 200
    shown = len(re.findall(r'<article id="comment-', html(response)))
    expected_threads = min(50, max(threads - 50, 0)) if threads > 50 else threads
    assert shown == expected_threads * (1 + replies_each)


def test_the_count_is_shown_with_the_post(client, make_post, make_comment):
    post = make_post()
    parent = make_comment(post=post)
    make_comment(post=post, parent=parent)
    make_comment(post=post, status=Comment.Status.PENDING)
    page = html(client.get(post.get_absolute_url()))
    assert '· <a href="#comments">2 comments</a>' in page


def test_comment_markdown_is_a_small_safe_subset(client, settings, make_post, comment_form):
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    body = (
        "*Emphasis*, **strong**, `code <b>`, [a link](https://example.com).\n"
        "Next line.\n\n# Not a heading\n\n![image](https://example.com/x.png)"
    )
    client.post(comment_create_url(post), comment_form(post, body=body))
    rendered = Comment.objects.get().body_html
    assert "<em>Emphasis</em>" in rendered and "<strong>strong</strong>" in rendered
    assert "<code>code &lt;b&gt;</code>" in rendered
    assert '<a href="https://example.com" rel="nofollow ugc noopener">a link</a>' in rendered
    assert "<br>" in rendered and rendered.count("<p>") == 3
    assert "<h1" not in rendered and "<img" not in rendered


def test_the_comment_feed_lists_approved_comments_newest_first(client, make_post, make_comment):
    post = make_post(title="Break/fix")
    old = make_comment(post=post, body="Older.", created_at=timezone.now() - timedelta(hours=2))
    new = make_comment(post=post, body="Newer.", website="https://me.example")
    make_comment(body="On another post.")
    response = client.get(reverse("comments:feed", args=[post.slug]))
    feed = html(response)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Comments on “Break/fix”" in feed
    assert feed.index("Newer.") < feed.index("Older.")
    assert "On another post." not in feed
    assert f"/blog/{post.slug}/comments/{new.pk}/" in feed and f"/comments/{old.pk}/" in feed


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_an_unpublished_post_reveals_no_comments_and_takes_none(
    client, make_post, make_comment, comment_form, state
):
    post = make_post()
    data = comment_form(post)
    comment = make_comment(post=post, body="Written while it was public.")
    if state == "draft":
        post.status = Post.Status.DRAFT
    else:
        post.published_at = timezone.now() + timedelta(days=1)
    post.save()
    assert client.post(comment_create_url(post), data).status_code == 404
    assert client.get(reverse("comments:feed", args=[post.slug])).status_code == 404
    assert client.get(comment.get_absolute_url()).status_code == 404
    assert not Comment.objects.public().exists()
    assert Comment.objects.count() == 1
