"""Extended access: a 100-day-old read only under an approved request, within its scope, until it ends."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.access_requests import services
from apps.access_requests.models import AccessRequest, AccessRequestEvent
from apps.audit.models import SearchAudit
from apps.audit.retention import audit_remove_expired
from apps.cameras.tests.factories import CameraFactory
from apps.reads.tests.helpers import PURPOSE, store_reads
from conftest import as_database_owner

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/"


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("officer", username="pc-ext"),
        "colleague": make_user("officer"),
        "supervisor": make_user("supervisor", username="sgt-ext"),
        "auditor": make_user("auditor"),
    }


@pytest.fixture
def old_reads():
    camera = CameraFactory(code="CAM-X", area="Old town")
    other = CameraFactory(code="CAM-Y", area="Elsewhere")
    store_reads(camera, ("OL12DRD", timedelta(days=100)), ("OT12HER", timedelta(days=100)), source="upload")
    store_reads(other, ("OL12DRD", timedelta(days=101)), source="upload")
    store_reads(camera, ("OL12DRD", timedelta(days=400)), source="upload")
    return camera


def file(officer, **overrides):
    now = timezone.now()
    fields = {
        "investigation_reference": "OP-KESTREL",
        "offence": "major_crime",
        "justification": "Vehicle linked to a homicide in August.",
        "period_start": now - timedelta(days=120),
        "period_end": now - timedelta(days=80),
        "days_needed": 14,
        "vrms": ["ol12 drd"],
        "camera_codes": [],
        "areas": [],
    } | overrides
    return services.request_file(requester=officer, **fields)


def plates(api, **params):
    response = api.get(URL, {"vrm": "O?12*", **PURPOSE, **params})
    return response.status_code, sorted(
        r["vrm"] + "@" + r["camera"]["code"] for r in response.json().get("results", [])
    )


def test_an_old_read_appears_only_under_an_approved_request_and_only_in_scope(
    people, old_reads, api_client_for
):
    api = api_client_for(people["officer"])
    assert plates(api) == (200, [])  # nothing is within 90 days
    request = file(people["officer"])
    assert plates(api, access_request=request.pk)[0] == 403  # pending
    services.request_approve(access_request=request, approver=people["supervisor"], reason="Proportionate")
    # The plate asked for, inside the period: both cameras; not the other plate; not the 400-day read.
    assert plates(api, access_request=request.pk) == (200, ["OL12DRD@CAM-X", "OL12DRD@CAM-Y"])
    assert (
        SearchAudit.objects.filter(access_request_id=request.pk).count() == 1
    )  # the pending try never searched


def test_camera_and_area_scopes_narrow_what_is_seen(people, old_reads, api_client_for):
    request = file(people["officer"], vrms=[], areas=["Old town"])
    services.request_approve(access_request=request, approver=people["supervisor"], reason="ok")
    assert plates(api_client_for(people["officer"]), access_request=request.pk) == (
        200,
        ["OL12DRD@CAM-X", "OT12HER@CAM-X"],
    )


@pytest.mark.parametrize("ending", ["refused", "revoked", "expired"])
def test_refused_revoked_and_expired_requests_give_nothing(people, old_reads, api_client_for, ending):
    request = file(people["officer"])
    if ending == "refused":
        services.request_refuse(
            access_request=request, approver=people["supervisor"], reason="Not proportionate"
        )
    else:
        services.request_approve(access_request=request, approver=people["supervisor"], reason="ok", days=1)
        if ending == "revoked":
            services.request_revoke(
                access_request=request, supervisor=people["supervisor"], reason="Case closed"
            )
        else:
            assert services.requests_expire(now=timezone.now() + timedelta(days=2)) == 1
    status, found = plates(api_client_for(people["officer"]), access_request=request.pk)
    assert (status, found) == (403, [])
    assert AccessRequest.objects.get(pk=request.pk).status == ending
    assert AccessRequestEvent.objects.filter(access_request=request, kind=ending).count() == 1


def test_someone_elses_request_gives_nothing(people, old_reads, api_client_for):
    request = file(people["officer"])
    services.request_approve(access_request=request, approver=people["supervisor"], reason="ok")
    assert plates(api_client_for(people["colleague"]), access_request=request.pk) == (403, [])


def test_nobody_approves_their_own_request_and_officers_approve_none(people, make_user):
    own = file(people["supervisor"])
    with pytest.raises(PermissionDenied, match="own request"):
        services.request_approve(access_request=own, approver=people["supervisor"], reason="mine")
    with pytest.raises(PermissionDenied):
        services.request_approve(
            access_request=file(people["officer"]), approver=people["colleague"], reason="x"
        )


def test_approval_may_narrow_but_never_widen(people):
    request = file(people["officer"], vrms=["AA1", "BB2"])
    with pytest.raises(ValidationError):
        services.request_approve(
            access_request=request, approver=people["supervisor"], reason="x", vrms=["CC3"]
        )
    with pytest.raises(ValidationError):
        services.request_approve(access_request=request, approver=people["supervisor"], reason="x", days=30)
    narrowed = services.request_approve(
        access_request=request, approver=people["supervisor"], reason="x", vrms=["AA1"], days=3
    )
    assert narrowed.vrms == ["AA1"]
    assert narrowed.expires_at < timezone.now() + timedelta(days=3, minutes=1)


def test_the_api_workflow_and_its_refusals(people, api_client_for):
    officer, supervisor = api_client_for(people["officer"]), api_client_for(people["supervisor"])
    now = timezone.now()
    body = {
        "investigation_reference": "OP-1",
        "offence": "counter_terrorism",
        "justification": "Needed",
        "period_start": (now - timedelta(days=300)).isoformat(),
        "period_end": (now - timedelta(days=200)).isoformat(),
        "days_needed": 7,
        "vrms": ["AB12CDE"],
    }
    filed = officer.post("/api/v1/access-requests/", body, format="json")
    assert filed.status_code == 201 and filed.json()["status"] == "pending"
    pk = filed.json()["id"]
    assert (
        officer.post(f"/api/v1/access-requests/{pk}/approve/", {"reason": "self"}, format="json").status_code
        == 403
    )
    too_old = officer.post(
        "/api/v1/access-requests/",
        body | {"period_start": (now - timedelta(days=800)).isoformat()},
        format="json",
    )
    assert too_old.status_code == 400
    approved = supervisor.post(
        f"/api/v1/access-requests/{pk}/approve/", {"reason": "ok", "days": 2}, format="json"
    )
    assert approved.json()["status"] == "approved"
    again = supervisor.post(f"/api/v1/access-requests/{pk}/refuse/", {"reason": "late"}, format="json")
    assert again.status_code == 400
    assert (
        supervisor.post(f"/api/v1/access-requests/{pk}/revoke/", {"reason": "done"}, format="json").json()[
            "status"
        ]
        == "revoked"
    )
    assert [r["id"] for r in api_client_for(people["colleague"]).get("/api/v1/access-requests/").json()] == []


def test_the_request_page_shows_history_and_searches_and_the_auditor_report(
    people, old_reads, api_client_for, sign_in_client
):
    request = file(people["officer"])
    services.request_approve(access_request=request, approver=people["supervisor"], reason="Proportionate")
    api_client_for(people["officer"]).get(URL, {"vrm": "OL12DRD", "access_request": request.pk, **PURPOSE})
    page = sign_in_client(people["auditor"], Client()).get(f"/access-requests/{request.pk}/").content.decode()
    assert "Filed" in page and "Approved" in page and "Proportionate" in page
    assert "Vehicle crime" in page  # the search made under it, its purpose by label
    report = sign_in_client(people["auditor"], Client()).get("/access-requests/report/").content.decode()
    assert "pc-ext" in report and "OP-KESTREL" in report


def test_the_requester_is_told_of_the_decision_on_their_home_page(people, sign_in_client):
    request = file(people["officer"])
    services.request_refuse(
        access_request=request, approver=people["supervisor"], reason="Insufficient grounds"
    )
    client = sign_in_client(people["officer"], Client())
    assert "Insufficient grounds" in client.get("/").content.decode()
    client.get(f"/access-requests/{request.pk}/")
    assert "Insufficient grounds" not in client.get("/").content.decode()


def test_the_expiry_job_closes_only_what_has_ended(people):
    ending = file(people["officer"])
    services.request_approve(access_request=ending, approver=people["supervisor"], reason="ok", days=1)
    lasting = file(people["officer"])
    services.request_approve(access_request=lasting, approver=people["supervisor"], reason="ok", days=10)
    assert services.requests_expire(now=timezone.now() + timedelta(days=2)) == 1
    assert AccessRequest.objects.get(pk=lasting.pk).status == "approved"


def test_closed_requests_are_removed_after_their_own_period_with_their_events(people):
    refused = file(people["officer"])
    services.request_refuse(access_request=refused, approver=people["supervisor"], reason="Not proportionate")
    pending = file(people["officer"], investigation_reference="OP-STILL-OPEN")
    later = timezone.now() + timedelta(days=8 * 365)
    assert services.requests_remove_expired(now=later) == 0  # its events are still in the audit trail
    with as_database_owner(), connection.cursor() as cursor:  # eight years pass for its events
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE access_requests_accessrequestevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE access_requests_accessrequestevent SET at = at - interval '8 years' "
            "WHERE access_request_id = %s",
            [refused.pk],
        )
        cursor.execute("ALTER TABLE access_requests_accessrequestevent ENABLE TRIGGER USER")
    assert audit_remove_expired()["access_requests_accessrequestevent"] == 2  # filed and refused
    assert services.requests_remove_expired(now=timezone.now() + timedelta(days=365)) == 0
    assert services.requests_remove_expired(now=later) == 1
    assert list(AccessRequest.objects.all()) == [pending]  # a pending request is never removed
    assert not AccessRequestEvent.objects.filter(access_request_id=refused.pk).exists()


def test_nobody_revokes_their_own_request_and_a_revocation_needs_a_reason(people, make_user, api_client_for):
    """Revoking is a decision like approving: the API holds the portal's rule (the service's)."""
    requester = make_user("supervisor", username="sgt-own")
    request = file(requester)
    services.request_approve(access_request=request, approver=people["supervisor"], reason="Proportionate")
    own = api_client_for(requester).post(
        f"/api/v1/access-requests/{request.pk}/revoke/", {"reason": "done"}, format="json"
    )
    assert own.status_code == 403 and "their own request" in own.json()["detail"]
    blank = api_client_for(people["supervisor"]).post(
        f"/api/v1/access-requests/{request.pk}/revoke/", {"reason": "   "}, format="json"
    )
    assert blank.status_code == 400
    request.refresh_from_db()
    assert request.status == "approved" and not request.events.filter(kind="revoked").exists()
