"""Approvals in force, and who may end them from the supervisor's list of approvals they granted.

The list (`/access-requests/granted/`) shows a supervisor only the approvals they granted that are
still in force, and revokes only those: another supervisor's approval is answered as a missing one
there (it is revoked from the request's own page, by any supervisor but its requester, as before).
Officers and auditors reach neither the list nor its revoke; a cross-site post is refused.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.access_requests import services
from apps.access_requests.models import AccessRequest

pytestmark = pytest.mark.django_db
LIST = reverse("access_requests:granted")


@pytest.fixture
def approved(make_user):
    """An officer's request, approved by a supervisor."""
    officer, approver = make_user("officer"), make_user("supervisor")
    now = timezone.now()
    request = services.request_file(
        requester=officer,
        investigation_reference="OP-ABUSE",
        offence="major_crime",
        justification="Suspect vehicle.",
        period_start=now - timedelta(days=120),
        period_end=now - timedelta(days=80),
        days_needed=14,
    )
    return services.request_approve(access_request=request, approver=approver, reason="ok")


def revoke(client, access_request):
    url = reverse("access_requests:revoke_granted", kwargs={"pk": access_request.pk})
    return client.post(url, {"reason": "Ending it."})


def still_approved(access_request) -> bool:
    return AccessRequest.objects.get(pk=access_request.pk).status == AccessRequest.Status.APPROVED


def test_another_supervisor_cannot_revoke_it_from_their_list(approved, make_user, sign_in_client):
    client = sign_in_client(make_user("supervisor"), Client())
    assert revoke(client, approved).status_code == 404
    assert "OP-ABUSE" not in client.get(LIST).content.decode()
    assert still_approved(approved)


@pytest.mark.parametrize("who", ["requester", "officer", "auditor"])
def test_officers_and_auditors_reach_neither_the_list_nor_its_revoke(
    approved, make_user, sign_in_client, who
):
    user = approved.requester if who == "requester" else make_user(who)
    client = sign_in_client(user, Client())
    assert client.get(LIST).status_code == 403
    assert revoke(client, approved).status_code == 403
    assert still_approved(approved)


def test_a_cross_site_post_revokes_nothing(approved, sign_in_client):
    client = sign_in_client(approved.decided_by, Client(enforce_csrf_checks=True))
    assert revoke(client, approved).status_code == 403
    assert still_approved(approved)


def test_the_approver_revokes_it_and_the_requester_can_no_longer_use_it(approved, sign_in_client):
    client = sign_in_client(approved.decided_by, Client())
    assert revoke(client, approved).status_code == 302
    assert not still_approved(approved)
    assert not approved.requester.has_perm(services.USE, approved)
