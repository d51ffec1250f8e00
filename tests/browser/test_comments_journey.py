"""Leaving a comment in a real Chromium: an empty form shows its errors, a filled one is held
for moderation, a moderator approves it in the admin, and readers then see it. axe-core finds
no serious or critical violation on the way. On a phone, with the keyboard alone, a reader
reaches the form, follows the error summary to the field and sends the comment."""

import pytest
from django.contrib.auth import get_user_model

from comments.models import Comment

pytestmark = pytest.mark.usefixtures("relaxed_comment_limits")


def test_a_comment_goes_from_empty_form_to_published(
    page, browser, live_server, make_post, make_comment, assert_accessible
):
    post = make_post(title="Managed services, explained")
    make_comment(post=post, name="Earlier reader", body="An *earlier* comment.")
    get_user_model().objects.create_superuser("moderator", "mod@example.com", "a-long-passphrase")

    page.goto(post.get_absolute_url())
    page.get_by_role("button", name="Post comment").click()
    summary = page.locator("#comment-errors")
    summary.wait_for()
    for message in ("Enter your name.", "Enter your email address.", "Write your comment."):
        assert summary.get_by_role("link", name=message).is_visible()
    page.wait_for_function("() => document.activeElement.id === 'comment-errors'")  # comments.js
    field = page.get_by_role("textbox", name="Name", exact=True)
    assert field.get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    summary.get_by_role("link", name="Enter your name.").click()
    for label, value in [
        ("Name", "Dana Reader"),
        ("Email", "dana@example.com"),
        ("Comment", "Which model suits a **ten-person** office?"),
    ]:
        page.get_by_role("textbox", name=label, exact=True).fill(value)
    page.get_by_role("button", name="Post comment").click()
    held = page.get_by_text("Your comment is awaiting moderation")
    held.wait_for()
    assert page.locator(".comment-held strong").inner_text() == "ten-person"
    assert_accessible(page)

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("1 comment awaiting moderation").click()
    comment = Comment.objects.get(name="Dana Reader")
    page.locator(f"input[name=_selected_action][value='{comment.pk}']").check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("Approved: 1 comment(s).").wait_for()

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(post.get_absolute_url())
    published = reader.locator(f"#comment-{comment.pk}")
    assert "Which model suits a ten-person office?" in published.inner_text()
    assert reader.get_by_text("2 comments").first.is_visible()
    assert reader.get_by_text("awaiting moderation").count() == 0
    assert_accessible(reader)
    reader.context.close()


def fill_in_a_comment(page, body):
    for label, value in [
        ("Name", "Robin Reader"),
        ("Email", "robin@example.com"),
        ("Comment", body),
    ]:
        page.get_by_role("textbox", name=label, exact=True).fill(value)


def test_reading_sets_no_cookie_and_the_form_gets_its_token_when_used(page, settings, make_post):
    settings.COMMENTS_MODERATION = "none"
    post = make_post(title="Cookie-free reading")
    page.goto(post.get_absolute_url())
    page.goto(post.get_absolute_url())  # the second view comes from the page cache
    assert page.context.cookies() == []
    fill_in_a_comment(page, "Posted on the first try.")
    page.get_by_role("button", name="Post comment").click()
    page.locator(".comment", has_text="Posted on the first try.").wait_for()
    assert [cookie["name"] for cookie in page.context.cookies()].count("csrftoken") == 1
    assert Comment.objects.get().body == "Posted on the first try."


def test_without_javascript_a_comment_is_kept_and_sent_again(
    browser, live_server, settings, make_post
):
    settings.COMMENTS_MODERATION = "none"
    post = make_post(title="Reading without scripts")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(post.get_absolute_url())
    fill_in_a_comment(page, "Kept while the browser fetched its token.")
    page.get_by_role("button", name="Post comment").click()
    summary = page.locator("#comment-errors")
    summary.wait_for()
    assert "Please send it again" in summary.inner_text()
    body = page.get_by_role("textbox", name="Comment", exact=True)
    assert body.input_value() == "Kept while the browser fetched its token."
    assert not Comment.objects.exists()
    page.get_by_role("button", name="Send again").click()
    page.locator(".comment", has_text="Kept while the browser fetched its token.").wait_for()
    assert Comment.objects.count() == 1
    context.close()


def tab_to(page, selector, limit=400):
    """Press Tab until the focused element matches `selector`; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


def test_a_comment_is_written_and_sent_on_a_phone_with_the_keyboard_alone(
    page, make_post, assert_fully_accessible
):
    post = make_post(title="Managed services, explained")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(post.get_absolute_url())

    tab_to(page, "form.comment-form button[type=submit]")  # straight to Post comment
    page.keyboard.press("Enter")  # an empty form: the summary takes the focus
    page.wait_for_function("() => document.activeElement.id === 'comment-errors'")
    page.keyboard.press("Tab")  # its first link, "Enter your name."
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.name === 'name'")
    page.keyboard.type("Kim Keyboard")
    tab_to(page, "[name=email]", limit=5)
    page.keyboard.type("kim@example.com")
    tab_to(page, "[name=body]", limit=5)
    page.keyboard.type("Does a **flat fee** cover the weekends?")
    tab_to(page, "form.comment-form button[type=submit]", limit=10)
    page.keyboard.press("Enter")

    page.get_by_text("Your comment is awaiting moderation").wait_for()
    assert Comment.objects.get(name="Kim Keyboard").email == "kim@example.com"
    assert_fully_accessible(page)
