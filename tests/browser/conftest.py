"""Headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

The browser is British, as officers' browsers are: its interface language (which orders the fields
of date inputs day, month, year; on Linux it is read from LANGUAGE, and needs Debian's
chromium-l10n) and each page's locale are en-GB.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LOCALE = "en-GB"
# Debian's chromium-l10n: without it Chromium falls back to US English, month first.
BRITISH_PAK = Path(os.environ.get("CHROMIUM_LOCALES", "/usr/lib/chromium/locales")) / "en-GB.pak"
# Without these, Chromium reaches for Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium package.")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself (creating users) are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={**os.environ, "LANGUAGE": "en_GB"}
        )
        yield chromium
        chromium.close()


@pytest.fixture
def british_dates():
    """For a test of what the date inputs show: Chromium's British English must be installed."""
    if not BRITISH_PAK.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{BRITISH_PAK} is missing; .ci/run installs Debian's chromium-l10n.")
        pytest.skip(f"{BRITISH_PAK} is missing: apt-get install chromium-l10n")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale=LOCALE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in_page(page):
    """Fill in the sign-in form as a person would, TOTP code included, and land on home."""
    from apps.accounts.tests.factories import PASSWORD

    def sign_in(user, password=PASSWORD):
        return sign_in_as(page, user, password)

    return sign_in


def sign_in_as(page, user, password=None):
    """Sign `user` in on `page` (any browser context) through the sign-in form; land on home."""
    from apps.accounts.tests.factories import PASSWORD, current_code

    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_label("Authenticator code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at_home)
    return page


def at_home(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).path == "/"
