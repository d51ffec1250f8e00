"""Reading content files: Markdown with YAML front matter, and YAML, with every problem kept as
`file:line: message` so one run can report all of them.

Used by `blog.content` (series, tag names, posts) and `blog.page_content` (site pages). Nothing
here touches the database. Control characters (but tab and line breaks) are refused wherever
they are, typed or written as YAML escapes; text the sanitiser would drop is a warning.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify

from blog import markdown_checks
from siteops.text import CONTROL_CHARACTER, control_characters

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.DOTALL | re.MULTILINE)
SLUG = re.compile(r"^[-a-z0-9]+$")


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when built
    """YAML without implicit timestamps: dates stay text so a bad one is reported, not raised."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ContentError(Exception):
    """One or more content files were rejected; `problems` holds 'file:line: message'."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


class Problems:
    """Problems stop the sync; warnings (`warn`) are reported and never block it."""

    def __init__(self):
        self.items = []
        self.warnings = []

    def add(self, path, line, message):
        self.items.append(f"{path}:{line}: {message}")

    def warn(self, path, line, message):
        self.warnings.append(f"{path}:{line}: warning: {message}")


CONTROL_HINT = "only tab and line breaks may be used; retype or delete the invisible character"
# YAML escapes that stand for a control character (\0, \e, \x1b, \u0000, \N…), to find the
# line of one in a file whose values are not mapped to lines (series.yaml, tags.yaml).
CONTROL_ESCAPE = re.compile(
    r"\\(?:[0abvfeN]|x(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|u00(?:[01][0-9a-fA-F]|7[fF]))"
)


def refuse_control_characters(path, text, problems) -> bool:
    """Record each line of `text` holding a control character; True if there was one."""
    found = control_characters(text)
    for number, name in found:
        problems.add(path, number, f"control character {name}: {CONTROL_HINT}")
    return bool(found)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def refuse_escaped_control_characters(path, data, text, problems, *, field="", line=None):
    """Control characters the YAML parser made from escapes ("\\0" in a quoted value)."""
    for value in _strings(data):
        match = CONTROL_CHARACTER.search(value)
        if match:
            rows = enumerate(text.splitlines(), start=1)
            where = line or next((n for n, row in rows if CONTROL_ESCAPE.search(row)), 1)
            name = f"U+{ord(match.group()):04X}" + (f" in {field}" if field else "")
            problems.add(path, where, f"control character {name} (a YAML escape): {CONTROL_HINT}")
            return


def yaml_error_line(error, offset):
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    return (mark.line if mark else 0) + offset


def key_line(yaml_text, key, offset=1):
    """The file line on which `key:` appears in the YAML (offset: lines before the YAML)."""
    for number, line in enumerate(yaml_text.splitlines(), start=1):
        if re.match(rf"^\s*-?\s*{re.escape(key)}\s*:", line):
            return number + offset
    return offset


def load_yaml(path: Path, problems: Problems):
    """A whole YAML file's data (None when it is missing or bad), and its text."""
    if not path.exists():
        return None, ""
    text = path.read_text(encoding="utf-8")
    if refuse_control_characters(path, text, problems):
        return None, text
    try:
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as error:
        problems.add(
            path, yaml_error_line(error, 1), f"invalid YAML: {getattr(error, 'problem', error)}"
        )
        return None, text
    before = len(problems.items)
    refuse_escaped_control_characters(path, data, text, problems)
    return (None if len(problems.items) > before else data), text


def as_datetime(value):
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


def as_date(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    try:
        return parse_date(value.strip())
    except ValueError:
        return None


@dataclass
class Document:
    """A Markdown file split into its front matter (parsed) and its body."""

    path: Path
    file_hash: str
    front_text: str
    meta: dict
    body: str  # stripped; "" when the file has front matter only
    body_line: int  # the file line just after the closing '---'
    body_start: int  # the file line of the body's first character

    def line(self, key):
        """The line of `key:` in the front matter, or of the opening '---' if it is absent."""
        return key_line(self.front_text, key)

    def warn_about_dropped_text(self, problems):
        """A warning, at its line, for body text the sanitiser removes (blog.markdown_checks)."""
        for line, message in markdown_checks.dropped_text(self.body):
            problems.warn(self.path, self.body_start + line - 1, message)

    def unknown_fields(self, allowed):
        return sorted(set(map(str, self.meta)) - allowed)

    def heading_fields(self, problems, *, allowed, validate_slug, slug_length, summary_length):
        """The fields posts and pages share, checked alike: (title, slug, summary). Unknown
        fields, a missing title, a bad or reserved slug and an over-long summary are noted
        in `problems` with their lines."""
        meta, path = self.meta, self.path
        unknown = self.unknown_fields(allowed)
        if unknown:
            problems.add(path, self.line(unknown[0]), f"unknown field(s) {unknown}")
        title = str(meta.get("title") or "").strip()
        if not title:
            problems.add(path, self.line("title") if "title" in meta else 1, "missing title")
        slug = str(meta.get("slug") or slugify(path.stem))
        if not SLUG.match(slug) or len(slug) > slug_length:
            message = f"invalid slug {slug!r} (lowercase letters, digits, -)"
            problems.add(path, self.line("slug"), message)
        else:
            try:
                validate_slug(slug)
            except ValidationError as error:
                problems.add(path, self.line("slug"), error.messages[0])
        summary = str(meta.get("summary") or "").strip()
        if len(summary) > summary_length:
            message = f"summary is longer than {summary_length} characters"
            problems.add(path, self.line("summary"), message)
        return title, slug, summary


def read_document(path: Path, problems: Problems) -> Document | None:
    """Parse one file's front matter and body; None (and a problem recorded) if unreadable."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add(path, raw[: error.start].count(b"\n") + 1, "not valid UTF-8")
        return None
    if refuse_control_characters(path, text, problems):
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.add(path, 1, "no YAML front matter (the file must start with a '---' line)")
        return None
    front_text = match.group(1)
    try:
        meta = yaml.load(front_text, Loader=Loader) or {}
    except yaml.YAMLError as error:
        problems.add(
            path, yaml_error_line(error, 2), f"invalid YAML: {getattr(error, 'problem', error)}"
        )
        return None
    if not isinstance(meta, dict):
        problems.add(path, 2, "front matter must be a mapping of fields")
        return None
    before = len(problems.items)
    for key, value in meta.items():
        line = key_line(front_text, str(key))
        refuse_escaped_control_characters(path, [key, value], "", problems, field=key, line=line)
    if len(problems.items) > before:
        return None
    rest = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    return Document(
        path=path,
        file_hash=hashlib.sha256(raw).hexdigest(),
        front_text=front_text,
        meta=meta,
        body=rest.strip(),
        body_line=body_line,
        body_start=body_line + rest[: len(rest) - len(rest.lstrip())].count("\n"),
    )
