"""The whole extended-access flow in the browser: file, approve, search past 90 days."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access_requests import services
from apps.cameras.tests.factories import CameraFactory
from apps.reads.tests.helpers import store_reads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_files_supervisor_approves_officer_sees_the_old_read(
    browser, live_server, make_user, sign_in_page
):

    store_reads(
        CameraFactory(code="CAM-OLD", area="Old town"), ("OL12DRD", timedelta(days=100)), source="upload"
    )
    officer, supervisor = make_user("officer"), make_user("supervisor")
    now = timezone.localtime()

    page = sign_in_page(officer)
    page.get_by_role("link", name="Search reads").first.click()
    page.get_by_label("Purpose", exact=True).select_option(label="Violence against the person")
    page.get_by_label("Reference").fill("OP-KESTREL")
    page.get_by_label("Plate").fill("OL12DRD")
    page.get_by_role("button", name="Search").click()
    said = page.get_by_test_id("searched").inner_text()
    assert said.startswith("No reads of OL12DRD at any camera between ") and "(your 90-day window)" in said

    page.get_by_role("link", name="Access requests").first.click()
    page.get_by_role("link", name="File a request").click()
    page.get_by_label("Investigation reference").fill("OP-KESTREL")
    page.get_by_label("Offence category").select_option("major_crime")
    page.get_by_label("Justification").fill("The suspect vehicle was seen near the scene in August.")
    page.get_by_label("Plates").fill("OL12DRD")
    page.get_by_label("Reads from").fill((now - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Reads until").fill((now - timedelta(days=80)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Access needed for (days)").fill("7")
    page.get_by_role("button", name="File request").click()
    assert "Pending" in page.get_by_test_id("request-facts").inner_text()
    request_url = page.url
    page.get_by_role("button", name="Sign out").click()

    page = sign_in_page(supervisor)
    page.get_by_role("link", name="Requests to decide").first.click()
    page.get_by_test_id("access-requests").get_by_role("link").first.click()
    page.get_by_role("radio", name="Approve").check()
    page.get_by_label("Reason").fill("Necessary and proportionate for a homicide.")
    page.get_by_role("button", name="Record decision").click()
    assert "Approved" in page.get_by_test_id("request-facts").inner_text()
    page.get_by_role("button", name="Sign out").click()

    page = sign_in_page(officer)
    assert "Necessary and proportionate" in page.get_by_test_id("decisions").inner_text()
    page.get_by_role("link", name="Search reads").first.click()
    page.get_by_label("Purpose", exact=True).select_option(label="Violence against the person")
    page.get_by_label("Reference").fill("OP-KESTREL")
    page.get_by_label("Plate").fill("OL12DRD")
    page.get_by_label("Access request").select_option(index=1)
    page.get_by_role("button", name="Search").click()
    assert page.get_by_test_id("results").locator(".vrm").all_inner_texts() == ["OL12DRD"]
    page.goto(request_url)
    assert "Violence against the person" in page.get_by_test_id("request-searches").inner_text()


def test_a_supervisor_revokes_an_approval_from_the_list_of_those_they_granted(make_user, sign_in_page):
    officer, supervisor = make_user("officer"), make_user("supervisor")
    now = timezone.now()
    request = services.request_file(
        requester=officer,
        investigation_reference="OP-HERON",
        offence="major_crime",
        justification="Suspect vehicle.",
        period_start=now - timedelta(days=120),
        period_end=now - timedelta(days=80),
        days_needed=14,
    )
    services.request_approve(access_request=request, approver=supervisor, reason="Proportionate.")

    page = sign_in_page(supervisor)
    granted = page.get_by_test_id("figure-approvals-granted")
    assert granted.locator(".figure-count").inner_text() == "1"
    granted.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Approvals you granted"
    assert "OP-HERON" in page.get_by_test_id("approvals-granted").inner_text()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name=f"Revoke #{request.pk}").click()  # no reason yet: not sent
    assert "OP-HERON" in page.get_by_test_id("approvals-granted").inner_text()
    request.refresh_from_db()
    assert request.status == "approved"
    page.get_by_label(f"Why revoke request #{request.pk}").fill("The suspect was charged.")
    page.get_by_role("button", name=f"Revoke #{request.pk}").click()
    assert f"Request #{request.pk} revoked" in page.get_by_role("status").inner_text()
    assert asked and asked[-1].startswith("Are you sure?")
    assert "No approval of yours is in force" in page.get_by_test_id("approvals-granted").inner_text()
    page.get_by_role("link", name="Home", exact=True).click()
    assert page.get_by_test_id("figure-approvals-granted").locator(".figure-count").inner_text() == "0"
    request.refresh_from_db()
    assert request.status == "revoked"
    assert request.events.last().detail["reason"] == "The suspect was charged."
