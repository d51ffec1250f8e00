"""Every page type carries the security headers, under production settings and over HTTPS."""

import pytest

from tests.support.pages import READER_PAGES

pytestmark = pytest.mark.django_db

VALID_PROFILE = {
    "employees": "12",
    "devices": "20",
    "in_house_it": "none",
    "downtime_cost_per_hour": "500",
    "incidents_per_month": "2",
    "compliance": "none",
    "budget_priority": "predictable",
    "growth": "stable",
    "remote_staff": "on",
}


@pytest.fixture
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


@pytest.fixture
def page_urls(client, a_bit_of_everything):
    result = client.post("/compare/recommend/", VALID_PROFILE, secure=True)
    assert result.status_code == 302
    return [
        *READER_PAGES,
        "/blog/feed/",
        "/blog/atom/",
        "/blog/first/comments/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/compare/",
        "/compare/recommend/",
        result["Location"],
        "/admin/login/",
        "/blog/no-such-post/",
    ]


def test_every_page_type_sends_the_security_headers(client, production, page_urls):
    for url in page_urls:
        response = client.get(url, secure=True)
        assert response.status_code in (200, 404), url
        policy = response["Content-Security-Policy"]
        for directive in (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "object-src 'none'",
            "form-action 'self'",
        ):
            assert directive in policy, (url, directive)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert "camera=()" in response["Permissions-Policy"], url


def test_plain_http_is_redirected_to_https_except_the_health_check(client, production):
    response = client.get("/blog/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


def test_cookies_are_secure_http_only_and_same_site(client, production, page_urls):
    client.get("/blog/first/", secure=True)
    client.get("/blog/comments/token/", secure=True)  # what a form's script asks for
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_the_session_cookie_is_secure_http_only_and_same_site(client, production, admin_user):
    response = client.post(
        "/admin/login/", {"username": admin_user.username, "password": "password"}, secure=True
    )
    assert response.status_code == 302
    session = client.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_no_page_contains_inline_script_or_style(client, page_urls):
    import re

    for url in page_urls:
        html = client.get(url, secure=True).content.decode()
        # JSON-LD is data: browsers never run a script element of that type, and the CSP
        # does not govern it (tests/browser/test_share_metadata_in_the_browser.py).
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert set(inline) <= {'<script type="application/ld+json">'}, url
        assert not re.search(r"<style\b|\sstyle=", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
