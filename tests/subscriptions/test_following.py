"""Following by email, proven through HTTP: the follow form on post and series pages, double
opt-in (a confirmation email and nothing else until it is confirmed; an expired or tampered
link refused with a clear page), an answer that never reveals who already follows, one
confirmation an hour, rate limits per network and per address, and the address as typed.
"""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from subscriptions.models import FollowRequest, Subscription
from tests.support.following import (
    CONFIRM_LINK,
    confirmation_path,
    confirmed,
    follow,
    mails_to,
    run_worker_check,
)

pytestmark = pytest.mark.django_db


# --- The form on the pages ------------------------------------------------------------------------


def test_a_post_in_a_series_offers_its_series_or_the_whole_site(client, part_one):
    page = client.get(part_one.get_absolute_url()).content.decode()
    assert "Email me when the next part is out" in page
    form = re.search(
        r'<form method="post" action="/follow/" class="follow-form".*?</form>', page, re.S
    )
    assert form, "no follow form on the post page"
    form = form.group(0)
    assert 'name="follow-series" value="it-models"' in form and 'type="email"' in form
    assert "The next parts of “Understanding IT service models”" in form
    assert 'value="site"' in form and "Every new article" in form


def test_a_post_outside_a_series_offers_the_whole_site(client, make_post):
    post = make_post(slug="standalone")
    page = client.get(post.get_absolute_url()).content.decode()
    form = re.search(r'class="follow-form".*?</form>', page, re.S).group(0)
    assert 'name="follow-email"' in form and 'name="follow-topic"' not in form


def test_the_series_page_has_the_form_and_reading_it_sets_no_cookie(client, series, part_one):
    response = Client().get(series.get_absolute_url())
    page = response.content.decode()
    assert 'class="follow-form"' in page and 'name="follow-series" value="it-models"' in page
    assert 'name="csrfmiddlewaretoken" value=""' in page
    assert not response.cookies


def test_the_cached_post_page_fills_the_follow_forms_token_and_takes_one_query(
    part_one, django_assert_num_queries
):
    Client().get(part_one.get_absolute_url())  # renders and caches it
    reader = Client()
    reader.get("/blog/comments/token/")
    with django_assert_num_queries(1):
        page = reader.get(part_one.get_absolute_url()).content.decode()
    form = re.search(r'class="follow-form".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert token and "\x00" not in page


# --- Double opt-in --------------------------------------------------------------------------------


def test_following_sends_only_a_confirmation_with_a_link(client, series, part_one, make_post):
    response = follow(client, "Ada@Example.COM", series)
    assert response.status_code == 302 and response["Location"] == "/follow/sent/"
    assert "Check your inbox" in client.get("/follow/sent/").content.decode()
    (message,) = mail.outbox
    assert message.to == ["Ada@example.com"]  # the domain lower-cased, the rest as typed
    assert "Understanding IT service models" in message.subject
    assert CONFIRM_LINK.search(message.body) and CONFIRM_LINK.search(message.alternatives[0][0])
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING
    mail.outbox.clear()

    make_post(slug="part-two", title="Part two", series=series, part=2)
    run_worker_check()
    assert not mail.outbox  # an unconfirmed address gets nothing but the confirmation


def test_the_link_asks_first_and_confirms_on_the_button(client, series, part_one):
    follow(client, "ada@example.com", series)
    path = confirmation_path("ada@example.com")
    page = client.get(path)
    assert page.status_code == 200 and "Yes, email me" in page.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING  # GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert 'data-subscription-status="confirmed"' in done.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.CONFIRMED and subscription.confirmed_at


def test_an_expired_link_is_refused_with_a_clear_page(client, series, part_one, monkeypatch):
    follow(client, "ada@example.com", series)
    subscription = Subscription.objects.get()
    four_days_ago = time.time() - 4 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: four_days_ago)
        old_token = subscription.confirmation_token()
    path = reverse("subscriptions:confirm", kwargs={"token": old_token})
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This link has expired" in page and "3 days" in page
        assert "/follow/?series=it-models" in page  # a way to ask for a new one
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_a_tampered_link_does_nothing(client, series, part_one):
    follow(client, "ada@example.com", series)
    path = confirmation_path("ada@example.com")
    response = client.post(path[:-3] + "x/")
    assert response.status_code == 404 and "This link does not work" in response.content.decode()
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_the_answer_never_reveals_whether_an_address_already_follows(client, series, part_one):
    confirmed(client, "known@example.com", series)
    follow(client, "waiting@example.com", series)
    mail.outbox.clear()
    answers = [
        follow(Client(), address, series)
        for address in ("known@example.com", "waiting@example.com", "new@example.com")
    ]
    assert {(a.status_code, a["Location"], a.content) for a in answers} == {
        (302, "/follow/sent/", b"")
    }
    # Only the new address got an email; the known one is still simply following.
    assert [message.to for message in mail.outbox] == [["new@example.com"]]
    assert Subscription.objects.get(email="known@example.com").status == "confirmed"


def test_an_address_gets_at_most_one_confirmation_an_hour(client, series, part_one):
    follow(client, "ada@example.com", series)
    follow(client, "ada@example.com", series)
    follow(client, "ada@example.com", series, choice="site")  # another topic, same address
    assert len(mails_to("ada@example.com")) == 1
    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(minutes=61))
    follow(client, "ada@example.com", series)
    assert len(mails_to("ada@example.com")) == 2


def test_unsubscribed_then_following_again_needs_a_new_confirmation(client, series, part_one):
    subscription = confirmed(client, "ada@example.com", series)
    client.post(subscription.unsubscribe_url())
    Subscription.objects.update(confirmation_sent_at=None)
    follow(client, "ada@example.com", series)
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    assert len(mails_to("ada@example.com")) == 1


# --- Rate limits and the address ------------------------------------------------------------------


def test_requests_are_limited_per_network(settings, series, part_one):
    settings.SUBSCRIPTIONS_MAX_PER_CLIENT_PER_HOUR = 3
    reader = Client()
    for n in range(3):
        assert follow(reader, f"reader{n}@example.com", series).status_code == 302
    refused = follow(reader, "typed.carefully@example.com", series)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert 'value="typed.carefully@example.com"' in page and "Too many requests" in page
    assert not Subscription.objects.filter(email="typed.carefully@example.com").exists()
    other_network = follow(Client(REMOTE_ADDR="203.0.113.9"), "typed.carefully@example.com", series)
    assert other_network.status_code == 302


def test_requests_are_limited_per_address(settings, series, part_one):
    settings.SUBSCRIPTIONS_MAX_PER_ADDRESS_PER_HOUR = 2
    for n in range(2):
        assert (
            follow(Client(REMOTE_ADDR=f"203.0.113.{n}"), "ada@example.com", series).status_code
            == 302
        )
    refused = follow(Client(REMOTE_ADDR="198.51.100.7"), "ADA@EXAMPLE.com", series)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert 'value="ADA@EXAMPLE.com"' in refused.content.decode()
    # Only keyed hashes are kept for counting, never the address itself.
    assert not FollowRequest.objects.filter(address_hash__icontains="ada").exists()


def test_an_address_too_long_once_normalised_is_a_form_error(client, series, part_one):
    # "İ" lower-cases to two characters: 254 typed, 264 stored. Another is simply too long.
    for address in ["a" * 239 + "@" + "İ" * 10 + ".com", "a" * 250 + "@example.com"]:
        response = follow(client, address, series)
        assert response.status_code == 400, address
        assert "Keep your email address to 254 characters." in response.content.decode()
    assert not Subscription.objects.exists()


def test_an_invalid_address_keeps_what_was_typed(client, series, part_one):
    response = follow(client, "not an address", series)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="not an address"' in page and "Enter a valid email address" in page


def test_without_a_token_the_request_comes_back_to_be_sent_again(series, part_one):
    reader = Client(enforce_csrf_checks=True)
    refused = follow(reader, "ada@example.com", series, headers={"origin": "http://testserver"})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Please send it again" in page and 'value="ada@example.com"' in page
    assert "csrftoken" in refused.cookies and not Subscription.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    again = reader.post(
        "/follow/",
        {
            "follow-email": "ada@example.com",
            "follow-series": "it-models",
            "follow-topic": "series",
            "csrfmiddlewaretoken": token,
        },
        headers={"origin": "http://testserver"},
    )
    assert again.status_code == 302 and len(mail.outbox) == 1
