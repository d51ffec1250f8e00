"""gunicorn settings for `make serve` and production: `gunicorn -c config/gunicorn.py config.wsgi`.

Workers default to 2 x cores + 1 (gunicorn's own advice); each is a sync worker, which
expects a buffering proxy in front in production: deploy/nginx.conf (docs/operations.md,
"Behind nginx"), without which a few slow clients hold every worker. Every value can be
overridden with gunicorn's usual GUNICORN_CMD_ARGS or the environment variables below.
"""

import multiprocessing
import os

# Workers are processes: without Redis they share rendered pages through files (settings).
if not os.environ.get("REDIS_URL"):
    os.environ.setdefault("DJANGO_CACHE_IN_FILES", "1")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Workers are forked from a master that has already loaded Django: a replacement worker
# starts in milliseconds instead of the second an import takes.
preload_app = True
# A guard against slow leaks: each worker is replaced after this many requests. Not too
# often, though: a fresh worker starts with an empty page cache and uncompiled templates, and
# copies its parent's memory as it touches it, which shows in tail latency (docs/performance.md).
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
