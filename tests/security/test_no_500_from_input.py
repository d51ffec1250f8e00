"""No request input makes a 500, on SQLite and on PostgreSQL (CI runs this file on both):
malformed cookies are treated as absent, email addresses are measured after they are
normalised, and when something does fail the admins get a bounded number of emails.

PostgreSQL refuses text holding NUL and enforces column lengths, where SQLite does neither,
so several of these only failed there: run them with DATABASE_URL set as well.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.http import HttpResponse
from django.urls import path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from config.urls import urlpatterns as site_urlpatterns
from subscriptions.models import Subscription
from tests.support.pages import READER_PAGES

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Every cookie the site reads, and the headers it (or Django for it) reads.
COOKIES = ["sessionid", "csrftoken", "comments_own", "comment_author", "messages"]
HEADERS = [
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_REQUESTED_WITH",
    "HTTP_ORIGIN",
]
EVERY_PAGE = [
    *READER_PAGES,
    "/blog/feed/",
    "/blog/atom/",
    "/blog/first/comments/feed/",
    "/blog/comments/token/",
    "/sitemap.xml",
    "/robots.txt",
    "/compare/",
    "/compare/recommend/",
    "/follow/",
    "/follow/sent/",
    "/healthz",
    "/admin/login/",
]
# What reaches Django from the wire: any byte, as WSGI hands it over (latin-1), so UTF-8 text
# arrives as its bytes.
wire_text = st.text(max_size=60).map(lambda text: text.encode().decode("latin-1"))
control_text = st.text(alphabet=st.characters(max_codepoint=0x1F), min_size=1, max_size=20)
hostile = st.one_of(
    wire_text,
    control_text,
    st.builds(lambda a, b, c: a + b + c, wire_text, control_text, wire_text),
    st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["a", "\x00", "%00"]),
        st.integers(min_value=4000, max_value=20_000),
    ),
    st.sampled_from(["\x00", "a\x00b", "0" * 32 + "\x00", "\x7f", "\x1b[31m", '"\\000"']),
)


def cookie_header(values):
    return "; ".join(f"{name}={value}" for name, value in values.items())


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code < 500, (url, response.status_code)
    return response


# --- A1: malformed cookies are ignored ------------------------------------------------------


@pytest.mark.parametrize("value", ["\x00", "abc\x00def", "k" * 32 + "\x00", "\x01\x02", "x" * 5000])
@pytest.mark.parametrize("name", COOKIES)
def test_a_malformed_cookie_is_treated_as_absent(client, a_bit_of_everything, name, value):
    for url in ["/", "/blog/first/", "/follow/", "/admin/login/"]:
        assert get(client, url, HTTP_COOKIE=f"{name}={value}").status_code == 200, url


def test_a_good_cookie_beside_a_malformed_one_still_counts(client, a_bit_of_everything):
    """Only the bad cookie is dropped: a reader's valid session survives a stray one."""
    session = client.session
    session["seen"] = "yes"
    session.save()
    header = f"sessionid={session.session_key}; comment_author=\x00bad"
    client.get("/blog/first/", HTTP_COOKIE=header)
    assert client.session["seen"] == "yes"


@FUZZ
@given(cookies=st.fixed_dictionaries({name: hostile for name in COOKIES}))
def test_fuzzed_cookies_never_make_a_500_on_any_page(client, a_bit_of_everything, cookies):
    for url in EVERY_PAGE:
        get(client, url, HTTP_COOKIE=cookie_header(cookies))


@FUZZ
@given(headers=st.fixed_dictionaries({name: hostile for name in HEADERS}))
def test_fuzzed_headers_never_make_a_500_on_any_page(client, a_bit_of_everything, headers):
    for url in EVERY_PAGE:
        get(client, url, **headers)


@FUZZ
@given(cookies=st.fixed_dictionaries({name: hostile for name in COOKIES}))
def test_fuzzed_cookies_never_make_a_500_when_posting(
    client, a_bit_of_everything, relaxed_comment_limits, cookies
):
    header = cookie_header(cookies)
    form = {"name": "Ada", "email": "ada@example.com", "body": "Hello.", "timestamp": "x"}
    for url, data in [
        ("/blog/first/comments/", form),
        ("/follow/", {"follow-email": "ada@example.com"}),
        ("/compare/recommend/", {}),
    ]:
        response = client.post(url, data, HTTP_COOKIE=header)
        assert response.status_code < 500, (url, response.status_code)


# --- A2: email lengths are checked after normalising ----------------------------------------

# 249 characters as typed; each "İ" becomes two when lower-cased, so 489 as stored.
GROWS_WHEN_LOWERED = "a@" + ".".join(["İ" * 60] * 4) + ".com"


def test_the_address_is_typed_short_enough_but_grows_when_lowered():
    assert len(GROWS_WHEN_LOWERED) <= 254 < len(GROWS_WHEN_LOWERED.lower())


def test_following_with_an_address_that_grows_too_long_is_a_form_error(client, make_series):
    make_series(slug="models")
    response = client.post(
        "/follow/", {"follow-email": GROWS_WHEN_LOWERED, "follow-series": "models"}
    )
    assert response.status_code == 400
    assert "Keep your email address to 254 characters." in response.content.decode()
    assert not Subscription.objects.exists()


# comments/forms.py (not this file's engineer's) measures the lower-cased address itself.
def test_commenting_with_an_address_that_grows_too_long_is_a_form_error(
    client, make_post, relaxed_comment_limits, comment_form
):
    post = make_post(slug="grows")
    data = comment_form(post, email=GROWS_WHEN_LOWERED, body="Kept, every word.")
    response = client.post(f"/blog/{post.slug}/comments/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep your email address to 254 characters" in html
    assert "Kept, every word." in html
    assert not Comment.objects.exists()


# --- A3: error email is throttled -----------------------------------------------------------


def _fails(request):
    raise RuntimeError("a bug")


def _works(request):
    return HttpResponse("ok")


urlpatterns = [path("fails/", _fails), path("works/", _works), *site_urlpatterns]


@pytest.fixture
def failing_site(settings, client):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Admins", "admins@example.com")]
    settings.MANAGERS = [("Managers", "managers@example.com")]
    settings.ERROR_MAIL_MAX_PER_WINDOW = 3
    settings.ERROR_MAIL_WINDOW_SECONDS = 600
    client.raise_request_exception = False
    return client


def _fail(client, times):
    for _ in range(times):
        assert client.get("/fails/").status_code == 500


def test_errors_are_mailed_to_the_admins_not_the_managers(failing_site):
    _fail(failing_site, 1)
    assert [message.to for message in mail.outbox] == [["admins@example.com"]]


def test_a_flood_of_errors_sends_a_few_emails_then_says_how_many_it_held_back(failing_site, clock):
    _fail(failing_site, 50)
    assert len(mail.outbox) == 3
    assert "further error emails are held back" in mail.outbox[-1].body
    clock.advance(600)
    _fail(failing_site, 1)
    assert len(mail.outbox) == 4
    assert "47 error emails were held back" in mail.outbox[-1].body


def test_the_admins_and_managers_are_read_from_their_own_settings():
    """Managers (comment moderation) are not sent tracebacks; admins are, and only they."""
    code = "from django.conf import settings; print(settings.ADMINS, settings.MANAGERS)"
    environment = {
        **os.environ,
        "DJANGO_MANAGERS": "m@example.com",
        "DJANGO_ADMINS": "a@example.com",
    }
    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (
        shown.strip().splitlines()[-1]
        == "[('Site admins', 'a@example.com')] [('Site managers', 'm@example.com')]"
    )
