"""axe-core (bundled in axe-playwright-python) finds no serious accessibility faults on the portal's pages."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from apps.access_requests import services
from apps.assessments import services as assessments
from apps.assessments.models import SECTIONS
from apps.assessments.tests.factories import complete_case
from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.evidence import check_image
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import image_bytes
from tests.browser.conftest import at_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_BY_ROLE = {
    "administrator": ["/", "/accounts/users/", "/accounts/users/new/", "/accounts/me/"],
    "auditor": ["/", "/audit/security-events/"],
    "officer": ["/", "/videos/", "/alerts/historic/", "/alerts/historic/?status=open"],  # filters open
    "planner": ["/", "/assessments/", "/assessments/new/", "/assessments/reviews/"],
}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_the_sign_in_page(page):
    page.goto("/accounts/sign-in/")
    assert serious_violations(page) == []


@pytest.mark.parametrize("role", PAGES_BY_ROLE)
def test_each_roles_pages(make_user, sign_in_page, role):
    page = sign_in_page(make_user(role))
    for url in PAGES_BY_ROLE[role]:
        page.goto(url)
        assert serious_violations(page) == [], url


def test_a_supervisors_home_and_approvals_with_something_in_them(make_user, sign_in_page):
    officer, supervisor = make_user("officer"), make_user("supervisor")
    now = timezone.now()
    for reference in ("OP-ONE", "OP-TWO"):
        request = services.request_file(
            requester=officer,
            investigation_reference=reference,
            offence="major_crime",
            justification="Suspect vehicle.",
            period_start=now - timedelta(days=120),
            period_end=now - timedelta(days=80),
            days_needed=14,
        )
        services.request_approve(access_request=request, approver=supervisor, reason="ok")
    page = sign_in_page(supervisor)
    for url in ["/", "/access-requests/queue/", "/access-requests/granted/"]:
        page.goto(url)
        assert serious_violations(page) == [], url


def test_the_assessment_steps_and_a_section_sent_back_with_errors(make_user, sign_in_page):
    planner = make_user("planner")
    camera = CameraFactory(status=Camera.Status.PROPOSED)
    draft = assessments.assessment_create(camera=camera, author=planner, **complete_case())
    page = sign_in_page(planner)
    for address in [f"/assessments/{draft.pk}/", *(f"/assessments/{draft.pk}/edit/{s}/" for s in SECTIONS)]:
        page.goto(address)
        assert serious_violations(page) == [], address
    page.goto(f"/assessments/{draft.pk}/edit/risks/")
    page.get_by_test_id("risks-1").get_by_label("Risk", exact=True).fill("Half a risk.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_test_id("error-summary").wait_for()
    assert serious_violations(page) == [], "the risks, sent back with errors"


def test_a_phone_sized_page_with_its_menu_closed_and_open(make_user, sign_in_page):
    page = sign_in_page(make_user("officer"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/videos/")
    assert serious_violations(page) == [], "menu closed"
    page.get_by_text("Menu", exact=True).click()
    assert serious_violations(page) == [], "menu open"


def test_an_alert_with_its_read_s_images_and_place(make_user, sign_in_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    CameraFactory(code="CAM-AX", area="Axe town")
    admin = make_user("administrator")
    add_entry(make_hotlist(admin, name="Stolen"), "AX12EEE", admin)
    read = ReadInput(
        camera="CAM-AX",
        vrm="AX12EEE",
        seen_at=timezone.now(),
        confidence=0.9,
        plate_image=check_image(image_bytes()),
        overview_image=check_image(image_bytes(size=(320, 200))),
    )
    [alert] = reads_ingest(items=[read], source="camera").alerts
    page = sign_in_page(make_user("officer"))
    page.goto(f"/alerts/{alert.pk}/")
    assert serious_violations(page) == []


def test_the_sign_in_form_works_from_the_keyboard_alone(page, make_user):
    from apps.accounts.tests.factories import PASSWORD, current_code

    user = make_user("officer")
    page.goto("/accounts/sign-in/")
    # The username field takes focus on arrival (autofocus); on a busy machine that can come
    # a moment after the load event, and keys typed before it would go nowhere.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'username'")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(current_code(user))
    page.keyboard.press("Enter")
    page.wait_for_url(at_home)
    page.keyboard.press("Tab")  # first stop: the skip link
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
