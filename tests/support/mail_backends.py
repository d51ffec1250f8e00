"""Mail backends for the subscription tests (tests/subscriptions/test_delivery_exactly_once.py
and the admin's): for the worker run in other processes, one as slow as a real mail server, so
that two workers overlap, and one whose process is killed in the middle of a batch, both
printing what they send as Django's console backend does; in the test's own process, one that
dies after two sends and one whose mail server is down."""

import os
import smtplib
import time

from django.core import mail
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class SlowConsoleBackend(ConsoleBackend):
    def send_messages(self, messages):
        time.sleep(0.01 * len(messages))
        return super().send_messages(messages)


class KilledConsoleBackend(ConsoleBackend):
    """Sends MAIL_KILL_AFTER messages, then the process dies at once (no cleanup, no commit)."""

    sent = 0

    def send_messages(self, messages):
        if KilledConsoleBackend.sent >= int(os.environ["MAIL_KILL_AFTER"]):
            os._exit(137)  # what SIGKILL leaves: the claim made, the email not sent
        KilledConsoleBackend.sent += len(messages)
        return super().send_messages(messages)


class WorkerKilled(BaseException):
    """What the kill of a worker looks like from inside: nothing after it runs."""


class DiesAfterTwoSends(LocmemBackend):
    def send_messages(self, messages):
        if len(mail.outbox) >= 2:
            raise WorkerKilled
        return super().send_messages(messages)


class MailServerDown(LocmemBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
