"""Each role's home page: what needs attention, counted for that person, linking to the lists."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.access_requests import services as access_requests
from apps.assessments import services as assessments
from apps.assessments.tests.factories import submitted_assessment
from apps.audit.jobs import recorded_run
from apps.audit.models import SecurityEvent
from apps.audit.services import security_event_record
from apps.cameras.models import Camera
from apps.cameras.services import camera_update
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.services import alert_record_outcome
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.misuse.models import MisuseFlag
from apps.misuse.services import flag_close
from apps.portal.attention import figures_for
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db

# What each role is shown, by figure.
FIGURES_BY_ROLE = {
    "officer": {"open-alerts", "open-historic-hits", "requests-waiting", "decisions-unseen"},
    "supervisor": {
        "open-alerts",
        "open-historic-hits",
        "requests-waiting",
        "decisions-unseen",
        "requests-to-decide",
        "approvals-granted",
        "assessments-to-decide",
    },
    "planner": {"assessments-submitted", "reviews-overdue", "reviews-due", "cameras-awaiting-assessment"},
    "auditor": {"misuse-flags-open", "failed-sign-ins", "jobs-failing"},
    "administrator": {"jobs-failing", "locked-accounts"},
}


def counts(user, **kwargs) -> dict[str, int]:
    return {figure.name: figure.count for figure in figures_for(user, **kwargs)}


def urls(user) -> dict[str, str]:
    return {figure.name: figure.url for figure in figures_for(user)}


def raise_alerts(camera, *specs) -> list[Alert]:
    """specs: (plate, age); each read matches an entry, so each raises one alert."""
    now = timezone.now()
    return reads_ingest(
        items=[
            ReadInput(camera=camera.code, vrm=vrm, seen_at=now - age, confidence=0.9) for vrm, age in specs
        ],
        source="upload",
    ).alerts


def file_request(requester):
    now = timezone.now()
    return access_requests.request_file(
        requester=requester,
        investigation_reference="OP-HOME",
        offence="major_crime",
        justification="Suspect vehicle.",
        period_start=now - timedelta(days=120),
        period_end=now - timedelta(days=80),
        days_needed=14,
    )


@pytest.mark.parametrize("role", FIGURES_BY_ROLE)
def test_each_role_is_shown_its_own_figures_and_each_links_to_a_list_it_may_open(
    make_user, sign_in_client, role
):
    user = make_user(role)
    client = sign_in_client(user, Client())
    page = client.get("/")
    assert {figure.name for figure in page.context["figures"]} == FIGURES_BY_ROLE[role]
    for figure in page.context["figures"]:
        assert f'data-testid="figure-{figure.name}"' in page.content.decode()
        assert client.get(figure.url).status_code == 200, figure.url


def test_an_officer_counts_the_open_alerts_they_may_see_and_no_covert_lists_hit(make_user, settings):
    owner, colleague = make_user("officer"), make_user("officer")
    camera = CameraFactory(code="CAM-HOME")
    overt, covert = make_hotlist(owner, name="Stolen"), make_hotlist(owner, name="Op Heron", covert=True)
    for plate in ("AA11AAA", "BB22BBB", "CC33CCC"):
        add_entry(overt, plate, owner)
    add_entry(covert, "CV12RTX", owner)
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 200 * 24 * 60  # every read here arrives as if live
    dealt_with, *_ = raise_alerts(
        camera, ("AA11AAA", timedelta(minutes=5)), ("BB22BBB", timedelta(minutes=5))
    )
    raise_alerts(camera, ("CV12RTX", timedelta(minutes=5)), ("CC33CCC", timedelta(days=91)))
    alert_record_outcome(alert=dealt_with, outcome=Alert.Outcome.NOT_FOUND, notes="", actor=owner)

    # Open: BB22BBB, and for the covert list's owner its hit too; CC33CCC's read is past the window.
    assert counts(colleague)["open-alerts"] == 1
    assert counts(owner)["open-alerts"] == 2


def test_late_hits_are_counted_for_their_lists_owners_only(make_user):
    owner, colleague = make_user("officer"), make_user("officer")
    hotlist = make_hotlist(owner, name="Local")
    add_entry(hotlist, "HS12TRC", owner)
    [hit] = raise_alerts(CameraFactory(), ("HS12TRC", timedelta(hours=2)))
    assert hit.historic
    assert (counts(owner)["open-historic-hits"], counts(colleague)["open-historic-hits"]) == (1, 0)
    assert (counts(owner)["open-alerts"], counts(colleague)["open-alerts"]) == (0, 0)


def test_an_officer_counts_their_own_requests_and_unseen_decisions(make_user, sign_in_client):
    officer, colleague, supervisor = make_user("officer"), make_user("officer"), make_user("supervisor")
    file_request(officer)
    refused = file_request(officer)
    access_requests.request_refuse(access_request=refused, approver=supervisor, reason="Not enough.")
    file_request(colleague)
    assert counts(officer)["requests-waiting"] == 1 and counts(officer)["decisions-unseen"] == 1
    sign_in_client(officer, Client()).get(f"/access-requests/{refused.pk}/")  # opening it: seen
    assert counts(officer)["decisions-unseen"] == 0
    assert counts(colleague)["decisions-unseen"] == 0


def test_a_supervisor_counts_requests_to_decide_and_their_own_approvals_in_force(make_user):
    officer, supervisor, other = make_user("officer"), make_user("supervisor"), make_user("supervisor")
    file_request(officer)
    file_request(supervisor)  # their own: another supervisor decides it
    granted, by_other, revoked, ended = (file_request(officer) for _ in range(4))
    access_requests.request_approve(access_request=granted, approver=supervisor, reason="ok")
    access_requests.request_approve(access_request=by_other, approver=other, reason="ok")
    access_requests.request_approve(access_request=revoked, approver=supervisor, reason="ok")
    access_requests.request_revoke(access_request=revoked, supervisor=supervisor, reason="done")
    access_requests.request_approve(access_request=ended, approver=supervisor, reason="ok", days=1)

    assert counts(supervisor)["requests-to-decide"] == 1
    assert counts(other)["requests-to-decide"] == 2
    assert counts(supervisor)["approvals-granted"] == 2  # granted, and ended while it lasts
    assert counts(supervisor, now=timezone.now() + timedelta(days=2))["approvals-granted"] == 1
    assert counts(other)["approvals-granted"] == 1


def test_planners_and_supervisors_count_assessments_reviews_and_cameras_held_back(make_user):
    planner, supervisor = make_user("planner"), make_user("supervisor")
    today = timezone.localdate()
    waiting = CameraFactory(code="CAM-WAIT", status=Camera.Status.PROPOSED)
    submitted_assessment(waiting, planner)
    CameraFactory(code="CAM-BARE", status=Camera.Status.PROPOSED)
    CameraFactory(code="CAM-VAN", status=Camera.Status.PROPOSED, kind=Camera.Kind.MOBILE, latitude=None)
    approved = CameraFactory(code="CAM-OK", status=Camera.Status.PROPOSED)
    assessments.assessment_approve(
        assessment=submitted_assessment(approved, planner), approver=supervisor, reason="Yes."
    )
    approved.refresh_from_db()
    assert approved.status == Camera.Status.LIVE
    camera_update(camera=approved, review_due=today - timedelta(days=1))
    CameraFactory(code="CAM-SOON", review_due=today + timedelta(days=10))
    CameraFactory(code="CAM-LATER", review_due=today + timedelta(days=100))

    assert counts(planner) == {
        "assessments-submitted": 1,
        "reviews-overdue": 1,
        "reviews-due": 2,
        "cameras-awaiting-assessment": 2,  # CAM-WAIT and CAM-BARE; a van is not assessed
    }
    assert counts(supervisor)["assessments-to-decide"] == 1


def test_auditors_count_open_flags_recent_failed_sign_ins_and_failing_jobs(make_user, sign_in_client):
    auditor = make_user("auditor")
    MisuseFlag.objects.create(kind="refusals", username="pc-a", summary="a", evidence_key="a" * 64)
    closed = MisuseFlag.objects.create(kind="refusals", username="pc-b", summary="b", evidence_key="b" * 64)
    flag_close(flag=closed, auditor=auditor, note="Checked.")
    for username in ("pc-a", "pc-b"):
        security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, username=username, request=None)
    security_event_record(kind=SecurityEvent.Kind.LOGIN, username="pc-a", request=None)
    fail("national-export")
    fail("retention")
    with recorded_run("retention"):  # failed, then succeeded: no longer failing
        pass
    fail("not-a-scheduled-job")

    assert counts(auditor) == {"misuse-flags-open": 1, "failed-sign-ins": 2, "jobs-failing": 1}
    # A week on, those sign-ins are past the figure's days.
    assert counts(auditor, now=timezone.now() + timedelta(days=8))["failed-sign-ins"] == 0
    page = sign_in_client(auditor, Client()).get("/").content.decode()
    assert 'data-testid="chain-status"' in page and "never been verified" in page


def test_the_failed_sign_ins_link_lists_what_the_figure_counts(make_user, sign_in_client):
    auditor = make_user("auditor")
    security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, username="pc-a", request=None)
    security_event_record(kind=SecurityEvent.Kind.LOGIN, username="pc-a", request=None)
    page = sign_in_client(auditor, Client()).get(urls(auditor)["failed-sign-ins"])
    assert [event.kind for event in page.context["page"].object_list] == ["login_failed"]


def test_administrators_count_locked_accounts(make_user, settings):
    admin = make_user("administrator")
    for username, failures in (("pc-locked", settings.AXES_FAILURE_LIMIT), ("pc-once", 1)):
        AccessAttempt.objects.create(
            username=username, ip_address="10.0.0.9", user_agent="", failures_since_start=failures
        )
    assert counts(admin)["locked-accounts"] == 1


def test_links_carry_the_filters_their_lists_have(make_user):
    assert urls(make_user("officer"))["open-alerts"] == "/alerts/?status=open"
    assert urls(make_user("auditor"))["misuse-flags-open"] == "/audit/misuse-flags/?status=open"
    assert urls(make_user("planner"))["assessments-submitted"] == "/assessments/?status=submitted"
    assert urls(make_user("supervisor"))["approvals-granted"] == "/access-requests/granted/"


@pytest.mark.parametrize("role", FIGURES_BY_ROLE)
def test_each_figure_is_one_query_however_much_there_is_to_count(make_user, role, settings):
    user = make_user(role)
    user.has_perm("any.thing")  # the permissions are loaded once, before the figures
    with CaptureQueriesContext(connection) as empty:
        figures = figures_for(user)
    fill_the_world(make_user, user, settings)
    with CaptureQueriesContext(connection) as full:
        figures_for(user)
    assert len(empty) == len(full) == len(figures)
    assert all(figure.count for figure in figures_for(user))  # the world counted something each


def fill_the_world(make_user, user, settings) -> None:
    """A few of everything every figure counts, for this user where it is theirs."""
    supervisor, officer, planner = make_user("supervisor"), make_user("officer"), make_user("planner")
    requester = user if user.has_perm("access_requests.add_accessrequest") else officer
    decider = user if user.has_perm("access_requests.decide_accessrequest") else supervisor
    hotlist = make_hotlist(user if user.has_perm("hotlists.view_alert") else officer, name="World")
    for n in range(3):
        add_entry(hotlist, f"WD{n}1AAA", officer)
        add_entry(hotlist, f"HS{n}1AAA", officer)
    raise_alerts(CameraFactory(), *((f"HS{n}1AAA", timedelta(hours=2)) for n in range(3)))  # late hits
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 200 * 24 * 60
    raise_alerts(CameraFactory(), *((f"WD{n}1AAA", timedelta(minutes=n)) for n in range(3)))
    for n in range(3):
        file_request(requester)
        refused = file_request(requester)
        access_requests.request_refuse(access_request=refused, approver=supervisor, reason="no")
        access_requests.request_approve(access_request=file_request(officer), approver=decider, reason="ok")
        file_request(officer)
        submitted_assessment(CameraFactory(status=Camera.Status.PROPOSED), planner)
        CameraFactory(review_due=timezone.localdate() - timedelta(days=1))
        MisuseFlag.objects.create(kind="refusals", username=f"pc-{n}", summary="x", evidence_key=f"{n:064d}")
        security_event_record(kind=SecurityEvent.Kind.LOGIN_FAILED, username=f"pc-{n}", request=None)
        fail("national-export")
        AccessAttempt.objects.create(
            username=f"pc-{n}", ip_address="10.0.0.9", user_agent="", failures_since_start=99
        )


def fail(job: str) -> None:
    with pytest.raises(RuntimeError), recorded_run(job):
        raise RuntimeError("down")
