"""Tag pages speak of a tag by its name (content/tags.yaml), never its slug: the page's title,
its heading, its breadcrumb and its share titles; a tag that tags.yaml does not name, written
in a post as a slug, reads as words. The "all tags" page lists each tag's name with its count
of published posts, and every page links to it."""

import re
import shutil
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Post
from tests.support.content import PROJECT_CONTENT, sync
from tests.support.pages import ok_html

pytestmark = pytest.mark.django_db


def test_a_tag_page_names_its_tag_everywhere_a_reader_or_a_share_card_sees_it(project_pages):
    page = ok_html(Client().get("/blog/tag/managed-services/"))
    assert "<title>Articles tagged “Managed services”" in page
    assert re.search(r"<h1[^>]*>Articles tagged “Managed services”</h1>", page)
    assert '<meta property="og:title" content="Managed services">' in page
    assert '<meta name="twitter:title" content="Managed services">' in page
    crumbs = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', page, re.DOTALL).group()
    assert '<a href="/blog/tags/">Tags</a>' in crumbs
    assert '<li class="breadcrumb-item active" aria-current="page">Managed services</li>' in crumbs
    # Outside URLs, the slug appears nowhere a reader reads.
    text = re.sub(r'(href|content|src)="[^"]*"', "", page)
    assert "managed-services" not in text


def test_a_tag_tags_yaml_does_not_name_reads_as_words_not_as_a_slug(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_CONTENT, content)
    post = content / "posts" / "01-break-fix-versus-managed-services.md"
    post.write_text(
        post.read_text().replace(
            "tags: [break-fix, managed-services]", "tags: [break-fix, zero-trust]"
        )
    )
    sync(content)
    page = ok_html(Client().get("/blog/tag/zero-trust/"))
    assert "<title>Articles tagged “Zero trust”" in page
    assert "<h1" in page and "Articles tagged “Zero trust”</h1>" in page


def test_a_name_written_in_words_is_kept_as_written(make_post):
    make_post(tags=["Cloud Backup"])
    page = ok_html(Client().get("/blog/tag/cloud-backup/"))
    assert "Articles tagged “Cloud Backup”</h1>" in page


def test_the_all_tags_page_lists_names_with_their_published_posts_only(make_post):
    make_post(tags=["Costs", "Security"])
    make_post(tags=["Costs"])
    make_post(tags=["Costs", "Compliance"], status=Post.Status.DRAFT)
    make_post(tags=["Security"], published_at=timezone.now() + timedelta(days=1))
    page = ok_html(Client().get("/blog/tags/"))
    items = re.findall(r'<a href="/blog/tag/([-a-z]+)/">([^<]+)</a>\s*<span[^>]*>\(([^)]+)\)', page)
    assert items == [("costs", "Costs", "2 articles"), ("security", "Security", "1 article")]


@pytest.mark.parametrize("url", ["/", "/blog/", "/about/"])
def test_every_page_links_to_the_all_tags_page(url, a_bit_of_everything):
    assert 'href="/blog/tags/"' in ok_html(Client().get(url))
