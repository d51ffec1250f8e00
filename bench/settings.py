"""Settings for benchmark servers: the site's own settings plus a bare comparison view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
