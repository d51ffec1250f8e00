"""Each announcement emailed exactly once: two worker processes racing, a worker process
killed mid-batch and resumed, a worker dying inside a batch in this process, and a failed
send kept with its error and retried a bounded number of times.
"""

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as settings_module
from django.core import mail
from django.utils import timezone

from subscriptions.models import Delivery
from tests.support.following import many_followers, run_worker_check
from tests.support.live_servers import live_database
from tests.support.mail_backends import WorkerKilled

pytestmark = pytest.mark.django_db


# --- Exactly once: racing workers, a worker dying, failures ---------------------------------------


SEED = """
from datetime import timedelta
from django.utils import timezone
from blog.models import Post
from subscriptions.models import Subscription
now = timezone.now()
Subscription.objects.bulk_create(
    Subscription(email=f"reader{n}@example.com", topic="site", status="confirmed",
                 confirmed_at=now - timedelta(days=1))
    for n in range(%d)
)
Post.objects.create(title="News", slug="news", body_markdown="Text.", summary="Short.",
                    status="published", published_at=now - timedelta(seconds=5))
"""


@pytest.fixture
def worker_database(tmp_path):
    """A database of its own (a SQLite file, or a fresh PostgreSQL one in CI) for workers run
    as separate processes, as production runs them."""
    with live_database(tmp_path) as url:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "workers-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": url,
        }

        def manage(*args, **extra):
            return subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=settings_module.BASE_DIR,
                env={**env, **extra},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )

        def run(*args, **extra):
            process = manage(*args, **extra)
            out, err = process.communicate(timeout=120)
            return process.returncode, out, err

        code, _, err = run("migrate", "--noinput")
        assert code == 0, err
        yield manage, run


def recipients(console_output):
    return re.findall(r"^To: (.+)$", console_output, re.M)


@pytest.mark.timeout(300)
def test_two_worker_processes_racing_send_each_email_once(worker_database):
    manage, run = worker_database
    assert run("shell", "-c", SEED % 200)[0] == 0
    slow = {"DJANGO_EMAIL_BACKEND": "tests.support.mail_backends.SlowConsoleBackend"}
    workers = [manage("send_due_notifications", **slow) for _ in range(2)]
    outputs = [worker.communicate(timeout=240) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    sent = [recipients(out) for out, _ in outputs]
    everyone = sorted(sent[0] + sent[1])
    assert everyone == sorted(f"reader{n}@example.com" for n in range(200))  # each once
    assert sent[0] and sent[1], "the two workers did not overlap: no race was tested"


@pytest.mark.timeout(300)
def test_a_worker_process_killed_mid_batch_is_resumed_without_duplicates(worker_database):
    _, run = worker_database
    assert run("shell", "-c", SEED % 10)[0] == 0
    killed = {
        "DJANGO_EMAIL_BACKEND": "tests.support.mail_backends.KilledConsoleBackend",
        "MAIL_KILL_AFTER": "4",
    }
    code, first, _ = run("send_due_notifications", **killed)
    assert code == 137 and len(recipients(first)) == 4
    console = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    # Restarted at once: the rest go, but not the one the dead worker had claimed (it might
    # still be at work); once its claim times out, that one goes too.
    _, second, _ = run("send_due_notifications", **console)
    assert len(recipients(second)) == 5
    _, third, _ = run("send_due_notifications", SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS="0", **console)
    assert len(recipients(third)) == 1
    everyone = recipients(first) + recipients(second) + recipients(third)
    assert sorted(everyone) == sorted(f"reader{n}@example.com" for n in range(10))
    assert not recipients(run("send_due_notifications", **console)[1])


def test_a_worker_killed_mid_batch_is_resumed_without_duplicates(settings, make_post):
    many_followers(5)
    make_post(slug="news")
    settings.EMAIL_BACKEND = "tests.support.mail_backends.DiesAfterTwoSends"
    with pytest.raises(WorkerKilled):
        run_worker_check()
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status=Delivery.Status.SENDING).count() == 1  # in hand

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker_check()  # restarted: the rest, but not the claim a worker may still hold
    assert len(mail.outbox) == 4
    Delivery.objects.filter(status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now()
        - timedelta(seconds=settings.SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS + 1)
    )
    run_worker_check()  # the dead worker's claim has timed out: taken over
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == [f"reader{n}@example.com" for n in range(5)]
    run_worker_check()
    assert len(mail.outbox) == 5


def test_a_failed_send_keeps_its_error_and_is_retried_a_bounded_number_of_times(
    settings, make_post
):
    settings.SUBSCRIPTIONS_MAX_ATTEMPTS = 3
    many_followers(1)
    make_post(slug="news")
    settings.EMAIL_BACKEND = "tests.support.mail_backends.MailServerDown"
    run_worker_check()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=250)
    run_worker_check()
    assert Delivery.objects.get().attempts == 1  # not due yet

    for _ in range(2):
        Delivery.objects.update(next_attempt_at=timezone.now())
        run_worker_check()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    Delivery.objects.update(next_attempt_at=timezone.now())
    run_worker_check()
    assert Delivery.objects.get().attempts == 3  # given up

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker_check()
    assert not mail.outbox
