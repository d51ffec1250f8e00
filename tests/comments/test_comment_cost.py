"""A comment costs what a comment should: text built to make the Markdown renderer work for
seconds is refused with a clear message (every word kept), and no rendering happens while the
database is locked for writing."""

import pytest
from django.db import connection

from comments.models import Comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("relaxed_comment_limits")]


@pytest.mark.parametrize("text", ["[" * 5000, "![[" * 1000, "[a](" * 1000])
def test_text_built_to_stall_the_renderer_is_refused_and_kept(
    client, make_post, comment_form, text
):
    post = make_post()
    response = client.post(f"{post.get_absolute_url()}comments/", comment_form(post, body=text))
    assert response.status_code == 400
    page = response.content.decode()
    assert "square brackets" in page
    assert text[:200] in page  # the text comes back as typed
    assert not Comment.objects.exists()


def test_links_and_brackets_a_person_writes_are_fine(client, make_post, comment_form):
    post = make_post()
    body = "See [the guide](https://example.com/a) [1] and [note] [x] " * 5
    response = client.post(f"{post.get_absolute_url()}comments/", comment_form(post, body=body))
    assert response.status_code == 302
    assert Comment.objects.get().body.startswith("See [the guide]")


def test_the_markdown_is_rendered_before_the_write_transaction_begins(
    client, make_post, comment_form, monkeypatch
):
    import comments.models as models

    post = make_post()
    seen = []
    render = models.render_comment_markdown

    def watching(source):
        seen.append(len(connection.atomic_blocks))
        return render(source)

    monkeypatch.setattr(models, "render_comment_markdown", watching)
    fields = comment_form(post, body="Rendered *outside* the lock.")
    # The test itself runs in a transaction: what counts is that the renderer is not called
    # inside the moderator's own atomic block, which is nested one level deeper.
    outer = len(connection.atomic_blocks)
    response = client.post(f"{post.get_absolute_url()}comments/", fields)
    assert response.status_code == 302
    assert seen and all(depth == outer for depth in seen)
    assert Comment.objects.get().body_html == "<p>Rendered <em>outside</em> the lock.</p>"
