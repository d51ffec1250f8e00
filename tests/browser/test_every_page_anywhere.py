"""Every public page type, as readers get it on a 320 px phone, a 390 px phone and a 1280 px
desktop, in the light scheme, the dark one and in print: nothing scrolls sideways, and axe-core
finds no violation of any impact (minor and moderate included) in either scheme.

The pages are the project's own content (synced as `make run` syncs it), the seeded matrix and
a result saved through the form, so what is checked is what a reader of the real site sees.
"""

import pytest
from django.test import Client

from tests.support.recommendation_support import FORM, GROWING_FIRM

pytestmark = pytest.mark.usefixtures("django_db_serialized_rollback", "seeded", "synced_content")

WIDTHS = [320, 390, 1280]
PAGE_TYPES = [
    "/",
    "/blog/",
    "/blog/understanding-it-service-models-break-fix-versus-managed-services/",
    "/blog/pros-and-cons-of-break-fix-and-managed-services/",
    "/blog/choosing-an-it-provider/",
    "/blog/series/understanding-it-service-models/",
    "/blog/tag/managed-services/",
    "/blog/tags/",
    "/blog/author/jim/",
    "/about/",
    "/privacy/",
    "/contact/",
    "/compare/",
    FORM,
    "/search/?q=managed+services",
    "/no-such-page/",
]


@pytest.fixture
def every_page(seeded, synced_content):
    """The page types above and a saved result, each checked to exist as the content says."""
    reader = Client()
    result = reader.post(FORM, GROWING_FIRM)["Location"]
    addresses = [*PAGE_TYPES, result]
    for address in addresses:
        expected = 404 if address == "/no-such-page/" else 200
        assert reader.get(address).status_code == expected, address
    return addresses


def sideways_overflow(page):
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("media", ["screen", "print"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(page, every_page, width, scheme, media):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme, media=media)
    too_wide = {}
    for address in every_page:
        page.goto(address)
        overflow = sideways_overflow(page)
        if overflow > 0:
            too_wide[address] = overflow
    assert too_wide == {}, f"wider than {width} px ({scheme}, {media}): {too_wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_has_an_accessibility_violation_of_any_impact(
    page, every_page, width, scheme, assert_fully_accessible
):
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    for address in every_page:
        page.goto(address)
        assert_fully_accessible(page)
