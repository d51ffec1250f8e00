"""Share cards: the 1200x630 PNG that chat apps and social sites show for a link (`og:image`).

Each published post gets one drawn from its title, its series and part, and the site's name,
unless its front matter names an image of content/images/ (`image: ../images/<file>`,
published by blog.post_images); every other page shares the site's card. A card's file name
holds a digest of everything it is drawn from (`<slug>.<12 hex>.png`), so a changed title
makes a new name (browsers and crawlers may keep a card for ever) and an unchanged one is
never drawn again:
`manage.py sync_posts` calls `write_cards()`, which draws only the cards missing from
`SHARE_CARDS_ROOT` and removes the post's older ones. Drawing is deterministic (no time, no
randomness in the PNG), so two servers draw the same bytes.

The cards live under STATIC_ROOT (`SHARE_CARDS_ROOT`, /static/cards/), where nginx and
whitenoise serve them with the year-long, immutable caching of every hashed static name. A
card not there yet (a title changed in the admin, a server that did not run the sync) is
drawn on its first request by `blog.share_card_views` and kept. Pillow draws the text in
DejaVu Sans Bold, vendored in blog/fonts/ (free, its licence beside it): the font embedded in
Pillow (`ImageFont.load_default(size=…)`) has no dash, no accented letter.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from blog import post_images

WIDTH, HEIGHT = 1200, 630
# Part of every digest: a change to the drawing below gives every card a new name.
DRAWING = "1"
MARGIN = 80
# The design's masthead, paper and signal colours (static/css/site.css).
BACKGROUND = (18, 48, 58)
INK = (253, 252, 249)
MUTED = (190, 205, 208)
SIGNAL = (240, 176, 74)
TITLE_SIZES = (68, 62, 56, 50, 44)
TITLE_MAX_LINES = 4


@dataclass(frozen=True)
class Card:
    """What a page says about its card: where it is and what it shows."""

    url: str  # absolute, from SITE_URL
    path: str  # the site-relative address
    alt: str
    width: int = WIDTH
    height: int = HEIGHT
    content_type: str = "image/png"


def _digest(*parts) -> str:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=6).hexdigest()


def _series_line(post) -> str:
    return f"{post.series.title} · Part {post.part}" if post.series_id else ""


def post_digest(post) -> str:
    """The digest of everything a post's card is drawn from (the post's series loaded)."""
    return _digest(DRAWING, settings.SITE_NAME, post.title, _series_line(post))


def site_digest() -> str:
    return _digest(DRAWING, settings.SITE_NAME, settings.SITE_DESCRIPTION)


def cards_root() -> Path:
    return Path(settings.SHARE_CARDS_ROOT)


_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_TYPES |= {".gif": "image/gif", ".webp": "image/webp"}


def post_card(post) -> Card:
    """The post's front-matter image when it has one (published by blog.post_images, with
    its own size), else its drawn card."""
    if post.share_image and (image := post_images.published(post.share_image)) is not None:
        kind = _TYPES[Path(image.url).suffix.lower()]
        alt = f"{post.title}, {settings.SITE_NAME}"
        return Card(settings.SITE_URL + image.url, image.url, alt, image.width, image.height, kind)
    digest = post_digest(post)
    path = reverse("share-card", kwargs={"slug": post.slug, "digest": digest})
    alt = post.title + (f" ({_series_line(post)})" if post.series_id else "")
    return Card(settings.SITE_URL + path, path, f"{alt}, {settings.SITE_NAME}")


def site_card() -> Card:
    path = reverse("site-card", kwargs={"digest": site_digest()})
    return Card(settings.SITE_URL + path, path, settings.SITE_NAME)


def post_card_file(slug: str, digest: str) -> Path:
    return cards_root() / "posts" / f"{slug}.{digest}.png"


def site_card_file(digest: str) -> Path:
    return cards_root() / f"site.{digest}.png"


FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold.ttf"


@cache
def _font(size: int):
    return ImageFont.truetype(FONT, size=size)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _fitted_title(draw, title: str, width: int):
    """The largest size at which the title takes at most TITLE_MAX_LINES lines; at the
    smallest, lines past the last end in an ellipsis."""
    for size in TITLE_SIZES:
        lines = _wrap(draw, title, _font(size), width)
        if len(lines) <= TITLE_MAX_LINES:
            return _font(size), size, lines
    lines = lines[:TITLE_MAX_LINES]
    lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return _font(TITLE_SIZES[-1]), TITLE_SIZES[-1], lines


# The same card asked for again in one process (each sync of an unchanged title on a fresh
# folder, the tests' many syncs) is not drawn again: the drawing is deterministic.
@lru_cache(maxsize=32)
def draw_card(title: str, kicker: str, site_name: str) -> bytes:
    """The card as PNG bytes: the site's name at the top, the title large in the middle, the
    series and part (`kicker`) below it."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 16, HEIGHT], fill=SIGNAL)
    draw.text((MARGIN, 64), site_name, font=_font(34), fill=SIGNAL)
    font, size, lines = _fitted_title(draw, title, WIDTH - 2 * MARGIN)
    line_height = round(size * 1.22)
    block = line_height * len(lines)
    top = max(150, (HEIGHT - block) // 2 - 10)
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=font, fill=INK)
    if kicker:
        draw.text((MARGIN, HEIGHT - 64 - 34), kicker, font=_font(32), fill=MUTED)
    out = BytesIO()
    # zlib's default level: 30 KB in about 30 ms; Pillow's `optimize` gains 6 % for twice that.
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers (nginx, another worker) see the whole file or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".card-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def ensure_post_card(post) -> Path:
    """The post's current card file, drawn now if missing; its older cards removed."""
    digest = post_digest(post)
    path = post_card_file(post.slug, digest)
    if not path.is_file():
        _write_atomically(path, draw_card(post.title, _series_line(post), settings.SITE_NAME))
        for old in path.parent.glob(f"{post.slug}.*.png"):
            if old != path:
                old.unlink(missing_ok=True)
    return path


def ensure_site_card() -> Path:
    path = site_card_file(site_digest())
    if not path.is_file():
        _write_atomically(path, draw_card(settings.SITE_DESCRIPTION, "", settings.SITE_NAME))
        for old in path.parent.glob("site.*.png"):
            if old != path:
                old.unlink(missing_ok=True)
    return path


def write_cards() -> list[str]:
    """Draw the cards missing for the site and for every published post that has no image
    of its own (scheduled ones too, so theirs is ready when they go live; never a draft's):
    the names written. A re-run
    with nothing changed reads one query and looks at one file per post."""
    from blog.models import Post

    written = []
    if not site_card_file(site_digest()).is_file():
        written.append(ensure_site_card().name)
    posts = (
        Post.objects.filter(status=Post.Status.PUBLISHED)
        .filter(Q(share_image__isnull=True) | Q(share_image=""))
        .select_related("series")
        .only("slug", "title", "part", "series__title")
    )
    for post in posts:
        if not post_card_file(post.slug, post_digest(post)).is_file():
            written.append(ensure_post_card(post).name)
    return written
