"""The benchmark's writers: forms fetched the way a browser fetches them, then sent.

Every comment and recommendation comes from a client of its own (its own X-Forwarded-For
address, read by the site behind one trusted proxy as it is behind nginx, and its own email),
so the site's flood limits are checked on every write as in production but never refuse one.
Forms are fetched before a timed window opens, so a window times the POSTs alone.
"""

import http.client
import itertools
import json
import re
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from bench.loadgen import Post
from tests.support.live_servers import Browser

# Never the same client twice in a run: 10.0.0.1, 10.0.0.2, …
_clients = itertools.count(1)
COMMENT = "Useful, thank you. We are weighing a managed provider against our one-person IT team."


def _next_client():
    n = next(_clients)
    return n, f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def _cookie_header(browser):
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in browser.jar)


def _posted(browser, path, fields):
    headers = {"Cookie": _cookie_header(browser), **browser.headers}
    return Post(path, urllib.parse.urlencode(fields).encode(), headers)


def _fetched_token(base, browser):
    """A CSRF token (and its cookie, into `browser`) from the URL the site's forms ask."""
    _, token, _ = browser.request(f"{base}/blog/comments/token/")
    return json.loads(token)["token"]


def comment_form(base, slug):
    """A filled-in comment form, as tests.support.live_servers.Site.post_comment fills one:
    the page (its signed timestamp), the CSRF token fetched as the page's script does."""
    n, address = _next_client()
    browser = Browser(address)
    status, html, _ = browser.request(f"{base}/blog/{slug}/")
    assert status == 200, f"/blog/{slug}/ answered {status}"
    action = f"/blog/{slug}/comments/"
    fields = browser.form_fields(html, action)
    if not fields["csrfmiddlewaretoken"]:
        fields["csrfmiddlewaretoken"] = _fetched_token(base, browser)
    fields.update({"name": f"Bench reader {n}", "email": f"bench{n}@example.com", "body": COMMENT})
    fields["website"] = ""
    return _posted(browser, action, fields)


def recommendation_form(base, answers):
    """The recommendation form with `answers` (valid ones: bench/seed.py's) and its CSRF
    token."""
    _, address = _next_client()
    browser = Browser(address)
    status, html, _ = browser.request(f"{base}/compare/recommend/")
    assert status == 200, f"/compare/recommend/ answered {status}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html).group(1)
    if not token:  # a cached page: what static/js/form-token.js does
        token = _fetched_token(base, browser)
    return _posted(browser, "/compare/recommend/", {"csrfmiddlewaretoken": token, **answers})


def insert_form(base):
    """A POST to the bare insert view, with a CSRF token as every write of the site has."""
    browser = Browser()
    fields = {"csrfmiddlewaretoken": _fetched_token(base, browser), "body": COMMENT}
    return _posted(browser, "/__bench__/insert/", fields)


def fetch_forms(make, count, threads=8):
    """`count` forms made by `make()`, fetched a few at a time."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: make(), range(count)))


@contextmanager
def steady_writer(base, forms, per_second):
    """Send `forms` in the background at `per_second`, on schedule (a slow answer does not
    delay the next send), until the block ends; yields the Counter of answers by status."""
    statuses, lock, stop = {}, threading.Lock(), threading.Event()
    parts = urllib.parse.urlsplit(base)

    def send(form):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **form.headers}
        try:
            connection.request("POST", form.path, body=form.body, headers=headers)
            status = connection.getresponse().status
        except OSError:
            status = "error"
        finally:
            connection.close()
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def schedule(pool):
        start = time.monotonic()
        for n, form in enumerate(forms):
            if stop.wait(max(0.0, start + n / per_second - time.monotonic())):
                return
            pool.submit(send, form)

    with ThreadPoolExecutor(8) as pool:
        scheduler = threading.Thread(target=schedule, args=(pool,))
        scheduler.start()
        try:
            yield statuses
        finally:
            stop.set()
            scheduler.join()
