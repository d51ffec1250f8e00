"""gunicorn settings for `make serve` and production: `gunicorn -c config/gunicorn.py config.wsgi`.

Workers default to 2 x cores + 1 (gunicorn's own advice); each is a sync worker, which
expects a buffering proxy in front in production. Every value can be overridden with
gunicorn's usual GUNICORN_CMD_ARGS or the environment variables below.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
