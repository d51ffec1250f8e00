"""In a real browser, a post page's JSON-LD is data the Content Security Policy neither runs
nor reports, and a hostile title inside it stays text."""

import json

import pytest

from blog.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "understanding-it-service-models-break-fix-versus-managed-services"


def watch(page):
    """Console errors and CSP violations the page reports, and any dialog it opens."""
    seen = {"errors": [], "dialogs": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return seen


def test_json_ld_is_neither_run_nor_reported_by_the_csp(page, synced_content):
    seen = watch(page)
    page.goto(f"/blog/{SLUG}/")
    blocks = page.eval_on_selector_all(
        'script[type="application/ld+json"]', "nodes => nodes.map(n => n.textContent)"
    )
    types = [json.loads(block)["@type"] for block in blocks]
    assert types == ["Article", "BreadcrumbList"]
    assert page.evaluate("window.__violations") == []
    assert seen["errors"] == [] and seen["dialogs"] == []


def test_a_hostile_title_stays_text_inside_the_json_ld(page, synced_content):
    title = "</script><script>alert(document.domain)</script><!--"
    Post.objects.filter(slug=SLUG).update(title=title)
    seen = watch(page)
    page.goto(f"/blog/{SLUG}/")
    article = json.loads(page.text_content('script[type="application/ld+json"]'))
    assert article["headline"] == title
    assert seen["dialogs"] == []
    assert page.evaluate("window.__violations") == []
