"""On a phone held upright (390 by 844 pixels), the portal's main lists: the menu waits behind its "Menu"
button, so the page's heading is on the first screen, and wide tables scroll in their own labelled
region, never the page. On a wide screen the menu stands open beside the page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.evidence import check_image
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import image_bytes
from tests.browser.conftest import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def a_morning(make_user):
    """Cameras with long names, a hotlist, reads of its plate and others: alerts and results."""
    admin = make_user("administrator")
    for number in range(4):
        CameraFactory(
            code=f"CAM-NARROW-{number}",
            name=f"Northbound carriageway at the Leicester Road junction {number}",
            area="Charnwood and Melton Mowbray",
        )
    add_entry(make_hotlist(admin, name="Stolen vehicles in the East Midlands"), "NR12ROW", admin)
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(
                camera=f"CAM-NARROW-{number % 4}",
                vrm=vrm,
                seen_at=now - timedelta(minutes=5 + number),
                confidence=0.93,
                plate_image=check_image(image_bytes()),
            )
            for number, vrm in enumerate(["NR12ROW", "NR12ROX", "NR12ROY", "NR12ROW"])
        ],
        source="camera",
    )


@pytest.fixture
def phone(browser, asgi_server):
    """A page on a phone-sized screen, on the real ASGI server (the alerts page streams)."""
    context = browser.new_context(base_url=asgi_server, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_officers_lists_fit_a_phone(a_morning, make_user, phone):
    page = sign_in_as(phone, make_user("officer"))
    assert_fits_the_phone(page)
    page.goto("/alerts/")
    expect(page.locator("#alert-rows tr")).to_have_count(2)
    assert_fits_the_phone(page)
    assert_scrolls_in_its_own_region(page, "Alerts")
    page.goto("/cameras/")
    assert_fits_the_phone(page)
    page.goto("/reads/")
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-390")
    page.get_by_label("Plate").fill("NR12RO*")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("results").locator("tbody tr")).to_have_count(4)
    assert_fits_the_phone(page)
    assert_scrolls_in_its_own_region(page, "Search results")


def test_an_auditors_lists_fit_a_phone(a_morning, make_user, phone):
    page = sign_in_as(phone, make_user("auditor"))
    for address in ("/audit/searches/", "/audit/security-events/", "/audit/change-log/"):
        page.goto(address)
        assert_fits_the_phone(page)


def test_the_menu_opens_from_its_button_by_touch_or_keyboard(make_user, phone):
    page = sign_in_as(phone, make_user("officer"))
    menu = page.get_by_test_id("navigation")
    page.get_by_text("Menu", exact=True).click()
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts")
    expect(menu).to_be_hidden()  # closed again on the next page
    page.get_by_text("Menu", exact=True).focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()


def test_without_javascript_the_menu_still_waits_behind_its_button(browser, live_server, make_user):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    page = sign_in_as(context.new_page(), make_user("officer"))
    page.goto("/cameras/")
    assert_fits_the_phone(page)
    page.get_by_text("Menu", exact=True).click()
    expect(page.get_by_test_id("navigation")).to_be_visible()
    context.close()


def test_on_a_wide_screen_the_menu_stands_open_beside_the_page(make_user, sign_in_page):
    page = sign_in_page(make_user("officer"))
    expect(page.get_by_test_id("navigation")).to_be_visible()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()


def assert_fits_the_phone(page) -> None:
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading is not None and heading["y"] + heading["height"] <= PHONE["height"], page.url
    expect(page.get_by_test_id("navigation")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def assert_scrolls_in_its_own_region(page, label: str) -> None:
    """The table is wider than the phone, and scrolls inside its labelled region."""
    region = page.get_by_role("region", name=label)
    widths = region.evaluate("region => [region.scrollWidth, region.clientWidth]")
    assert widths[0] > widths[1], (label, widths)
    assert region.get_attribute("tabindex") == "0"  # reachable, and scrolled, from the keyboard
