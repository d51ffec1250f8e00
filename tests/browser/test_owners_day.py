"""The site owner's day in the admin, in a real Chromium: sign in, see what waits on the
dashboard, approve one comment from its row in the queue, reply to another as the site, write
a post while the live preview follows the typing, restore an earlier revision, and see the
dashboard count the approved comment. axe-core finds no violation at all, of any impact, on
each page on the way, nor on the other admin pages the owner uses."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from blog.models import Post
from comments.models import Comment
from comparisons.models import Recommendation

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")

PASSPHRASE = "a-long-passphrase"


@pytest.fixture
def assert_accessible_strict():
    """Run axe-core on the page; fail on every violation, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        violations = axe.run(page).response["violations"]
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in violations
        ]
        assert not found, f"axe-core violations on {page.url}:\n" + "\n".join(found)

    return check


@pytest.fixture
def owner(db):
    return get_user_model().objects.create_superuser(
        "owner", "owner@example.com", PASSPHRASE, first_name="Jim", last_name="Owner"
    )


def sign_in(page, check):
    page.goto("/admin/")  # redirected to the login form
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    check(page)
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(PASSPHRASE)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Manage the site")).to_be_visible()


def discussed_row(page, title):
    """The most-discussed table's row for a post, as text."""
    table = page.locator(".dash-discussed table")
    return table.get_by_role("row").filter(has_text=title)


def test_the_owners_day(page, owner, make_post, make_comment, assert_accessible_strict):
    check = assert_accessible_strict
    post = make_post(title="Managed services, explained")
    make_comment(post=post, name="Earlier Reader", body="Thanks, this helped.")
    ana = make_comment(
        post=post, name="Ana Reader", body="Is co-managed cheaper?", status="pending"
    )
    ben = make_comment(
        post=post, name="Ben Reader", body="What does onboarding cost?", status="pending"
    )

    # Morning: sign in; the dashboard says what waits, and which posts people discuss.
    sign_in(page, check)
    expect(page.get_by_role("link", name="2 comments awaiting moderation")).to_be_visible()
    expect(discussed_row(page, post.title)).to_contain_text("1")
    expect(page.get_by_role("img", name=re.compile(r"^Comments per day"))).to_be_visible()
    check(page)

    # The queue: approve Ana's comment with its row's button.
    page.get_by_role("link", name="2 comments awaiting moderation").click()
    expect(page.get_by_role("button", name="Approve the comment by Ana Reader")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Approve the comment by Ana Reader").click()
    expect(page.get_by_text("Approved: the comment by Ana Reader.")).to_be_visible()
    ana.refresh_from_db()
    assert ana.status == Comment.Status.APPROVED

    # Reply to Ben as the site (which approves his comment too, by default).
    page.get_by_role("link", name="Reply to Ben Reader as the site").click()
    expect(page.get_by_role("heading", name=re.compile("Ben Reader wrote"))).to_be_visible()
    check(page)
    page.get_by_role("textbox", name="Reply").fill("About a month of fees; see the costs page.")
    page.get_by_role("button", name="Publish reply").click()
    expect(page.get_by_text("Your reply to Ben Reader is published")).to_be_visible()
    ben.refresh_from_db()
    assert ben.status == Comment.Status.APPROVED
    reply = Comment.objects.get(parent=ben)
    assert reply.by_site and reply.status == Comment.Status.APPROVED
    check(page)

    # Write a post: the preview follows the typing, before any save.
    page.goto("/admin/blog/post/")
    check(page)
    page.get_by_role("link", name="Add post").click()
    page.get_by_role("textbox", name="Title").fill("Break/fix, honestly")
    page.keyboard.press("Tab")  # leaving the title fills in the slug (Django's prepopulate)
    expect(page.get_by_role("textbox", name="Slug")).to_have_value("breakfix-honestly")
    body = page.get_by_role("textbox", name="Body")
    body.press_sequentially("## First draft heading\n\nPay per call.", delay=5)
    preview = page.locator("[data-preview-body]")
    expect(preview.get_by_role("heading", name="First draft heading", level=2)).to_be_visible()
    check(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    check(page)
    written = Post.objects.get(slug="breakfix-honestly")

    # A second version replaces the heading; then the first is restored from the revisions.
    body = page.get_by_role("textbox", name="Body")
    body.fill("")
    body.press_sequentially("## Second thoughts\n\nPay per call, at a price.", delay=5)
    expect(preview.get_by_role("heading", name="Second thoughts", level=2)).to_be_visible()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    written.refresh_from_db()
    assert "Second thoughts" in written.body_markdown

    page.get_by_role("link", name="Revisions").click()
    expect(page.get_by_role("heading", name=re.compile("^From the revision of"))).to_be_visible()
    check(page)
    page.get_by_role("button", name=re.compile("^Restore the revision of")).click()
    expect(page.get_by_text(re.compile("Restored the revision of"))).to_be_visible()
    written.refresh_from_db()
    assert written.body_markdown.startswith("## First draft heading")
    assert "First draft heading" in written.body_html
    expect(page.get_by_role("textbox", name="Body")).to_have_value(re.compile("First draft"))
    check(page)

    # Evening: nothing waits, and the post counts its two newly approved comments (the
    # site's own reply is not a reader's comment).
    page.goto("/admin/")
    expect(page.get_by_text("No comments awaiting moderation.")).to_be_visible()
    expect(discussed_row(page, post.title)).to_contain_text("3")
    check(page)


@pytest.mark.parametrize(
    "where",
    [
        "/admin/",
        "/admin/blog/post/",
        "/admin/blog/post/add/",
        "post-change",
        "/admin/comments/comment/?status=pending",
        "/admin/comments/comment/?status=all",
        "/admin/comparisons/recommendation/",
    ],
)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_admin_pages_the_owner_uses_pass_axe(
    page, owner, make_post, make_comment, assert_accessible_strict, where, theme
):
    post = make_post(title="A post with comments", tags=["managed"])
    make_comment(post=post)
    make_comment(post=post, status=Comment.Status.PENDING)
    Recommendation.objects.create(inputs={"employees": 4}, outcome="managed", result={})
    page.emulate_media(color_scheme=theme)
    sign_in(page, assert_accessible_strict)
    page.goto(f"/admin/blog/post/{post.pk}/change/" if where == "post-change" else where)
    expect(page.locator("#content")).to_be_visible()
    assert_accessible_strict(page)
