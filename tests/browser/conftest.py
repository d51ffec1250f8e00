"""Browser fixtures: a real headless Chromium (Debian's /usr/bin/chromium) via Playwright, the
project's content synced for the live server, and an axe-core accessibility check.

Outside CI a machine without Chromium skips these tests with a reason; in CI (``CI`` set)
a missing browser fails them, so a green CI always means the browser tests ran.
"""

import os
import shutil

import pytest
from django.core.management import call_command

from tests.support.content import PROJECT_CONTENT, sync

# Playwright's sync API runs an event loop in this thread; the live server and the ORM
# calls made by the tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def synced_content(transactional_db):
    """The project's own content/ folder synced, as the live server's reader finds it."""
    sync(PROJECT_CONTENT)


@pytest.fixture
def seeded(transactional_db):
    """The matrix and assumptions, which a data migration writes: live-server tests flush the
    database, so tests using this also ask for `django_db_serialized_rollback`; once
    Playwright's sync API runs, Django's connection in the test is not the one the rollback
    data was serialized on, so the data migration is applied again when the rows are missing."""
    from comparisons.models import Assumption

    if not Assumption.objects.exists():
        call_command("migrate", "comparisons", "0001", verbosity=0)
        call_command("migrate", "comparisons", verbosity=0)


def axe_check(impacts):
    """A check running axe-core on a page and failing on any violation of those impacts."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in results.response["violations"]
            if v.get("impact") in impacts
        ]
        assert not bad, f"axe-core violations on {page.url}:\n" + "\n".join(bad)

    return check


@pytest.fixture
def assert_accessible():
    """Run axe-core on the page; fail on any serious or critical violation."""
    return axe_check({"serious", "critical"})


@pytest.fixture
def assert_fully_accessible():
    """Run axe-core on the page; fail on a violation of any impact, minor ones included."""
    return axe_check({"minor", "moderate", "serious", "critical"})
