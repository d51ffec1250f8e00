"""Production configuration: refuses to start half-configured, passes check --deploy, and
serves compressed static files with hashed names and far-future cache headers."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.support.production import PRODUCTION_ENV, manage


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without_its_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Production mode (DJANGO_DEBUG off) needs {missing}" in result.stderr


def test_check_deploy_reports_nothing_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "setting"),
    [
        ("DJANGO_TRUSTED_PROXY_COUNT", "TRUSTED_PROXY_COUNT = 2"),
        ("COMMENTS_TRUSTED_PROXY_COUNT", "TRUSTED_PROXY_COUNT = 2"),
        ("DJANGO_IP_HASH_KEY", "IP_HASH_KEY = '2'"),
        ("COMMENTS_IP_HASH_KEY", "IP_HASH_KEY = '2'"),
    ],
)
def test_the_client_settings_are_read_under_their_new_and_their_earlier_names(variable, setting):
    result = manage("diffsettings", env={**PRODUCTION_ENV, variable: "2"})
    assert result.returncode == 0, result.stderr
    # diffsettings marks the project's own settings with "###".
    assert f"{setting}  ###" in result.stdout.splitlines()


def test_collectstatic_writes_hashed_compressed_files_served_with_far_future_caching(
    settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    hashed = [
        p.name for p in (tmp_path / "css").iterdir() if re.match(r"site\.\w{12}\.css$", p.name)
    ]
    assert hashed, "no hashed site.css"
    assert (tmp_path / "css" / f"{hashed[0]}.gz").exists()
    assert (tmp_path / "css" / f"{hashed[0]}.br").exists()

    response = Client().get(f"/static/css/{hashed[0]}", headers={"accept-encoding": "br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert (
        "immutable" in response["Cache-Control"]
        and "max-age=315360000" in response["Cache-Control"]
    )
