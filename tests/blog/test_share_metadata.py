"""What a page gives search engines and chat apps: JSON-LD (an Article with its author,
dates, card and series, breadcrumbs, the site with its search), Open Graph and Twitter tags
with absolute addresses, and a 1200x630 share card per post, drawn by sync_posts only when
what it shows changes."""

import json
import re
import shutil
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from blog.models import Post
from tests.support.content import PROJECT_CONTENT, sync

pytestmark = pytest.mark.django_db

SITE = "https://example.org"
FIRST = "/blog/understanding-it-service-models-break-fix-versus-managed-services/"


class HeadReader(HTMLParser):
    """The page's meta tags by property or name, and the text of its JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.meta, self.json_ld, self.inline_scripts = {}, [], 0
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("property") or attributes.get("name")):
            self.meta[attributes.get("property") or attributes.get("name")] = attributes["content"]
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
            self._in_json_ld = attributes.get("type") == "application/ld+json"
            if self._in_json_ld:
                self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def read(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def by_type(reader):
    found = {}
    for text in reader.json_ld:
        data = json.loads(text)
        found[data["@type"]] = data
    return found


@pytest.fixture
def at_example_org(settings):
    settings.SITE_URL, settings.SITE_SCHEME, settings.SITE_DOMAIN = SITE, "https", "example.org"


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(PROJECT_CONTENT, folder)
    return folder


def card_files():
    return sorted((settings.SHARE_CARDS_ROOT / "posts").glob("*.png"))


def test_a_post_page_describes_its_article_field_by_field(at_example_org, project_pages):
    post = Post.objects.select_related("series").get(slug=FIRST.split("/")[2])
    reader = read(FIRST)
    article = by_type(reader)["Article"]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == post.title
    assert article["description"] == post.summary
    assert article["author"] == {
        "@type": "Person",
        "name": post.author_name,
        "url": f"{SITE}/blog/author/{post.author_slug}/",
    }
    assert article["datePublished"] == post.published_at.isoformat()
    assert article["dateModified"] == post.updated_at.isoformat()
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": SITE + FIRST}
    assert article["image"]["url"] == reader.meta["og:image"]
    assert (article["image"]["width"], article["image"]["height"]) == (1200, 630)
    assert article["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": post.series.title,
        "url": f"{SITE}/blog/series/{post.series.slug}/",
    }
    assert article["position"] == post.part


def test_a_post_page_has_breadcrumbs_home_articles_series_post(at_example_org, project_pages):
    post = Post.objects.select_related("series").get(slug=FIRST.split("/")[2])
    crumbs = by_type(read(FIRST))["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", f"{SITE}/"),
        (2, "Articles", f"{SITE}/blog/"),
        (3, post.series.title, f"{SITE}/blog/series/{post.series.slug}/"),
        (4, post.title, SITE + FIRST),
    ]


def test_a_series_page_has_breadcrumbs_to_itself(at_example_org, project_pages):
    post = Post.objects.select_related("series").get(slug=FIRST.split("/")[2])
    url = post.series.get_absolute_url()
    crumbs = by_type(read(url))["BreadcrumbList"]["itemListElement"]
    assert [c["item"] for c in crumbs] == [f"{SITE}/", f"{SITE}/blog/", SITE + url]


def test_the_home_page_describes_the_site_and_its_search(at_example_org, project_pages):
    website = by_type(read("/"))["WebSite"]
    assert website["url"] == f"{SITE}/"
    assert website["name"] == settings.SITE_NAME
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{SITE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"


def test_a_title_cannot_close_the_json_ld_or_open_markup(at_example_org, make_post):
    title = 'Costs </script><script>alert(1)</script> <!-- & "quotes" > </SCRIPT >'
    make_post(slug="hostile", title=title, summary="</script><img src=x onerror=alert(1)>")
    response = Client().get("/blog/hostile/")
    page = response.content.decode()
    reader = HeadReader()
    reader.feed(page)
    # The JSON-LD blocks are the only scripts without a src, and they still parse.
    assert reader.inline_scripts == len(reader.json_ld) == 2
    article = by_type(reader)["Article"]
    assert article["headline"] == title
    assert article["description"] == "</script><img src=x onerror=alert(1)>"
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
        assert "<" not in block and ">" not in block and "&" not in block.replace("&amp;", "")


def test_og_and_twitter_tags_are_absolute_with_a_large_card(at_example_org, project_pages):
    meta = read(FIRST).meta
    assert meta["og:type"] == "article"
    assert meta["og:url"] == SITE + FIRST
    assert meta["og:title"] == Post.objects.get(slug=FIRST.split("/")[2]).title
    assert meta["og:description"]
    assert re.fullmatch(rf"{SITE}/static/cards/posts/[-\w]+\.[0-9a-f]{{12}}\.png", meta["og:image"])
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:image:alt"].startswith(meta["og:title"])
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]


@pytest.mark.parametrize("url", ["/", "/blog/", "/about/", "/blog/tags/"])
def test_other_pages_share_the_site_card(at_example_org, project_pages, url):
    meta = read(url).meta
    assert re.fullmatch(rf"{SITE}/static/cards/site\.[0-9a-f]{{12}}\.png", meta["og:image"])
    assert meta["og:type"] == "website"
    assert meta["twitter:card"] == "summary_large_image"


def png_at(url):
    response = Client().get(url.removeprefix(SITE))
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    # From the card view, or from whitenoise when a sync drew it into STATIC_ROOT earlier.
    cache_control = dict(
        [*part.split("="), ""][:2] for part in response["Cache-Control"].replace(" ", "").split(",")
    )
    assert "immutable" in cache_control and "public" in cache_control
    assert int(cache_control["max-age"]) >= 365 * 24 * 3600
    return Image.open(BytesIO(b"".join(response) if response.streaming else response.content))


def test_every_card_a_page_names_is_a_1200_by_630_png(at_example_org, project_pages):
    for url in [FIRST, "/"]:
        card = png_at(read(url).meta["og:image"])
        assert (card.format, card.size) == ("PNG", (1200, 630))


def test_sync_draws_each_published_posts_card_once(content):
    sync(content)
    drawn = card_files()
    assert len(drawn) == Post.objects.published().count() > 0
    for path in drawn:
        assert Image.open(path).size == (1200, 630)
    stamps = {path: path.stat().st_mtime_ns for path in drawn}
    assert "share cards: 0 drawn" in sync(content)
    assert {path: path.stat().st_mtime_ns for path in card_files()} == stamps


def test_a_card_is_drawn_again_only_when_its_title_changes(content):
    sync(content)
    before = set(card_files())
    post_file = content / "posts" / "04-choosing-an-it-provider.md"
    text = post_file.read_text()
    post_file.write_text(text.replace("\n\n", "\n\nA new first paragraph.\n\n", 1))
    assert "share cards: 0 drawn" in sync(content)
    assert set(card_files()) == before
    post_file.write_text(text.replace('title: "Choosing', 'title: "Choosing well:', 1))
    assert "share cards: 1 drawn" in sync(content)
    after = set(card_files())
    assert len(after) == len(before)
    (old,) = before - after
    (new,) = after - before
    assert old.name.split(".")[0] == new.name.split(".")[0] == "choosing-an-it-provider"


def test_a_card_missing_on_this_server_is_drawn_on_its_first_request(make_post):
    post = make_post(slug="fresh", title="Edited in the admin")
    page = read("/blog/fresh/")
    assert not card_files()
    assert png_at(page.meta["og:image"]).size == (1200, 630)
    assert [path.name for path in card_files()] == [page.meta["og:image"].rsplit("/", 1)[1]]
    post.title = "Edited again"
    post.save()
    assert Client().get(page.meta["og:image"].removeprefix(settings.SITE_URL)).status_code == 404


def test_no_card_for_a_draft_or_an_address_that_is_no_card(make_post):
    make_post(slug="secret", title="Not out yet", status="draft")
    assert Client().get("/static/cards/posts/secret.0123456789ab.png").status_code == 404
    assert Client().get("/static/cards/site.0123456789ab.png").status_code == 404
    escape = "/static/cards/posts/..%2F..%2Fsettings.0123456789ab.png"
    assert Client().get(escape).status_code == 404


@pytest.fixture
def own_image(content, settings, tmp_path):
    """Post 04 naming a 1000x500 picture of content/images/ as its share image."""
    settings.STATIC_ROOT = tmp_path / "static"
    (content / "images").mkdir(exist_ok=True)
    Image.new("RGB", (1000, 500), (10, 100, 90)).save(content / "images" / "share.png")
    post_file = content / "posts" / "04-choosing-an-it-provider.md"
    text = post_file.read_text()
    post_file.write_text(text.replace("\nslug:", "\nimage: ../images/share.png\nslug:", 1))
    return post_file


def test_a_front_matter_image_is_the_posts_share_image_with_its_own_size(
    at_example_org, content, own_image
):
    output = sync(content)
    others = Post.objects.filter(status="published").exclude(slug="choosing-an-it-provider")
    assert f"share cards: {others.count() + 1} drawn" in output  # theirs and the site's
    assert not [p for p in card_files() if p.name.startswith("choosing-an-it-provider.")]
    reader = read("/blog/choosing-an-it-provider/")
    image = reader.meta["og:image"]
    assert re.fullmatch(rf"{SITE}/static/content-images/share\.[0-9a-f]{{12}}\.png", image)
    assert (reader.meta["og:image:width"], reader.meta["og:image:height"]) == ("1000", "500")
    assert reader.meta["og:image:type"] == "image/png"
    assert reader.meta["twitter:image"] == image
    article = by_type(reader)["Article"]
    assert article["image"] == {"@type": "ImageObject", "url": image, "width": 1000, "height": 500}


def test_a_front_matter_image_that_is_not_there_stops_the_sync(content, own_image):
    from tests.support.content import sync_error

    own_image.write_text(own_image.read_text().replace("share.png", "missing.png"))
    error = sync_error(content)
    assert "04-choosing-an-it-provider.md:" in error
    assert "no such file: content/images/missing.png" in error
