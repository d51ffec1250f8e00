"""The owner's writing desk in the admin: a large editor, a live preview through the site's own
sanitising pipeline, warnings before saving, and every save kept as a revision that can be
compared and restored."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
import reversion
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from blog import markdown
from blog.admin_preview import PREVIEW_MAX_BYTES
from blog.markdown_checks import unsanitised_html, warnings_for
from blog.models import Page, Post
from tests.support.admin_forms import admin_form_data
from tests.support.content import sync

pytestmark = pytest.mark.django_db
PREVIEW = reverse("admin:blog_post_preview")


def preview(client, text, **extra):
    return client.post(
        PREVIEW, json.dumps({"markdown": text}), content_type="application/json", **extra
    )


@pytest.fixture
def staff_without_post_permission(django_user_model):
    user = django_user_model.objects.create_user("helper", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_post"))
    client = Client()
    client.force_login(user)
    return client


# --- The editor ----------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["post", "page"])
def test_the_body_is_a_thirty_row_markdown_editor_with_its_script(
    admin_client, make_post, make_page, model
):
    obj = make_post() if model == "post" else make_page()
    page = admin_client.get(reverse(f"admin:blog_{model}_change", args=[obj.pk])).content.decode()
    textarea = re.search(r"<textarea[^>]*id=\"id_body_markdown\"[^>]*>", page).group(0)
    assert 'rows="30"' in textarea and "markdown-editor" in textarea
    assert "/static/js/admin-editor.js" in page and "/static/css/admin-editor.css" in page
    assert f'data-preview-url="{reverse(f"admin:blog_{model}_preview")}"' in page


def test_the_admin_pages_carry_no_inline_script_or_style(admin_client, make_post):
    post = make_post(body_markdown="## Hello\n\n<span style='color:red'>red</span>")
    for url in (
        reverse("admin:blog_post_change", args=[post.pk]),
        reverse("admin:blog_post_add"),
        reverse("admin:blog_post_revisions", args=[post.pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"<[a-zA-Z][^<>]*\sstyle=", html) and "<style" not in html, url


def test_publish_date_and_time_and_the_tags_have_accessible_names(admin_client, make_post):
    post = make_post(tags=["Costs"])
    html = admin_client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
    assert re.search(r'<input[^>]*aria-label="Publish at, date[^"]*"[^>]*published_at_0', html)
    assert re.search(r'<input[^>]*aria-label="Publish at, time[^"]*"[^>]*published_at_1', html)
    assert '<div role="group" aria-label="Tags"' in html
    assert re.search(r'<input type="checkbox" name="tags"[^>]*checked', html)
    assert "select2" not in html


# --- The preview endpoint ------------------------------------------------------------------


def test_the_preview_is_the_sanitised_html_and_never_a_script(admin_client):
    response = preview(admin_client, "Hi **there**\n\n<script>alert('owned')</script>\n")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert "<strong>there</strong>" in data["html"]
    assert "<script" not in data["html"] and "owned" not in data["html"]
    assert any("<script>" in warning for warning in data["warnings"])


def test_the_preview_renders_exactly_what_a_save_would_store(admin_client, make_post):
    post = make_post(body_markdown="# Title\n\nText[^1] and <em onclick='x()'>it</em>\n\n[^1]: A")
    assert preview(admin_client, post.body_markdown).json()["html"] == post.body_html


def test_the_preview_refuses_get(admin_client):
    assert admin_client.get(PREVIEW).status_code == 405


def test_the_preview_refuses_anonymous_users(client):
    response = preview(client, "hello")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_preview_refuses_staff_without_change_permission(staff_without_post_permission):
    assert preview(staff_without_post_permission, "hello").status_code == 403


def test_the_preview_refuses_a_body_over_the_limit(admin_client):
    response = preview(admin_client, "a" * (PREVIEW_MAX_BYTES + 1))
    assert response.status_code == 413 and "html" not in response.json()


def test_the_preview_refuses_what_is_not_its_json(admin_client):
    response = admin_client.post(PREVIEW, "markdown=hi", content_type="text/plain")
    assert response.status_code == 400


def test_the_preview_needs_the_csrf_token(django_user_model):
    user = django_user_model.objects.create_superuser("owner", "", "pw")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    form = client.get(reverse("admin:blog_post_add")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert preview(client, "hello").status_code == 403
    assert preview(client, "hello", HTTP_X_CSRFTOKEN=token).status_code == 200


# --- Warnings ------------------------------------------------------------------------------


def test_text_the_sanitiser_drops_is_a_warning():
    warnings = warnings_for("Before <script>steal(cookies)</script> after")
    assert any("steal(cookies)" in warning for warning in warnings)


def test_removed_tags_and_attributes_are_warnings():
    warnings = " ".join(warnings_for('<u>under</u> <span style="color:red" onclick="x()">r</span>'))
    assert "<u>" in warnings and "style=" in warnings and "onclick=" in warnings


def test_a_link_to_no_page_of_the_site_is_a_warning(make_post):
    make_post(slug="real-post")
    warnings = warnings_for(
        "[gone](/blog/no-such-post/) [nowhere](/no/such/address/) [fine](/blog/real-post/) "
        "[home](/) [about](/blog/) [out](https://example.com/) [mail](mailto:a@example.com)"
    )
    assert len(warnings) == 2
    assert "/blog/no-such-post/" in warnings[0] and "no post has the slug" in warnings[0]
    assert "/no/such/address/" in warnings[1]


def test_unsafe_schemes_relative_links_and_missing_anchors_are_warnings():
    warnings = " ".join(warnings_for("## Top\n\n[a](javascript:alert(1)) [b](other/) [c](#nope)"))
    assert "javascript:" in warnings and "relative" in warnings and "#nope" in warnings
    assert not warnings_for("## Top\n\n[up](#top)")


def test_the_articles_and_pages_in_content_have_no_warnings():
    call_command("sync_posts", stdout=StringIO())
    for item in [*Post.objects.all(), *Page.objects.all()]:
        assert warnings_for(item.body_markdown) == [], item.slug


def test_the_checked_html_is_what_the_pipeline_stores():
    # blog.markdown_checks rebuilds the HTML before sanitising; it must match render().
    sources = [path.read_text() for path in Path(settings.BASE_DIR, "content").glob("*/*.md")]
    for source in [*sources, "# h1\n\n<script>x</script> <u>u</u>", ""]:
        assert markdown.sanitize(unsanitised_html(source)) == markdown.render(source).html


def test_a_save_with_warnings_is_saved_and_warns(admin_client, make_post):
    post = make_post()
    url = reverse("admin:blog_post_change", args=[post.pk])
    body = "See [the missing part](/blog/part-nine/)."
    response = admin_client.post(
        url, {**admin_form_data(admin_client.get(url)), "body_markdown": body}, follow=True
    )
    post.refresh_from_db()
    assert post.body_markdown == body
    assert "no post has the slug “part-nine”" in response.content.decode()


# --- Revisions -----------------------------------------------------------------------------


def test_an_admin_save_is_a_revision_with_its_user(admin_client, admin_user, make_post):
    post = make_post()
    url = reverse("admin:blog_post_change", args=[post.pk])
    admin_client.post(url, {**admin_form_data(admin_client.get(url)), "title": "New title"})
    [version] = Version.objects.get_for_object(post)
    assert version.field_dict["title"] == "New title"
    assert version.revision.user == admin_user
    assert sorted(version.field_dict["tags"]) == sorted(post.tags.values_list("pk", flat=True))


SYNCED_POST = """\
---
title: "Synced"
slug: synced
published: 2026-01-05T09:00:00Z
status: published
---

Body text.
"""
SYNCED_PAGE = """\
---
title: About
slug: about
updated: 2026-01-05
---

About us.
"""


@pytest.fixture
def content(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "posts" / "01-synced.md").write_text(SYNCED_POST)
    (tmp_path / "pages" / "about.md").write_text(SYNCED_PAGE)
    return tmp_path


def test_a_sync_is_a_revision_of_each_post_and_page_it_writes(content):
    sync(content)
    [post_version] = Version.objects.get_for_object(Post.objects.get(slug="synced"))
    [page_version] = Version.objects.get_for_object(Page.objects.get(slug="about"))
    assert post_version.revision.comment == "Synced from content/posts/01-synced.md"
    assert page_version.revision.comment == "Synced from content/pages/about.md"
    assert post_version.revision.user is None


def test_a_sync_that_changes_nothing_makes_no_revision(content):
    sync(content)
    sync(content)
    (content / "posts" / "01-synced.md").write_text(SYNCED_POST.replace("Body", "New body"))
    sync(content)
    post = Post.objects.get(slug="synced")
    assert Version.objects.get_for_object(post).count() == 2
    assert Version.objects.get_for_object(Page.objects.get(slug="about")).count() == 1


def save_revision(obj, **changes):
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
    return Version.objects.get_for_object(obj).first()


def test_the_revisions_page_shows_removed_and_added_lines_escaped(admin_client, make_post):
    post = make_post(body_markdown="Keep this.\n\nOld line <b>.\n")
    first = save_revision(post)
    second = save_revision(post, body_markdown="Keep this.\n\nNew line <b>.\n")
    url = reverse("admin:blog_post_revisions", args=[post.pk])
    html = admin_client.get(url, {"old": first.pk, "new": second.pk}).content.decode()
    assert '<del class="diff-del">- Old line &lt;b&gt;.</del>' in html
    assert '<ins class="diff-add">+ New line &lt;b&gt;.</ins>' in html
    assert '<span class="diff-same">  Keep this.</span>' in html
    # Without a choice, the latest change is shown: the same two revisions.
    assert '<del class="diff-del">- Old line' in admin_client.get(url).content.decode()


def test_the_revisions_page_lists_other_changed_fields(admin_client, make_post):
    post = make_post(status=Post.Status.DRAFT)
    save_revision(post)
    save_revision(post, status=Post.Status.PUBLISHED)
    html = admin_client.get(reverse("admin:blog_post_revisions", args=[post.pk])).content.decode()
    assert "<td>Draft</td><td>Published</td>" in html


def test_restoring_a_revision_brings_its_text_back_and_renders_it(
    admin_client, admin_user, make_post
):
    post = make_post(body_markdown="## First draft\n\nThe first words.")
    first = save_revision(post)
    save_revision(post, body_markdown="## Second draft\n\nOther words.")
    restore = reverse("admin:blog_post_restore", args=[post.pk, first.pk])
    response = admin_client.post(restore)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_markdown == "## First draft\n\nThe first words."
    assert '<h2 id="first-draft">' in post.body_html and "Other words" not in post.body_html
    latest = Version.objects.get_for_object(post).first()
    assert latest.revision.comment.startswith("Restored the revision of")
    assert latest.revision.user == admin_user


def test_a_restored_revision_is_an_edit_the_next_sync_keeps(admin_client, content):
    sync(content)
    post = Post.objects.get(slug="synced")
    first = Version.objects.get_for_object(post).get()
    (content / "posts" / "01-synced.md").write_text(SYNCED_POST.replace("Body", "New body"))
    sync(content)
    admin_client.post(reverse("admin:blog_post_restore", args=[post.pk, first.pk]))
    sync(content)
    post.refresh_from_db()
    assert "<p>Body text.</p>" in post.body_html  # the restored text, kept from the file


def test_restore_refuses_get_and_staff_without_change_permission(
    admin_client, staff_without_post_permission, make_post
):
    post = make_post()
    version = save_revision(post)
    restore = reverse("admin:blog_post_restore", args=[post.pk, version.pk])
    assert admin_client.get(restore).status_code == 405
    assert staff_without_post_permission.post(restore).status_code == 403


def test_a_revision_of_another_post_cannot_be_restored_here(admin_client, make_post):
    post, other = make_post(), make_post()
    version = save_revision(other)
    restore = reverse("admin:blog_post_restore", args=[post.pk, version.pk])
    assert admin_client.post(restore).status_code == 404


def test_page_revisions_are_compared_and_restored_too(admin_client, make_page):
    page = make_page(body_markdown="Old words.")
    first = save_revision(page)
    save_revision(page, body_markdown="New words.")
    url = reverse("admin:blog_page_revisions", args=[page.pk])
    assert '<ins class="diff-add">+ New words.</ins>' in admin_client.get(url).content.decode()
    admin_client.post(reverse("admin:blog_page_restore", args=[page.pk, first.pk]))
    page.refresh_from_db()
    assert page.body_html == "<p>Old words.</p>"
