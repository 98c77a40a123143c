"""An officer searches from the portal and opens a read; a planner sees cameras on the map."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import image_bytes
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reads():
    from apps.reads.evidence import check_image

    camera = CameraFactory(code="CAM-BR", area="Browser town")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(
                camera="CAM-BR",
                vrm="BR12OWS",
                seen_at=now - timedelta(minutes=5),
                confidence=0.96,
                plate_image=check_image(image_bytes()),
            ),
            ReadInput(camera="CAM-BR", vrm="BR12OWT", seen_at=now - timedelta(hours=2), confidence=0.81),
            ReadInput(camera="CAM-BR", vrm="ZZ99ZZZ", seen_at=now - timedelta(hours=3), confidence=0.9),
        ],
        source="camera",
    )
    return camera


def test_an_officer_searches_with_a_pattern_and_opens_a_read(make_user, sign_in_page, reads):
    page = sign_in_page(make_user("officer"))
    page.get_by_role("link", name="Search reads").first.click()
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-77")
    page.get_by_label("Plate").fill("br12ow*")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("results")
    assert results.locator(".vrm").all_inner_texts() == ["BR12OWS", "BR12OWT"]
    expect(page.locator("img.thumb").first).to_have_js_property("complete", True)
    assert page.locator("img.thumb").first.evaluate("img => img.naturalWidth") > 0  # the patch loaded
    results.get_by_role("link", name="Open").first.click()
    facts = page.get_by_test_id("read-facts").inner_text()
    assert "CAM-BR" in facts and "Browser town" in facts and "INC-77" in facts
    expect(page.locator("img.evidence-plate")).to_have_js_property("complete", True)
    assert page.locator("img.evidence-plate").evaluate("img => img.naturalWidth") > 0
    # Every image is an audited view of its own (nothing is cached): the thumbnail, then the read
    # and its plate patch.
    assert list(SearchAudit.objects.order_by("id").values_list("kind", "reference")) == [
        ("search", "INC-77"),
        ("image", "INC-77"),
        ("view", "INC-77"),
        ("image", "INC-77"),
    ]


def test_searching_without_a_purpose_is_refused_in_the_page(make_user, sign_in_page, reads):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/")
    page.get_by_label("Plate").fill("BR12OWS")
    page.get_by_role("button", name="Search").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Purpose: Choose one of the listed purposes").click()
    expect(page.get_by_label("Purpose", exact=True)).to_be_focused()
    assert not SearchAudit.objects.exists()


def test_a_planner_sees_cameras_on_the_map_without_tiles(make_user, sign_in_page, reads):
    CameraFactory(code="CAM-BR2")
    page = sign_in_page(make_user("planner"))
    page.goto("/cameras/map/")
    page.wait_for_function("document.getElementById('map').dataset.markerCount !== undefined")
    assert page.locator("#map").get_attribute("data-marker-count") == "2"
    assert "plain grid" in page.locator("#map-status").inner_text()


def test_the_purpose_description_is_asked_for_only_with_other(make_user, sign_in_page, reads):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/")
    described = page.get_by_label("Purpose described")
    expect(described).to_be_hidden()
    page.get_by_label("Purpose", exact=True).select_option("other")
    expect(described).to_be_visible()
    described.fill("Welfare check for a hospital")
    page.get_by_label("Reference").fill("INC-78")
    page.get_by_label("Plate").fill("BR12OWS")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("results")).to_be_visible()
    search = SearchAudit.objects.get(kind="search")
    assert (search.purpose, search.purpose_detail) == ("other", "Welfare check for a hospital")


@pytest.fixture
def passing():
    """60 reads of six plates at two cameras, a minute apart: more than a page."""
    CameraFactory(code="CAM-BP", area="Browser park")
    CameraFactory(code="CAM-BQ", area="Browser park")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(
                camera=("CAM-BQ", "CAM-BP")[n % 2],
                vrm=f"BP12AA{n % 6}",
                seen_at=now - timedelta(minutes=n + 1),
                confidence=0.9,
            )
            for n in range(60)
        ],
        source="camera",
    )


def test_results_come_first_and_page_both_ways_sorted_as_one_search(make_user, sign_in_page, passing):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/")
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-80")
    page.get_by_label("Plate").fill("BP12AA*")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("results")
    expect(results).to_be_visible()
    # The criteria fold away above the results, which start on the first screen.
    expect(page.get_by_label("Reference")).to_be_hidden()
    assert results.bounding_box()["y"] < page.viewport_size["height"]
    assert "of plates matching BP12AA* at any camera between" in page.get_by_test_id("searched").inner_text()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Older reads").click()
    assert len(results.locator("tbody tr").all()) == 10
    page.get_by_role("button", name="Newer reads").click()
    assert len(results.locator("tbody tr").all()) == 50
    expect(page.get_by_role("button", name="Newer reads")).to_have_count(0)
    page.get_by_role("button", name="Plate").click()
    plates = results.locator(".vrm").all_inner_texts()
    assert plates == sorted(plates) and plates[0] == "BP12AA0"
    expect(page.locator('th[aria-sort="ascending"]')).to_have_text("Plate ▲")
    page.get_by_role("button", name="Next page").click()
    assert results.locator(".vrm").all_inner_texts()[-1] == "BP12AA5"
    results.get_by_role("link", name="Open").first.click()
    first_on_page = page.locator(".plate-large").inner_text()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Back to the results of search").click()
    assert results.locator(".vrm").first.inner_text() == first_on_page
    expect(page.get_by_role("button", name="Previous page")).to_be_visible()
    results.get_by_role("link", name="Open").first.click()
    page.get_by_role("button", name=f"Vehicle history of {first_on_page}").click()
    expect(page.get_by_test_id("timeline")).to_be_visible()
    assert page.locator("h2").first.inner_text() == f"10 reads of {first_on_page}"
    # One search; its pages (sorting, paging, back to the results) each recorded as a page of it.
    assert list(SearchAudit.objects.order_by("id").values_list("kind", flat=True)) == [
        "search",
        "page",
        "page",
        "page",
        "page",
        "view",
        "page",
        "view",
        "history",
    ]
    search = SearchAudit.objects.get(kind="search")
    assert {page.filters["search"] for page in SearchAudit.objects.filter(kind="page")} == {search.pk}


def test_criteria_that_nothing_could_match_are_shown_at_their_field(make_user, sign_in_page, passing):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/")
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-81")
    page.get_by_label("Plate").fill("BP12AA1")
    page.get_by_label("Area").fill("Nowhere")
    page.get_by_role("button", name="Search").click()
    expect(
        page.locator(".field-invalid").get_by_text("No camera is in an area called Nowhere.")
    ).to_be_visible()
    page.get_by_label("Area").fill("")
    page.get_by_label("Plate").fill("NO12SEE")
    page.get_by_role("button", name="Search").click()
    said = page.get_by_test_id("searched").inner_text()
    assert said.startswith("No reads of NO12SEE at any camera between ") and said.endswith(
        "(your 90-day window)."
    )
    assert list(SearchAudit.objects.values_list("kind", flat=True)) == ["search"]


def test_vehicle_history_asks_for_one_exact_plate(make_user, sign_in_page, passing):
    page = sign_in_page(make_user("officer"))
    page.goto("/reads/history/")
    expect(page.locator("label[for=id_vrm]")).to_have_text("Plate")
    page.get_by_label("Purpose", exact=True).select_option(label="Vehicle crime")
    page.get_by_label("Reference").fill("INC-82")
    page.get_by_role("button", name="Show history").click()
    # At the field, and in the summary at the top that leads to it.
    expect(page.locator("#id_vrm_error")).to_contain_text("Give the plate: vehicle history shows one vehicle")
    expect(page.get_by_role("link", name="Plate: Give the plate")).to_be_visible()
    page.get_by_label("Plate").fill("BP12*")
    page.get_by_role("button", name="Show history").click()
    expect(page.locator("#id_vrm_error")).to_contain_text("this search takes no patterns")
    assert serious_violations(page) == []
    assert not SearchAudit.objects.exists()
    # One plate: its reads on the timeline and on the map, each where it was taken, joined in
    # time order; with no tile server configured, on a plain grid.
    page.get_by_label("Plate").fill("BP12AA1")
    page.get_by_role("button", name="Show history").click()
    expect(page.get_by_test_id("timeline")).to_be_visible()
    page.wait_for_function("document.getElementById('map').dataset.markerCount !== undefined")
    assert page.locator("#map").get_attribute("data-marker-count") == "10"
    assert page.locator("#map").get_attribute("data-route-points") == "10"
    expect(page.locator("#map path.map-route")).to_have_count(1)
    assert "plain grid" in page.locator("#map-status").inner_text()
    assert serious_violations(page) == []
    assert list(SearchAudit.objects.values_list("kind", flat=True)) == ["history"]
