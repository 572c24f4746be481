"""Real-browser tests: Debian's Chromium driven by Playwright against a live server.

One live server serves the whole session and one browser each test module (Playwright's sync
API allows one instance at a time, so another module's own instance can start after ours has
stopped); every test gets fresh browser contexts (new visitors: no cookies, no local storage).
Chromium, Playwright and axe-core are looked for here only: without them the tests skip with
the reason, except under CI=true, where they fail instead.
"""

import os
from pathlib import Path

import pytest

from tests.browser.helpers import missing

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed: pip install -r requirements/test.txt")
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"no Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium)")
    # Playwright's sync API keeps an event loop in this thread; the test code's ORM calls
    # are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, bound to 127.0.0.1 on a free port, for the whole session."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def user_agent(browser):
    # Headless Chromium says "HeadlessChrome", which the portal rightly counts as a crawler.
    major = browser.version.split(".")[0]
    return f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"


@pytest.fixture
def open_context(browser, live_server, user_agent):
    """Makes browser contexts (visitors) on the live server; checks none had a JavaScript error."""
    contexts, errors = [], []

    def make(phone=False, **options):
        if phone:
            options = {"viewport": PHONE, "is_mobile": True, "has_touch": True, **options}
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, user_agent=user_agent, locale="vi-VN", **options)
        context.set_default_timeout(10_000)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        context.on(
            "console", lambda m: m.type == "error" and "Content Security Policy" in m.text and errors.append(m.text)
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors or blocked scripts in the page: {errors}"


@pytest.fixture
def page(open_context):
    """A desktop page (1366×768) of a new visitor."""
    return open_context().new_page()


@pytest.fixture
def phone_page(open_context):
    """A phone page (375×812, touch) of a new visitor."""
    return open_context(phone=True).new_page()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        missing(f"axe-core is not installed ({AXE_JS.relative_to(ROOT)} missing): run `npm ci` at the top level")
    return AXE_JS.read_text()


@pytest.fixture
def axe(axe_source):
    """Runs axe-core (WCAG 2.1 A/AA rules) on a page; returns its serious and critical violations."""

    def run(page):
        # Evaluated, not added as a <script> tag, so a strict Content-Security-Policy does not block it.
        page.evaluate(axe_source + "\n;void 0")
        violations = page.evaluate(
            """async () => {
                const result = await axe.run(document, {
                    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                });
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
                }));
            }"""
        )
        return [v for v in violations if v["impact"] in ("serious", "critical")]

    return run


@pytest.fixture(scope="session")
def screenshots():
    """The folder the layout screenshots go to (not committed)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def newsroom_groups():
    """The editors' and approvers' groups: a data migration makes them, but a transactional test's
    flush empties the tables, so they are made again here from the migration's own list."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("news.migrations.0002_editor_groups")
    for name, permissions in migration.GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
