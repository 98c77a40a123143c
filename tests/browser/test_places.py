"""An officer draws a place on the map (no tile server: the plain grid) and searches it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reads():
    now = timezone.now()
    # The map opens on Great Britain centred at 54N 2W: a camera there, and one far from it.
    CameraFactory(code="CAM-MID", latitude=54.0, longitude=-2.0, area="Middle")
    CameraFactory(code="CAM-SOUTH", latitude=50.5, longitude=-4.5, area="South")
    reads_ingest(
        items=[
            ReadInput(camera="CAM-MID", vrm="MD12MID", seen_at=now - timedelta(minutes=30), confidence=0.9),
            ReadInput(camera="CAM-SOUTH", vrm="ST12STH", seen_at=now - timedelta(minutes=30), confidence=0.9),
        ],
        source="camera",
    )
    return now


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def click_map(page, dx: float = 0, dy: float = 0) -> None:
    """Click the drawing map this far from its centre (scrolled into view first)."""
    area = page.locator("#place-map")
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    area.click(position={"x": box["width"] / 2 + dx, "y": box["height"] / 2 + dy})


def test_an_officer_draws_a_circle_and_finds_who_passed_there(make_user, sign_in_page, reads):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/")
    expect(page.locator("#place-map.map-plain")).to_be_visible()
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-PLACE")
    page.get_by_label("Seen after").fill(local(reads - timedelta(hours=2)))
    page.get_by_label("Seen before").fill(local(reads + timedelta(minutes=1)))
    page.get_by_label("Radius (metres)").fill("20000")
    page.get_by_role("button", name="Circle").click()
    click_map(page)
    expect(page.locator("#place-status")).to_contain_text("Circle drawn")
    latitude, longitude, radius = (
        float(part) for part in page.get_by_label("Within a circle").input_value().split(",")
    )
    assert abs(latitude - 54.0) < 0.1 and abs(longitude + 2.0) < 0.1 and radius == 20000
    assert page.locator("#place-map path.place-shape").count() == 1
    assert serious_violations(page) == []
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.get_by_test_id("results").locator(".vrm").all_inner_texts() == ["MD12MID"]
    assert SearchAudit.objects.get().filters["near"].endswith(",20000")


def test_an_officer_draws_a_polygon_corner_by_corner(make_user, sign_in_page, reads):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/")
    page.get_by_role("button", name="Polygon").click()
    for dx, dy in ((-15, -15), (15, -15), (15, 15), (-15, 15)):
        click_map(page, dx, dy)
    expect(page.locator("#place-status")).to_contain_text("4 corners")
    corners = page.get_by_label("Within a polygon").input_value().split(";")
    assert len(corners) == 4
    page.get_by_role("button", name="Clear").click()
    assert page.get_by_label("Within a polygon").input_value() == ""
