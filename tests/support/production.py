"""Running manage.py as production runs it: DEBUG off, a real-looking key, an allowed host."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-tests-only-" + "y" * 20,
    "DJANGO_ALLOWED_HOSTS": "guide.example.com",
    "SITE_URL": "https://guide.example.com",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
