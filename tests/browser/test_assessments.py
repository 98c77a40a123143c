"""A planner drafts an assessment section by section, with its PIA and a consultation, and submits
it; a supervisor approves it; the camera goes live. A section that fails to save says why, in view."""

import pytest
from playwright.sync_api import expect

from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_planner_drafts_and_submits_an_approver_approves_and_the_camera_goes_live(
    make_user, sign_in_page, browser, live_server
):
    CameraFactory(code="CAM-NEWSITE", name="A6 at Birstall", status=Camera.Status.PROPOSED, review_due=None)
    page = sign_in_page(make_user("planner"))
    page.get_by_test_id("navigation").get_by_role("link", name="Assessments").click()
    page.get_by_role("link", name="Draft an assessment").click()
    # Section by section, each saved on its own.
    page.get_by_label("Camera").select_option("CAM-NEWSITE")
    page.get_by_label("Need").fill("Travelling burglars use the A6 into the city.")
    page.get_by_label("Alternatives").fill("Patrols cover it a few hours a week.")
    page.get_by_label("Expected benefit").fill("Arrests and recoveries, reported quarterly.")
    save_and_continue(page, "The need against each national factor")
    for factor, weight in [
        ("National security and counter terrorism", "Not relevant"),
        ("Serious, organised and major crime", "High"),
        ("Local crime", "Medium"),
        ("Community confidence and reassurance, crime prevention and reduction", "Low"),
    ]:
        page.get_by_label(f"{factor}: weight").select_option(label=weight)
        if weight != "Not relevant":
            page.get_by_label(f"{factor}: the case").fill(f"The case for {factor.lower()}.")
            page.get_by_label(f"{factor}: evidence").fill("Crime figures for the area, 2025-26.")
    save_and_continue(page, "Privacy impact assessment")
    page.get_by_label("Data captured").fill("Plates, images, time and place.")
    page.get_by_label("People affected").fill("Everyone driving past.")
    page.get_by_label("Necessity").fill("No less intrusive means covers the route.")
    page.get_by_label("Proportionality").fill("One lane; the footpath is masked.")
    page.get_by_label("Retention").fill("Two years, the national standard.")
    page.get_by_label("Signage").fill("Signs on both approaches.")
    page.get_by_label("Overall residual risk to privacy").select_option("low")
    save_and_continue(page, "Risks to privacy")
    risk = page.get_by_test_id("risks-0")
    risk.get_by_label("Risk", exact=True).fill("Reads of drivers with no link to crime.")
    risk.get_by_label("Likelihood").select_option("probable")
    risk.get_by_label("Severity").select_option("significant")
    risk.get_by_label("Mitigation").fill("90-day window; every search audited.")
    risk.get_by_label("Residual risk").select_option("low")
    save_and_continue(page, "Consultation")
    consultee = page.get_by_test_id("consultations-0")
    consultee.get_by_label("Consultee").fill("Birstall parish council")
    consultee.get_by_label("Consulted on").fill("2026-10-01")
    consultee.get_by_label("What they said").fill("Supports it; asks for signs.")
    consultee.get_by_label("Response").fill("Signs on both approaches.")
    page.get_by_role("button", name="Save and continue").click()

    page.wait_for_url("**/assessments/*/")
    assert page.get_by_text("The draft is complete.").is_visible()
    page.get_by_role("button", name="Submit for decision").click()
    assert page.locator("#assessment-status").inner_text() == "Submitted"
    assert page.get_by_test_id("consultations").get_by_text("Birstall parish council").is_visible()
    record = page.url

    second_person = browser.new_context(base_url=live_server.url)
    approver = second_person.new_page()
    from apps.accounts.tests.factories import PASSWORD, current_code

    supervisor = make_user("supervisor")
    approver.goto("/accounts/sign-in/")
    approver.get_by_label("Username").fill(supervisor.username)
    approver.get_by_label("Password").fill(PASSWORD)
    approver.get_by_label("Authenticator code").fill(current_code(supervisor))
    approver.get_by_role("button", name="Sign in").click()
    approver.get_by_test_id("navigation").get_by_role("link", name="Assessments").click()
    approver.get_by_test_id("awaiting").get_by_role("link").first.click()
    assert approver.url == record
    approver.get_by_label("Reason").fill("Clear need on serious crime; privacy risks mitigated.")
    approver.get_by_role("button", name="Approve").click()
    assert approver.locator("#assessment-status").inner_text() == "Approved"

    camera = Camera.objects.get(code="CAM-NEWSITE")
    assert camera.status == "live"
    assert camera.review_due is not None
    approver.goto("/cameras/CAM-NEWSITE/")
    facts = approver.get_by_test_id("camera-facts").inner_text()
    assert "live" in facts and "Deployment assessment" in facts
    second_person.close()


def save_and_continue(page, next_heading: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(next_heading)


def test_a_section_that_fails_to_save_puts_its_errors_in_view(make_user, sign_in_page):
    from apps.assessments import services
    from apps.assessments.tests.factories import complete_case

    planner = make_user("planner")
    camera = CameraFactory(code="CAM-HALF", status=Camera.Status.PROPOSED)
    draft = services.assessment_create(camera=camera, author=planner, **complete_case(risks=[]))
    page = sign_in_page(planner)
    page.goto(f"/assessments/{draft.pk}/")
    page.get_by_test_id("sections").get_by_role("link", name="Risks to privacy").click()
    risk = page.get_by_test_id("risks-0")
    risk.get_by_label("Risk", exact=True).fill("Reads of drivers with no link to crime.")
    risk.get_by_label("Residual risk").scroll_into_view_if_needed()
    page.get_by_role("button", name="Save", exact=True).click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: Risks to privacy")
    assert in_view(page, summary)
    assert "Likelihood: This field is required." in summary.inner_text()
    summary.get_by_role("link", name="Mitigation: This field is required.").click()
    mitigation = page.locator("#id_risks-0-mitigation")
    expect(mitigation).to_be_focused()
    assert in_view(page, mitigation) and in_view(page, page.locator("label[for='id_risks-0-mitigation']"))
    assert draft.risks.count() == 0  # nothing saved; the other sections as they were
    mitigation.fill("90-day window; every search audited.")
    for label, value in [("Likelihood", "probable"), ("Severity", "significant"), ("Residual risk", "low")]:
        risk.get_by_label(label).select_option(value)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risks to privacy")
    assert page.get_by_test_id("error-summary").count() == 0
    assert draft.risks.count() == 1
    assert services.incomplete(draft) == []


def in_view(page, locator) -> bool:
    """Whether the element is wholly inside the browser's window as it is scrolled now."""
    box, window = locator.bounding_box(), page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= window["height"]


def test_leaving_a_section_with_changes_not_saved_asks_first(make_user, sign_in_page):
    from apps.assessments import services
    from apps.assessments.tests.factories import complete_case

    planner = make_user("planner")
    camera = CameraFactory(code="CAM-ASK", status=Camera.Status.PROPOSED)
    draft = services.assessment_create(camera=camera, author=planner, **complete_case())
    page = sign_in_page(planner)
    asked: list[str] = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", stay)
    page.goto(f"/assessments/{draft.pk}/edit/need/")
    sections = page.get_by_test_id("sections")
    sections.get_by_role("link", name="Risks to privacy").click()  # nothing changed: no question
    expect(page.get_by_role("heading", level=1)).to_have_text("Risks to privacy")
    assert asked == []
    page.get_by_test_id("risks-0").get_by_label("Risk", exact=True).fill("Reads kept longer than needed.")
    sections.get_by_role("link", name="Consultation").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Risks to privacy")  # stayed, text kept
    assert page.get_by_test_id("risks-0").get_by_label("Risk", exact=True).input_value().startswith("Reads")
    page.remove_listener("dialog", stay)
    page.get_by_role("button", name="Save", exact=True).click()  # saving is leaving on purpose
    expect(page.get_by_role("heading", level=1)).to_have_text("Risks to privacy")
    assert asked == ["beforeunload"]
