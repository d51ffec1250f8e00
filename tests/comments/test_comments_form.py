"""The comment form as commenters meet it: the original fields, errors that lose nothing,
post/redirect/get, the held-comment preview, and "remember me"."""

import itertools
import re

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")

REQUIRED = ["name", "email", "body"]
MESSAGES = {
    "name": "Enter your name.",
    "email": "Enter your email address.",
    "body": "Write your comment.",
}
TYPED = {"name": "Grace Hopper", "email": "grace@example.com", "body": "Nanoseconds matter."}


def test_post_page_shows_the_original_form(client, make_post):
    page = html(client.get(make_post().get_absolute_url()))
    assert "Leave a comment!" in page
    assert "All fields marked with an asterisk* are required." in page
    for name, label in [("name", "Name"), ("email", "Email"), ("body", "Comment")]:
        assert re.search(
            rf'for="id_{name}">{label}<span class="required-mark"[^>]*>\*</span>', page
        )
        assert re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*required', page)
    assert re.search(r'for="id_website">Website</label>', page)
    assert not re.search(r'<input[^>]*name="website"[^>]*required', page)
    assert 'name="remember"' in page
    assert "Save my name, email, and website in this browser for the next time I comment." in page


def test_email_is_never_shown_publicly(client, make_comment):
    comment = make_comment(email="private.person@example.com")
    assert "private.person" not in html(client.get(comment.post.get_absolute_url()))
    feed = client.get(reverse("comments:feed", args=[comment.post.slug]))
    assert "private.person" not in html(feed)


@pytest.mark.parametrize(
    "missing",
    [combo for size in (1, 2, 3) for combo in itertools.combinations(REQUIRED, size)],
    ids="+".join,
)
def test_missing_required_fields_keep_everything_else_typed(
    client, make_post, comment_form, missing
):
    post = make_post()
    data = comment_form(post, website="https://grace.example", **TYPED)
    data.update({name: "   " for name in missing})
    response = client.post(comment_create_url(post), data)
    page = html(response)
    assert response.status_code == 400
    for name in REQUIRED:
        if name in missing:
            assert f'<a href="#id_{name}">{MESSAGES[name]}</a>' in page
            assert f'id="id_{name}_error"' in page
        else:
            assert TYPED[name] in page
    assert 'value="https://grace.example"' in page
    assert not Comment.objects.exists()


def test_missing_email_keeps_the_comment_text(client, make_post, comment_form):
    post = make_post()
    text = "A long, thoughtful comment that must never be lost."
    response = client.post(comment_create_url(post), comment_form(post, email="", body=text))
    assert response.status_code == 400
    assert re.search(rf">\s*{re.escape(text)}</textarea>", html(response))


def test_error_summary_links_to_the_bad_field_which_points_at_its_message(
    client, make_post, comment_form
):
    post = make_post()
    page = html(client.post(comment_create_url(post), comment_form(post, email="not-an-email")))
    assert 'id="comment-errors"' in page and 'role="alert"' in page
    assert '<a href="#id_email">Enter a valid email address, like name@example.com.</a>' in page
    field = re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_email_error" in field
    assert 'value="not-an-email"' in field


EMAIL_254 = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"


@pytest.mark.parametrize(
    ("field", "longest", "too_long", "message"),
    [
        ("name", "n" * 100, "n" * 101, "Keep your name to 100 characters (it has 101)."),
        ("email", EMAIL_254, "a" + EMAIL_254, "Keep your email address to 254 characters"),
        (
            "website",
            "https://example.com/" + "p" * 180,
            "https://example.com/" + "p" * 181,
            "Keep your website address to 200 characters (it has 201).",
        ),
        ("body", "b" * 5000, "b" * 5001, "Keep your comment to 5000 characters (it has 5001)."),
    ],
)
def test_each_limit_accepts_the_longest_and_refuses_one_more(
    client, make_post, comment_form, field, longest, too_long, message
):
    post = make_post()
    accepted = client.post(comment_create_url(post), comment_form(post, **{field: longest}))
    assert accepted.status_code == 302
    assert Comment.objects.filter(**{field: longest}).exists()
    refused = client.post(comment_create_url(post), comment_form(post, **{field: too_long}))
    assert refused.status_code == 400
    assert message in html(refused)
    assert too_long in html(refused)


def test_line_breaks_count_once_towards_the_comment_limit(client, make_post, comment_form):
    post = make_post()
    body = "a\r\n" * 2500  # 7,500 characters as sent, 4,999 once stored
    assert client.post(comment_create_url(post), comment_form(post, body=body)).status_code == 302
    assert len(Comment.objects.get().body) == 4999


def test_a_comment_of_only_whitespace_is_missing(client, make_post, comment_form):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, body=" \r\n\t \r\n "))
    assert response.status_code == 400
    assert "Write your comment." in html(response)


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "ftp://example.com/", "data:text/html,hi", "http://"]
)
def test_website_must_be_http_or_https(client, make_post, comment_form, website):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, website=website))
    assert response.status_code == 400
    assert "Enter a website address starting with http:// or https://." in html(response)
    assert not Comment.objects.exists()


def test_website_without_a_scheme_is_taken_as_https(client, make_post, comment_form):
    post = make_post()
    client.post(comment_create_url(post), comment_form(post, website="example.com"))
    assert Comment.objects.get().website == "https://example.com"


def test_a_get_on_the_comment_url_goes_back_to_the_post(client, make_post):
    post = make_post()
    response = client.get(comment_create_url(post))
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url() + "#leave-a-comment"


def test_an_approved_comment_redirects_to_its_anchor(client, settings, make_post, comment_form):
    settings.COMMENTS_MODERATION = "none"
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, body="Approved *at once*."))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    page = html(client.get(response["Location"]))
    assert f'id="comment-{comment.pk}"' in page
    assert "Approved <em>at once</em>." in page


def test_a_held_comment_is_previewed_to_its_author_only(client, make_post, comment_form):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, body="Hold me for review."))
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    mine = client.get(post.get_absolute_url())
    assert "Your comment is awaiting moderation" in html(mine)
    assert "Hold me for review." in html(mine)
    assert "private" in mine["Cache-Control"] or "no-cache" in mine["Cache-Control"]
    from django.test import Client

    stranger = html(Client().get(post.get_absolute_url()))
    assert "Hold me for review." not in stranger
    assert "awaiting moderation" not in stranger


def test_nothing_is_remembered_without_the_checkbox(client, make_post, comment_form):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post))
    assert "comment_author" not in response.cookies
    assert 'value="Ada Lovelace"' not in html(client.get(post.get_absolute_url()))


def test_the_checkbox_remembers_details_until_it_is_unticked(client, make_post, comment_form):
    post = make_post()
    data = comment_form(post, website="https://ada.example", remember="on")
    response = client.post(comment_create_url(post), data)
    assert response.cookies["comment_author"]["httponly"]
    page = html(client.get(post.get_absolute_url()))
    assert 'value="Ada Lovelace"' in page
    assert 'value="ada@example.com"' in page
    assert 'value="https://ada.example"' in page
    assert re.search(r'<input type="checkbox" name="remember"[^>]*checked', page)
    forget = comment_form(post, body="Second thoughts.")
    forget.pop("remember", None)
    response = client.post(comment_create_url(post), forget)
    assert response.cookies["comment_author"].value == ""
    assert 'value="Ada Lovelace"' not in html(client.get(post.get_absolute_url()))


def test_the_remember_cookie_cannot_be_forged(client, make_post):
    post = make_post()
    client.cookies["comment_author"] = '{"name": "Forged"}'
    page = html(client.get(post.get_absolute_url()))
    assert "Forged" not in page
