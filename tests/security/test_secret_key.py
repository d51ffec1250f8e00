"""Production refuses a secret key that is easy to guess, and the deploy check fails on any
warning, so a weak key cannot slip through as a warning nobody reads."""

import pytest

from tests.support.production import PRODUCTION_ENV, manage


@pytest.mark.parametrize(
    "weak",
    ["changeme", "hunter2", "x" * 49, "ab" * 40, "django-insecure-" + "k3y-" * 12],
)
def test_a_weak_secret_key_is_refused_at_start(weak):
    result = manage("check", env={**PRODUCTION_ENV, "DJANGO_SECRET_KEY": weak})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert weak not in result.stderr  # the key itself is never printed


def test_the_deploy_steps_fail_on_warnings():
    from pathlib import Path

    from django.conf import settings

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    steps = [line for line in readme.splitlines() if "check --deploy" in line]
    assert steps and all("--fail-level WARNING" in line for line in steps)
