"""The admin: sign-in attempts limited by user and by address, and staff actions logged."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from adminguard.models import LoginFailure
from tests.support.admin_forms import admin_form_data, sign_in

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed sign-in attempts"


def test_a_user_is_locked_out_after_five_failures_even_with_the_right_password(
    client, site_owner, settings
):
    for _ in range(settings.ADMIN_LOGIN_MAX_FAILURES_PER_USER):
        response = sign_in(client, "owner", "wrong")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = sign_in(client, "owner", "correct-horse-battery", ip="198.51.100.1")
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_window(client, site_owner, settings):
    for _ in range(settings.ADMIN_LOGIN_MAX_FAILURES_PER_USER):
        sign_in(client, "owner", "wrong")
    earlier = timezone.now() - timedelta(minutes=settings.ADMIN_LOGIN_LOCKOUT_MINUTES + 1)
    LoginFailure.objects.update(created_at=earlier)
    response = sign_in(client, "owner", "correct-horse-battery")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(site_owner.pk)


def test_an_address_is_locked_out_after_many_failures_across_user_names(
    client, site_owner, settings
):
    for n in range(settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP):
        sign_in(client, f"guess{n}", "wrong")
    assert LOCKED in sign_in(client, "owner", "correct-horse-battery").content.decode()
    other = sign_in(client, "owner", "correct-horse-battery", ip="198.51.100.1")
    assert other.status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_address_limit(
    client, site_owner, settings
):
    for n in range(settings.ADMIN_LOGIN_MAX_FAILURES_PER_IP):
        sign_in(client, f"guess{n}", "wrong", x_forwarded_for=f"10.0.0.{n}")
    response = sign_in(client, "owner", "correct-horse-battery", x_forwarded_for="10.9.9.9")
    assert LOCKED in response.content.decode()


def test_the_database_never_holds_the_address_itself(client, site_owner):
    sign_in(client, "owner", "wrong", ip="203.0.113.7")
    failure = LoginFailure.objects.get()
    assert "203.0.113.7" not in failure.ip_hash and len(failure.ip_hash) == 64


def test_the_admin_url_is_configurable():
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.urls import reverse; print(reverse('admin:index'))",
        ],
        cwd=settings.BASE_DIR,
        env={"PATH": "", "DJANGO_DEBUG": "1", "DJANGO_ADMIN_URL": "back-office/"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "/back-office/"


def test_sign_ins_and_staff_changes_are_logged(client, site_owner, make_post, caplog):
    post = make_post(title="Before")
    caplog.set_level(logging.INFO, logger="audit")
    sign_in(client, "owner", "wrong")
    sign_in(client, "owner", "correct-horse-battery")
    change_url = reverse("admin:blog_post_change", args=[post.pk])
    saved = client.post(change_url, {**admin_form_data(client.get(change_url)), "title": "After"})
    assert saved.status_code == 302

    messages = [r.getMessage() for r in caplog.records if r.name == "audit"]
    assert any(m.startswith("failed sign-in user=owner") for m in messages), messages
    assert any(m.startswith("sign-in user=owner") for m in messages), messages
    assert any("admin change user=owner object=post" in m and "'After'" in m for m in messages)
    assert all("203.0.113.7" not in m and "correct-horse" not in m for m in messages)
