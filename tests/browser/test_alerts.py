"""An officer keeps the alert page open; a camera posts a hotlisted plate; the alert appears,
among the rows by when it was seen, only if the page's filters list it, its time written as the
page writes its own (London time with its zone, whatever the browser's zone); its page shows the
read's images and leads to the read."""

import http.client
import json
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from apps.accounts.tests.factories import PASSWORD, current_code
from apps.accounts.tokens import api_token_issue
from apps.cameras.tests.factories import CameraFactory
from apps.core.tests.summer import last_july
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.hotlists.tests.test_live_alerts import post_reads
from apps.reads.tests.helpers import b64, image_bytes
from conftest import start_asgi_server
from tests.browser.conftest import LOCALE, at_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_page(browser, asgi_server):
    """A page on the real ASGI server (the alert stream needs it, as under `make run`)."""
    context = browser.new_context(base_url=asgi_server, locale=LOCALE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_new_alert_appears_on_the_open_page_without_reloading(live_page, make_user, asgi_server):
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

    row.get_by_role("link", name="BR0WSER").click()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("False read").check()
    page.get_by_role("button", name="Record outcome").click()
    assert "False read" in page.get_by_test_id("outcome").inner_text()


@pytest.fixture
def summer_server(django_db_setup):
    """The ASGI server with a window reaching last July, whose reads it takes as live."""
    days = str(400)
    server, base = start_asgi_server(
        READ_ACCESS_STANDARD_DAYS=days,
        READ_FEED_MAX_AGE_DAYS=days,
        ALERT_LIVE_MAX_AGE_MINUTES=str(400 * 24 * 60),
    )
    yield base
    server.terminate()
    server.wait(timeout=30)


def post_read(base, token, vrm, seen_at, **images):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
    body = [{"camera": "CAM-L", "vrm": vrm, "seen_at": seen_at.isoformat(), "confidence": 0.95, **images}]
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    connection.request("POST", "/api/v1/reads/", json.dumps(body), headers)
    response = connection.getresponse()
    assert response.status == 201, response.read()


def test_a_filtered_desk_takes_only_its_own_alerts_live_in_london_time_and_leads_to_the_read(
    browser, summer_server, make_user
):
    CameraFactory(code="CAM-L", area="Live town")
    admin = make_user("administrator")
    stolen = make_hotlist(admin, name="Stolen vehicles", priority=1)
    add_entry(stolen, "SU12MMR", admin)
    add_entry(make_hotlist(admin, name="Watch list", priority=2), "WA12TCH", admin, action="observe")
    token = api_token_issue(user=make_user("camera", cameras=["CAM-L"]), actor=None)[1]
    officer = make_user("officer")
    moment = last_july()
    shown = f"14 Jul {moment.year}, 10:05:03 BST"

    # An officer whose computer keeps New York time still reads the force's.
    context = browser.new_context(base_url=summer_server, locale=LOCALE, timezone_id="America/New_York")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Authenticator code").fill(current_code(officer))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at_home)
    page.goto("/alerts/")
    page.get_by_text("Filter alerts").click()
    page.get_by_label("Hotlist").select_option(label="Stolen vehicles")
    page.get_by_role("button", name="Filter").click()
    page.get_by_test_id("live-status").filter(has_text="matching these filters").wait_for()

    post_read(summer_server, token, "WA12TCH", timezone.now())  # not on the page's list
    post_read(
        summer_server,
        token,
        "SU12MMR",
        moment,
        plate_image=b64(image_bytes()),
        overview_image=b64(image_bytes(size=(320, 200), colour=(20, 90, 200))),
    )
    row = page.get_by_test_id("alerts").locator("tr.new-alert")
    row.wait_for()
    assert "SU12MMR" in row.inner_text() and shown in row.inner_text()
    assert "WA12TCH" not in page.get_by_test_id("alerts").inner_text()  # sent before, never shown
    assert row.locator("td.alert-status").inner_text() == "New"
    page.reload()  # the server's own row: the same words for the same moment
    assert page.get_by_test_id("alerts").locator("time").first.inner_text() == shown

    page.get_by_test_id("alerts").get_by_role("link", name="SU12MMR").click()
    overview = page.get_by_role("img", name="Overview image of the vehicle")
    overview.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=overview.element_handle())
    assert shown in page.get_by_test_id("alert-facts").inner_text()
    page.get_by_role("button", name="Open the read").click()
    page.get_by_test_id("read-facts").wait_for()
    assert "SU12MMR" in page.get_by_role("heading", level=1).inner_text()
    assert shown in page.get_by_test_id("read-facts").inner_text()
    context.close()


def test_date_inputs_read_day_month_year(page, sign_in_page, make_user, british_dates):
    """The officer types a date as British people write it; the page keeps it as typed."""
    sign_in_page(make_user("officer"))
    page.goto("/alerts/historic/")  # the same filters as the desk, without its stream
    page.get_by_text("Filter alerts").click()
    seen_from = page.get_by_label("Seen from")
    seen_from.focus()
    page.keyboard.type("14072026")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("100503")
    assert seen_from.input_value() == "2026-07-14T10:05:03"
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**seen_after=2026-07-14T10%3A05%3A03**")
    assert page.get_by_label("Seen from").input_value() == "2026-07-14T10:05:03"
