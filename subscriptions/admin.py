"""Admin for following by email: the subscribers (by status, with counts), the sends of each
post, and every delivery with its status and error.

Subscriptions are made only by the double opt-in, so the admin cannot add them; it can
unsubscribe addresses and erase them (an erasure request). Failed deliveries keep their
error; "Send again" puts them back in the queue for the worker.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from subscriptions.following import erase_addresses, unsubscribe
from subscriptions.models import Announcement, Delivery, Subscription


class CountedStatusFilter(admin.SimpleListFilter):
    """A status filter whose choices say how many rows each status holds."""

    title = "status"
    parameter_name = "status"
    model = None

    def lookups(self, request, model_admin):
        counts = dict(
            self.model.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        )
        return [
            (value, f"{label} ({counts.get(value, 0)})")
            for value, label in self.model.Status.choices
        ]

    def queryset(self, request, queryset):
        if self.value() in self.model.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class SubscriptionStatusFilter(CountedStatusFilter):
    model = Subscription


class DeliveryStatusFilter(CountedStatusFilter):
    model = Delivery


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the site writes: shown, never edited by hand; the actions need change permission."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_act_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["email", "topic", "series", "status", "created_at", "confirmed_at"]
    list_filter = [SubscriptionStatusFilter, "topic", "series"]
    list_select_related = ["series"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    actions = ["unsubscribe_selected", "erase_addresses"]
    fields = [
        "email",
        "topic",
        "series",
        "status",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
    ]

    @admin.action(description="Unsubscribe the selected subscriptions", permissions=["act"])
    def unsubscribe_selected(self, request, queryset):
        for subscription in queryset:
            unsubscribe(subscription)
        self.message_user(request, f"Unsubscribed {len(queryset)}.", messages.SUCCESS)

    @admin.action(
        description="Erase every subscription of these addresses (GDPR)", permissions=["delete"]
    )
    def erase_addresses(self, request, queryset):
        addresses = set(queryset.values_list("email", flat=True))
        erased = erase_addresses(addresses)
        self.message_user(
            request,
            f"Erased {erased} subscription(s) of {len(addresses)} address(es), with their "
            "record of sends.",
            messages.SUCCESS,
        )


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    """Sends per post: one row per post the worker found live, with what became of its emails."""

    list_display = ["post", "announced_at", "recipients", "sent", "waiting", "failed", "skipped"]
    list_select_related = ["post"]
    search_fields = ["post__title"]
    date_hierarchy = "announced_at"

    def get_queryset(self, request):
        def count(*statuses):
            return Count("post__deliveries", filter=Q(post__deliveries__status__in=statuses))

        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=count(Delivery.Status.SENT),
                waiting_count=count(Delivery.Status.PENDING, Delivery.Status.SENDING),
                failed_count=count(Delivery.Status.FAILED),
            )
        )

    def _link(self, announcement, value, status=None):
        url = (
            reverse("admin:subscriptions_delivery_changelist")
            + f"?post__id__exact={announcement.post_id}"
        )
        if status:
            url += f"&status={status}"
        return format_html('<a href="{}">{}</a>', url, value)

    @admin.display(description="sent", ordering="sent_count")
    def sent(self, announcement):
        return self._link(announcement, announcement.sent_count, Delivery.Status.SENT)

    @admin.display(description="waiting", ordering="waiting_count")
    def waiting(self, announcement):
        return self._link(announcement, announcement.waiting_count)

    @admin.display(description="failed", ordering="failed_count")
    def failed(self, announcement):
        return self._link(announcement, announcement.failed_count, Delivery.Status.FAILED)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["address", "about", "status", "attempts", "sent_at", "error"]
    list_filter = [DeliveryStatusFilter, "subscription__topic", "post"]
    list_select_related = ["subscription", "post", "reply__post"]
    search_fields = ["subscription__email", "post__title"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "subscription",
        "post",
        "reply",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "claimed_by",
        "sent_at",
        "last_error",
    ]

    @admin.display(description="address", ordering="subscription__email")
    def address(self, delivery):
        return delivery.subscription.email

    @admin.display(description="about")
    def about(self, delivery):
        if delivery.post_id:
            return delivery.post.title
        return f"A reply on “{delivery.reply.post.title}”"

    @admin.display(description="last error")
    def error(self, delivery):
        return delivery.last_error[:120]

    @admin.action(description="Send again (failed or skipped deliveries)", permissions=["act"])
    def send_again(self, request, queryset):
        again = queryset.filter(
            status__in=[Delivery.Status.FAILED, Delivery.Status.SKIPPED]
        ).update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
        self.message_user(
            request,
            f"{again} delivery(ies) back in the queue: the worker sends them within a minute.",
            messages.SUCCESS,
        )
