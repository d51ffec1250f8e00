"""The spam defences, each on its own: honeypot, signed timestamp, flood control by hashed IP
and by email (counted in the database), trusted proxies, and harmless double submissions."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


def form_served_at(monkeypatch, comment_form, post, seconds_ago, **fields):
    """The form's fields as if the page had been served `seconds_ago`: its token is signed then."""
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - seconds_ago)
    try:
        return comment_form(post, **fields)
    finally:
        monkeypatch.setattr(time, "time", real_time)


def test_a_filled_honeypot_stores_nothing_and_keeps_the_text(client, make_post, comment_form):
    post = make_post()
    data = comment_form(post, homepage="http://spam.example", body="Honest words.")
    response = client.post(comment_create_url(post), data)
    assert response.status_code == 400
    assert "This looked like an automated submission" in html(response)
    assert "Honest words." in html(response)
    assert "http://spam.example" not in html(response)
    assert not Comment.objects.exists()


def test_a_form_sent_too_fast_comes_back_intact(
    client, settings, monkeypatch, make_post, comment_form
):
    settings.COMMENTS_FORM_MIN_SECONDS = 3
    post = make_post()
    response = client.post(
        comment_create_url(post), comment_form(post, body="Typed at robot speed.")
    )
    assert response.status_code == 400
    assert "quicker than people usually type" in html(response)
    assert "Typed at robot speed." in html(response)
    assert not Comment.objects.exists()
    human = form_served_at(monkeypatch, comment_form, post, 10, body="Typed at human speed.")
    assert client.post(comment_create_url(post), human).status_code == 302


def test_an_expired_form_comes_back_intact_with_a_fresh_token(
    client, monkeypatch, make_post, comment_form
):
    post = make_post()
    stale = form_served_at(monkeypatch, comment_form, post, 3 * 24 * 3600, body="Left open.")
    response = client.post(comment_create_url(post), stale)
    assert response.status_code == 400
    assert "the form expired" in html(response)
    assert "Left open." in html(response)
    fresh = response.context["comment_form"]["timestamp"].value()
    assert fresh != stale["timestamp"]
    assert client.post(comment_create_url(post), {**stale, "timestamp": fresh}).status_code == 302


@pytest.mark.parametrize("token", ["", "garbage", "1:1ab2c3:forged-signature"])
def test_a_missing_or_forged_timestamp_is_refused(client, make_post, comment_form, token):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, timestamp=token))
    assert response.status_code == 400
    assert "The form could not be checked" in html(response)
    assert not Comment.objects.exists()


def test_a_timestamp_from_another_post_is_refused(client, make_post, comment_form):
    post, other = make_post(), make_post()
    data = comment_form(other)
    response = client.post(comment_create_url(post), data)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_one_address_must_wait_between_comments(client, settings, make_post, comment_form):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    post = make_post()
    assert client.post(comment_create_url(post), comment_form(post)).status_code == 302
    second = comment_form(post, email="someone.else@example.com", body="Too soon.")
    response = client.post(comment_create_url(post), second)
    assert response.status_code == 429
    assert "faster than this site allows" in html(response)
    assert "Too soon." in html(response)
    Comment.objects.update(created_at=timezone.now() - timedelta(seconds=31))
    assert client.post(comment_create_url(post), second).status_code == 302


def test_one_email_must_wait_between_comments_from_any_address(
    client, settings, make_post, comment_form
):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    post = make_post()
    client.post(comment_create_url(post), comment_form(post), REMOTE_ADDR="192.0.2.1")
    again = comment_form(post, body="From another network.")
    response = client.post(comment_create_url(post), again, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429


def test_hourly_cap_per_address(client, settings, make_post, comment_form):
    settings.COMMENTS_MAX_PER_HOUR = 3
    post = make_post()
    for n in range(3):
        data = comment_form(post, email=f"person{n}@example.com", body=f"Comment {n}")
        assert client.post(comment_create_url(post), data).status_code == 302
    fourth = comment_form(post, email="person4@example.com", body="One too many.")
    response = client.post(comment_create_url(post), fourth)
    assert response.status_code == 429
    assert "limit of 3 comments an hour" in html(response)
    assert "One too many." in html(response)
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert client.post(comment_create_url(post), fourth).status_code == 302


def test_hourly_cap_per_email_is_counted_in_the_database(
    client, settings, make_post, make_comment, comment_form
):
    """Comments stored by any process or server count: the limit is a database query."""
    settings.COMMENTS_MAX_PER_HOUR = 2
    post = make_post()
    for _ in range(2):
        make_comment(post=post, email="busy@example.com", ip_hash="elsewhere")
    response = client.post(comment_create_url(post), comment_form(post, email="busy@example.com"))
    assert response.status_code == 429
    assert Comment.objects.count() == 2


def test_a_spoofed_forwarded_for_never_changes_who_is_limited(
    client, settings, make_post, comment_form
):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    post = make_post()
    first = comment_form(post, email="a@example.com", body="First.")
    client.post(
        comment_create_url(post), first, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    second = comment_form(post, email="b@example.com", body="Second.")
    response = client.post(
        comment_create_url(post), second, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="2.2.2.2"
    )
    assert response.status_code == 429


def test_trusted_proxies_pick_the_client_from_the_right_of_forwarded_for(
    client, settings, make_post, comment_form
):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    settings.TRUSTED_PROXY_COUNT = 1
    post = make_post()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def send(forwarded_for, n):
        data = comment_form(post, email=f"p{n}@example.com", body=f"Comment {n}.")
        return client.post(
            comment_create_url(post), data, HTTP_X_FORWARDED_FOR=forwarded_for, **proxy
        )

    assert send("6.6.6.6, 198.51.100.10", 1).status_code == 302
    # The client forged the left part; the proxy's own entry still says who it is.
    assert send("7.7.7.7, 198.51.100.10", 2).status_code == 429
    # Another client behind the same proxy is somebody else.
    assert send("6.6.6.6, 198.51.100.11", 3).status_code == 302


def test_only_a_keyed_hash_of_the_address_is_stored(client, make_post, comment_form):
    post = make_post()
    client.post(comment_create_url(post), comment_form(post), REMOTE_ADDR="198.51.100.23")
    comment = Comment.objects.get()
    assert len(comment.ip_hash) == 64
    assert "198.51.100.23" not in str(comment.__dict__.values())


def test_a_double_submission_leads_to_the_comment_already_stored(
    client, settings, make_post, comment_form
):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    settings.MANAGERS = [("Managers", "managers@example.com")]
    from django.core import mail

    post = make_post()
    data = comment_form(post, body="Clicked twice.")
    first = client.post(comment_create_url(post), data)
    second = client.post(comment_create_url(post), data)
    comment = Comment.objects.get()
    assert first["Location"] == second["Location"]
    assert second["Location"].endswith(f"#comment-{comment.pk}")
    assert len(mail.outbox) == 1


def test_the_same_text_may_be_sent_again_the_next_day(client, make_post, comment_form):
    post = make_post()
    data = comment_form(post, body="Same again.")
    client.post(comment_create_url(post), data)
    Comment.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    # From a form served again: a form's timestamp posts one comment (test_small_points.py).
    client.post(comment_create_url(post), comment_form(post, body="Same again."))
    assert Comment.objects.count() == 2
