"""A database that cannot write (full disk, read-only, connection lost) loses nobody's words:
the commenter and the recommendation form get a 503 page holding everything they typed, with
a way to send it again; /healthz says what is wrong.

Faults are injected where the database answers (`connection.execute_wrapper`), so the same
tests run on SQLite and PostgreSQL.
"""

import re
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from comments.models import Comment
from comparisons.models import Recommendation
from tests.support.recommendation_support import FORM, GROWING_FIRM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_comment_limits")]

FAULTS = {
    "full disk": "database or disk is full",
    "read-only": "attempt to write a readonly database",
    "connection lost": "server closed the connection unexpectedly",
}
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@contextmanager
def writes_fail(message):
    def refuse_writes(execute, sql, params, many, context):
        if WRITES.match(sql):
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_writes):
        yield


@contextmanager
def database_gone(message):
    def refuse_everything(execute, sql, params, many, context):
        raise OperationalError(message)

    with connection.execute_wrapper(refuse_everything):
        yield


def kept(page, text):
    """The text is on the page as the writer typed it (HTML-escaped, as in any field)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in page


@pytest.mark.parametrize("fault", FAULTS)
def test_a_comment_that_cannot_be_stored_comes_back_whole_with_a_503(
    client, make_post, comment_form, fault
):
    post = make_post(slug="kept")
    words = "Three careful paragraphs & a <b>tag</b>,\nwritten for an hour."
    fields = comment_form(post, body=words, name="Careful Carla", website="https://carla.example")
    with writes_fail(FAULTS[fault]):
        response = client.post("/blog/kept/comments/", fields)
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "could not be saved" in page
    for value in (words, "Careful Carla", "https://carla.example", fields["email"]):
        assert kept(page, value), value
    # Sending it again, once the database writes, stores it.
    again = dict(re.findall(r'<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"', page))
    again.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', page, re.S))
    again = {
        name: value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        for name, value in again.items()
    }
    assert again["body"] == words
    assert client.post("/blog/kept/comments/", again).status_code == 302
    assert Comment.objects.get().body == words


def test_a_recommendation_that_cannot_be_saved_comes_back_whole_with_a_503(client):
    with writes_fail(FAULTS["read-only"]):
        response = client.post(FORM, GROWING_FIRM)
    assert response.status_code == 503
    page = response.content.decode()
    for name, value in GROWING_FIRM.items():
        assert f'name="{name}" value="{value}"' in page, name
    assert not Recommendation.objects.exists()


def test_a_password_is_never_shown_back(client):
    with database_gone(FAULTS["connection lost"]):
        response = client.post("/admin/login/", {"username": "owner", "password": "s3cret!"})
    assert response.status_code == 503
    assert "s3cret!" not in response.content.decode()


@pytest.mark.parametrize(
    ("fault", "says"),
    [("read-only", "database read-only"), ("connection lost", "database unavailable")],
)
def test_the_health_check_says_what_is_wrong(client, fault, says):
    assert client.get("/healthz").content == b"ok"
    wrapper = writes_fail if fault == "read-only" else database_gone
    with wrapper(FAULTS[fault]):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.decode().startswith(says)


def test_readers_keep_getting_cached_pages_while_the_database_is_gone(make_post):
    make_post(slug="still-read", title="Still read")
    assert Client().get("/blog/still-read/").status_code == 200  # now cached
    with database_gone(FAULTS["connection lost"]):
        response = Client().get("/blog/still-read/")
        unknown = Client().get("/blog/never-cached/")
    assert response.status_code == 200 and "Still read" in response.content.decode()
    assert unknown.status_code == 503
