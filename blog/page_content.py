"""Site pages kept as files: `content/pages/*.md` (About, Privacy, Contact…) into `Page` rows.

Each file is Markdown with YAML front matter (title, slug, summary, updated). The rules are
the posts' (blog.content, which calls this module inside its one transaction): a problem in
any file is reported as `file:line: problem` and stops the whole sync; an unchanged file is
skipped by its hash; a page edited in the admin since its last sync is kept unless `--force`.
A slug that the site's other addresses begin with (blog, compare, admin…) is refused, since
pages live at the root: /<slug>/.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import reversion

from blog.front_matter import Problems, as_date, read_document
from blog.models import Page
from blog.models.pages import validate_page_slug
from blog.sync_decision import should_write, slugs_to_load

PAGE_FIELDS = {"title", "slug", "summary", "updated"}
SLUG_LENGTH = Page._meta.get_field("slug").max_length
SUMMARY_LENGTH = Page._meta.get_field("summary").max_length


@dataclass
class PageSource:
    path: Path
    file_hash: str
    slug: str
    title: str
    summary: str
    updated_on: date
    body: str

    def fingerprint(self):
        page = Page(
            title=self.title,
            summary=self.summary,
            body_markdown=self.body,
            updated_on=self.updated_on,
        )
        return page.content_fingerprint()


@dataclass
class PagesReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_admin_edits: list[str] = field(default_factory=list)


def parse_page_file(path: Path, problems: Problems) -> PageSource | None:
    document = read_document(path, problems)
    if document is None:
        return None
    meta, line = document.meta, document.line
    before = len(problems.items)

    title, slug, summary = document.heading_fields(
        problems,
        allowed=PAGE_FIELDS,
        validate_slug=validate_page_slug,
        slug_length=SLUG_LENGTH,
        summary_length=SUMMARY_LENGTH,
    )
    updated_on = as_date(meta.get("updated"))
    if "updated" not in meta:
        problems.add(path, 1, "missing updated date (updated: YYYY-MM-DD)")
    elif updated_on is None:
        problems.add(path, line("updated"), f"invalid date {meta.get('updated')!r}")
    if not document.body:
        problems.add(path, document.body_line, "the page has no body")
    document.warn_about_dropped_text(problems)
    if len(problems.items) > before:
        return None
    return PageSource(
        path=path,
        file_hash=document.file_hash,
        slug=slug,
        title=title,
        summary=summary,
        updated_on=updated_on,
        body=document.body + "\n",
    )


def load_pages(pages_dir: Path, problems: Problems) -> list[PageSource]:
    """Every page file parsed and checked; problems (none of them raised) go to `problems`."""
    pages, seen = [], {}
    for path in sorted(pages_dir.glob("*.md")):
        source = parse_page_file(path, problems)
        if source is None:
            continue
        if source.slug in seen:
            problems.add(path, 1, f"duplicate slug {source.slug!r} (also in {seen[source.slug]})")
            continue
        seen[source.slug] = path
        pages.append(source)
    return pages


def sync_pages(sources: list[PageSource], force: bool, report: PagesReport) -> None:
    """Apply parsed pages; the caller holds the transaction that makes it all or nothing."""
    stored_hashes = dict(
        Page.objects.filter(slug__in=[s.slug for s in sources]).values_list("slug", "source_hash")
    )
    existing = Page.objects.in_bulk(slugs_to_load(sources, stored_hashes, force), field_name="slug")
    for source in sources:
        page = existing.get(source.slug)
        if not should_write(page, source, stored_hashes, force, report):
            continue
        _write(page or Page(slug=source.slug), source)


def _write(page, source):
    # Each page written is a revision of its own, with no user (blog.admin_revisions).
    with reversion.create_revision():
        reversion.set_comment(f"Synced from content/pages/{source.path.name}")
        page.title = source.title
        page.summary = source.summary
        page.body_markdown = source.body
        page.updated_on = source.updated_on
        page.source_hash = source.file_hash
        page.synced_fingerprint = source.fingerprint()
        page.save()
