"""Reading the environment for config/settings.py: typed values, the production secrets it
must have (and may not have weak), the development key kept per checkout, and defaults
derived from other settings."""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def require_production_secrets(secret_key: str, allowed_hosts: list[str]) -> None:
    """Production (DJANGO_DEBUG off) starts only with a strong key and its host names."""
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", secret_key),
            ("DJANGO_ALLOWED_HOSTS", allowed_hosts),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production mode (DJANGO_DEBUG off) needs "
            + " and ".join(missing)
            + ". Set them in the environment, or set DJANGO_DEBUG=1 for development."
        )
    # What `check --deploy` only warns about (security.W009) stops production here: a key
    # that can be guessed lets anyone sign sessions, cookies and every signed link.
    if (
        len(secret_key) < 50
        or len(set(secret_key)) < 5
        or secret_key.startswith("django-insecure-")
    ):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is too weak: use at least 50 random characters, for example "
            "from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )


def development_secret_key(key_file: Path) -> str:
    """A development key generated per checkout and kept out of git, so that sessions
    survive restarts without any secret living in the repository."""
    if not key_file.exists():
        key_file.write_text(get_random_secret_key())
    return key_file.read_text().strip()


def default_contact_email(site_url: str) -> str:
    """hello@ the site's host name (without www.); hello@localhost for an address or none."""
    host = (urlsplit(site_url).hostname or "").removeprefix("www.")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return f"hello@{host or 'localhost'}"
    return "hello@localhost"
