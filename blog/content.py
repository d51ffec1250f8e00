"""Reads the series, tag names, posts and site pages kept as files under content/ and syncs
them into the database.

`content/series.yaml` lists the series; `content/tags.yaml` gives tags their display names;
`content/posts/*.md` are posts and `content/pages/*.md` site pages (blog.page_content), each
with YAML front matter; `content/images/` holds the images posts show, published under hashed
names before the posts are rendered (blog.post_images). `load_sources()` parses and validates
every file, collecting each problem with the file and line it comes from; `sync()` applies
them in one transaction, or nothing at all when any file is bad. Each post or page it writes
is also a revision (django-reversion, blog.admin_revisions) commented with its file. Used by
the `sync_posts` management command (and so by `make run`).
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import reversion
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from blog import page_content, post_images
from blog.front_matter import (
    SLUG,
    ContentError,
    Problems,
    as_datetime,
    key_line,
    load_yaml,
    read_document,
)
from blog.models import Post, Series, Tag
from blog.models.posts import validate_post_slug
from blog.sync_decision import should_write, slugs_to_load

__all__ = ["ContentError", "SyncReport", "load_sources", "sync"]

POST_FIELDS = {
    "title",
    "slug",
    "series",
    "part",
    "author",
    "summary",
    "published",
    "status",
    "tags",
    "image",
}
SERIES_FIELDS = {"title", "slug", "description", "planned_parts"}
TAG_NAME_LENGTH = Tag._meta.get_field("name").max_length


@dataclass
class SeriesSource:
    slug: str
    title: str
    description: str
    planned_parts: int


@dataclass
class PostSource:
    path: Path
    file_hash: str
    slug: str
    title: str
    series: str | None
    part: int | None
    author: str
    summary: str
    published_at: datetime
    status: str
    tags: list[str]
    body: str
    # The share image (og:image), written as in the body: ../images/<file>; "" for the card.
    image: str = ""

    def fingerprint(self):
        post = Post(
            title=self.title,
            part=self.part,
            author_name=self.author,
            summary=self.summary,
            body_markdown=self.body,
            status=self.status,
            published_at=self.published_at,
        )
        if self.series:
            post.series = Series(slug=self.series)
        return post.content_fingerprint(tag_slugs=[slugify(t) for t in self.tags])


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_admin_edits: list[str] = field(default_factory=list)
    series_created: list[str] = field(default_factory=list)
    tags_named: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "file:line: warning: …", never blocking
    pages: page_content.PagesReport = field(default_factory=page_content.PagesReport)


@dataclass
class Sources:
    series: list[SeriesSource]
    tag_names: dict[str, str]
    posts: list[PostSource]
    pages: list[page_content.PageSource]
    has_pages: bool
    warnings: list[str]


def _check_part(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 999


def parse_series_file(path: Path, problems: Problems) -> list[SeriesSource]:
    before = len(problems.items)
    data, text = load_yaml(path, problems)
    if len(problems.items) > before:
        return []
    data = data or []
    if not isinstance(data, list):
        problems.add(path, 1, "expected a list of series")
        return []
    found = []
    for index, entry in enumerate(data, start=1):
        where = key_line(text, "slug") if index == 1 else 1
        if not isinstance(entry, dict):
            problems.add(path, where, f"series #{index} is not a mapping")
            continue
        unknown = set(entry) - SERIES_FIELDS
        slug = str(entry.get("slug", ""))
        if unknown:
            problems.add(path, where, f"series {slug!r}: unknown field(s) {sorted(unknown)}")
        if not SLUG.match(slug):
            problems.add(path, where, f"series #{index}: missing or invalid slug {slug!r}")
            continue
        if not str(entry.get("title", "")).strip():
            problems.add(path, where, f"series {slug!r}: missing title")
            continue
        planned = entry.get("planned_parts", 1)
        if not _check_part(planned):
            problems.add(path, where, f"series {slug!r}: planned_parts must be 1 to 999")
            continue
        found.append(
            SeriesSource(
                slug, str(entry["title"]).strip(), str(entry.get("description", "")), planned
            )
        )
    return found


def parse_tags_file(path: Path, problems: Problems) -> dict[str, str]:
    """`content/tags.yaml`: tag slug -> the name readers see (e.g. break-fix: Break/fix)."""
    before = len(problems.items)
    data, text = load_yaml(path, problems)
    if len(problems.items) > before:
        return {}
    data = data or {}
    if not isinstance(data, dict):
        problems.add(path, 1, "expected a mapping of tag slug to name (break-fix: Break/fix)")
        return {}
    names = {}
    for slug, name in data.items():
        slug = str(slug)
        where = key_line(text, slug, offset=0)
        if not SLUG.match(slug) or len(slug) > Tag._meta.get_field("slug").max_length:
            problems.add(path, where, f"invalid tag slug {slug!r} (lowercase letters, digits, -)")
        elif not isinstance(name, str) or not name.strip():
            problems.add(path, where, f"tag {slug!r}: the name must be some text")
        elif len(name.strip()) > TAG_NAME_LENGTH:
            problems.add(path, where, f"tag {slug!r}: longer than {TAG_NAME_LENGTH} characters")
        else:
            names[slug] = name.strip()
    return names


def parse_post_file(
    path: Path, known_series: set[str], problems: Problems, synced_hashes=frozenset()
):
    document = read_document(path, problems)
    if document is None:
        return None
    meta, line = document.meta, document.line
    before = len(problems.items)

    title, slug, summary = document.heading_fields(
        problems,
        allowed=POST_FIELDS,
        validate_slug=validate_post_slug,
        slug_length=Post._meta.get_field("slug").max_length,
        summary_length=Post._meta.get_field("summary").max_length,
    )
    series = meta.get("series")
    part = meta.get("part")
    if series is not None:
        series = str(series)
        if series not in known_series:
            problems.add(path, line("series"), f"unknown series {series!r}")
        if not _check_part(part):
            problems.add(
                path,
                line("part") if "part" in meta else line("series"),
                "a post in a series needs a part number from 1 to 999",
            )
    elif part is not None:
        problems.add(path, line("part"), "part given without a series")
    published_at = as_datetime(meta.get("published", timezone.now()))
    if published_at is None:
        problems.add(path, line("published"), f"invalid date {meta.get('published')!r}")
    status = str(meta.get("status", Post.Status.DRAFT))
    if status not in Post.Status.values:
        problems.add(path, line("status"), f"status must be one of {Post.Status.values}")
    tags = meta.get("tags", [])
    if not isinstance(tags, list) or not all(
        isinstance(t, str) and t.strip() and slugify(t) for t in tags
    ):
        problems.add(path, line("tags"), "tags must be a list of words")
        tags = []
    if not document.body:
        problems.add(path, document.body_line, "the post has no body")
    post_images.check_images(
        document.body, document.body_start, path.parent.parent / "images", path, problems
    )
    image = meta.get("image")
    if image is not None:
        # The same rules as an image in the text, with the field's line.
        image = str(image).strip()
        if len(image) > Post._meta.get_field("share_image").max_length:
            problems.add(path, line("image"), "image: the path is too long")
        share = f"![the share image]({image})"
        post_images.check_images(
            share, line("image"), path.parent.parent / "images", path, problems
        )
    # Checked when the file is new or changed: a file synced as it is was warned about then,
    # and a re-run over a thousand unchanged posts must not render them all twice again.
    if document.file_hash not in synced_hashes:
        document.warn_about_dropped_text(problems)
    if len(problems.items) > before:
        return None
    return PostSource(
        path=path,
        file_hash=document.file_hash,
        slug=slug,
        title=title,
        series=series,
        part=part if series else None,
        author=str(meta.get("author") or "Jim"),
        summary=summary,
        published_at=published_at,
        status=status,
        tags=[t.strip() for t in tags],
        image=image or "",
        body=document.body + "\n",
    )


def _check_posts_together(posts, problems):
    """What no single file shows: duplicate slugs and parts, here or held by other posts."""
    seen_slugs, seen_parts = {}, {}
    for source in posts:
        if source.slug in seen_slugs:
            problems.add(
                source.path,
                1,
                f"duplicate slug {source.slug!r} (also in {seen_slugs[source.slug]})",
            )
        seen_slugs.setdefault(source.slug, source.path)
        if source.series:
            key = (source.series, source.part)
            if key in seen_parts:
                problems.add(
                    source.path,
                    1,
                    f"part {source.part} of {source.series!r} is also claimed by {seen_parts[key]}",
                )
            seen_parts.setdefault(key, source.path)
    source_slugs = set(seen_slugs)
    held = Post.objects.filter(series__isnull=False).values_list("series__slug", "part", "slug")
    for series_slug, part, slug in held:
        claimant = seen_parts.get((series_slug, part))
        if claimant and slug not in source_slugs:
            problems.add(
                claimant,
                1,
                f"part {part} of {series_slug!r} already belongs to the "
                f"post {slug!r}, which has no file: change that post in the admin first",
            )


def load_sources(content_dir: Path) -> Sources:
    """Parse and validate every file; raise ContentError listing every problem found."""
    problems = Problems()
    series = parse_series_file(content_dir / "series.yaml", problems)
    tag_names = parse_tags_file(content_dir / "tags.yaml", problems)
    known = {s.slug for s in series} | set(Series.objects.values_list("slug", flat=True))
    synced = frozenset(Post.objects.exclude(source_hash="").values_list("source_hash", flat=True))
    posts = []
    for path in sorted((content_dir / "posts").glob("*.md")):
        source = parse_post_file(path, known, problems, synced)
        if source:
            posts.append(source)
    _check_posts_together(posts, problems)
    pages_dir = content_dir / "pages"
    pages = page_content.load_pages(pages_dir, problems)
    if problems.items:
        raise ContentError(problems.items)
    return Sources(
        series, tag_names, posts, pages, has_pages=pages_dir.is_dir(), warnings=problems.warnings
    )


def sync(content_dir: Path, force: bool = False) -> SyncReport:
    """Create and update series, tags, posts and pages from the files; all or nothing."""
    sources = load_sources(content_dir)
    report = SyncReport(warnings=sources.warnings)
    with transaction.atomic():
        for source in sources.series:
            _, created = Series.objects.update_or_create(
                slug=source.slug,
                defaults={
                    "title": source.title,
                    "description": source.description,
                    "planned_parts": source.planned_parts,
                },
            )
            if created:
                report.series_created.append(source.slug)
        _name_tags(sources.tag_names, report)
        # Before the posts are rendered: they take the images' published names and sizes.
        changed_images = post_images.publish(content_dir / "images")
        _sync_posts(sources.posts, force, report)
        _render_again_posts_showing(changed_images, report)
        if sources.has_pages:
            page_content.sync_pages(sources.pages, force, report.pages)
    return report


def _name_tags(tag_names, report):
    """Tags listed in tags.yaml take its names; only a tag whose name differs is written."""
    current = dict(Tag.objects.filter(slug__in=tag_names).values_list("slug", "name"))
    for slug, name in tag_names.items():
        if current.get(slug) != name:
            Tag.objects.update_or_create(slug=slug, defaults={"name": name})
            report.tags_named.append(slug)


def _render_again_posts_showing(image_names, report):
    """A changed image has a new published name: the posts showing it that this sync did not
    write are rendered again (their text is unchanged, so no admin edit is overwritten)."""
    if not image_names:
        return
    written = {*report.created, *report.updated}
    showing = Q()
    for name in image_names:
        showing |= Q(body_markdown__contains=post_images.written_as(name))
    for post in Post.objects.filter(showing).exclude(slug__in=written):
        post.save(update_fields=["body_markdown"])


def _sync_posts(post_sources, force, report):
    series_by_slug = Series.objects.in_bulk(field_name="slug")
    stored_hashes = dict(
        Post.objects.filter(slug__in=[s.slug for s in post_sources]).values_list(
            "slug", "source_hash"
        )
    )
    # Only posts whose file changed are loaded whole: a re-run over unchanged files
    # reads one column.
    existing = (
        Post.objects.select_related("series")
        .prefetch_related("tags")
        .in_bulk(slugs_to_load(post_sources, stored_hashes, force), field_name="slug")
    )
    for source in post_sources:
        post = existing.get(source.slug)
        if not should_write(post, source, stored_hashes, force, report):
            continue
        # Each post written is a revision of its own, with no user (blog.admin_revisions).
        with reversion.create_revision():
            reversion.set_comment(f"Synced from content/posts/{source.path.name}")
            _write(post or Post(slug=source.slug), source, series_by_slug)


def _write(post, source, series_by_slug):
    post.title = source.title
    post.series = series_by_slug.get(source.series) if source.series else None
    post.part = source.part
    post.author_name = source.author
    post.summary = source.summary
    post.body_markdown = source.body
    post.status = source.status
    post.published_at = source.published_at
    post.share_image = source.image or None
    post.source_hash = source.file_hash
    post.synced_fingerprint = source.fingerprint()
    post.save()
    post.tags.set([Tag.objects.get_or_create_by_name(name)[0] for name in source.tags])
