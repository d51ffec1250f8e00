"""What the admin index shows the site owner above the app list, in a fixed number of queries.

Four panels, each for a user who may view the records behind it:

- comments awaiting moderation, linking to the queue (view comments);
- comments received and recommendations saved on each of the last 30 days, drawn as inline
  SVG bar charts with the same numbers in a table (comments, recommendations);
- the outcomes of the last 30 days' recommendations, each with its count and share;
- the five most-discussed posts: most public comments from readers in the last 30 days.

The site's own replies (`Comment.by_site`) count in neither the comments a day nor the posts:
both measure what readers wrote.

Every number is one aggregate query: the pending count, one `TruncDate`/`Count` query per
daily series, one `Count` per outcome, one grouped count for the posts. That is five queries
however many rows the tables hold (tests/siteops/test_admin_dashboard.py proves it). Days are
calendar days in the site's TIME_ZONE, not UTC. Used by siteops/templatetags/admin_dashboard.py.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comparisons.costs import LABELS
from comparisons.models import Recommendation

DAYS = 30
TOP_POSTS = 5
# Geometry of a daily chart, in SVG user units; the SVG stretches to its box's width.
CHART_WIDTH = 300
CHART_HEIGHT = 100
BAR_GAP = 2


@dataclass(frozen=True)
class Window:
    """The last `DAYS` calendar days in the site's time zone, today included."""

    days: tuple[date, ...]
    start: datetime
    end: datetime

    @classmethod
    def ending(cls, now: datetime | None = None) -> "Window":
        zone = timezone.get_default_timezone()
        today = timezone.localtime(now or timezone.now(), zone).date()
        days = tuple(today - timedelta(days=back) for back in range(DAYS - 1, -1, -1))
        start = datetime.combine(days[0], time.min, tzinfo=zone)
        end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
        return cls(days=days, start=start, end=end)

    def of(self, queryset):
        return queryset.filter(created_at__gte=self.start, created_at__lt=self.end)


@dataclass(frozen=True)
class Bar:
    day: date
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class DailySeries:
    """One count per day, with the bars that draw it."""

    name: str  # plural noun: "comments"
    bars: tuple[Bar, ...]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def peak(self) -> int:
        return max((bar.count for bar in self.bars), default=0)

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(bar.count for bar in self.bars)


@dataclass(frozen=True)
class OutcomeShare:
    key: str
    label: str
    count: int
    percent: int  # whole percent; the shares add up to 100 (or all are 0)


@dataclass(frozen=True)
class DiscussedPost:
    title: str
    comments: int
    public_url: str
    admin_url: str  # "" when the user may not open posts in the admin


@dataclass(frozen=True)
class Dashboard:
    window: Window
    pending: int | None = None
    queue_url: str = ""
    comments: DailySeries | None = None
    recommendations: DailySeries | None = None
    outcomes: tuple[OutcomeShare, ...] | None = None
    outcomes_total: int = 0
    discussed: tuple[DiscussedPost, ...] | None = None

    @property
    def series(self) -> tuple[DailySeries, ...]:
        return tuple(s for s in (self.comments, self.recommendations) if s is not None)

    @property
    def table_rows(self) -> list[tuple[date, tuple[int, ...]]]:
        """Day by day, newest first, one count per series: the charts' numbers as a table."""
        columns = [s.counts for s in self.series]
        rows = [(day, tuple(c[i] for c in columns)) for i, day in enumerate(self.window.days)]
        return rows[::-1]


def may_view(user, app_label: str, model_name: str) -> bool:
    """The admin's own rule: changing a model implies viewing it."""
    return user.has_perm(f"{app_label}.view_{model_name}") or user.has_perm(
        f"{app_label}.change_{model_name}"
    )


def dashboard_for(user, now: datetime | None = None) -> Dashboard | None:
    """The panels this staff user may see, or None when they may see none of them."""
    comments = may_view(user, "blog", "comment")
    recommendations = may_view(user, "comparisons", "recommendation")
    if not (user.is_active and user.is_staff and (comments or recommendations)):
        return None
    window = Window.ending(now)
    panels = {}
    if comments:
        panels["pending"] = Comment.objects.awaiting_moderation().count()
        panels["queue_url"] = (
            reverse("admin:comments_comment_changelist") + f"?status={Comment.Status.PENDING}"
        )
        # Spam is left out (one bot's burst would flatten the readers' comments to nothing),
        # and so are the site's own replies: this counts what readers sent.
        received = by_readers(Comment.objects.exclude(status=Comment.Status.SPAM))
        panels["comments"] = daily_series("comments", window, received)
        panels["discussed"] = most_discussed(window, may_view(user, "blog", "post"))
    if recommendations:
        counts = window.of(Recommendation.objects.all()).counts_by_outcome()
        panels["outcomes"] = outcome_shares(counts)
        panels["outcomes_total"] = sum(counts.values())
        panels["recommendations"] = daily_series(
            "recommendations", window, Recommendation.objects.all()
        )
    return Dashboard(window=window, **panels)


def by_readers(comments):
    """Only comments written by readers: not the replies staff post as the site."""
    return comments.filter(by_site=False)


def daily_series(name: str, window: Window, queryset) -> DailySeries:
    """Rows per calendar day of the window: one grouped query, however many rows."""
    zone = timezone.get_default_timezone()
    per_day = dict(
        window.of(queryset)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    return DailySeries(name=name, bars=bars([per_day.get(day, 0) for day in window.days], window))


def bars(counts: list[int], window: Window) -> tuple[Bar, ...]:
    """Bars of equal width across the chart, heights relative to the busiest day."""
    peak = max(counts, default=0) or 1
    slot = CHART_WIDTH / len(counts)
    drawn = []
    for i, (day, count) in enumerate(zip(window.days, counts, strict=True)):
        height = round(CHART_HEIGHT * count / peak, 2)
        drawn.append(
            Bar(
                day=day,
                count=count,
                x=round(i * slot + BAR_GAP / 2, 2),
                y=round(CHART_HEIGHT - height, 2),
                width=round(slot - BAR_GAP, 2),
                height=height,
            )
        )
    return tuple(drawn)


def outcome_shares(counts: dict[str, int]) -> tuple[OutcomeShare, ...]:
    return tuple(
        OutcomeShare(key=key, label=LABELS[key], count=count, percent=percent)
        for (key, count), percent in zip(
            counts.items(), whole_percentages(list(counts.values())), strict=True
        )
    )


def whole_percentages(counts: list[int]) -> list[int]:
    """Whole percentages that add up to exactly 100 (largest remainders round up), so the
    table never shows 99 % or 101 % in total."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * count / total for count in counts]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


def most_discussed(window: Window, link_to_admin: bool) -> tuple[DiscussedPost, ...]:
    """The posts with the most public comments from readers in the window, busiest first."""
    rows = (
        window.of(by_readers(Comment.objects.public()))
        .order_by()
        .values("post_id", "post__title", "post__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "post__title")[:TOP_POSTS]
    )
    return tuple(
        DiscussedPost(
            title=row["post__title"],
            comments=row["n"],
            public_url=reverse("blog:post-detail", kwargs={"slug": row["post__slug"]}),
            admin_url=(
                reverse("admin:blog_post_change", args=[row["post_id"]]) if link_to_admin else ""
            ),
        )
        for row in rows
    )
