"""The background tasks of following by email (django-tasks; the database queue in production,
run by `manage.py run_worker`).

- `send_confirmation(subscription_id)`: the confirmation email, the only one an unconfirmed
  address ever gets. Enqueued by `following.ask_to_follow()` in the request's transaction, so
  the request takes the same time whatever the address (and reveals nothing by it).
- `send_notifications()`: announce the posts that went live, then send every delivery due
  (`subscriptions.sending`). Enqueued every SUBSCRIPTIONS_CHECK_SECONDS by `run_worker`, and
  whenever a reply email is queued. Safe to run in several workers at once.
"""

from django.utils import timezone
from django_tasks import task

from subscriptions.mail import confirmation_mail
from subscriptions.models import Subscription
from subscriptions.sending import announce_due_posts, prune, send_due_deliveries


@task()
def send_confirmation(subscription_id: int) -> bool:
    subscription = (
        Subscription.objects.select_related("series")
        .filter(pk=subscription_id, status=Subscription.Status.PENDING)
        .first()
    )
    if subscription is None:  # confirmed or erased meanwhile
        return False
    try:
        confirmation_mail(subscription).send()
    except Exception:
        # Not sent: let the next request send one at once instead of in an hour.
        Subscription.objects.filter(pk=subscription_id).update(confirmation_sent_at=None)
        raise
    return True


@task()
def send_notifications() -> dict:
    announced = announce_due_posts()
    report = send_due_deliveries()
    pruned = prune()
    return {
        "announced": announced,
        "sends": dict(report),
        "pruned": pruned,
        "at": timezone.now().isoformat(),
    }
