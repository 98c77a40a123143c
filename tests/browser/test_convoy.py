"""An officer looks for the vehicles travelling with one, from the portal's menu."""

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
def passages():
    now = timezone.now()
    for code in ("CAM-CV1", "CAM-CV2"):
        CameraFactory(code=code, area="Convoy town")
    seen = [
        ("CV12AAA", "CAM-CV1", timedelta(hours=5)),
        ("CV12AAA", "CAM-CV2", timedelta(hours=4)),
        ("PAL12BB", "CAM-CV1", timedelta(hours=5, seconds=-8)),
        ("PAL12BB", "CAM-CV2", timedelta(hours=4, seconds=12)),
        ("ONE12CC", "CAM-CV1", timedelta(hours=5, seconds=4)),  # one camera in common: the road
    ]
    reads_ingest(
        items=[ReadInput(camera=code, vrm=vrm, seen_at=now - age, confidence=0.9) for vrm, code, age in seen],
        source="camera",
    )
    return now


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_officer_finds_the_vehicle_travelling_with_one(make_user, sign_in_page, passages):
    page = sign_in_page(make_user("officer"))
    page.get_by_role("link", name="Convoy").first.click()
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-CONVOY")
    page.get_by_label("Plate").fill("cv12 aaa")
    page.get_by_label("Seen after").fill(local(passages - timedelta(days=1)))
    page.get_by_label("Seen before").fill(local(passages + timedelta(minutes=1)))
    page.get_by_role("button", name="Find companions").click()
    companions = page.get_by_test_id("companions")
    assert companions.locator(".vrm").all_inner_texts() == ["PAL12BB"]
    expect(companions).to_contain_text("CAM-CV1, CAM-CV2")
    expect(page.get_by_test_id("searched")).to_contain_text("Looked from its 2 reads")
    assert serious_violations(page) == []
    assert list(SearchAudit.objects.values_list("kind", "vrm", "reference")) == [
        ("convoy", "CV12AAA", "INC-CONVOY")
    ]


def test_one_camera_is_never_enough_and_the_page_says_why(make_user, sign_in_page, passages):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/convoy/")
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-CONVOY")
    page.get_by_label("Plate").fill("CV12AAA")
    page.get_by_label("Seen after").fill(local(passages - timedelta(days=1)))
    page.get_by_label("Seen before").fill(local(passages))
    page.get_by_label("At cameras (at least)").fill("1")
    page.get_by_role("button", name="Find companions").click()
    expect(page.locator("#id_min_cameras_error")).to_contain_text("greater than or equal to 2")
    assert not SearchAudit.objects.exists()
