"""Mail backends for the worker run in other processes
(tests/subscriptions/test_subscriptions.py): one as slow as a real mail server, so that two
workers overlap, and one whose process is killed in the middle of a batch. Both print what
they send as Django's console backend does."""

import os
import time

from django.core.mail.backends.console import EmailBackend as ConsoleBackend


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
