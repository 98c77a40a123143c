"""An officer keeps the alert page open; a camera posts a hotlisted plate; the alert appears."""

import pytest

from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.hotlists.tests.test_live_alerts import post_reads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_page(browser, asgi_server):
    """A page on the real ASGI server (the alert stream needs it, as under `make run`)."""
    context = browser.new_context(base_url=asgi_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_new_alert_appears_on_the_open_page_without_reloading(live_page, make_user, asgi_server):
    from apps.accounts.tests.factories import PASSWORD, current_code
    from apps.accounts.tokens import api_token_issue
    from tests.browser.conftest import at_home

    CameraFactory(code="CAM-L", area="Live town")
    admin = make_user("administrator")
    add_entry(make_hotlist(admin, name="Stolen vehicles", priority=1), "BR0WSER", admin, markers=["violent"])
    token = api_token_issue(user=make_user("camera", cameras=["CAM-L"]), actor=None)[1]
    officer = make_user("officer")

    page = live_page
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Authenticator code").fill(current_code(officer))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at_home)
    page.get_by_role("link", name="Alerts").first.click()
    page.get_by_test_id("live-status").filter(has_text="Live").wait_for()
    page.evaluate("window.notReloaded = true")

    post_reads(asgi_server, token, "NOTLISTED1", "BR0WSER")

    row = page.get_by_test_id("alerts").locator("tr.new-alert")
    row.wait_for()
    assert (
        "BR0WSER" in row.inner_text()
        and "Stolen vehicles" in row.inner_text()
        and "violent" in row.inner_text()
    )
    assert page.get_by_role("alert").filter(has_text="Priority alert: BR0WSER").is_visible()
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_test_id("alerts").locator("tr.new-alert").count() == 1

    row.get_by_role("link", name="Open").click()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("False read").check()
    page.get_by_role("button", name="Record outcome").click()
    assert "False read" in page.get_by_test_id("outcome").inner_text()
