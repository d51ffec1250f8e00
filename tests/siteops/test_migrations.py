"""Migrations: none missing, and every one of ours can be undone and redone."""

from io import StringIO

import pytest
from django.core.management import call_command

OUR_APPS = ["blog", "comments", "comparisons", "adminguard", "siteops", "subscriptions", "search"]


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app", OUR_APPS)
def test_migrations_reverse_to_zero_and_apply_again(app):
    call_command("migrate", app, "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    out = StringIO()
    call_command("showmigrations", app, stdout=out)
    assert "[ ]" not in out.getvalue() and "[X]" in out.getvalue()
