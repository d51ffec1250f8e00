"""`manage.py send_due_notifications`: one pass of the worker's check, in this process.

Announces the posts that went live (scheduled parts included), sends every email due, and
deletes what is kept no longer; the same work as the `send_notifications` task, without the
queue (for cron, a one-off catch-up, and the tests). Safe beside running workers.
"""

from django.core.management.base import BaseCommand

from subscriptions.sending import announce_due_posts, prune, send_due_deliveries


class Command(BaseCommand):
    help = "Announce posts that went live and send every follower email that is due, once."

    def handle(self, *args, **options):
        announced = announce_due_posts()
        report = send_due_deliveries()
        pruned = prune()
        sends = ", ".join(f"{count} {what}" for what, count in sorted(report.items())) or "none"
        self.stdout.write(f"Queued {announced} email(s) for posts that went live; sends: {sends}.")
        if any(pruned.values()):
            self.stdout.write(
                "Deleted {requests} old request(s), {pending} unconfirmed and "
                "{unsubscribed} unsubscribed address(es).".format(**pruned)
            )
