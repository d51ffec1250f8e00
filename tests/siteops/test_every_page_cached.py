"""Every page a reader reads comes from the shared page cache, in a fixed few queries on a miss
and at most one on a hit, and changes on the very next request after each kind of change that
should move it: a post saved, a post published by time alone, a comment approved, a tag
renamed, a matrix cell or criterion edited. (Across two servers: test_cache_across_servers.)"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Post, Tag
from comments.models import Comment
from comparisons.models import Assessment, Criterion
from tests.support.pages import READER_PAGES
from tests.support.recommendation_support import FORM, GROWING_FIRM

pytestmark = pytest.mark.django_db

FEEDS_AND_SITEMAP = [
    "/blog/feed/",
    "/blog/atom/",
    "/blog/first/comments/feed/",
    "/sitemap.xml",
    "/sitemap-posts.xml",
]
COMPARISONS = ["/compare/", FORM]
# What a miss may read: the versions the key is made of, then what the view itself reads.
MISS_BUDGETS = {
    "/": 4,
    "/blog/": 4,
    "/blog/first/": 7,  # 6, and its related posts by shared tags (#14)
    "/blog/series/models/": 3,
    "/blog/tag/costs/": 5,
    "/blog/tags/": 2,
    "/blog/author/jim/": 4,
    "/about/": 2,
    "/blog/feed/": 4,  # the feeds read the Site once per process
    "/blog/atom/": 4,
    "/blog/first/comments/feed/": 3,
    "/sitemap.xml": 7,
    "/sitemap-posts.xml": 3,
    "/compare/": 5,
    FORM: 1,
}


@pytest.fixture
def site(a_bit_of_everything, client):
    """A page of each type, and a saved result: their addresses."""
    result = client.post(FORM, GROWING_FIRM)["Location"]
    return [*READER_PAGES, *FEEDS_AND_SITEMAP, *COMPARISONS, result, result.rstrip("/") + ".json"]


def miss_budget(url):
    if url.endswith(".json"):
        return 1  # the stored result itself: nothing else is read
    return MISS_BUDGETS.get(url, 4)  # a result: versions, result, criteria, posts


def test_every_reader_page_is_cached_in_a_few_queries_and_a_hit_reads_one_at_most(
    site, django_assert_max_num_queries
):
    reader = Client()
    for url in site:
        with django_assert_max_num_queries(miss_budget(url), info=url):
            first = reader.get(url)
        assert first.status_code == 200, url
        hit_budget = 0 if url.endswith(".json") else 1  # a stored result never changes
        with django_assert_max_num_queries(hit_budget, info=url):
            again = reader.get(url)
        # The same stored page (its ETag hashes what every reader shares; the comment form's
        # signed timestamp is filled in for each response).
        assert again["ETag"] == first["ETag"], url
        assert "Set-Cookie" not in again, url  # reading sets no cookie


def test_a_reader_with_a_cookie_of_the_site_gets_their_own_token_in_the_cached_page(site):
    reader = Client()
    token = reader.get("/blog/comments/token/").json()["token"]
    for url in ["/blog/first/", "/blog/series/models/", FORM]:
        page = reader.get(url).content.decode()
        assert 'name="csrfmiddlewaretoken" value="' in page, url
        assert 'name="csrfmiddlewaretoken" value=""' not in page, url
        assert "\x00" not in page, url
    assert token


def pages_showing(urls, text):
    return {url for url in urls if text in Client().get(url).content.decode()}


def test_a_post_saved_changes_every_page_that_shows_it_on_the_next_request(site):
    showing_title = [*READER_PAGES[:6], "/blog/author/jim/", "/blog/feed/", "/blog/atom/"]
    showing_title.append("/blog/first/comments/feed/")
    assert pages_showing(showing_title, "Renamed for the test") == set()
    post = Post.objects.get(slug="first")
    post.title = "Renamed for the test"
    post.save()
    assert pages_showing(showing_title, "Renamed for the test") == set(showing_title) - {
        "/blog/tags/"  # lists tags, not titles
    }


def test_a_post_published_by_time_alone_appears_everywhere_at_its_moment(site, make_post, clock):
    series_part = Post.objects.get(slug="first").series
    make_post(
        slug="second",
        title="Part two arrives on time",
        series=series_part,
        part=2,
        tags=["costs"],
        published_at=timezone.now() + timedelta(hours=1),
    )
    listing = ["/", "/blog/", "/blog/first/", "/blog/series/models/", "/blog/tag/costs/"]
    listing += ["/blog/author/jim/", "/blog/feed/", "/blog/atom/", "/sitemap-posts.xml"]
    marks = {url: "/blog/second/" if "sitemap" in url else "Part two arrives" for url in listing}
    assert {url for url in listing if marks[url] in Client().get(url).content.decode()} == set()
    clock.advance(3601)  # nothing saved: only time has passed
    shown = {url for url in listing if marks[url] in Client().get(url).content.decode()}
    assert shown == set(listing)


def test_a_comment_approved_shows_on_its_post_page_and_feed_on_the_next_request(site, make_comment):
    post = Post.objects.get(slug="first")
    held = make_comment(post=post, body="Held until now, then approved.", status="pending")
    urls = ["/blog/first/", "/blog/first/comments/feed/"]
    assert pages_showing(urls, "Held until now") == set()
    held.status = Comment.Status.APPROVED
    held.save()
    assert pages_showing(urls, "Held until now") == set(urls)


def test_a_held_comment_moves_no_cached_page(site, make_comment, django_assert_max_num_queries):
    reader = Client()
    before = {url: reader.get(url)["ETag"] for url in ["/blog/first/", "/blog/feed/"]}
    make_comment(post=Post.objects.get(slug="first"), status="pending")
    for url, etag in before.items():
        with django_assert_max_num_queries(1, info=url):
            assert reader.get(url, headers={"if-none-match": etag}).status_code == 304, url


def test_a_tag_renamed_shows_on_every_page_naming_it(site):
    urls = ["/blog/first/", "/blog/tag/costs/", "/blog/tags/"]
    Tag.objects.filter(slug="costs").update(name="Costs, renamed")
    assert pages_showing(urls, "Costs, renamed") == set(urls)


def test_a_matrix_cell_or_criterion_edited_shows_on_the_matrix_at_once(site):
    assert pages_showing(["/compare/"], "A summary edited by the owner") == set()
    Assessment.objects.filter(pk=Assessment.objects.order_by("pk")[0].pk).update(
        summary="A summary edited by the owner."
    )
    assert pages_showing(["/compare/"], "A summary edited by the owner") == {"/compare/"}
    criterion = Criterion.objects.order_by("pk")[0]
    criterion.name = "A criterion renamed"
    criterion.save()
    assert pages_showing(["/compare/"], "A criterion renamed") == {"/compare/"}


def test_a_post_unpublished_leaves_the_results_that_linked_it(site, make_post, client):
    make_post(slug="advantages-of-managed-services", title="Linked from results")
    result = client.post(FORM, GROWING_FIRM)["Location"]
    assert pages_showing([result], "Linked from results") == {result}
    Post.objects.filter(slug="advantages-of-managed-services").update(status="draft")
    assert pages_showing([result], "Linked from results") == set()


def test_while_one_process_renders_a_changed_page_the_others_serve_it_as_it_last_was(
    site, make_comment, django_assert_max_num_queries
):
    """A change renders the page once for everyone: readers arriving meanwhile are not queued
    behind the render nor made to render it too, and the next reader after it gets the new
    page."""
    from siteops import page_cache

    post = Post.objects.get(slug="first")
    make_comment(post=post, body="Already there.")
    assert "Already there." in Client().get("/blog/first/").content.decode()
    make_comment(post=post, body="Approved a moment ago.")
    with page_cache.rendering("/blog/first/") as this_one_renders:
        assert this_one_renders  # standing in for another worker, mid-render
        with django_assert_max_num_queries(1):  # the versions, then the last page: no render
            meanwhile = Client().get("/blog/first/").content.decode()
        assert "Already there." in meanwhile and "Approved a moment ago." not in meanwhile
    assert "Approved a moment ago." in Client().get("/blog/first/").content.decode()


def test_feeds_the_sitemap_and_json_leave_in_one_write(site):
    """The syndication writer appends every element on its own; a stored page is one body,
    so the server sends it in one write rather than in hundreds of small ones."""
    reader = Client()
    for url in [*FEEDS_AND_SITEMAP, site[-1]]:
        reader.get(url)  # stored
        assert len(list(reader.get(url))) == 1, url


def test_a_comment_the_moderator_edits_shows_its_new_name_and_text_at_once(site, make_comment):
    """Each comment is also kept rendered on its own (comments/_section.html): under
    everything it is drawn from, so an edit made anywhere, even with update(), shows."""
    comment = make_comment(post=Post.objects.get(slug="first"), name="Before", body="Old words.")
    assert pages_showing(["/blog/first/"], "Old words.") == {"/blog/first/"}
    Comment.objects.filter(pk=comment.pk).update(name="After the edit", body_html="<p>New.</p>")
    page = Client().get("/blog/first/").content.decode()
    assert "After the edit" in page and "<p>New.</p>" in page
    assert "Old words." not in page
