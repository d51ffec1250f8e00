"""Past one machine: two gunicorn servers sharing the database (and Redis when configured).

Runs against SQLite (one shared file) and, in CI's second run, PostgreSQL + Redis. Clients are
told apart by X-Forwarded-For behind one trusted proxy, as behind a real load balancer.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.live_servers import running_site
from tests.support.recommendation_support import GROWING_FIRM

SLUG = "understanding-it-service-models-break-fix-versus-managed-services"
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(
        tmp_path_factory.mktemp("scale-out"),
        servers=2,
        COMMENTS_MODERATION="none",
        COMMENTS_FORM_MIN_SECONDS=0,
        COMMENTS_MIN_INTERVAL_SECONDS=0,
        COMMENTS_MAX_PER_HOUR=3,
        DJANGO_TRUSTED_PROXY_COUNT=1,
        COMPARISONS_MAX_SAVED_PER_HOUR=3,
        COMMENTS_MAX_LINKS=2,
    ) as site:
        yield site


def stored_bodies(site, marker):
    rows = site.sql(f"SELECT body FROM comments_comment WHERE body LIKE '%{marker}%'")
    return sorted(body for (body,) in rows)


def test_comments_posted_alternately_to_two_servers_are_stored_exactly_once(site):
    bodies = [f"Alternating comment {n} [alt]" for n in range(30)]
    for n, body in enumerate(bodies):
        status, _, headers = site.post_comment(
            n % 2,
            SLUG,
            name=f"Reader {n}",
            email=f"alt{n}@example.com",
            body=body,
            forwarded_for=f"198.51.100.{n + 1}",
        )
        assert status == 302 and "#comment-" in headers["Location"], status
    assert stored_bodies(site, "[alt]") == sorted(bodies)


def test_flood_control_counts_submissions_made_to_either_server(site):
    statuses = []
    for n in range(4):
        status, html, _ = site.post_comment(
            n % 2,
            SLUG,
            name="Eager",
            email=f"eager{n}@example.com",
            body=f"Flood attempt {n} [flood]",
            forwarded_for="203.0.113.50",
        )
        statuses.append(status)
        if status != 302:
            assert f"Flood attempt {n} [flood]" in html  # the text comes back intact
    assert statuses[:3] == [302, 302, 302] and statuses[3] != 302
    assert len(stored_bodies(site, "[flood]")) == 3


def test_the_limit_on_saved_recommendations_counts_across_both_servers(site):
    statuses = [
        site.post_recommendation(n % 2, GROWING_FIRM, forwarded_for="203.0.113.60")[0]
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert site.sql("SELECT COUNT(*) FROM comparisons_recommendation")[0][0] == 3


def test_a_comment_approved_on_one_server_appears_at_once_on_the_other(site):
    body = "Held for links https://a.example https://b.example https://c.example [held]"
    status, _, _ = site.post_comment(
        0,
        SLUG,
        name="Linker",
        email="linker@example.com",
        body=body,
        forwarded_for="192.0.2.77",
    )
    assert status == 302
    (comment_id,) = site.sql("SELECT id FROM comments_comment WHERE body LIKE '%[held]%'")[0]
    assert "https://c.example" not in site.page(1, f"/blog/{SLUG}/")[1]

    staff = site.sign_in_staff(0)
    changelist = f"{site.urls[0]}/admin/comments/comment/?status=pending"
    _, html, _ = staff.request(changelist)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, _, _ = staff.request(
        changelist,
        {
            "csrfmiddlewaretoken": token,
            "action": "approve",
            "_selected_action": [comment_id],
            "index": "0",
        },
    )
    assert status == 302
    assert "https://c.example" in site.page(1, f"/blog/{SLUG}/")[1]


def test_sixteen_concurrent_clients_post_400_comments_without_loss_or_error(site):
    def post(n):
        return site.post_comment(
            n % 2,
            SLUG,
            name=f"Concurrent {n}",
            email=f"c{n}@example.com",
            body=f"Concurrent comment {n} [conc]",
            forwarded_for=f"10.{n // 250}.{n % 250}.{n % 7 + 1}",
        )[0]

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(post, range(400)))
    assert statuses.count(302) == 400, {s: statuses.count(s) for s in set(statuses)}
    bodies = stored_bodies(site, "[conc]")
    assert len(bodies) == 400 and len(set(bodies)) == 400
