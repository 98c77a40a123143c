"""The sign-in audit trail: append-only in the database, visible to auditors only."""

from contextlib import nullcontext

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from apps.audit.models import SecurityEvent
from apps.audit.services import security_event_record
from conftest import as_database_owner

pytestmark = pytest.mark.django_db
PAGE = reverse("audit:security_events")


def test_postgres_refuses_to_update_or_delete_audit_rows():
    event = security_event_record(kind=SecurityEvent.Kind.LOGIN, username="officer1")
    # The application's role has no right to; its owner is stopped by the append-only trigger.
    for refusal, role in (("permission denied", nullcontext), ("append-only", as_database_owner)):
        with role():
            with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
                SecurityEvent.objects.filter(pk=event.pk).update(username="someone-else")
            with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
                SecurityEvent.objects.filter(pk=event.pk).delete()
    assert SecurityEvent.objects.get(pk=event.pk).username == "officer1"


def test_auditors_see_and_filter_the_trail(client, make_user, sign_in_client):
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED, username="target-user", detail={"reason": "x"}
    )
    security_event_record(kind=SecurityEvent.Kind.LOGIN, username="other-user")
    sign_in_client(make_user("auditor"))
    page = client.get(PAGE, {"username": "target-user"}).content.decode()
    assert "target-user" in page
    assert "other-user" not in page
    by_kind = client.get(PAGE, {"kind": "login"}).content.decode()
    assert "other-user" in by_kind
    assert "target-user" not in by_kind


@pytest.mark.parametrize("role", ["officer", "supervisor", "planner", "administrator"])
def test_other_roles_may_not_read_the_trail(client, make_user, sign_in_client, role):
    sign_in_client(make_user(role))
    assert client.get(PAGE).status_code == 403


def test_my_account_shows_only_my_own_events(client, make_user, sign_in_client):
    me = make_user("officer")
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED, username=me.username, detail={"reason": "mine"}
    )
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED, username="someone", detail={"reason": "theirs"}
    )
    sign_in_client(me)
    page = client.get(reverse("accounts:my_account")).content.decode()
    assert "mine" in page
    assert "theirs" not in page


def test_postgres_refuses_to_change_the_search_audit_too(make_user):
    from apps.audit.models import SearchAudit
    from apps.audit.services import search_record

    row = search_record(
        user=make_user("officer"),
        kind=SearchAudit.Kind.SEARCH,
        purpose="p",
        reference="r",
        vrm="",
        filters={},
        result_count=0,
    )
    for refusal, role in (("permission denied", nullcontext), ("append-only", as_database_owner)):
        with role():
            with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
                SearchAudit.objects.filter(pk=row.pk).update(purpose="tampered")
            with pytest.raises(DatabaseError, match=refusal), transaction.atomic():
                SearchAudit.objects.filter(pk=row.pk).delete()


def test_auditors_filter_searches_by_user_reference_plate_and_date(client, make_user, sign_in_client):
    from apps.audit.models import SearchAudit
    from apps.audit.services import search_record

    alice, bob = make_user("officer", username="alice"), make_user("officer", username="bob")
    search_record(
        user=alice,
        kind=SearchAudit.Kind.SEARCH,
        purpose="robbery-burglary",
        reference="CASE-1",
        vrm="AB12*",
        filters={"vrm": "AB12*"},
        result_count=3,
    )
    search_record(
        user=bob,
        kind=SearchAudit.Kind.EXPORT,
        purpose="other",
        purpose_detail="Welfare check asked for by a hospital",
        reference="CASE-2",
        vrm="XY99ZZZ",
        filters={"vrm": "XY99ZZZ"},
        result_count=1,
    )
    sign_in_client(make_user("auditor"))
    page = "/audit/searches/"
    burglary = "<td>Robbery or burglary</td>"  # the purpose shown by its label in the row
    assert burglary in client.get(page, {"username": "alice"}).content.decode()
    assert burglary not in client.get(page, {"username": "bob"}).content.decode()
    described = "<td>Other (described): Welfare check asked for by a hospital</td>"
    assert described in client.get(page, {"reference": "case-2"}).content.decode()
    assert burglary in client.get(page, {"vrm": "ab12"}).content.decode()
    by_purpose = client.get(page, {"purpose": "other"}).content.decode()
    assert "1 record" in by_purpose and "CASE-2" in by_purpose and "CASE-1" not in by_purpose
    assert "Select a valid choice" in client.get(page, {"purpose": "no-such-purpose"}).content.decode()
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    assert "2 records" in client.get(page, {"after": today, "before": today}).content.decode()


def test_an_auditor_finds_a_search_typed_loosely_under_the_plate_normalised(
    client, make_user, sign_in_client, api_client_for
):
    from apps.cameras.tests.factories import CameraFactory

    CameraFactory(code="CAM-T")
    officer = api_client_for(make_user("officer", username="pc-typist"))
    answer = officer.get(
        "/api/v1/reads/", {"vrm": "ab12 cde", "purpose": "intelligence", "reference": "OP-1"}
    )
    assert answer.status_code == 200
    sign_in_client(make_user("auditor"))
    page = client.get("/audit/searches/", {"vrm": "AB12CDE"}).content.decode()
    assert "1 record" in page and "pc-typist" in page and "ab12 cde" in page  # as typed, in the criteria
    assert "0 records" in client.get("/audit/searches/", {"vrm": "AB12CDF"}).content.decode()
