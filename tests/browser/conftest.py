"""Browser fixtures: the app on a live local server, and Debian's Chromium driven by Playwright.

Every test gets its own server (on a fresh database copy, see tests/conftest.py) and its own
browser context; the browser itself is launched once per session, i.e. once per xdist worker.
"""
import os
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TIMEOUT_MS = 5_000


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system: the browser tests never download one."""
    if not os.path.exists(CHROMIUM):
        where = "in CI" if os.environ.get("CI") == "true" else "on this machine"
        pytest.fail(f"Chromium is missing {where}: the browser tests need {CHROMIUM} "
                    "(Debian package 'chromium'); `playwright install` is not used.",
                    pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def browser_page(browser, base_url: str, locale: str = "en-GB",
                 viewport: tuple[int, int] = (1280, 900)):
    """A page in a new browser context whose language (Accept-Language) is `locale`."""
    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(base_url=base_url, locale=locale,
                                  viewport={"width": viewport[0], "height": viewport[1]})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server):
    """A page in a new browser context whose base URL is the live server."""
    with browser_page(browser, live_server) as opened:
        yield opened
