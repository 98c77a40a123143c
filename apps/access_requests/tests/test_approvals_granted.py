"""The supervisor's list of the approvals they granted that are still in force, and revoking one."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.access_requests import services
from apps.access_requests.models import AccessRequest, AccessRequestEvent
from apps.access_requests.selectors import approvals_granted
from apps.audit.models import SearchAudit

pytestmark = pytest.mark.django_db
LIST = reverse("access_requests:granted")


def revoke_url(access_request: AccessRequest) -> str:
    return reverse("access_requests:revoke_granted", kwargs={"pk": access_request.pk})


def file(requester, reference="OP-GRANT") -> AccessRequest:
    now = timezone.now()
    return services.request_file(
        requester=requester,
        investigation_reference=reference,
        offence="major_crime",
        justification="Suspect vehicle.",
        period_start=now - timedelta(days=120),
        period_end=now - timedelta(days=80),
        days_needed=14,
        vrms=["AB12CDE"],
    )


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user("officer", username="pc-req"),
        "supervisor": make_user("supervisor", username="sgt-mine"),
        "other": make_user("supervisor", username="sgt-other"),
    }


@pytest.fixture
def approvals(people):
    """Approvals by the supervisor: one in force, one revoked, one ended; and one by another."""
    officer, supervisor = people["officer"], people["supervisor"]
    made = {name: file(officer, f"OP-{name.upper()}") for name in ("live", "revoked", "ended", "others")}
    for name in ("live", "revoked", "ended"):
        services.request_approve(access_request=made[name], approver=supervisor, reason="ok", days=2)
    services.request_revoke(access_request=made["revoked"], supervisor=supervisor, reason="done")
    services.request_approve(access_request=made["others"], approver=people["other"], reason="ok")
    AccessRequest.objects.filter(pk=made["ended"].pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    file(officer, "OP-PENDING")
    return made


def test_the_list_holds_only_the_supervisors_approvals_in_force(people, approvals, sign_in_client):
    SearchAudit.objects.create(
        kind="search",
        username="pc-req",
        purpose="vehicle-crime",
        reference="OP-LIVE",
        access_request_id=approvals["live"].pk,
        result_count=1,
    )
    page = sign_in_client(people["supervisor"], Client()).get(LIST)
    assert page.status_code == 200
    assert [r.pk for r in page.context["approvals"]] == [approvals["live"].pk]
    assert page.context["approvals"][0].searches == 1
    body = page.content.decode()
    assert "OP-LIVE" in body and "AB12CDE" in body
    assert not {"OP-REVOKED", "OP-ENDED", "OP-OTHERS", "OP-PENDING"} & set(body.split())
    assert [r.pk for r in approvals_granted(people["other"], now=timezone.now())] == [approvals["others"].pk]


def test_a_supervisor_revokes_from_the_list_with_a_reason(people, approvals, sign_in_client):
    client = sign_in_client(people["supervisor"], Client())
    response = client.post(revoke_url(approvals["live"]), {"reason": "Suspect charged."}, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert f"Request #{approvals['live'].pk} revoked" in response.content.decode()
    approvals["live"].refresh_from_db()
    assert approvals["live"].status == AccessRequest.Status.REVOKED
    event = approvals["live"].events.last()
    assert (event.kind, event.actor, event.detail["reason"]) == (
        AccessRequestEvent.Kind.REVOKED,
        "sgt-mine",
        "Suspect charged.",
    )
    assert list(response.context["approvals"]) == []
    assert not approvals["live"].requester.has_perm(services.USE, approvals["live"])


def test_no_reason_revokes_nothing_and_says_so(people, approvals, sign_in_client):
    client = sign_in_client(people["supervisor"], Client())
    response = client.post(revoke_url(approvals["live"]), {"reason": "  "}, follow=True)
    assert "Say why you revoke" in response.content.decode()
    approvals["live"].refresh_from_db()
    assert approvals["live"].status == AccessRequest.Status.APPROVED


@pytest.mark.parametrize("which", ["others", "revoked", "ended"])
def test_only_the_supervisors_own_approvals_in_force_are_revoked_there(
    people, approvals, sign_in_client, which
):
    before = AccessRequest.objects.get(pk=approvals[which].pk)
    response = sign_in_client(people["supervisor"], Client()).post(revoke_url(before), {"reason": "mine now"})
    assert response.status_code == 404
    after = AccessRequest.objects.get(pk=before.pk)
    assert (after.status, after.expires_at) == (before.status, before.expires_at)


def test_the_queue_links_to_the_list(people, sign_in_client):
    page = sign_in_client(people["supervisor"], Client()).get(reverse("access_requests:queue"))
    assert f'href="{LIST}"' in page.content.decode()
