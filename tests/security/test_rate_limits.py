"""One rate-limit helper (siteops.rate_limits): every limit answers 429 with the real wait.

Through the HTTP client for the comment form, the follow form, the recommendation form, the
adjust form and the admin sign-in; then the helper on its own for what the comments' flood
control needs (a minimum interval beside an hourly limit). Time is controlled by freezing the
clock the code reads (`django.utils.timezone.now`) and by writing rows with chosen
`created_at`.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from comments.forms import issue_timestamp
from comments.models import Comment
from comparisons.forms import RecommendationForm
from comparisons.models import Recommendation
from siteops.clients import hash_ip
from siteops.rate_limits import RateLimit, Refusal, strictest_refusal
from subscriptions.models import FollowRequest
from tests.support.admin_forms import sign_in
from tests.support.recommendation_support import FORM, GROWING_FIRM

pytestmark = pytest.mark.django_db

IP = "203.0.113.40"
THEIRS = hash_ip(IP)


def ago(clock, minutes):
    return clock.now - timedelta(minutes=minutes)


def saved_results(clock, *minutes_ago):
    form = RecommendationForm(GROWING_FIRM)
    assert form.is_valid()
    saved = []
    for minutes in minutes_ago:
        recommendation = Recommendation.objects.record(form.profile(), ip_hash=THEIRS)
        Recommendation.objects.filter(pk=recommendation.pk).update(created_at=ago(clock, minutes))
        saved.append(recommendation)
    return saved


def failed_sign_ins(client, count, minutes_ago, ip=IP):
    """`count` wrong passwords for the owner from `ip`, the latest `minutes_ago` minutes ago."""
    for _ in range(count):
        sign_in(client, password="wrong", ip=ip)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes_ago))


# --- The recommendation form and the adjust form ---------------------------------------------


def test_a_recommendation_over_the_limit_is_told_the_real_wait(client, settings, clock):
    settings.COMPARISONS_MAX_SAVED_PER_HOUR = 2
    saved_results(clock, 50, 10)
    refused = client.post(FORM, GROWING_FIRM, REMOTE_ADDR=IP)
    assert refused.status_code == 429
    # The older result is 50 minutes old: in 10 minutes it leaves the hour and one more fits.
    assert refused["Retry-After"] == "600"
    assert 'name="employees" value="25"' in refused.content.decode()


def test_waiting_exactly_retry_after_lets_the_recommendation_through(client, settings, clock):
    settings.COMPARISONS_MAX_SAVED_PER_HOUR = 2
    saved_results(clock, 50, 10)
    wait = int(client.post(FORM, GROWING_FIRM, REMOTE_ADDR=IP)["Retry-After"])
    clock.advance(wait - 1)
    assert client.post(FORM, GROWING_FIRM, REMOTE_ADDR=IP).status_code == 429
    clock.advance(1)
    assert client.post(FORM, GROWING_FIRM, REMOTE_ADDR=IP).status_code == 302


def test_an_adjustment_over_the_limit_is_told_the_real_wait(client, settings, clock):
    settings.COMPARISONS_MAX_SAVED_PER_HOUR = 1
    (original,) = saved_results(clock, 45)
    values = {row["key"]: row["value"] for row in original.result["assumptions"]}
    refused = client.post(
        reverse("comparisons:adjust", args=[original.pk]),
        {**values, "staff_hour_cost": "41"},
        REMOTE_ADDR=IP,
    )
    assert refused.status_code == 429 and refused["Retry-After"] == "900"
    assert 'value="41"' in refused.content.decode()


# --- The follow form ---------------------------------------------------------------------------


def test_a_request_to_follow_over_the_limit_is_told_the_real_wait(client, settings, clock):
    settings.SUBSCRIPTIONS_MAX_PER_CLIENT_PER_HOUR = 2
    for minutes in (40, 5):
        FollowRequest.objects.create(client_hash=THEIRS, created_at=ago(clock, minutes))
    refused = client.post("/follow/", {"follow-email": "ada@example.com"}, REMOTE_ADDR=IP)
    assert refused.status_code == 429 and refused["Retry-After"] == "1200"


# --- The admin sign-in -------------------------------------------------------------------------


def test_a_locked_out_sign_in_answers_429_with_the_real_wait(client, site_owner, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    failed_sign_ins(client, 5, minutes_ago=10)
    refused = sign_in(client, ip=IP)
    assert refused.status_code == 429
    # The latest failure is 10 minutes old: the 15-minute pause ends in 5 more.
    assert refused["Retry-After"] == "300"
    page = refused.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "please try again in 5 minutes" in page
    assert 'value="owner"' in page
    assert "_auth_user_id" not in client.session


def test_after_the_wait_the_right_password_signs_in(client, site_owner, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    failed_sign_ins(client, 5, minutes_ago=10)
    wait = int(sign_in(client, ip=IP)["Retry-After"])
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10, seconds=wait))
    assert sign_in(client, ip=IP).status_code == 302


def test_a_wrong_password_is_not_a_rate_limit(client, site_owner):
    assert sign_in(client, password="wrong", ip=IP).status_code == 200


# --- The same answer everywhere -------------------------------------------------------------


def over_the_follow_limit(client, settings, clock):
    settings.SUBSCRIPTIONS_MAX_PER_CLIENT_PER_HOUR = 1
    FollowRequest.objects.create(client_hash=THEIRS, created_at=ago(clock, 30))
    return client.post("/follow/", {"follow-email": "ada@example.com"}, REMOTE_ADDR=IP)


def over_the_recommendation_limit(client, settings, clock):
    settings.COMPARISONS_MAX_SAVED_PER_HOUR = 1
    saved_results(clock, 30)
    return client.post(FORM, GROWING_FIRM, REMOTE_ADDR=IP)


def over_the_sign_in_limit(client, settings, clock):
    settings.AXES_FAILURE_LIMIT = 1
    failed_sign_ins(client, 1, minutes_ago=1)
    return sign_in(client, ip=IP)


def comment_after_one_sent(client, settings, clock, seconds_ago):
    """A comment from a network that sent one `seconds_ago` seconds ago."""
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    post = Post.objects.create(
        title="Limits",
        slug="limits",
        body_markdown="Body.",
        status=Post.Status.PUBLISHED,
        published_at=clock.now - timedelta(days=1),
    )
    Comment.objects.create(
        post=post,
        name="Ann",
        email="ann@example.com",
        body="First.",
        ip_hash=THEIRS,
        created_at=clock.now - timedelta(seconds=seconds_ago),
    )
    fields = {
        "name": "Ann",
        "email": "other@example.com",
        "body": "Second, kept.",
        "timestamp": issue_timestamp(post.pk),
        "homepage": "",
        "parent": "",
        "website": "",
    }
    return client.post("/blog/limits/comments/", fields, REMOTE_ADDR=IP)


def test_a_comment_too_soon_after_the_last_is_told_the_real_wait(client, settings, clock):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    response = comment_after_one_sent(client, settings, clock, seconds_ago=12)
    assert response.status_code == 429
    assert response["Retry-After"] == "18"
    assert "Second, kept." in response.content.decode()  # nothing typed is lost


def over_the_comment_limit(client, settings, clock):
    settings.COMMENTS_MIN_INTERVAL_SECONDS = 30
    return comment_after_one_sent(client, settings, clock, seconds_ago=5)


@pytest.mark.parametrize(
    "over_the_limit",
    [
        over_the_follow_limit,
        over_the_recommendation_limit,
        over_the_sign_in_limit,
        over_the_comment_limit,
    ],
    ids=["follow", "recommendation", "admin-sign-in", "comment"],
)
def test_every_limit_answers_the_same_way(over_the_limit, client, site_owner, settings, clock):
    response = over_the_limit(client, settings, clock)
    assert response.status_code == 429
    assert re.fullmatch(r"[1-9][0-9]*", response["Retry-After"])
    # A refusal is about one client: no cache may keep it for another.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "text/html" in response["Content-Type"]


# --- The helper on its own, as the comments' flood control uses it ----------------------------


def events():
    return FollowRequest.objects.filter(client_hash="sender")


def event_at(clock, seconds_ago):
    FollowRequest.objects.create(
        client_hash="sender", created_at=clock.now - timedelta(seconds=seconds_ago)
    )


EVERY_30_SECONDS = RateLimit.min_interval("interval", timedelta(seconds=30), "Too fast.")
TEN_AN_HOUR = RateLimit("hourly", 10, timedelta(hours=1), "Ten an hour.")


def test_a_minimum_interval_waits_until_the_last_event_is_that_old(clock):
    event_at(clock, 50)
    event_at(clock, 12)
    assert EVERY_30_SECONDS.refusal(events(), clock.now) == Refusal("Too fast.", 18, "interval")
    clock.advance(18)
    assert EVERY_30_SECONDS.refusal(events(), clock.now) is None


def test_under_the_limit_there_is_no_refusal(clock):
    for seconds in range(9):
        event_at(clock, 3000 - seconds)
    assert TEN_AN_HOUR.refusal(events(), clock.now) is None


def test_the_hourly_wait_is_until_enough_events_are_an_hour_old(clock):
    for seconds in (3500, 3400, *range(1000, 992, -1)):  # 10 events, the oldest 3500 s ago
        event_at(clock, seconds)
    assert TEN_AN_HOUR.refusal(events(), clock.now).retry_after_seconds == 100


def test_events_beyond_the_limit_make_the_wait_longer(clock):
    for seconds in (3500, 3400, 3300, *range(1000, 992, -1)):  # 11: two must age out
        event_at(clock, seconds)
    assert TEN_AN_HOUR.refusal(events(), clock.now).retry_after_seconds == 200


def test_the_wait_is_rounded_up_and_never_below_a_second(clock):
    FollowRequest.objects.create(
        client_hash="sender", created_at=clock.now - timedelta(seconds=29, microseconds=999_000)
    )
    assert EVERY_30_SECONDS.refusal(events(), clock.now).retry_after_seconds == 1
    FollowRequest.objects.update(created_at=clock.now - timedelta(seconds=20, microseconds=500))
    assert EVERY_30_SECONDS.refusal(events(), clock.now).retry_after_seconds == 10


def test_a_limit_of_zero_refuses_for_a_whole_window(clock):
    closed = RateLimit("closed", 0, timedelta(hours=1), "Closed.")
    assert closed.refusal(events(), clock.now).retry_after_seconds == 3600


def test_several_limits_answer_with_the_longest_wait(clock):
    for seconds in range(3000, 3000 - 9, -1):
        event_at(clock, seconds)
    event_at(clock, 5)  # the tenth in the hour, and too soon after nothing else
    refusal = strictest_refusal(
        [(EVERY_30_SECONDS, events()), (TEN_AN_HOUR, events())], now=clock.now
    )
    assert refusal == Refusal("Ten an hour.", 600, "hourly")


def test_a_check_without_events_to_count_is_skipped(clock):
    event_at(clock, 5)
    assert strictest_refusal([(EVERY_30_SECONDS, None)], now=clock.now) is None
    only = strictest_refusal([(EVERY_30_SECONDS, None), (EVERY_30_SECONDS, events())], clock.now)
    assert only.retry_after_seconds == 25
