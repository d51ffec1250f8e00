"""A comment POST that stores nothing because it had no usable CSRF token (403) or was refused
by flood control (429) comes back on a small page of its own: the message, everything typed,
a fresh token, "Send again" and a link back to the post, never the whole post page again. Past
a generous number of such pages a minute, a network gets a few lines of HTML that cost no
query and no template.

The closed-comments 403 and the invalid form's 400 keep the post page around the form
(test_comments_closing.py, test_comments_form.py): they come from readers who hold a token.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client

from comments.forms import issue_timestamp
from comments.models import Comment
from siteops.clients import hash_ip
from tests.support.pages import comment_create_url, html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_comment_limits")]

ORIGIN = {"origin": "http://testserver"}


def typed(post, **overrides):
    return {
        "name": "Ann <Author>",
        "email": "ann@example.com",
        "website": "https://ann.example/",
        "body": "Typed <carefully> & kept,\nover two lines.",
        "timestamp": issue_timestamp(post.pk),
        "homepage": "",
        "parent": "",
        **overrides,
    }


def field_value(page, name):
    found = re.search(rf'<[^>]*name="{name}"[^>]*>', page)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def assert_everything_typed_is_kept(page, fields):
    assert field_value(page, "name") == "Ann &lt;Author&gt;"
    assert field_value(page, "email") == "ann@example.com"
    assert field_value(page, "website") == "https://ann.example/"
    assert "Typed &lt;carefully&gt; &amp; kept,\nover two lines.</textarea>" in page
    assert field_value(page, "parent") == fields["parent"]
    assert field_value(page, "timestamp")


def assert_small_page_of_its_own(page, post):
    assert page.count("<h1") == 1 and "Body of post" not in page  # not the post page
    assert "<title>" in page and 'href="/static/css/site.css"' in page  # base.html's
    assert f'href="{post.get_absolute_url()}"' in page  # back to the post
    assert re.search(r'<button type="submit"[^>]*>Send again</button>', page)
    assert 'role="alert"' in page and 'id="comment-errors"' in page


def tokenless(post, fields, **kwargs):
    return Client(enforce_csrf_checks=True).post(
        comment_create_url(post), fields, headers=ORIGIN, **kwargs
    )


def test_a_reply_without_a_token_comes_back_whole_on_a_small_page(
    make_post, make_comment, django_assert_max_num_queries
):
    post = make_post()
    parent = make_comment(post=post, name="Bea")
    fields = typed(post, parent=str(parent.pk))
    # The post, and the parent the reply is for.
    with django_assert_max_num_queries(2):
        response = tokenless(post, fields)
    page = html(response)
    assert response.status_code == 403
    assert "Please send it again" in page
    assert_small_page_of_its_own(page, post)
    assert_everything_typed_is_kept(page, fields)
    assert f'Replying to <a href="{parent.get_absolute_url()}">Bea</a>' in page
    assert field_value(page, "csrfmiddlewaretoken") and "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.filter(parent=parent).exists()


def test_sent_again_from_the_small_page_the_comment_is_posted(make_post):
    post = make_post()
    reader = Client(enforce_csrf_checks=True)
    page = html(reader.post(comment_create_url(post), typed(post), headers=ORIGIN))
    fields = {name: field_value(page, name) for name in ("name", "email", "website", "timestamp")}
    again = reader.post(
        comment_create_url(post),
        {
            **typed(post, **fields),
            "name": "Ann",
            "csrfmiddlewaretoken": field_value(page, "csrfmiddlewaretoken"),
        },
        headers=ORIGIN,
    )
    assert again.status_code == 302
    assert Comment.objects.get().body == "Typed <carefully> & kept,\nover two lines."


def test_field_errors_are_shown_tied_to_their_fields(make_post):
    post = make_post()
    page = html(tokenless(post, typed(post, email="not an address")))
    assert 'id="id_email_error"' in page
    assert re.search(r'<input[^>]*name="email"[^>]*aria-describedby="[^"]*id_email_error', page)
    assert '<a href="#id_email">Enter a valid email address' in page
    assert re.search(r'<label class="form-label" for="id_name">Name', page)


def test_a_timestamp_that_cannot_be_checked_is_issued_again_on_the_small_page(make_post):
    post = make_post()
    page = html(tokenless(post, typed(post, timestamp="changed on the way")))
    assert "The form could not be checked" in page
    assert field_value(page, "timestamp") not in ("", "changed on the way")


def test_a_comment_refused_by_flood_control_comes_back_with_the_real_wait(
    client, settings, make_post, clock, django_assert_max_num_queries
):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    post = make_post()
    Comment.objects.create(
        post=post,
        name="Ann",
        email="other@example.com",
        body="First.",
        ip_hash=hash_ip("127.0.0.1"),
        created_at=clock.now - timedelta(seconds=12),
    )
    fields = typed(post)
    # The post and the sender's history: a refusal takes no lock.
    with django_assert_max_num_queries(2):
        response = client.post(comment_create_url(post), fields)
    page = html(response)
    assert response.status_code == 429
    assert response["Retry-After"] == "18"
    assert "You can send it again in 18 seconds." in page
    assert "faster than this site allows" in page
    assert_small_page_of_its_own(page, post)
    assert_everything_typed_is_kept(page, fields)
    assert field_value(page, "csrfmiddlewaretoken")
    assert Comment.objects.count() == 1


def test_a_token_problem_on_a_post_that_is_not_there_gets_the_plain_refusal(make_post):
    post = make_post(slug="draft", status="draft")
    response = tokenless(post, typed(post))
    assert response.status_code == 403
    assert "Send again" not in html(response) and "CSRF" in html(response)


def test_past_the_limit_a_network_gets_a_minimal_answer_with_no_query(
    settings, make_post, django_assert_max_num_queries
):
    settings.COMMENTS_MAX_ERROR_PAGES_PER_MINUTE = 2
    post = make_post()
    assert [tokenless(post, typed(post)).status_code for _ in range(2)] == [403, 403]
    with django_assert_max_num_queries(0):
        response = tokenless(post, typed(post))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.templates == [] and "<h1>Too many requests</h1>" in html(response)
    assert "no-store" in response["Cache-Control"]
    # Another network is somebody else.
    assert tokenless(post, typed(post), REMOTE_ADDR="198.51.100.9").status_code == 403


def test_refusals_count_too_and_the_limit_holds_for_comments_with_a_token(
    client, settings, make_post, comment_form, django_assert_max_num_queries
):
    settings.COMMENTS_MAX_ERROR_PAGES_PER_MINUTE = 2
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    post = make_post()
    assert client.post(comment_create_url(post), comment_form(post)).status_code == 302
    for n in range(2):
        again = comment_form(post, body=f"Too soon {n}.")
        assert client.post(comment_create_url(post), again).status_code == 429
    later = comment_form(post, body="Later.")
    with django_assert_max_num_queries(0):
        response = client.post(comment_create_url(post), later)
    assert response.status_code == 429 and response.templates == []


def test_the_count_starts_again_the_next_minute(settings, make_post, clock):
    settings.COMMENTS_MAX_ERROR_PAGES_PER_MINUTE = 1
    post = make_post()
    assert tokenless(post, typed(post)).status_code == 403
    limited = tokenless(post, typed(post))
    assert limited.status_code == 429
    clock.advance(int(limited["Retry-After"]))
    assert tokenless(post, typed(post)).status_code == 403
