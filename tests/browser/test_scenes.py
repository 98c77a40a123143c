"""An officer asks which vehicles were at both scenes, from the portal's menu."""

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
def now():
    moment = timezone.now()
    CameraFactory(code="CAM-SC1", area="Scene town")
    CameraFactory(code="CAM-SC2", area="Other town")
    seen = [
        ("BTH12SC", "CAM-SC1", timedelta(hours=6)),
        ("BTH12SC", "CAM-SC2", timedelta(hours=3)),
        ("ONE12SC", "CAM-SC1", timedelta(hours=6)),
    ]
    reads_ingest(
        items=[
            ReadInput(camera=code, vrm=vrm, seen_at=moment - age, confidence=0.9) for vrm, code, age in seen
        ],
        source="camera",
    )
    return moment


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_officer_finds_the_vehicle_at_both_scenes(make_user, sign_in_page, now):
    page = sign_in_page(make_user("officer"))
    page.get_by_role("link", name="At the scenes").first.click()
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-SCENES")
    for number, (area, hours) in enumerate((("Scene town", 6), ("Other town", 3)), start=1):
        scene = page.get_by_test_id(f"scene-{number}")
        scene.get_by_label("Area").fill(area)
        scene.get_by_label("Seen after").fill(local(now - timedelta(hours=hours, minutes=30)))
        scene.get_by_label("Seen before").fill(local(now - timedelta(hours=hours - 1)))
    page.get_by_role("button", name="Find vehicles").click()
    vehicles = page.get_by_test_id("vehicles")
    assert vehicles.locator(".vrm").all_inner_texts() == ["BTH12SC"]
    expect(vehicles).to_contain_text("Scene 2")
    assert serious_violations(page) == []
    assert SearchAudit.objects.get().kind == "scenes"


def test_one_scene_is_not_enough_and_the_page_says_so(make_user, sign_in_page, now):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/scenes/")
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-SCENES")
    scene = page.get_by_test_id("scene-1")
    scene.get_by_label("Area").fill("Scene town")
    scene.get_by_label("Seen after").fill(local(now - timedelta(hours=7)))
    scene.get_by_label("Seen before").fill(local(now - timedelta(hours=5)))
    page.get_by_role("button", name="Find vehicles").click()
    expect(page.get_by_test_id("scenes-error")).to_contain_text("2 to 5 scenes")
    assert not SearchAudit.objects.exists()
