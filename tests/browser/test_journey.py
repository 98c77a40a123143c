"""An officer looks at a vehicle's history and sees its journey, a jump too fast for one vehicle
marked as a possible cloned plate; the list's owner finds the same pair among possible cloned
plates, raised as the read arrived, and records a review."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import ClonedPlateSuspicion
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.services import ReadInput, reads_ingest
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WARNING = "Possible cloned plate: 262 km in 10 min needs 1,572 km/h."


@pytest.fixture
def owner(make_user):
    return make_user("officer", username="list-owner")


@pytest.fixture
def journey(owner):
    """JC12ONE in London, in Manchester two hours later (131 km/h), in London again ten minutes
    after that (1,572 km/h); it is on a list, so that last read raises a suspicion as it arrives."""
    CameraFactory(code="CAM-LON", area="London", latitude=51.5074, longitude=-0.1278)
    CameraFactory(code="CAM-MAN", area="Manchester", latitude=53.4808, longitude=-2.2426)
    add_entry(make_hotlist(owner, name="Stolen vehicles"), "JC12ONE", owner)
    now = timezone.now()
    for code, age in (
        ("CAM-LON", timedelta(hours=3)),
        ("CAM-MAN", timedelta(hours=1)),
        ("CAM-LON", timedelta(minutes=50)),
    ):
        reads_ingest(
            items=[ReadInput(camera=code, vrm="JC12ONE", seen_at=now - age, confidence=0.9)], source="camera"
        )


def test_the_vehicle_history_shows_the_journey_and_marks_the_jump(make_user, sign_in_page, journey):
    page = sign_in_page(make_user("officer", username="pc-history"))
    page.get_by_role("link", name="Vehicle history").first.click()
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-JOURNEY")
    page.get_by_label("Plate").fill("jc12 one")
    page.get_by_role("button", name="Show history").click()
    legs = page.get_by_test_id("journey-legs").locator("tbody tr")
    expect(legs).to_have_count(2)
    expect(legs.nth(0)).to_contain_text("131 km/h")
    expect(legs.nth(0)).not_to_have_class("leg leg-implausible")
    expect(legs.nth(1)).to_have_class("leg leg-implausible")
    expect(legs.nth(1).get_by_test_id("implausible-leg")).to_have_text(WARNING)
    expect(page.get_by_test_id("implausible-summary")).to_contain_text("1 jump too fast for one vehicle")
    assert serious_violations(page) == []
    assert list(SearchAudit.objects.values_list("kind", "vrm", "reference")) == [
        ("history", "JC12ONE", "INC-JOURNEY")
    ]


def test_the_lists_owner_reviews_the_possible_cloned_plate(owner, sign_in_page, journey):
    page = sign_in_page(owner)
    page.get_by_role("link", name="Alerts").first.click()
    expect(page.get_by_test_id("cloned-mark")).to_have_count(1)
    page.get_by_role("link", name="Possible cloned plates").click()
    row = page.get_by_test_id("cloned-plates").locator("tbody tr")
    expect(row).to_contain_text(WARNING)
    expect(row).to_contain_text("Not reviewed")
    assert serious_violations(page) == []
    row.get_by_role("link", name="JC12ONE").click()
    expect(page.get_by_test_id("cloned-plate")).to_contain_text(WARNING)
    page.get_by_label("Cloned plate: two vehicles carry it").check()
    page.locator("#id_review-notes").fill("Two silver Fords; the one in Manchester is on copied plates.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_test_id("cloned-review")).to_contain_text(
        "Cloned plate: two vehicles carry it (list-owner"
    )
    assert serious_violations(page) == []
    assert ClonedPlateSuspicion.objects.get().outcome == "cloned"
