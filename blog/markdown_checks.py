"""What a post's or page's Markdown would lose to the sanitiser, and which of its links are
broken: the warnings the admin shows in its live preview and after a save (never blocking).

Used by blog.admin_preview, and by sync_posts (blog.front_matter) for its warnings about
dropped text, given with the line it starts on. The HTML is checked twice: as Python-Markdown
writes it, before nh3, and as blog.markdown keeps it. Comparing the two (words of text, tags,
attributes) finds whatever the allowlist removes without listing the ways Markdown can smuggle
HTML in: the sanitiser is the judge, this module only reports its verdict. Links are checked
without any network: an address of this site must resolve to a page that exists; another
site's needs a scheme the sanitiser keeps.
"""

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve

from blog import markdown, post_images
from blog.models import Page, Post, Series, Tag

# Attributes whose loss a reader cannot see (a class the allowlist does not style) or that
# are reported as links instead (a removed href or src).
QUIET_ATTRIBUTES = {"class", "href", "src"}
# Tags removed together with everything inside them (ammonia's clean_content_tags default).
CONTENT_TAGS = {"script", "style"}
QUOTE_LENGTH = 80


@dataclass(frozen=True)
class Checked:
    html: str
    warnings: list[str]


class _Collector(HTMLParser):
    """Words of text, tags, attributes, ids and link targets of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words = []
        self.tags = Counter()
        self.attributes = Counter()
        self.ids = set()
        self.links = []  # (tag, attribute, url)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[(tag, name)] += 1
            if name == "id" and value:
                self.ids.add(value)
            if (tag, name) in {("a", "href"), ("img", "src")}:
                self.links.append((tag, name, (value or "").strip()))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.words.extend(data.split())


def _collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def unsanitised_html(source: str) -> str:
    """The HTML blog.markdown.render() hands to nh3, made the same way."""
    # tests/blog/test_admin_editor.py proves that sanitising this gives exactly render()'s HTML,
    # so the two cannot drift apart unseen.
    return markdown.to_html(markdown._markdown(), source)


def check(source: str) -> Checked:
    """The HTML readers would get, and every warning about what it lost or links to."""
    html = markdown.render(source).html
    before, after = _collect(unsanitised_html(source)), _collect(html)
    warnings = [
        *_dropped_text(before, after),
        *_removed_tags(before, after),
        *_removed_attributes(before, after),
        *_link_warnings(before, after),
    ]
    return Checked(html=html, warnings=warnings)


def warnings_for(source: str) -> list[str]:
    return check(source).warnings


def _quote(words) -> str:
    text = " ".join(words)
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"


def dropped_text(source: str) -> list[tuple[int, str]]:
    """For sync_posts: the warning about text the sanitiser drops, with the line of `source`
    where that text starts (empty when nothing is dropped)."""
    before = _collect(unsanitised_html(source))
    dropped = _dropped_words(before, _collect(markdown.render(source).html))
    if not dropped:
        return []
    return [(_line_of(source, dropped), _dropped_text_warning(dropped))]


def _dropped_words(before, after):
    # Compared as counts of words, not as sequences: the sanitiser may move text (a stray
    # line out of a table) without dropping it.
    missing = Counter(before.words) - Counter(after.words)
    dropped = []
    for word in before.words:
        if missing[word]:
            missing[word] -= 1
            dropped.append(word)
    return dropped


def _dropped_text_warning(dropped):
    return f"Text will be removed from the page: “{_quote(dropped)}”."


def _dropped_text(before, after):
    dropped = _dropped_words(before, after)
    return [_dropped_text_warning(dropped)] if dropped else []


def _line_of(source, words):
    """The line where the dropped words start: the first place the first of them is followed,
    in order, by the next few (the same word may also stand in text that was kept)."""
    following = words[1:5]
    start = source.find(words[0])
    first = start
    while start != -1:
        position, in_order = start + len(words[0]), True
        for word in following:
            position = source.find(word, position)
            if position == -1:
                in_order = False
                break
            position += len(word)
        if in_order:
            return source.count("\n", 0, start) + 1
        start = source.find(words[0], start + 1)
    return source.count("\n", 0, first) + 1 if first != -1 else 1


def _removed_tags(before, after):
    warnings = []
    for tag, count in sorted((before.tags - after.tags).items()):
        times = f" ({count} times)" if count > 1 else ""
        if tag in CONTENT_TAGS:
            warnings.append(f"The <{tag}> element is removed with everything in it{times}.")
        else:
            warnings.append(
                f"The <{tag}> tag is not allowed and is removed (its text is kept){times}."
            )
    return warnings


def _removed_attributes(before, after):
    warnings = []
    for (tag, name), count in sorted((before.attributes - after.attributes).items()):
        if name in QUIET_ATTRIBUTES or tag not in markdown.ALLOWED_TAGS:
            continue  # a removed tag was reported with all its attributes
        times = f" ({count} times)" if count > 1 else ""
        warnings.append(f'The {name}="…" attribute of <{tag}> is removed{times}.')
    return warnings


def _link_warnings(before, after):
    warnings = []
    for tag, _attribute, url in before.links:
        problem = _link_problem(url, tag, after.ids)
        if problem:
            kind = "Image" if tag == "img" else "Link"
            warnings.append(f"{kind} “{url}”: {problem}.")
    return list(dict.fromkeys(warnings))


def _link_problem(url, tag, ids):
    if not url:
        return "the address is empty"
    if url.startswith("#"):
        if tag == "a" and unquote(url[1:]) not in ids:
            return "no heading or note on this page has that id"
        return None
    parts = urlsplit(url)
    if parts.scheme:
        if parts.scheme.lower() not in markdown.URL_SCHEMES:
            return (
                f"{parts.scheme}: addresses are removed; only "
                + ", ".join(sorted(markdown.URL_SCHEMES))
                + " are kept"
            )
        if parts.scheme.lower() in {"http", "https"} and not parts.netloc:
            return "the address has no site name after the //"
        if parts.scheme.lower() == "mailto" and "@" not in parts.path:
            return "the address has no email address after mailto:"
        if tag == "img":
            return "images from other sites are blocked by the site's Content Security Policy"
        return None
    if url.startswith("//"):
        return None
    if tag == "img" and url.startswith(post_images.PREFIX):
        return "no such image published: put the file in content/images/ and run sync_posts"
    if not url.startswith("/"):
        return "a relative address: start it with / for a page of this site, or https://"
    return internal_link_problem(parts.path)


def internal_link_problem(path: str) -> str | None:
    """Why an address of this site would not show readers a page, or None if it would."""
    path = unquote(path)
    static = "/" + settings.STATIC_URL.lstrip("/")
    images = f"{static}{post_images.URL_FOLDER}/"
    if path.startswith(images):  # published by sync_posts, not found by the static finders
        name = path.removeprefix(images)
        published = post_images.NAME.fullmatch(name) and post_images.published_root() / name
        return None if published and published.is_file() else "no such image"
    if path.startswith(static):
        return None if finders.find(path.removeprefix(static)) else "no such static file"
    for candidate in dict.fromkeys([path, path if path.endswith("/") else path + "/"]):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        return _missing_object(match.view_name, match.kwargs)
    return "no page of the site has this address"


def _missing_object(view_name, kwargs):
    """The slug-addressed pages: the address resolves, but is there anything at it?"""
    slug = kwargs.get("slug")
    if view_name == "blog:post-detail":
        post = Post.objects.filter(slug=slug).first()
        if post is None:
            return f"no post has the slug “{slug}”"
        if not post.is_public:
            return f"the post “{slug}” is not published yet: readers get a 404 until it is"
    elif view_name == "page" and not Page.objects.filter(slug=slug).exists():
        return f"no site page has the slug “{slug}”"
    elif view_name == "blog:series-detail" and not Series.objects.filter(slug=slug).exists():
        return f"no series has the slug “{slug}”"
    elif view_name == "blog:tag" and not Tag.objects.filter(slug=slug).exists():
        return f"no tag has the slug “{slug}”"
    elif view_name == "blog:author" and not (
        Post.objects.published().filter(author_slug=slug).exists()
    ):
        return f"no published post is by the author “{slug}”"
    return None
