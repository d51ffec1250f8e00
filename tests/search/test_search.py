"""Search over the published posts at /search/?q=, through the HTTP client, on whichever
database the run uses (SQLite's FTS5 or PostgreSQL's full-text search): the same answers from
both, ranked title over summary over body, excerpts escaped with only the matches marked, drafts
never found, scheduled posts found from their moment, hostile text harmless, a fixed number of
queries and the page cache in front."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.models import Post
from tests.support.pages import html, ok_html

pytestmark = pytest.mark.django_db


def result_titles(page):
    return re.findall(r'<h2 class="h5 mb-1"><a href="[^"]+">([^<]+)</a>', page)


def search_page(client, query, **params):
    return ok_html(client.get("/search/", {"q": query, **params}))


def test_title_matches_rank_above_summary_matches_above_body_matches(client, make_post):
    make_post(title="In the body", body_markdown="A word about the zeppelin, once.")
    make_post(title="In the summary", summary="All about the zeppelin.")
    make_post(title="The zeppelin, in the title")
    make_post(title="Not at all", body_markdown="Airships of every other kind.")
    page = search_page(client, "zeppelin")
    assert result_titles(page) == ["The zeppelin, in the title", "In the summary", "In the body"]
    assert "3 articles match “zeppelin”." in page


def test_every_word_must_match_and_words_match_their_other_forms(client, make_post):
    make_post(title="Managing a network", body_markdown="Costs of a managed network.")
    make_post(title="Managing printers")
    assert result_titles(search_page(client, "managed network")) == ["Managing a network"]
    assert result_titles(search_page(client, "printer")) == ["Managing printers"]


def test_matches_are_marked_in_an_excerpt_of_the_text_without_markup(client, make_post):
    make_post(
        title="Backups",
        summary="",
        body_markdown="## Why keep backups\n\nA **tested** backup of the *zeppelin* ledger[^1].\n\n"
        "[^1]: A footnote.",
    )
    page = search_page(client, "zeppelin")
    excerpt = re.search(r'<p class="search-excerpt mb-0">(.*?)</p>', page).group(1)
    assert "A tested backup of the <mark>zeppelin</mark> ledger" in excerpt
    assert "<strong>" not in excerpt and "#" not in excerpt and "ledger1" not in excerpt


def test_text_that_looks_like_markup_comes_back_as_text(client, make_post):
    make_post(
        title="Scripts <b>in</b> titles",
        summary="",
        body_markdown="Never run `<script>alert('zeppelin')</script>` from an email.",
    )
    page = search_page(client, "zeppelin")
    assert "<script>" not in page and "<b>in</b>" not in page
    assert "&lt;script&gt;alert(&#x27;<mark>zeppelin</mark>&#x27;)&lt;/script&gt;" in page
    assert "Scripts &lt;b&gt;in&lt;/b&gt; titles" in page


def test_a_post_cannot_forge_the_marks_of_a_match(client, make_post):
    make_post(title="Forged", summary="\ue000fake\ue001 and a zeppelin \ue000", body_markdown="x")
    page = search_page(client, "zeppelin")
    assert "<mark>zeppelin</mark>" in page
    assert "<mark>fake</mark>" not in page and "\ue000" not in page and "\ue001" not in page


@pytest.mark.parametrize(
    "hidden",
    [{"status": Post.Status.DRAFT}, {"published_at": timezone.now() + timedelta(days=2)}],
    ids=["draft", "scheduled"],
)
def test_a_hidden_post_is_never_found(client, make_post, hidden):
    make_post(title="Zeppelin in public")
    make_post(title="Zeppelin kept back", summary="Zeppelin secrets.", **hidden)
    page = search_page(client, "zeppelin")
    assert result_titles(page) == ["Zeppelin in public"]
    assert "kept back" not in page and "secrets" not in page and "1 article matches" in page


def test_a_scheduled_post_is_found_from_its_moment_with_nothing_written(client, make_post, clock):
    make_post(title="Zeppelin next week", published_at=timezone.now() + timedelta(hours=1))
    assert "No posts match “zeppelin”." in search_page(client, "zeppelin")
    clock.advance(3601)
    assert result_titles(search_page(client, "zeppelin")) == ["Zeppelin next week"]


def test_an_edited_post_is_found_by_its_new_words_and_a_deleted_one_not_at_all(client, make_post):
    post = make_post(title="Airship", body_markdown="About the zeppelin.")
    assert result_titles(search_page(client, "zeppelin")) == ["Airship"]
    post.body_markdown = "About the blimp."
    post.save()
    assert result_titles(search_page(client, "zeppelin")) == []
    assert result_titles(search_page(client, "blimp")) == ["Airship"]
    post.delete()
    assert result_titles(search_page(client, "blimp")) == []


def test_each_hit_shows_its_date_and_its_series_part(client, make_series, make_post):
    series = make_series(title="Airships explained", slug="airships")
    make_post(title="Zeppelins", slug="zeppelins", series=series, part=2)
    page = search_page(client, "zeppelins")
    assert '<a href="/blog/zeppelins/">Zeppelins</a>' in page
    assert 'Part 2 of <a href="/blog/series/airships/">Airships explained</a>' in page
    assert re.search(r'<time datetime="[^"]+">\d{1,2} \w+ \d{4}</time>', page)


def test_the_page_says_what_was_searched_keeps_it_in_the_box_and_asks_not_to_be_indexed(
    client, make_post
):
    make_post(title="Zeppelin")
    page = search_page(client, "zeppelin")
    assert "<title>Results for “zeppelin”" in page and "<h1" in page
    assert 'id="search-page-q" name="q" value="zeppelin"' in page
    assert '<meta name="robots" content="noindex">' in page


def test_no_match_says_so_with_suggestions(client, make_post):
    make_post(title="Zeppelin")
    page = search_page(client, "dirigible")
    assert "No posts match “dirigible”." in page
    assert 'href="/blog/"' in page and "fewer words" in page


def test_an_empty_search_shows_the_form_and_asks_nothing_of_the_index(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):  # the versions its cache key is made of
        page = ok_html(client.get("/search/"))
    assert "<title>Search" in page and "Type a word or two" in page
    assert 'name="q" value=""' in page
    for empty in ["", "   ", "\x00", "\t\n"]:
        assert client.get("/search/", {"q": empty})["Location"] == "/search/"


def test_a_search_is_redirected_to_its_one_spelling(client):
    assert client.get("/search/", {"q": "  Managed \t SERVICES "})["Location"] == (
        "/search/?q=managed+services"
    )
    assert client.get("/search/?q=a&q=b")["Location"] == "/search/?q=b"
    assert client.get("/search/?q=a&page=1")["Location"] == "/search/?q=a"
    assert client.get("/search/?q=a&page=0002")["Location"] == "/search/?q=a&page=2"
    assert client.get("/search/?page=2")["Location"] == "/search/"
    assert client.get("/search/?q=a&page=two").status_code == 404


def test_a_search_over_200_characters_is_refused_politely_without_searching(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        page = ok_html(client.get("/search/", {"q": "zeppelin " * 40}))
    assert "longer than 200 characters" in page
    assert "No posts match" not in page


def test_results_come_ten_to_a_page_with_the_count_and_links_between_pages(client, make_post):
    for n in range(12):
        make_post(title=f"Zeppelin {n:02}")
    first = search_page(client, "zeppelin")
    assert len(result_titles(first)) == 10 and "1\u201310 of 12 articles match" in first
    assert 'href="/search/?q=zeppelin&amp;page=2" rel="next"' in first
    second = search_page(client, "zeppelin", page=2)
    assert len(result_titles(second)) == 2 and "11\u201312 of 12" in second
    assert 'href="/search/?q=zeppelin" rel="prev"' in second
    assert not set(result_titles(first)) & set(result_titles(second))
    assert client.get("/search/", {"q": "zeppelin", "page": 3}).status_code == 404


HOSTILE = [
    '"',
    '"zeppelin',
    "zeppelin*",
    "*",
    "NEAR(zeppelin",
    "NEAR(a b, 2)",
    "-zeppelin",
    "title:zeppelin",
    "{title summary}: zeppelin",
    "^zeppelin",
    "zeppelin AND OR NOT",
    "((zeppelin",
    ")",
    "zeppelin\x00",
    "\x00" * 50,
    "😀 zeppelin 🎈",
    "'; DROP TABLE blog_post; --",
    "' OR 1=1 --",
    "zeppelin & | ! <-> :*",
    "%s %(x)s ? ?1 :name",
    "\\",
    "\ue000zeppelin\ue001",
    "z" * 10_000,
    "zeppelin " * 1_500,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_searches_are_answered_without_an_error(client, make_post, query):
    make_post(title="Zeppelin")
    response = client.get("/search/", {"q": query}, follow=True)
    assert response.status_code == 200
    page = html(response)
    assert "<mark>" not in page or "<mark>zeppelin</mark>" in page.casefold()
    assert "Traceback" not in page and "OperationalError" not in page


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.text(max_size=300), page=st.sampled_from([None, "2", "x", "0", "-1", "99999"]))
def test_any_text_at_all_is_answered_without_an_error(client, make_post, query, page):
    if not Post.objects.exists():
        make_post(title="Zeppelin", summary="An airship.", body_markdown="Gas, fabric: a zeppelin.")
    params = {"q": query} if page is None else {"q": query, "page": page}
    assert client.get("/search/", params, follow=True).status_code in (200, 404)


@pytest.mark.parametrize("count", [1, 30])
def test_a_search_reads_the_same_few_queries_however_many_posts_match(
    make_series, make_post, django_assert_max_num_queries, count
):
    series = make_series(slug="airships", planned_parts=count)
    for n in range(1, count + 1):
        make_post(title=f"Zeppelin {n}", series=series, part=n, tags=["air", f"t{n}"])
    reader = Client()
    for query in ["zeppelin", "dirigible"]:  # a hit and a miss of the index
        # The versions of the cache key, the ranked page, its excerpts (SQLite), the posts.
        with django_assert_max_num_queries(4, info=query):
            first = reader.get("/search/", {"q": query})
        assert first.status_code == 200
        with django_assert_max_num_queries(1, info=query):
            again = reader.get("/search/", {"q": query})
        assert again["ETag"] == first["ETag"]
        assert "Set-Cookie" not in again


def test_a_search_is_served_from_the_page_cache_until_a_post_changes(
    make_post, django_assert_max_num_queries
):
    post = make_post(title="Zeppelin")
    reader = Client()
    first = reader.get("/search/?q=zeppelin")
    with django_assert_max_num_queries(1):
        assert (
            reader.get("/search/?q=zeppelin", headers={"if-none-match": first["ETag"]}).status_code
            == 304
        )
    post.title = "Zeppelin renamed"
    post.save()
    assert result_titles(ok_html(reader.get("/search/?q=zeppelin"))) == ["Zeppelin renamed"]


def test_long_searches_are_answered_but_never_stored(make_post):
    make_post(title="Zeppelin")
    long_query = " ".join(["zeppelin"] * 15)  # 134 characters: over what is stored
    reader = Client()
    assert result_titles(ok_html(reader.get("/search/", {"q": long_query}))) == ["Zeppelin"]
    with CaptureQueriesContext(connection) as queries:
        assert reader.get("/search/", {"q": long_query}).status_code == 200
    assert len(queries) >= 2  # searched again: nothing was stored


def test_text_changed_without_a_save_is_found_after_a_rebuild(client, make_post):
    post = make_post(title="Airship")
    Post.objects.filter(pk=post.pk).update(title="Zeppelin, renamed by hand")
    assert result_titles(search_page(client, "zeppelin")) == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue() == "search index: 1 posts\n"
    assert result_titles(search_page(client, "zeppelin")) == ["Zeppelin, renamed by hand"]
