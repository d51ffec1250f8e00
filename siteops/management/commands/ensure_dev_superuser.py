"""`manage.py ensure_dev_superuser`: create a development superuser once, for `make run`.

Does nothing when any superuser exists. The generated password is printed once and never
stored anywhere but as Django's usual password hash. Refuses to run outside debug mode.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the development superuser 'admin' with a generated password, if none exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a development superuser with DEBUG off.")
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; nothing to do.")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=username, email="", password=password)
        admin_url = f"{settings.SITE_URL}/{settings.ADMIN_URL}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Created superuser {username!r} with password {password}\n"
                f"(shown only this once) - sign in at {admin_url}"
            )
        )
