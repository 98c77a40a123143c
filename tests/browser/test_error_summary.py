"""A form sent back with errors opens with its summary: focus moves there, so it is read out and
in view, and each error's link leads to its field, with script or without."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_sign_in_puts_its_summary_first_and_links_lead_to_the_fields(page):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("someone")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    assert page.title() == "Error: Sign in · ANPR"
    summary.get_by_role("link", name="Authenticator code: This field is required.").click()
    expect(page.get_by_label("Authenticator code")).to_be_focused()
    # The field names its error to a screen reader too.
    expect(page.get_by_label("Authenticator code")).to_have_accessible_description(
        "Error: This field is required."
    )


def test_without_javascript_the_summary_still_takes_focus_and_its_links_still_lead(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()  # autofocus, before the username field's own
    summary.get_by_role("link", name="Password: This field is required.").click()
    assert page.url.endswith("#id_password")
    assert page.locator("#id_password").evaluate("field => field.getBoundingClientRect().top >= 0")
    context.close()
