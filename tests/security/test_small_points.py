"""The smaller points of the hardening issue (#13), each through the site's public surface:
who may preview a draft, reserved post slugs, a form timestamp used once, deceptive website
addresses, a forwarded-for entry with a port, the website error shown once, and an email that
lower-casing makes too long. The single-use timestamp is also raced on two live servers."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from siteops.clients import hash_ip
from tests.support.live_servers import Browser, running_site
from tests.support.pages import comment_create_url, html

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


# --- Drafts: only those allowed to read or change posts may preview one -----------------------


@pytest.fixture
def draft(make_post):
    return make_post(title="Not yet", slug="not-yet", status=Post.Status.DRAFT)


def staff_client(client, django_user_model, *permissions):
    user = django_user_model.objects.create_user("desk", password="x", is_staff=True)
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return client


def test_staff_without_permission_cannot_preview_a_draft(client, django_user_model, draft):
    staff_client(client, django_user_model)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("permission", ["view_post", "change_post"])
def test_staff_who_may_read_or_change_posts_preview_a_draft(
    client, django_user_model, draft, permission
):
    staff_client(client, django_user_model, permission)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Not yet" in html(response)


# --- Post and page slugs that another address already uses -------------------------------------


@pytest.mark.parametrize("slug", ["feed", "atom", "tags", "comments"])
def test_the_admin_refuses_a_post_slug_another_address_uses(admin_client, slug):
    response = admin_client.post(
        reverse("admin:blog_post_add"),
        {
            "title": "Impostor",
            "slug": slug,
            "summary": "s",
            "body_markdown": "b",
            "author_name": "Jim",
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert f"the slug &#x27;{slug}&#x27; is reserved" in html(response)
    assert not Post.objects.filter(slug=slug).exists()


@pytest.mark.parametrize("slug", ["blog", "compare", "follow", "healthz", "admin"])
def test_the_admin_refuses_a_page_slug_another_address_uses(admin_client, slug):
    response = admin_client.post(
        reverse("admin:blog_page_add"), {"title": "Impostor", "slug": slug, "body_markdown": "b"}
    )
    assert f"the slug &#x27;{slug}&#x27; is reserved" in html(response)


# --- A form timestamp is good for one comment ---------------------------------------------------


def test_a_form_timestamp_posts_one_comment_only(client, make_post, comment_form):
    post = make_post()
    data = comment_form(post, body="The first comment from this form.")
    assert client.post(comment_create_url(post), data).status_code == 302
    again = {**data, "email": "other@example.com", "body": "A second one, same token."}
    response = client.post(comment_create_url(post), again)
    assert response.status_code == 400
    page = html(response)
    assert "A second one, same token." in page and "already been used" in page
    assert Comment.objects.count() == 1
    # The re-rendered form carries a fresh timestamp, so sending it again works.
    fresh = comment_form(post, body="A second one, same token.", email="other@example.com")
    assert client.post(comment_create_url(post), fresh).status_code == 302


# --- Website addresses that hide where they lead ------------------------------------------------


@pytest.mark.parametrize(
    "website",
    [
        "https://trusted.example@evil.example/",
        "https://trusted.example:pw@evil.example/",
        "https://evil.example\\@trusted.example/",
        "https://trusted.example\\evil.example/",
        "https://p\u0430ypal.com/",  # a Cyrillic U+0430 among Latin letters
        "https://xn--pypal-4ve.com/",  # the same, spelled in punycode
    ],
)
def test_deceptive_website_addresses_are_refused(client, make_post, comment_form, website):
    post = make_post()
    data = comment_form(post, website=website, body="Kept whatever happens.")
    response = client.post(comment_create_url(post), data)
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_website_error"' in page and "Kept whatever happens." in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize("website", ["https://пример.рф/", "https://example.com/a@b", ""])
def test_honest_website_addresses_are_kept(client, make_post, comment_form, website):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, website=website))
    assert response.status_code == 302


def test_the_website_error_is_shown_once_beside_the_field(client, make_post, comment_form):
    post = make_post()
    response = client.post(comment_create_url(post), comment_form(post, website="not a site"))
    message = "Enter a website address starting with http:// or https://."
    field_error = html(response).split('id="id_website_error"', 1)[1].split("</div>", 1)[0]
    assert field_error.count(message) == 1
    assert html(response).count(message) == 2  # beside the field, and in the summary


# --- X-Forwarded-For entries with a port --------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("203.0.113.7:4711", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("198.51.100.1, 203.0.113.7:80", "203.0.113.7"),
    ],
)
def test_a_forwarded_address_with_a_port_is_the_client(
    client, settings, make_post, comment_form, forwarded, address
):
    settings.TRUSTED_PROXY_COUNT = 1
    post = make_post()
    client.post(
        comment_create_url(post),
        comment_form(post),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert Comment.objects.get().ip_hash == hash_ip(address)


@pytest.mark.parametrize("forwarded", ["203.0.113.7:99999", "[2001:db8::1", "host:80", "1.2.3.4:"])
def test_a_malformed_forwarded_entry_falls_back_to_the_proxy(
    client, settings, make_post, comment_form, forwarded
):
    settings.TRUSTED_PROXY_COUNT = 1
    post = make_post()
    client.post(
        comment_create_url(post),
        comment_form(post),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert Comment.objects.get().ip_hash == hash_ip("10.0.0.1")


# --- An email that lower-casing lengthens -------------------------------------------------------


def test_an_email_too_long_once_lower_cased_is_a_field_error(client, make_post, comment_form):
    post = make_post()
    # "İ" lower-cases to two characters: 250 characters as typed, 491 once lower-cased.
    email = "a@" + ".".join(["İ" * 60] * 4) + ".com"
    assert len(email) <= 254 < len(email.lower())
    data = comment_form(post, email=email, body="Long address, text kept.")
    response = client.post(comment_create_url(post), data)
    assert response.status_code == 400
    page = html(response)
    assert 'id="id_email_error"' in page and "Long address, text kept." in page
    assert not Comment.objects.exists()


# --- One form timestamp, raced by many clients on two servers -----------------------------------

RACERS = 12


def test_one_form_timestamp_raced_on_two_servers_posts_one_comment(tmp_path):
    settings = dict(COMMENTS_MODERATION="none", COMMENTS_FORM_MIN_SECONDS=0)
    with running_site(
        tmp_path, servers=2, workers=4, DJANGO_TRUSTED_PROXY_COUNT=1, **settings
    ) as site:
        (slug,) = site.sql("SELECT slug FROM blog_post WHERE status='published' LIMIT 1")[0]
        action = f"/blog/{slug}/comments/"
        _, page, _ = Browser().request(f"{site.urls[0]}/blog/{slug}/")
        shared = Browser().form_fields(page, action)["timestamp"]
        requests = []
        for n in range(RACERS):
            browser = Browser(f"198.51.100.{n + 1}")  # a different client each time
            base = site.urls[n % 2]
            _, token, _ = browser.request(f"{base}/blog/comments/token/")
            fields = {
                "csrfmiddlewaretoken": json.loads(token)["token"],
                "timestamp": shared,
                "name": f"Racer {n}",
                "email": f"racer{n}@example.com",
                "body": f"Shared timestamp {n} [shared]",
            }
            requests.append((browser, base + action, fields))
        start = threading.Barrier(RACERS)

        def send(request):
            browser, url, fields = request
            start.wait()
            return browser.request(url, fields)[0]

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            statuses = list(pool.map(send, requests))
        stored = site.sql("SELECT COUNT(*) FROM comments_comment WHERE body LIKE '%[shared]%'")
    accepted = statuses.count(302)
    print(f"one timestamp: sent {RACERS} / accepted {accepted} / stored {stored[0][0]} / limit 1")
    assert sorted(set(statuses)) == [302, 400], statuses
    assert accepted == stored[0][0] == 1
