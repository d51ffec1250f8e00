"""Settings of the minimal comparison project: the least Django needs to answer a request.

Served by the same gunicorn configuration as the site (config/gunicorn.py, config.wsgi with
DJANGO_SETTINGS_MODULE=bench.minimal.settings), so only Django's side differs.
"""

import os

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1").split(",")
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "bench.minimal.urls"
DATABASES = {}
USE_TZ = True
