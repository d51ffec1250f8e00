"""Limits that hold under a race: many requests from one client, sent at the same moment to
two servers sharing the database (SQLite; in CI's second run PostgreSQL + Redis), and never
more accepted than the limit allows, whichever posts they are about.

Each request is prepared first (page, form, token), then all are released together.
"""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.live_servers import Browser, running_site
from tests.support.recommendation_support import GROWING_FIRM

pytestmark = pytest.mark.timeout(600)
SENDS = 16
LIMIT = 3


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(
        tmp_path_factory.mktemp("limits-race"),
        servers=2,
        workers=4,
        COMMENTS_MODERATION="none",
        COMMENTS_FORM_MIN_SECONDS=0,
        COMMENTS_MIN_INTERVAL_SECONDS=0,
        COMMENTS_MAX_PER_HOUR=LIMIT,
        DJANGO_TRUSTED_PROXY_COUNT=1,
        COMPARISONS_MAX_SAVED_PER_HOUR=LIMIT,
        DJANGO_ADMIN_MAX_FAILURES_PER_USER=LIMIT,
    ) as site:
        yield site


def released_together(requests):
    """Send the prepared requests at once; their statuses, in order."""
    start = threading.Barrier(len(requests))

    def send(request):
        browser, url, fields = request
        start.wait()
        return browser.request(url, fields)[0]

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(send, requests))


def prepared_comment(site, server, slug, n, forwarded_for):
    browser = Browser(forwarded_for)
    base = site.urls[server]
    status, html, _ = browser.request(f"{base}/blog/{slug}/")
    assert status == 200, (slug, status)
    action = f"/blog/{slug}/comments/"
    fields = browser.form_fields(html, action)
    if not fields["csrfmiddlewaretoken"]:
        _, token, _ = browser.request(f"{base}/blog/comments/token/")
        fields["csrfmiddlewaretoken"] = json.loads(token)["token"]
    fields.update(
        name=f"Racer {n}", email=f"racer{n}@example.com", body=f"Race {n} [race]", website=""
    )
    return browser, base + action, fields


def test_one_client_racing_comments_to_every_post_on_both_servers_gets_the_limit(site):
    slugs = [slug for (slug,) in site.sql("SELECT slug FROM blog_post WHERE status='published'")]
    requests = [
        prepared_comment(site, n % 2, slugs[n % len(slugs)], n, "203.0.113.90")
        for n in range(SENDS)
    ]
    statuses = released_together(requests)
    accepted = statuses.count(302)
    stored = site.sql("SELECT COUNT(*) FROM comments_comment WHERE body LIKE '%[race]%'")[0][0]
    print(f"comments: sent {SENDS} / accepted {accepted} / stored {stored} / limit {LIMIT}")
    assert set(statuses) <= {302, 429}, statuses
    assert accepted == stored == LIMIT


def prepared_recommendation(site, server, forwarded_for):
    browser = Browser(forwarded_for)
    url = f"{site.urls[server]}/compare/recommend/"
    status, html, _ = browser.request(url)
    assert status == 200, status
    token = browser.form_token(site.urls[server], html)
    return browser, url, {"csrfmiddlewaretoken": token, **GROWING_FIRM}


def test_one_client_racing_recommendations_on_both_servers_gets_the_limit(site):
    requests = [prepared_recommendation(site, n % 2, "203.0.113.91") for n in range(SENDS)]
    statuses = released_together(requests)
    accepted = statuses.count(302)
    stored = site.sql("SELECT COUNT(*) FROM comparisons_recommendation")[0][0]
    print(f"recommendations: sent {SENDS} / accepted {accepted} / stored {stored} / limit {LIMIT}")
    assert set(statuses) <= {302, 429}, statuses
    assert accepted == stored == LIMIT


def prepared_sign_in(site, server, forwarded_for):
    browser = Browser(forwarded_for)
    url = f"{site.urls[server]}/admin/login/"
    status, html, _ = browser.request(url)
    assert status == 200, status
    fields = browser.form_fields(html, "/admin/login/")
    return browser, url, {**fields, "username": "staff", "password": "a wrong guess"}


def test_one_client_racing_password_guesses_on_both_servers_gets_the_limit(site):
    requests = [prepared_sign_in(site, n % 2, "203.0.113.92") for n in range(SENDS)]
    statuses = released_together(requests)
    (checked,) = site.sql(
        "SELECT COALESCE(SUM(failures_since_start), 0) FROM axes_accessattempt "
        "WHERE username = 'staff'"
    )[0]
    print(f"password guesses: sent {SENDS} / checked {checked} / limit {LIMIT}")
    assert set(statuses) <= {200, 429}, statuses
    assert checked == LIMIT
    assert statuses.count(429) == SENDS - LIMIT + 1  # the last one checked starts the pause
