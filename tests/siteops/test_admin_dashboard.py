"""The owner's dashboard on the admin index (siteops.dashboard): pending comments, comments and
recommendations per day over the last 30 days in the site's time zone, outcome shares, the
most-discussed posts; a constant number of queries however many rows; nothing for staff who
may view neither comments nor recommendations."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from comparisons.costs import LABELS
from comparisons.models import Recommendation
from siteops.dashboard import DAYS, dashboard_for, whole_percentages
from tests.support.pages import ok_html

INDEX = reverse("admin:index")


def local_today():
    return timezone.localdate(timezone=timezone.get_default_timezone())


def at(day, hour=12, minute=0):
    """An aware datetime on a calendar day of the site's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def day_counts(page, day):
    """The counts in the dashboard's day-by-day table for `day`: [comments, recommendations]."""
    row = re.search(
        rf'<time datetime="{day:%Y-%m-%d}">[^<]*</time></th>((?:<td[^>]*>\d+</td>)+)</tr>', page
    )
    assert row, f"no row for {day} in the dashboard table"
    return [int(n) for n in re.findall(r">(\d+)</td>", row.group(1))]


def received_on(comment, when):
    Comment.objects.filter(pk=comment.pk).update(created_at=when)


@pytest.fixture
def recommend(db):
    """Save a recommendation with this outcome, created at `when` (now by default)."""

    def make(outcome, when=None):
        row = Recommendation.objects.create(inputs={"employees": 5}, outcome=outcome, result={})
        if when is not None:
            Recommendation.objects.filter(pk=row.pk).update(created_at=when)
        return row

    return make


def test_the_dashboard_shows_the_pending_count_linking_to_the_queue(admin_client, make_comment):
    for _ in range(3):
        make_comment(status=Comment.Status.PENDING)
    make_comment(status=Comment.Status.SPAM)
    page = ok_html(admin_client.get(INDEX))
    assert "3 comments awaiting moderation" in page
    assert reverse("admin:comments_comment_changelist") + "?status=pending" in page


def test_with_nothing_pending_the_dashboard_says_so(admin_client, db):
    page = ok_html(admin_client.get(INDEX))
    assert "No comments awaiting moderation." in page


def test_comments_and_recommendations_are_counted_per_day_of_the_last_30(
    admin_client, make_comment, recommend
):
    today = local_today()
    three_days_ago = today - timedelta(days=3)
    for _ in range(2):
        received_on(make_comment(), at(three_days_ago))
    received_on(make_comment(status=Comment.Status.PENDING), at(three_days_ago))
    received_on(make_comment(status=Comment.Status.SPAM), at(three_days_ago))  # not counted
    received_on(make_comment(by_site=True), at(three_days_ago))  # the site's reply: not counted
    received_on(make_comment(), at(today - timedelta(days=DAYS - 1)))  # first day of the window
    received_on(make_comment(), at(today - timedelta(days=DAYS)))  # a day too old
    recommend("managed", at(three_days_ago))
    recommend("break_fix", at(today, 0, 5))
    page = ok_html(admin_client.get(INDEX))
    assert day_counts(page, three_days_ago) == [3, 1]
    assert day_counts(page, today) == [0, 1]
    assert day_counts(page, today - timedelta(days=DAYS - 1)) == [1, 0]
    assert f'<time datetime="{today - timedelta(days=DAYS):%Y-%m-%d}">' not in page
    assert page.count('class="dash-bar"') == 2 * DAYS
    assert "4 in all · busiest day 3" in page  # comments
    assert "2 in all · busiest day 1" in page  # recommendations


def test_the_chart_is_an_image_with_a_name_for_screen_readers(admin_client, make_comment):
    make_comment()
    page = ok_html(admin_client.get(INDEX))
    chart = re.search(r'<svg class="dash-bars"[^>]*>', page).group(0)
    assert 'role="img"' in chart
    assert 'aria-labelledby="dash-comments-title dash-comments-desc"' in chart
    assert re.search(r'<title id="dash-comments-title">Comments per day, ', page)
    assert "<summary>The numbers, day by day</summary>" in page


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo"])
def test_days_are_calendar_days_in_the_site_time_zone(
    settings, zone, admin_client, make_comment, recommend
):
    settings.TIME_ZONE = zone
    day = local_today() - timedelta(days=5)
    # Late evening and just after midnight, local time: in UTC these fall on other days.
    received_on(make_comment(), at(day, 23, 30))
    received_on(make_comment(), at(day, 0, 15))
    recommend("hybrid", at(day, 23, 50))
    page = ok_html(admin_client.get(INDEX))
    assert day_counts(page, day) == [2, 1]
    assert day_counts(page, day + timedelta(days=1)) == [0, 0]
    assert day_counts(page, day - timedelta(days=1)) == [0, 0]


def test_outcomes_show_count_and_share_with_the_tools_labels(admin_client, recommend):
    for _ in range(3):
        recommend("managed")
    recommend("break_fix")
    recommend("co_managed", timezone.now() - timedelta(days=DAYS + 1))  # outside the window
    page = ok_html(admin_client.get(INDEX))
    table = re.search(r'<div class="module dash-panel dash-outcomes">.*?</table>', page, re.S)
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="dash-number">(\d+)</td>\s*'
        r'<td class="dash-number">(\d+)%</td>',
        table.group(0),
    )
    assert rows == [
        (LABELS["break_fix"], "1", "25"),
        (LABELS["hybrid"], "0", "0"),
        (LABELS["managed"], "3", "75"),
        (LABELS["co_managed"], "0", "0"),
        ("All outcomes", "4", "100"),
    ]


@pytest.mark.parametrize(
    ("counts", "shares"),
    [([1, 1, 1, 0], [34, 33, 33, 0]), ([2, 1, 0, 0], [67, 33, 0, 0]), ([0, 0, 0, 0], [0] * 4)],
)
def test_shares_are_whole_percentages_adding_up_to_100(counts, shares):
    assert whole_percentages(counts) == shares


def test_the_most_discussed_posts_count_readers_approved_comments_of_the_last_30_days(
    admin_client, make_post, make_comment
):
    posts = [make_post(title=f"Post {letter}") for letter in "ABCDEF"]
    for post, approved in zip(posts, [1, 6, 2, 5, 3, 4], strict=True):
        for _ in range(approved):
            make_comment(post=post)
    for _ in range(5):  # held, spam, old comments and the site's own replies do not count
        make_comment(post=posts[0], status=Comment.Status.PENDING)
        make_comment(post=posts[0], status=Comment.Status.SPAM)
        make_comment(post=posts[0], by_site=True)
        received_on(make_comment(post=posts[0]), timezone.now() - timedelta(days=DAYS + 1))
    page = ok_html(admin_client.get(INDEX))
    table = re.search(r'<div class="module dash-panel dash-discussed">.*?</table>', page, re.S)
    listed = re.findall(
        r'<a href="[^"]+">(Post .)</a></th>\s*<td class="dash-number">(\d+)</td>', table.group(0)
    )
    assert listed == [("Post B", "6"), ("Post D", "5"), ("Post F", "4"), ("Post E", "3"),
                      ("Post C", "2")]  # fmt: skip
    busiest = posts[1]
    assert reverse("admin:blog_post_change", args=[busiest.pk]) in table.group(0)
    assert f'href="{busiest.get_absolute_url()}"' in table.group(0)


def test_with_no_discussion_the_table_says_so(admin_client, db):
    assert "No approved comments in the last 30 days." in ok_html(admin_client.get(INDEX))


def fill_the_tables(make_post, n):
    """`n` comments over `n` posts and `n` recommendations, spread over the last 30 days."""
    now = timezone.now()
    posts = [make_post() for _ in range(max(1, n // 10))]
    Comment.objects.bulk_create(
        Comment(
            post=posts[i % len(posts)],
            name=f"Reader {i}",
            email=f"reader{i}@example.com",
            body="Hello.",
            status=[Comment.Status.APPROVED, Comment.Status.PENDING][i % 2],
            created_at=now - timedelta(hours=7 * i),
        )
        for i in range(n)
    )
    outcomes = list(LABELS)[:4]
    Recommendation.objects.bulk_create(
        Recommendation(inputs={}, outcome=outcomes[i % 4], result={}) for i in range(n)
    )
    for i, pk in enumerate(Recommendation.objects.values_list("pk", flat=True)):
        Recommendation.objects.filter(pk=pk).update(created_at=now - timedelta(hours=5 * i))


# The dashboard itself costs five queries: pending, comments a day, recommendations a day,
# outcomes, most-discussed posts. The rest of the index page adds three (session, user, recent
# actions): the same budget for three rows or a hundred times as many.
DASHBOARD_QUERIES = 5
INDEX_BUDGET = 8


@pytest.mark.parametrize("rows", [3, 300])
def test_the_dashboard_takes_a_constant_number_of_queries(
    rows, admin_client, admin_user, make_post, django_assert_num_queries,
    django_assert_max_num_queries,
):  # fmt: skip
    fill_the_tables(make_post, rows)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        dashboard = dashboard_for(admin_user)
    assert dashboard.comments.total + dashboard.recommendations.total > 0
    with django_assert_max_num_queries(INDEX_BUDGET):
        page = ok_html(admin_client.get(INDEX))
    assert "awaiting moderation" in page


def test_staff_without_permissions_see_the_normal_index(client, make_comment, recommend):
    make_comment(status=Comment.Status.PENDING)
    recommend("managed")
    helper = get_user_model().objects.create_user("helper", is_staff=True)
    # Signed in directly: a password sign-in goes through the form (tests/security/).
    client.force_login(helper)
    page = ok_html(client.get(INDEX))
    assert "owner-dashboard" not in page
    assert "awaiting moderation" not in page
    assert "Recommendations by outcome" not in page


def test_staff_see_only_the_panels_they_may_view(client, make_comment, recommend):
    make_comment(status=Comment.Status.PENDING)
    recommend("managed")
    user = get_user_model().objects.create_user(
        "analyst", password="a-long-passphrase", is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="view_recommendation"))
    client.force_login(user)
    page = ok_html(client.get(INDEX))
    assert "Recommendations by outcome" in page
    assert 'class="dash-chart dash-chart-recommendations"' in page
    assert "awaiting moderation" not in page
    assert "Most-discussed posts" not in page
    assert 'class="dash-chart dash-chart-comments"' not in page
