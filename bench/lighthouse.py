"""`make lighthouse`: Lighthouse's four scores for every public page type, as readers get them.

Starts the site as production serves it (gunicorn, DEBUG off, whitenoise, the project's own
content synced, a result saved through the form) on a throw-away SQLite database, runs
Lighthouse (npm's `lighthouse`, driving Debian's Chromium: CHROME_PATH, /usr/bin/chromium by
default) on each page for a phone (Lighthouse's default, mobile emulation and throttling) and
for a desktop, and prints a Markdown table for docs/lighthouse.md. (The 404 page is not among
them: Lighthouse refuses to audit a page answered with an error status.) A measurement, never
a test: scores depend on the machine's load, so it belongs beside the benchmarks.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import django

from tests.support.live_servers import running_site

PAGE_TYPES = {
    "home": "/",
    "blog index": "/blog/",
    "post (part 1)": "/blog/understanding-it-service-models-break-fix-versus-managed-services/",
    "post (standalone)": "/blog/choosing-an-it-provider/",
    "series": "/blog/series/understanding-it-service-models/",
    "tag": "/blog/tag/managed-services/",
    "all tags": "/blog/tags/",
    "author": "/blog/author/jim/",
    "About": "/about/",
    "matrix": "/compare/",
    "recommendation form": "/compare/recommend/",
    "search": "/search/?q=managed+services",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run"


def scores(url, form_factor):
    """Lighthouse's score (0-100) in each category for `url` on a phone or a desktop."""
    command = [
        shutil.which("lighthouse") or "lighthouse",
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    report = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    categories = json.loads(report.stdout)["categories"]
    return [round((categories[name]["score"] or 0) * 100) for name in CATEGORIES]


def main():
    if not shutil.which("lighthouse"):
        sys.exit("lighthouse not found: npm install -g lighthouse")
    # The answers the tests use (their module reverses a URL on import: Django must be set up).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from tests.support.recommendation_support import GROWING_FIRM

    workdir = Path(tempfile.mkdtemp(prefix="itguide-lighthouse-"))
    rows = []
    with running_site(workdir, servers=1, workers=2) as site:
        status, _, headers = site.post_recommendation(0, GROWING_FIRM, forwarded_for=None)
        assert status == 302, f"the recommendation form answered {status}"
        pages = {**PAGE_TYPES, "saved result": headers["Location"]}
        for name, path in pages.items():
            for form_factor in ["mobile", "desktop"]:
                url = site.urls[0] + path if path.startswith("/") else path
                row = scores(url, form_factor)
                rows.append((name, form_factor, row))
                print(f"{name:22} {form_factor:8} " + " ".join(f"{s:4}" for s in row), flush=True)
    shutil.rmtree(workdir, ignore_errors=True)
    print("\n| page | device | " + " | ".join(CATEGORIES) + " |")
    print("| --- | --- |" + " --- |" * len(CATEGORIES))
    for name, form_factor, row in rows:
        print(f"| {name} | {form_factor} | " + " | ".join(str(s) for s in row) + " |")


if __name__ == "__main__":
    main()
