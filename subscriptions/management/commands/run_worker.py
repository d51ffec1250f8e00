"""`manage.py run_worker`: the background worker, one process that does both jobs.

Every SUBSCRIPTIONS_CHECK_SECONDS (`--check-every`) it puts a `send_notifications` task in
the database queue (unless one is already waiting), which finds the posts that went live
since, scheduled parts included, and sends what is due. Between checks it runs whatever the
queue holds (confirmation emails, reply emails, those checks) with django-tasks-db's own
worker loop, the one `manage.py db_worker` runs. Any number of these may run, on any servers:
the queue hands each task to one worker and every email is claimed in the database
(subscriptions.sending). SIGTERM or Ctrl+C stops it after the task in hand.

Every hour (and when it starts) it also refreshes SQLite's query planner statistics
(siteops.database_statistics): the comments grow between deploys and syncs.

`make run` and `make serve` start it beside the web server; production runs it as its own
process (docs/operations.md).
"""

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from siteops.database_statistics import REFRESH_EVERY_SECONDS, refresh_statistics
from subscriptions.sending import new_worker_id
from subscriptions.tasks import send_notifications

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run queued tasks, and check for newly published posts every minute."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check-every",
            type=float,
            default=settings.SUBSCRIPTIONS_CHECK_SECONDS,
            help="Seconds between checks for posts that went live (default: %(default)s).",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=1.0,
            help="Seconds between looks at the queue when it is empty (default: %(default)s).",
        )
        parser.add_argument(
            "--once", action="store_true", help="One check, run the queue empty, and stop."
        )

    def handle(self, *args, check_every, poll, once, verbosity, **options):
        # The queue's loop logs every pass at INFO; the tasks' failures still show.
        level = logging.INFO if verbosity > 1 else logging.WARNING
        for name in ("django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
        self.stopping = threading.Event()
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        self.queue = None
        if isinstance(backend, DatabaseBackend):
            self.queue = Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=False,
                max_tasks=None,
                worker_id=new_worker_id(),
            )
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.stop)
        if verbosity:
            self.stdout.write(
                f"Worker started: checking for new posts every {check_every:g} s "
                f"(stop with Ctrl+C)."
            )
        next_check = next_statistics = 0.0
        while not self.stopping.is_set():
            try:
                if time.monotonic() >= next_check:
                    self.check_for_new_posts()
                    next_check = time.monotonic() + check_every
                if time.monotonic() >= next_statistics:
                    refresh_statistics(periodic=True)
                    next_statistics = time.monotonic() + REFRESH_EVERY_SECONDS
                if self.queue is not None:
                    self.queue.running = True
                    self.queue.run()  # every ready task, then back here
            except DatabaseError:
                # A database restarting, or locked for longer than the busy timeout: nothing
                # is lost (the queue and the claims are rows), so wait and carry on.
                logger.exception("The worker could not reach the database; trying again")
            close_old_connections()
            if once:
                break
            self.stopping.wait(poll)

    def check_for_new_posts(self):
        if self.queue is None:
            # No queue to share (tasks run where they are enqueued): do the work here.
            send_notifications.call()
            return
        waiting = DBTaskResult.objects.ready().filter(task_path=send_notifications.module_path)
        if not waiting.exists():
            send_notifications.enqueue()

    def stop(self, signum, frame):
        if self.stopping.is_set():
            raise SystemExit(1)  # asked twice: stop now, even mid-task
        self.stopping.set()
        if self.queue is not None:
            self.queue.running = False  # its loop ends after the task in hand
