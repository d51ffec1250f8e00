"""The site behind nginx as deployed: deploy/nginx.conf in front of two gunicorn servers.

Debian's nginx, run unprivileged on high ports with a throw-away certificate, proxies to two
gunicorns with production settings (DEBUG off, behind one TLS proxy) sharing SQLite or, in
CI's second run, PostgreSQL + Redis. Every request here goes to nginx, as a reader's would.
Outside CI a machine without nginx skips these tests; in CI a missing nginx fails them.
"""

import gzip
import http.client
import os
import re
import secrets
import socket
import threading
import time
import urllib.request

import pytest

from siteops.clients import hash_ip
from tests.support.front_proxy import HSTS_SECONDS, NGINX, behind_nginx, slow_loris, tls_context
from tests.support.live_servers import Browser
from tests.support.recommendation_support import GROWING_FIRM

SLUG = "understanding-it-service-models-break-fix-versus-managed-services"
IP_HASH_KEY = "front-" + secrets.token_urlsafe(16)
WORKERS_PER_SERVER = 2
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    if not NGINX:
        message = "nginx not found (apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with behind_nginx(
        tmp_path_factory.mktemp("front"),
        servers=2,
        workers=WORKERS_PER_SERVER,
        COMMENTS_MODERATION="none",
        COMMENTS_FORM_MIN_SECONDS=0,
        COMMENTS_MIN_INTERVAL_SECONDS=0,
        COMPARISONS_MAX_SAVED_PER_HOUR=3,
        DJANGO_IP_HASH_KEY=IP_HASH_KEY,
    ) as front:
        yield front


def fetch(front, path, timeout=30):
    """One GET through nginx over verified HTTPS: (status, headers, body)."""
    request = urllib.request.Request(front.origin + path)
    context = tls_context(front.ca_file)
    with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
        return response.status, response.headers, response.read().decode()


def test_pages_over_https_carry_hsts_and_plain_http_only_redirects(front):
    status, headers, _ = fetch(front, "/")
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith(f"max-age={HSTS_SECONDS}")

    plain = Browser()
    status, _, headers = plain.request(f"http://127.0.0.1:{front.http_port}/blog/{SLUG}/?page=2")
    assert status == 301
    assert headers["Location"] == f"{front.origin}/blog/{SLUG}/?page=2"
    assert all("upstream=-" in line for line in front.access_log() if "?page=2" in line)


def test_session_and_csrf_cookies_are_secure(front):
    staff = front.readers.sign_in_staff(0)
    cookies = {cookie.name: cookie for cookie in staff.jar}
    assert {"sessionid", "csrftoken"} <= cookies.keys()
    assert cookies["sessionid"].secure and cookies["csrftoken"].secure


def test_static_files_are_served_by_nginx_without_reaching_django(front):
    _, _, html = fetch(front, "/")
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
    status, headers, _ = fetch(front, stylesheet)
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert headers["Strict-Transport-Security"].startswith(f"max-age={HSTS_SECONDS}")
    assert headers["X-Content-Type-Options"] == "nosniff"
    served = [line for line in front.access_log() if stylesheet in line]
    assert served and all(line.endswith("upstream=-") for line in served)


def test_the_app_sees_the_real_client_whatever_x_forwarded_for_it_sends(front, settings):
    status, _, _ = front.readers.post_comment(
        0,
        SLUG,
        name="Forger",
        email="forger@example.com",
        body="Through the front [front-ip]",
        forwarded_for="203.0.113.99",
    )
    assert status == 302
    ((stored,),) = front.site.sql(
        "SELECT ip_hash FROM comments_comment WHERE body LIKE '%[front-ip]%'"
    )
    settings.IP_HASH_KEY = IP_HASH_KEY
    assert stored == hash_ip("127.0.0.1") != hash_ip("203.0.113.99")

    # Four saves, each claiming another address: nginx appends the one it saw, so they are one
    # client to the limit (3 an hour here), wherever the load balancer sends each.
    statuses = [
        front.readers.post_recommendation(0, GROWING_FIRM, forwarded_for=f"198.51.100.{n + 1}")[0]
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


def test_a_ten_megabyte_file_in_a_comment_is_refused_by_nginx_before_django(front):
    count = "SELECT COUNT(*) FROM comments_comment"
    before = front.site.sql(count)[0][0]
    boundary = "front" + secrets.token_hex(8)
    fields = {"name": "Uploader", "email": "up@example.com", "body": "See attached [big]"}
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + b"\0" * (10 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    connection = http.client.HTTPSConnection(
        "127.0.0.1", front.https_port, timeout=30, context=tls_context(front.ca_file)
    )
    connection.request(
        "POST",
        f"/blog/{SLUG}/comments/",
        body=b"".join(parts),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Origin": front.origin,
        },
    )
    response = connection.getresponse()
    assert response.status == 413
    assert b"nginx" in response.read()
    connection.close()
    refused = front.logged(f"POST /blog/{SLUG}/comments/ 413 ")
    assert all(line.endswith("upstream=-") for line in refused)
    assert front.site.sql(count)[0][0] == before


def test_slow_clients_hold_every_bare_gunicorn_worker_but_not_the_site_behind_nginx(front):
    bare = front.site.urls[0].removeprefix("http://").split(":")
    # Five slow clients straight at gunicorn: every sync worker is stuck reading headers.
    with (
        slow_loris(lambda: socket.create_connection((bare[0], int(bare[1]))), 5),
        pytest.raises(TimeoutError),
    ):
        urllib.request.urlopen(front.site.urls[0] + "/healthz", timeout=3)

    context = tls_context(front.ca_file)

    def through_nginx():
        raw = socket.create_connection(("127.0.0.1", front.https_port))
        return context.wrap_socket(raw, server_hostname="127.0.0.1")

    all_workers = 2 * WORKERS_PER_SERVER
    with slow_loris(through_nginx, 2 * all_workers):
        status, _, body = fetch(front, f"/blog/{SLUG}/", timeout=15)  # nginx buffers the slow ones
        assert status == 200 and "comment" in body


def test_reloading_nginx_and_restarting_a_gunicorn_under_load_drops_nothing(front):
    context = tls_context(front.ca_file)
    stop = threading.Event()
    lock = threading.Lock()
    sent, failures = [], []

    def client(n):
        while not stop.is_set():
            path = "/" if n % 2 else f"/blog/{SLUG}/"
            try:
                with urllib.request.urlopen(front.origin + path, timeout=30, context=context) as r:
                    failure = None if r.status == 200 and r.read() else f"status {r.status}"
            except (OSError, http.client.HTTPException) as error:
                failure = repr(error)
            with lock:
                sent.append(path)
                if failure:
                    failures.append(failure)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        front.reload_nginx()
        front.restart_gunicorn_gracefully(0)
        front.reload_nginx()
        mark = len(sent)
        while len(sent) < mark + 40:  # keep the load on the fresh workers for a while
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    print(f"sent {len(sent)}, failed {len(failures)}")
    assert failures == [] and len(sent) >= 40
    assert front.upstream_errors() == []  # not even one retried on the other server
    upstreams = {line.rsplit("upstream=", 1)[1] for line in front.access_log()}
    assert {url.removeprefix("http://") for url in front.site.urls} <= upstreams


def fetch_compressed(front, path):
    """One GET through nginx that accepts gzip, as every browser does: (headers, body bytes)."""
    request = urllib.request.Request(front.origin + path, headers={"Accept-Encoding": "gzip"})
    context = tls_context(front.ca_file)
    with urllib.request.urlopen(request, timeout=30, context=context) as response:
        return response.headers, response.read()


def test_a_post_page_arrives_gzip_compressed_through_nginx(front):
    headers, body = fetch_compressed(front, f"/blog/{SLUG}/")
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    html = gzip.decompress(body).decode()
    assert html.startswith("<!doctype html>") and SLUG in html


def test_the_favicon_is_served_by_nginx_without_reaching_django(front):
    request = urllib.request.Request(front.origin + "/favicon.ico")
    with urllib.request.urlopen(request, timeout=30, context=tls_context(front.ca_file)) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
        assert "max-age=604800" in answer.headers["Cache-Control"]
        assert answer.read()[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert all(line.endswith("upstream=-") for line in front.logged("/favicon.ico"))


def test_a_posts_share_card_is_served_by_nginx_for_good_and_a_missing_one_by_django(front):
    _, _, html = fetch(front, f"/blog/{SLUG}/")
    path = re.search(r'property="og:image" content="[a-z]+://[^/]+(/static/cards/[^"]+)"', html)[1]
    request = urllib.request.Request(front.origin + path)
    with urllib.request.urlopen(request, timeout=30, context=tls_context(front.ca_file)) as answer:
        assert answer.status == 200 and answer.headers["Content-Type"] == "image/png"
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert answer.read()[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(line.endswith("upstream=-") for line in front.logged(path))
    # A card nginx does not have: it asks Django, which draws only current cards of public
    # posts (none here).
    missing = "/static/cards/posts/nothing.0123456789ab.png"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(
            front.origin + missing, timeout=30, context=tls_context(front.ca_file)
        )
    assert refused.value.code == 404
    assert not any(line.endswith("upstream=-") for line in front.logged(missing))
