"""A table in a post scrolls sideways inside a region of its own that a keyboard reaches and a
screen reader names, so a wide table on a phone neither clips nor widens the page."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from blog.markdown import render
from tests.support.pages import ok_html

TABLE = """\
Intro.

| Criterion | Break/fix | Managed |
|-----------|-----------|---------|
| Cost      | Varies    | Fixed   |

After.
"""


class _Regions(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("class") == "table-scroll":
            assert attrs["tabindex"] == "0" and attrs["role"] == "region", attrs
            self.names.append(attrs["aria-label"])


def regions(html):
    """The names of the scrolling regions in `html`, each checked focusable and a region."""
    parser = _Regions()
    parser.feed(html)
    return parser.names


def test_a_markdown_table_is_wrapped_in_a_named_focusable_region():
    html = render(TABLE).html
    assert regions(html) == ["Table: Criterion"]
    region = html[html.index("table-scroll") :]
    assert region.index("<table>") < region.index("</table>") < region.index("</div>")
    assert html.index("Intro.") < html.index("table-scroll") < html.index("After.")


def test_each_table_gets_its_own_region_named_by_its_first_header():
    source = TABLE + "\n| **Plan** &amp; price | Notes |\n|---|---|\n| A | B |\n"
    assert regions(render(source).html) == ["Table: Criterion", "Table: Plan & price"]


def test_a_table_under_a_heading_is_named_by_its_section():
    first = "## Side by side\n\n|   | A |\n|---|---|\n| 1 | 2 |\n\n"
    source = first + "### Costs &amp; fees\n\n" + TABLE
    assert regions(render(source).html) == ["Table: Side by side", "Table: Costs & fees"]


def test_a_short_line_leading_into_a_table_names_it_and_no_two_regions_share_a_name():
    source = (
        "## Costs\n\n**The first year:**\n\n" + TABLE.replace("Intro.", "")
        + "\nLonger text that says a lot of things but does not end with a colon.\n\n" + TABLE
        + "\n" + TABLE
    )  # fmt: skip
    assert regions(render(source).html) == [
        "Table: The first year",
        "Table: Costs",
        "Table: Costs (2)",
    ]


def test_a_table_with_no_heading_and_an_empty_first_header_takes_the_next_one():
    source = "|   | A |\n|---|---|\n| 1 | 2 |\n\n|   |   |\n|---|---|\n| 1 | 2 |\n"
    assert regions(render(source).html) == ["Table: A", "Table: untitled"]


def test_a_table_inside_a_list_is_wrapped_where_it_stands():
    source = "- item\n\n    | A | B |\n    |---|---|\n    | 1 | 2 |\n"
    html = render(source).html
    assert regions(html) == ["Table: A"]
    assert html.index("<li>") < html.index("table-scroll") < html.index("</li>")


@pytest.mark.parametrize(
    "raw",
    [
        '<div tabindex="5" role="button" aria-label="x">Sneaky</div>',
        '<div tabindex="-1" role="dialog">Sneaky</div>',
    ],
)
def test_a_raw_div_cannot_take_other_roles_or_tab_positions(raw):
    html = render(raw + "\n").html
    assert 'tabindex="5"' not in html and 'tabindex="-1"' not in html
    assert 'role="button"' not in html and 'role="dialog"' not in html
    assert "Sneaky" in html


def test_code_showing_a_table_stays_code():
    source = "```text\n| A | B |\n|---|---|\n| 1 | 2 |\n```\n"
    assert "table-scroll" not in render(source).html


@pytest.mark.django_db
def test_the_post_page_shows_the_region_and_links_its_stylesheet(make_post):
    post = make_post(body_markdown=TABLE)
    page = ok_html(Client().get(post.get_absolute_url()))
    assert regions(page) == ["Table: Criterion"]
    assert re.search(r'<link rel="stylesheet" href="/static/css/blog-content[^"]*\.css">', page)


def test_an_empty_corner_header_becomes_a_data_cell_and_headers_with_text_stay():
    html = render("|   | Break/fix | Managed |\n|---|---|--:|\n| Cost | A | B |\n").html
    assert "<th></th>" not in html and "<td></td>" in html
    assert "<th>Break/fix</th>" in html and '<th align="right">Managed</th>' in html
