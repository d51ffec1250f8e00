"""Reads the series and posts kept as files under content/ and syncs them into the database.

`content/series.yaml` lists the series; `content/posts/*.md` are posts with YAML front matter.
`load_sources()` parses and validates every file, collecting each problem with the file and
line it comes from; `sync()` applies them in one transaction, or nothing at all when any file
is bad. Used by the `sync_posts` management command (and so by `make run`).
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from blog.models import Post, Series, Tag

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.DOTALL | re.MULTILINE)
SLUG = re.compile(r"^[-a-z0-9]+$")
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
}
SERIES_FIELDS = {"title", "slug", "description", "planned_parts"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when built
    """YAML without implicit timestamps: dates stay text so a bad one is reported, not raised."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_error_line(error, offset):
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    return (mark.line if mark else 0) + offset


class ContentError(Exception):
    """One or more content files were rejected; `problems` holds 'file:line: message'."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


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


class _Problems:
    def __init__(self):
        self.items = []

    def add(self, path, line, message):
        self.items.append(f"{path}:{line}: {message}")


def _key_line(front_matter_text, key, offset=1):
    """The file line on which `key:` appears in the front matter (offset: the '---' line)."""
    for number, line in enumerate(front_matter_text.splitlines(), start=1):
        if re.match(rf"^\s*-?\s*{re.escape(key)}\s*:", line):
            return number + offset
    return offset


def _as_datetime(value):
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            moment = None
        if moment is None:
            return None
    else:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _check_part(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 999


def parse_series_file(path: Path, problems: _Problems) -> list[SeriesSource]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_Loader) or []
    except yaml.YAMLError as error:
        problems.add(
            path, _yaml_error_line(error, 1), f"invalid YAML: {getattr(error, 'problem', error)}"
        )
        return []
    if not isinstance(data, list):
        problems.add(path, 1, "expected a list of series")
        return []
    found = []
    for index, entry in enumerate(data, start=1):
        where = _key_line(text, "slug") if index == 1 else 1
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


def parse_post_file(path: Path, known_series: set[str], problems: _Problems):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add(path, raw[: error.start].count(b"\n") + 1, "not valid UTF-8")
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.add(path, 1, "no YAML front matter (the file must start with a '---' line)")
        return None
    front_text = match.group(1)
    try:
        meta = yaml.load(front_text, Loader=_Loader) or {}
    except yaml.YAMLError as error:
        problems.add(
            path, _yaml_error_line(error, 2), f"invalid YAML: {getattr(error, 'problem', error)}"
        )
        return None
    if not isinstance(meta, dict):
        problems.add(path, 2, "front matter must be a mapping of fields")
        return None
    before = len(problems.items)

    def line(key):
        return _key_line(front_text, key)

    unknown = sorted(set(map(str, meta)) - POST_FIELDS)
    if unknown:
        problems.add(path, line(unknown[0]), f"unknown field(s) {unknown}")
    title = str(meta.get("title") or "").strip()
    if not title:
        problems.add(path, line("title") if "title" in meta else 1, "missing title")
    slug = str(meta.get("slug") or slugify(path.stem))
    if not SLUG.match(slug) or len(slug) > 200:
        problems.add(path, line("slug"), f"invalid slug {slug!r} (lowercase letters, digits, -)")
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
    published_at = _as_datetime(meta.get("published", timezone.now()))
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
    summary = str(meta.get("summary") or "").strip()
    if len(summary) > 300:
        problems.add(path, line("summary"), "summary is longer than 300 characters")
    body = text[match.end() :].strip()
    if not body:
        problems.add(path, text[: match.end()].count("\n") + 1, "the post has no body")
    if len(problems.items) > before:
        return None
    return PostSource(
        path=path,
        file_hash=hashlib.sha256(raw).hexdigest(),
        slug=slug,
        title=title,
        series=series,
        part=part if series else None,
        author=str(meta.get("author") or "Jim"),
        summary=summary,
        published_at=published_at,
        status=status,
        tags=[t.strip() for t in tags],
        body=body + "\n",
    )


def load_sources(content_dir: Path):
    """Parse and validate every file; raise ContentError listing every problem found."""
    problems = _Problems()
    series = parse_series_file(content_dir / "series.yaml", problems)
    known = {s.slug for s in series} | set(Series.objects.values_list("slug", flat=True))
    posts = []
    for path in sorted((content_dir / "posts").glob("*.md")):
        source = parse_post_file(path, known, problems)
        if source:
            posts.append(source)
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
    if problems.items:
        raise ContentError(problems.items)
    return series, posts


def sync(content_dir: Path, force: bool = False) -> SyncReport:
    """Create and update series and posts from the files; all or nothing."""
    series_sources, post_sources = load_sources(content_dir)
    report = SyncReport()
    with transaction.atomic():
        for source in series_sources:
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
            .in_bulk(
                [
                    s.slug
                    for s in post_sources
                    if s.slug in stored_hashes and (force or stored_hashes[s.slug] != s.file_hash)
                ],
                field_name="slug",
            )
        )
        for source in post_sources:
            post = existing.get(source.slug)
            if source.slug not in stored_hashes:
                report.created.append(source.slug)
            elif post is None:  # its file is the one last synced, so it was not loaded
                report.unchanged.append(source.slug)
                continue
            elif post.content_fingerprint() != post.synced_fingerprint and not force:
                report.kept_admin_edits.append(source.slug)
                continue
            elif post.content_fingerprint() == source.fingerprint():
                post.source_hash = source.file_hash
                post.synced_fingerprint = post.content_fingerprint()
                post.save(update_fields=["source_hash", "synced_fingerprint"])
                report.unchanged.append(source.slug)
                continue
            else:
                report.updated.append(source.slug)
            _write(post or Post(slug=source.slug), source, series_by_slug)
    return report


def _write(post, source, series_by_slug):
    post.title = source.title
    post.series = series_by_slug.get(source.series) if source.series else None
    post.part = source.part
    post.author_name = source.author
    post.summary = source.summary
    post.body_markdown = source.body
    post.status = source.status
    post.published_at = source.published_at
    post.source_hash = source.file_hash
    post.synced_fingerprint = source.fingerprint()
    post.save()
    post.tags.set([Tag.objects.get_or_create_by_name(name)[0] for name in source.tags])
