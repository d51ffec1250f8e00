"""Images in posts: the files under content/images/, published by sync_posts beside the static
files under names holding their content's hash, and what a post may say about them.

A post writes an image as `![What the chart shows](../images/chart.png)`: the path from
content/posts/ to the file, so an editor's Markdown preview shows it too. sync_posts refuses,
with the file and line, an image with no alt text, a path outside content/images/, a file
that is missing or is not a PNG, JPEG, GIF or WebP image, and images from other sites (the
Content Security Policy blocks them).

`publish()` copies every file of content/images/ to STATIC_ROOT/content-images/ as
`<name>.<12 hex digits of its SHA-256>.<ext>`, so nginx serves it as it serves the other
hashed static files (cached for a year, immutable), and records each one's published name,
width and height (read with Pillow) in `manifest.json` there. Rendering (blog.markdown, at
save time) reads the manifest: requests never open an image. A published file is never
removed: a page rendered before a change may still show it. Files are only ever added, so
`collectstatic` (which runs first on a deploy) leaves them; `collectstatic --clear` removes
them, and the next sync_posts publishes them again.
"""

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings

URL_FOLDER = "content-images"
MANIFEST = "manifest.json"
# What a post writes before the file's path under content/images/.
PREFIX = "../images/"
FORMATS = {"PNG": {".png"}, "JPEG": {".jpg", ".jpeg"}, "GIF": {".gif"}, "WEBP": {".webp"}}
EXTENSIONS = set().union(*FORMATS.values())
# Letters, digits, - and _ in each part of the path: the name is part of an address.
NAME = re.compile(r"(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*/)*[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")
# An inline image, ![alt](target "title"): what posts are written with.
INLINE_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\]\\\n]|\\.)*)\]\(\s*<?(?P<target>[^\s)>]*)>?[^)\n]*\)")


@dataclass(frozen=True)
class Published:
    url: str
    width: int
    height: int


def published_root() -> Path:
    return Path(settings.STATIC_ROOT) / URL_FOLDER


def _name_of(src: str) -> str | None:
    """The path under content/images/ that a post's image address names, or None."""
    if not src.startswith(PREFIX):
        return None
    name = src[len(PREFIX) :]
    return name if NAME.fullmatch(name) else None


_read = {"key": None, "images": {}}


def _manifest() -> dict:
    path = published_root() / MANIFEST
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except FileNotFoundError:
        return {}
    if _read["key"] != key:
        _read.update(key=key, images=json.loads(path.read_text()))
    return _read["images"]


def published(src: str) -> Published | None:
    """Where the image a post writes as `src` was published, or None if it was not."""
    name = _name_of(src)
    entry = _manifest().get(name) if name else None
    if entry is None:
        return None
    url = f"{settings.STATIC_URL}{URL_FOLDER}/{entry['name']}"
    return Published(url=url, width=entry["width"], height=entry["height"])


def _measure(path: Path):
    """(width, height) of an image file of a format we serve, or None."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if path.suffix.lower() not in FORMATS.get(image.format, ()):
                return None
            return image.size
    except (OSError, UnidentifiedImageError):
        return None


def check_images(body: str, body_start: int, images_dir: Path, path, problems) -> None:
    """Record each image of a post's body that sync_posts refuses, with its file line."""
    from blog.markdown import _mask_code

    visible = _mask_code(body)
    for match in INLINE_IMAGE.finditer(visible):
        line = body_start + visible.count("\n", 0, match.start())
        alt, target = match.group("alt").strip(), match.group("target")
        problem = _problem(alt, target, images_dir)
        if problem:
            problems.add(path, line, f"image “{target}”: {problem}")


def _problem(alt, target, images_dir):
    if not alt:
        return "no alt text: write what the image shows between the brackets, ![like this](…)"
    if urlsplit(target).scheme or target.startswith("/"):
        return (
            f"put the file in content/images/ and write {PREFIX}<file>: images from other "
            "sites are blocked by the site's Content Security Policy"
        )
    name = _name_of(target)
    if name is None:
        return (
            f"write the path from content/posts/ to a file in content/images/, {PREFIX}<file>, "
            "with letters, digits, - and _ in its name"
        )
    file = images_dir / name
    if not file.is_file():
        return f"no such file: content/images/{name}"
    if file.suffix.lower() not in EXTENSIONS or _measure(file) is None:
        return "not a PNG, JPEG, GIF or WebP image"
    return None


def publish(images_dir: Path) -> set[str]:
    """Publish every image under `images_dir` (content/images/) and record it in the
    manifest; returns the names whose published file is new or changed."""
    if not images_dir.is_dir():
        return set()
    root = published_root()
    before = _manifest()
    images = {}
    for file in sorted(images_dir.rglob("*")):
        name = PurePosixPath(file.relative_to(images_dir)).as_posix()
        if not file.is_file() or not NAME.fullmatch(name) or file.suffix.lower() not in EXTENSIONS:
            continue
        size = _measure(file)
        if size is None:
            continue
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12]
        stem = PurePosixPath(name)
        published_name = str(stem.with_name(f"{stem.stem}.{digest}{stem.suffix}"))
        target = root / published_name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
        images[name] = {"name": published_name, "width": size[0], "height": size[1]}
    if images != before:
        root.mkdir(parents=True, exist_ok=True)
        temporary = root / f".{MANIFEST}.new"
        temporary.write_text(json.dumps(images, indent=1, sort_keys=True))
        temporary.replace(root / MANIFEST)
        _read["key"] = None  # read again, whatever the file system's clock says
    return {name for name, entry in images.items() if before.get(name) != entry}


def written_as(name: str) -> str:
    """How a post writes the image published as `name` (to find the posts showing it)."""
    return f"{PREFIX}{name}"
