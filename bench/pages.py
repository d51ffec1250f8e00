"""Which reader pages `make bench` loads, found on the running site rather than written down:
series and tag slugs are read off the blog's own pages, so the bench follows the content.

A page that is missing (a slug not found, a URL not built yet) is left out with a note.
"""

import re
import urllib.error
import urllib.request


def status_and_body(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def first_link(base, pattern, *paths):
    """The first link matching `pattern` (a path with one group) on any of `paths`."""
    for path in paths:
        match = re.search(rf'href="({pattern})"', status_and_body(base + path)[1])
        if match:
            return match.group(1)
    return None


def reader_pages(base, result_path, cookie):
    """(name, label, path, headers) of every reader page type, and notes on those left out."""
    series = first_link(base, r"/blog/series/[\w-]+/", "/blog/", "/", "/blog/bench-50/")
    tag = first_link(base, r"/blog/tag/[\w-]+/", "/blog/tags/", "/blog/")
    candidates = [
        ("post", "post, 50 comments", "/blog/bench-50/", {}),
        ("returning", "same, returning reader", "/blog/bench-50/", {"Cookie": cookie}),
        ("post10", "post, 10 comments", "/blog/bench-10/", {}),
        ("post10k", "post, 10,000 comments", "/blog/bench-10k/", {}),
        ("home", "home", "/", {}),
        ("index", "blog index", "/blog/", {}),
        ("series", "series page", series, {}),
        ("tag", "tag page", tag, {}),
        ("tags", "tag list", "/blog/tags/", {}),
        ("matrix", "comparison matrix", "/compare/", {}),
        ("recommend", "recommendation form", "/compare/recommend/", {}),
        ("result", "saved result", result_path, {}),
        ("result_json", "saved result .json", result_path.rstrip("/") + ".json", {}),
        ("rss", "RSS feed", "/blog/feed/", {}),
        ("atom", "Atom feed", "/blog/atom/", {}),
        ("comment_feed", "comment feed, 50 comments", "/blog/bench-50/comments/feed/", {}),
        ("sitemap", "sitemap.xml", "/sitemap.xml", {}),
        ("about", "About page", "/about/", {}),
        ("search", "search ?q=managed", "/search/?q=managed", {}),
    ]
    found = f"series {series}, tag {tag}, saved result {result_path}"
    pages, notes = [], [f"pages found on the site: {found}"]
    for name, label, path, headers in candidates:
        if path is None:
            notes.append(f"{name}: no link to one found on the site's pages, not measured")
            continue
        status = status_and_body(base + path)[0]
        if status != 200:
            notes.append(f"{label} ({path}): answers {status}, not measured")
            continue
        pages.append((name, label, path, headers))
    return pages, notes
