"""The admin: sign-in attempts limited by user name and address together (django-axes), and
staff actions logged."""

import logging
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.support.admin_forms import admin_form_data, sign_in

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed sign-in attempts"


def test_a_user_is_locked_out_after_five_failures_even_with_the_right_password(
    client, site_owner, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "owner", "wrong")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    # The fifth failure is answered with the pause it starts.
    assert sign_in(client, "owner", "wrong").status_code == 429
    response = sign_in(client, "owner", "correct-horse-battery")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_elsewhere_never_lock_the_owner_out(client, site_owner, settings):
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT * 3):
        sign_in(attacker, "owner", "wrong", ip="198.51.100.66")
    assert (
        sign_in(attacker, "owner", "correct-horse-battery", ip="198.51.100.66").status_code == 429
    )
    response = sign_in(client, "owner", "correct-horse-battery", ip="203.0.113.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(site_owner.pk)


def test_the_lockout_ends_after_the_cool_off(client, site_owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "owner", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    response = sign_in(client, "owner", "correct-horse-battery")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(site_owner.pk)
    # A success forgets the failures; expired ones are not kept either.
    assert not AccessAttempt.objects.exists()


def test_axes_reset_lifts_every_lockout(client, site_owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "owner", "wrong")
    assert sign_in(client, "owner", "correct-horse-battery").status_code == 429
    call_command("axes_reset", stdout=StringIO())
    assert sign_in(client, "owner", "correct-horse-battery").status_code == 302


def test_user_names_are_counted_as_typed_whatever_their_case(client, site_owner, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "Owner" if n % 2 else " OWNER ", "wrong")
    assert sign_in(client, "owner", "correct-horse-battery").status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, site_owner, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "owner", "wrong", x_forwarded_for=f"10.0.0.{n}")
    response = sign_in(client, "owner", "correct-horse-battery", x_forwarded_for="10.9.9.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_the_database_never_holds_the_address_itself(client, site_owner):
    sign_in(client, "owner", "wrong", ip="203.0.113.7")
    sign_in(client, "owner", "wrong", ip="203.0.113.7")
    attempt = AccessAttempt.objects.get()  # the same client: one pseudonym
    assert attempt.ip_address != "203.0.113.7" and attempt.ip_address.startswith("fd")
    assert attempt.failures_since_start == 2


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
