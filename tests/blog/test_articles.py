"""The site's own articles, as `sync_posts` loads them from content/posts/.

* The worked example in the buyer's guide agrees with the calculator: every figure it quotes
  is recomputed here with the real cost model and engine at the published assumptions, so a
  change to either that is not carried into the article fails this test (and the reverse).
* Every footnote in parts 2 and 3 and in the guide links to its source.
* Footnote back-links are one per citation, each a single arrow with a title.
* Part 1 is the customer's article word for word and in order, then a marked editor's note.
"""

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from blog.markdown import render
from blog.models import Post
from comparisons import costs, engine
from comparisons.forms import RecommendationForm
from tests.support.shared_data import PUBLISHED, RECOMMENDATION_FIELDS

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.BASE_DIR) / "content"
ORIGINAL = Path(settings.BASE_DIR).parent / "shared" / "content" / "original-article.txt"
SERIES = "understanding-it-service-models"
GUIDE = "choosing-an-it-provider"
# The worked example is this section of the guide: from its heading to the next one.
EXAMPLE = re.compile(
    r'<h2 id="a-worked-example-one-10-person-office">(?P<section>.*?)'
    r'(?=<h2\b|<div class="footnote")',
    re.DOTALL,
)
CALCULATOR_LINK = re.compile(r'href="(/compare/recommend/\?[^"]+)"')
DOLLARS = re.compile(r"\$\d{1,3}(?:,\d{3})*")
NOTE = re.compile(r'<li id="fn:(?P<name>[^"]+)">(?P<body>.*?)</li>', re.DOTALL)
CITATION = re.compile(r'<a class="footnote-ref" href="#fn:(?P<name>[^"]+)"')
BACK_LINK = re.compile(
    r'<a class="footnote-backref" href="#fnref\d*:(?P<name>[^"]+)" title="(?P<title>[^"]*)"'
    r"[^>]*>(?P<text>[^<]*)</a>"
)
ARROW = "\u21a9"
TEXT_STYLE = "\ufe0e"  # the variation selector that keeps the arrow a text glyph


@pytest.fixture
def posts():
    call_command("sync_posts", content_dir=CONTENT, verbosity=0)
    return {post.slug: post for post in Post.objects.all()}


def words(html: str) -> str:
    """The text a reader sees, spaces normalised."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def usd(amount) -> str:
    """Whole dollars as the site shows them: $36,434."""
    return f"${costs.dollars(amount):,}"


def usd_range(cost: costs.Range) -> str:
    return f"{usd(cost.low)} to {usd(cost.high)}"


def number(value: Decimal) -> str:
    """A figure as the article writes it: 1.25, 6, 1.5 (no trailing zeros)."""
    return f"{value.normalize():f}"


def percent(share: Decimal) -> str:
    return f"{number(share * 100)}%"


def example_section(posts) -> str:
    match = EXAMPLE.search(posts[GUIDE].body_html)
    assert match, "the guide has no section headed 'A worked example: one 10-person office'"
    return match.group("section")


def example_profile(section: str) -> engine.Profile:
    """The office the example describes, read from its pre-filled calculator link exactly as
    the site reads a submitted form."""
    links = CALCULATOR_LINK.findall(section)
    assert len(links) == 1, links
    query = dict(parse_qsl(urlsplit(unescape(links[0])).query, keep_blank_values=True))
    assert sorted(query) == sorted(RECOMMENDATION_FIELDS)
    form = RecommendationForm(data=query)
    assert form.is_valid(), form.errors
    return form.profile()


def model_figures(profile: engine.Profile) -> dict[str, str]:
    """Every figure the worked example quotes, computed with the cost model and engine."""
    v = PUBLISHED.values()
    result = engine.recommend(profile, PUBLISHED)
    business = profile.business()
    for option, estimate in result.costs.items():
        assert estimate == costs.estimate(option, business, PUBLISHED), option
    bf, hy, ms = (result.costs[o] for o in (costs.BREAK_FIX, costs.HYBRID, costs.MANAGED))

    def year(estimate, part):
        return costs.dollars(costs.MONTHS_A_YEAR * getattr(estimate.typical_month, part))

    figures = {}
    for name, estimate in (("break_fix", bf), ("hybrid", hy), ("managed", ms)):
        figures[f"{name} fees"] = usd(year(estimate, "fees"))
        figures[f"{name} lost work"] = usd(year(estimate, "downtime"))
        figures[f"{name} first year"] = usd(estimate.first_year.typical)
        figures[f"{name} three years"] = usd(estimate.three_years.typical)
        figures[f"{name} three-year range"] = usd_range(estimate.three_years)
    figures["break_fix tools"] = usd(year(bf, "tools"))
    figures["managed onboarding"] = usd(ms.one_time.typical)
    problems, devices = profile.incidents_per_month, profile.devices
    months = costs.MONTHS_A_YEAR
    figures["a call"] = usd(costs.call_out_charge(v))
    figures["hybrid plan"] = usd(months * devices * v["security_plan_per_device_month"])
    figures["hybrid calls"] = usd(months * problems * costs.call_out_charge(v))
    # Differences of the rounded figures in the table, as a reader would work them out.
    paid = {
        option: costs.dollars(months * (e.typical_month.fees + e.typical_month.tools))
        + costs.dollars(e.one_time.typical)
        for option, e in (("break_fix", bf), ("managed", ms))
    }
    figures["managed pays more"] = usd(paid["managed"] - paid["break_fix"])
    figures["managed saves"] = usd(year(bf, "downtime") - year(ms, "downtime"))
    figures["hybrid-managed gap"] = usd(
        abs(costs.dollars(ms.three_years.typical) - costs.dollars(hy.three_years.typical))
    )
    figures["preference"] = usd(result.preference_allowance)
    figures["in-house"] = usd(result.reference[costs.IN_HOUSE].first_year.typical)
    figures["downtime edge"] = usd(edges(profile)[1][0])
    return figures


def edges(profile: engine.Profile):
    """Where the recommendation changes below the office's own answers (problems a month,
    cost of an hour offline, people), found by asking the engine itself: its advice only
    moves one way as each of these grows, so a bisection finds the edge."""

    def outcome_with(**change):
        return engine.recommend(replace(profile, **change), PUBLISHED).outcome

    def edge(outcome_at, now, lowest):
        current = outcome_at(now)
        assert outcome_at(lowest) != current, "the advice never changes below this answer"
        same, different = now, lowest
        while same - different > 1:
            middle = (same + different) // 2
            if outcome_at(middle) == current:
                same = middle
            else:
                different = middle
        return different, outcome_at(different)

    # Problems a month in hundredths, as the form takes them.
    hundredths, at_problems = edge(
        lambda n: outcome_with(incidents_per_month=Decimal(n) / 100),
        int(profile.incidents_per_month * 100),
        0,
    )
    dollars = edge(
        lambda d: outcome_with(downtime_cost_per_hour=d), profile.downtime_cost_per_hour, 0
    )
    people = edge(lambda n: outcome_with(employees=n), profile.employees, 1)
    return (Decimal(hundredths) / 100, at_problems), dollars, people


def allowed_dollars(profile: engine.Profile) -> set[str]:
    """Any dollar figure the example may quote: the model's results, the published
    assumptions (typical, low and high) and the office's own answers."""
    allowed = set(DOLLARS.findall(" ".join(model_figures(profile).values())))
    for figure in PUBLISHED.figures.values():
        allowed |= {usd(figure.value), usd(figure.low), usd(figure.high)}
    v = PUBLISHED.values()
    allowed.add(usd(profile.downtime_cost_per_hour))
    allowed.add(usd(profile.employees * v["msp_fee_per_user_month"]))
    return allowed


def test_the_worked_example_is_the_office_the_brief_describes(posts):
    profile = example_profile(example_section(posts))
    assert (profile.employees, profile.devices, profile.servers) == (10, 12, 0)
    assert profile.in_house_it == "none" and profile.compliance == "none"
    assert (profile.incidents_per_month, profile.downtime_cost_per_hour) == (2, 500)
    text = words(example_section(posts))
    assert f"{profile.employees} people, {profile.devices} devices, no servers" in text
    assert f"about {number(profile.incidents_per_month)} problems a month" in text
    assert f"costs it about {usd(profile.downtime_cost_per_hour)}" in text


def test_every_figure_of_the_worked_example_comes_from_the_cost_model(posts):
    section = example_section(posts)
    text = words(section)
    profile = example_profile(section)
    figures = model_figures(profile)
    missing = {name: figure for name, figure in figures.items() if figure not in text}
    assert not missing, f"the article does not quote what the model computes: {missing}"
    stray = set(DOLLARS.findall(text)) - allowed_dollars(profile)
    assert not stray, f"the example quotes figures the model does not produce: {stray}"


def test_the_worked_example_states_the_assumptions_the_model_uses(posts):
    text = words(example_section(posts))
    profile = example_profile(example_section(posts))
    v = PUBLISHED.values()
    minimum = v["break_fix_minimum_hours"]
    billed = "an hour" if minimum == 1 else f"{number(minimum)} hours"
    fee, floor = v["msp_fee_per_user_month"], v["msp_minimum_monthly"]
    stated = [
        f"{usd(v['break_fix_hourly_rate'])} an hour",
        f"{number(v['technician_hours_per_incident'])} hours of work per problem",
        f"at least {billed} billed",
        f"{percent(v['after_hours_share'])} of calls out of hours",
        f"{number(v['after_hours_multiplier'])} times the rate",
        f"{usd(v['break_fix_trip_charge'])} trip charge",
        f"{usd(v['self_security_per_device_month'])} per device a month",
        f"{usd(v['security_plan_per_device_month'])} per device a month",
        f"{usd(fee)} per user a month",
        f"{profile.employees} people at {usd(fee)} comes to {usd(profile.employees * fee)}",
        f"the {usd(floor)} minimum",
        f"at {number(v['onboarding_months_of_fee'])} months' fee",
        f"{percent(v['outage_share'])} of problems stop the whole office",
        f"such an outage lasts {number(v['managed_outage_hours'])} hours",
        "published targets are {} to {}".format(
            *(
                number(getattr(PUBLISHED.figures["managed_outage_hours"], e))
                for e in ("low", "high")
            )
        ),
        f"add about {number(v['break_fix_wait_hours'])} hours before a technician starts",
        f"stops one person for about {number(v['managed_person_hours'])} hours",
        f"at {usd(v['staff_hour_cost'])} an hour of their time",
    ]
    assert [claim for claim in stated if claim not in text] == []
    assert profile.employees * fee < floor, "the example says the office pays the minimum"
    assert ("no credit for preventing problems" in text) == (v["prevented_share"] == 0)


def test_the_worked_example_gives_the_calculators_recommendation_and_why(posts):
    text = words(example_section(posts))
    profile = example_profile(example_section(posts))
    result = engine.recommend(profile, PUBLISHED)
    label = costs.SHORT_LABELS
    assert f"What the calculator recommends: {label[result.outcome]}." in text
    assert f"{costs.LABELS[result.cheapest]} is the cheapest on paper" in text
    # Why: break/fix is out at this size (R3), the stated preference decides the rest (R5).
    assert {"R3", "R5"} <= result.rules_fired
    (problems, at_problems), (dollars, at_dollars), (people, at_people) = edges(profile)
    assert f"fewer than {people + 1} people" in text
    assert "preference for a predictable bill" in text
    assert ("a close call" in text) == (result.confidence == "low")
    assert at_problems == at_dollars, "the article gives one answer for both edges"
    assert f"at {number(problems)} problems a month or fewer" in text
    assert f"if an hour offline cost {usd(dollars)} or less, {label[at_dollars]} would" in text
    assert f"with {people} people or fewer, plain {label[at_people]} would" in text
    other = engine.recommend(replace(profile, budget_priority="lowest_upfront"), PUBLISHED)
    assert f"the answer becomes {label[other.outcome]}" in text


def test_the_worked_example_links_the_calculator_with_the_office_pre_filled(client, posts):
    link = CALCULATOR_LINK.findall(example_section(posts))[0]
    page = client.get(unescape(link))
    assert page.status_code == 200
    initial = page.context["form"].initial
    profile = example_profile(example_section(posts))
    assert int(initial["employees"]) == profile.employees
    assert int(initial["devices"]) == profile.devices
    assert int(initial["downtime_cost_per_hour"]) == profile.downtime_cost_per_hour
    assert Decimal(initial["incidents_per_month"]) == profile.incidents_per_month
    assert initial["remote_staff"] is False


SOURCED = [
    "pros-and-cons-of-break-fix-and-managed-services",
    "advantages-of-managed-services",
    GUIDE,
]


@pytest.mark.parametrize("slug", SOURCED)
def test_every_footnote_links_to_its_source(posts, slug):
    html = posts[slug].body_html
    notes = NOTE.findall(html)
    assert notes, f"{slug} has no footnotes"
    for name, body in notes:
        cited = re.sub(r'<a class="footnote-backref".*?</a>', "", body, flags=re.DOTALL)
        assert re.search(r'<a href="https?://[^"]+"', cited), f"{slug}: note {name} has no link"
    assert set(CITATION.findall(html)) == {name for name, _ in notes}, "a note nobody cites"


@pytest.mark.parametrize("slug", SOURCED)
def test_footnote_back_links_are_one_arrow_per_citation(posts, slug):
    html = posts[slug].body_html
    citations = Counter(CITATION.findall(html))
    for index, (name, body) in enumerate(NOTE.findall(html), start=1):
        back_links = BACK_LINK.findall(body)
        assert len(back_links) == citations[name], (slug, name)
        # Each note is cited once, so no note ends in a row of arrows.
        assert len(back_links) == 1, f"{slug}: note {name} is cited {citations[name]} times"
        for _, title, text in back_links:
            assert unescape(text).replace(TEXT_STYLE, "") == ARROW
            assert title == f"Back to the text where note {index} is cited"
    assert ARROW * 2 not in unescape(html).replace(TEXT_STYLE, "")


def test_a_note_cited_twice_gets_two_back_links_of_one_arrow_each():
    html = render("One claim.[^a] Another.[^a] A third.[^b]\n\n[^a]: Source A.\n[^b]: B.").html
    back_links = BACK_LINK.findall(html)
    assert [name for name, _, _ in back_links] == ["a", "a", "b"]
    assert {unescape(text).replace(TEXT_STYLE, "") for _, _, text in back_links} == {ARROW}
    assert all(title for _, title, _ in back_links)
    assert len(CITATION.findall(html)) == len(back_links)


@pytest.mark.skipif(not ORIGINAL.exists(), reason="../shared/content is not beside the project")
def test_part_one_is_the_customers_article_in_order_then_an_editors_note(posts):
    part_one, part_two, part_three = (
        Post.objects.get(series__slug=SERIES, part=n) for n in (1, 2, 3)
    )
    html = part_one.body_html
    note_at = html.index("<blockquote>")
    paragraphs = [p.strip() for p in ORIGINAL.read_text().split("\n\n") if p.strip()]
    body = paragraphs[2 : paragraphs.index("- Jim") + 1]
    # Headings carry a "#" permalink; everything else before the note is the customer's.
    assert words(html[:note_at]).replace(" # ", " ").replace("#", "").strip() == " ".join(
        " ".join(paragraph.split()) for paragraph in body
    )
    note = html[note_at:]
    assert words(note).startswith("Editor's note")
    assert note.rstrip().endswith("</blockquote>")
    for later in (part_two, part_three):
        assert f'href="/blog/{later.slug}/"' in note
        assert later.status == Post.Status.PUBLISHED


def test_the_guide_stands_outside_the_series(posts):
    guide = posts[GUIDE]
    assert guide.series is None and guide.part is None
    assert guide.status == Post.Status.PUBLISHED and guide.author_name == "Jim"
    assert "- Jim" in words(guide.body_html)
