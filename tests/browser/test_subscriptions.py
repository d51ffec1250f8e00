"""Following a series by email in a real Chromium: the form on a cached post page (its token
fetched by form-token.js), "check your inbox", the link from the emailed confirmation (read from
the live server's captured mail), and the confirmed page. axe-core finds no serious or
critical violation on the way."""

import re

from django.core import mail

from subscriptions.models import Subscription

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/follow/confirm/[^/\s]+/)")


def test_a_reader_follows_the_series_and_confirms_from_the_email(
    page, make_series, make_post, assert_accessible
):
    series = make_series(slug="it-models", title="Understanding IT service models")
    post = make_post(slug="part-one", title="Break/fix versus managed", series=series, part=1)

    page.goto(post.get_absolute_url())
    form = page.locator("form.follow-form")
    page.get_by_role("heading", name="Email me when the next part is out").wait_for()
    assert form.get_by_label("The next parts of “Understanding IT service models”").is_checked()
    assert_accessible(page)
    form.get_by_label("Your email").fill("reader@example.com")
    form.get_by_role("button", name="Email me").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    assert_accessible(page)

    (message,) = mail.outbox
    assert message.to == ["reader@example.com"]
    page.goto(CONFIRM_LINK.search(message.body).group(1))
    page.get_by_role("heading", name="Confirm your email").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, email me").click()
    heading = page.get_by_role("heading", name="You are following the series")
    heading.wait_for()
    assert "Understanding IT service models" in heading.inner_text()
    assert_accessible(page)
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


def test_the_unsubscribe_page_takes_one_click(page, live_server, make_post, assert_accessible):
    make_post(slug="news")
    subscription = Subscription.objects.create(
        email="reader@example.com", topic="site", status="confirmed"
    )
    page.goto(subscription.unsubscribe_url().removeprefix("http://127.0.0.1:8000"))
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="Unsubscribed").wait_for()
    assert_accessible(page)
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
