"""The auditors' misuse-flag pages, closing a flag, and the two tables as part of the audit trail."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.audit.chain import verify_chains
from apps.audit.models import SearchAudit, SecurityEvent
from apps.audit.retention import audit_remove_expired
from apps.misuse.models import MisuseFlag, MisuseFlagClosure
from apps.misuse.services import FlagAlreadyClosed, flag_close
from conftest import as_database_owner

pytestmark = pytest.mark.django_db


def flag(kind=MisuseFlag.Kind.REFUSALS, username="pc-one", key="a", **evidence) -> MisuseFlag:
    return MisuseFlag.objects.create(
        kind=kind, username=username, summary=f"{kind} by {username}", evidence_key=key * 64, **evidence
    )


@pytest.fixture
def auditor(make_user, sign_in_client):
    user = make_user("auditor", username="auditor-a")
    return user, sign_in_client(user, Client())


def test_the_list_filters_open_closed_kind_and_user(auditor):
    user, client = auditor
    open_flag = flag(key="a")
    closed = flag(MisuseFlag.Kind.MANY_PLATES, username="pc-two", key="b")
    flag_close(flag=closed, auditor=user, note="Spoken to; a legitimate operation.")
    url = reverse("misuse:flags")

    def listed(**query) -> list[str]:
        page = client.get(url, query)
        assert page.status_code == 200
        return [row.pk for row in page.context["page"].object_list]

    assert listed() == [closed.pk, open_flag.pk]
    assert listed(status="open") == [open_flag.pk]
    assert listed(status="closed") == [closed.pk]
    assert listed(kind="many_plates") == [closed.pk]
    assert listed(username="PC-ONE") == [open_flag.pk]
    body = client.get(url).content.decode()
    assert "Closed by auditor-a" in body and 'data-testid="chain-status"' in body


def test_auditors_find_the_page_in_their_navigation(auditor, make_user, sign_in_client):
    _, client = auditor
    assert reverse("misuse:flags") in client.get(reverse("portal:home")).content.decode()
    officer = sign_in_client(make_user("officer"), Client())
    assert reverse("misuse:flags") not in officer.get(reverse("portal:home")).content.decode()


def test_the_detail_links_the_evidence_to_the_audit_pages(auditor):
    _, client = auditor
    rows = [
        SearchAudit.objects.create(
            kind="search",
            username="pc-one",
            user_id=1,
            purpose="intelligence",
            reference=f"INC-{n}",
            vrm="AB12CDE",
            result_count=1,
        )
        for n in range(2)
    ]
    other = SearchAudit.objects.create(
        kind="search", username="pc-x", purpose="intelligence", reference="INC-X", vrm="ZZ1", result_count=0
    )
    event = SecurityEvent.objects.create(kind="search_refused", username="pc-one")
    raised = flag(search_ids=[row.pk for row in rows], event_ids=[event.pk])
    body = client.get(reverse("misuse:detail", args=[raised.pk])).content.decode()
    searches_link = f"{reverse('audit:searches')}?id={rows[0].pk},{rows[1].pk}"
    assert searches_link in body
    assert f"{reverse('audit:security_events')}?id={event.pk}" in body
    assert "INC-0" in body and "INC-X" not in body
    # The audit pages' `?id=` filter shows exactly the rows cited.
    cited = client.get(searches_link).context["page"].object_list
    assert sorted(row.pk for row in cited) == sorted(row.pk for row in rows)
    assert other.pk not in [row.pk for row in cited]
    events = client.get(f"{reverse('audit:security_events')}?id={event.pk}").context["page"].object_list
    assert [row.pk for row in events] == [event.pk]


def test_an_auditor_closes_a_flag_once_with_a_note(auditor):
    user, client = auditor
    raised = flag()
    url = reverse("misuse:detail", args=[raised.pk])
    assert client.post(url, {"note": "  "}).status_code == 200  # a note is required
    assert not MisuseFlagClosure.objects.exists()
    assert client.post(url, {"note": "Checked with the officer's sergeant."}).status_code == 302
    [closure] = MisuseFlagClosure.objects.all()
    assert (closure.flag_id, closure.closed_by, closure.note) == (
        raised.pk,
        "auditor-a",
        "Checked with the officer's sergeant.",
    )
    body = client.get(url).content.decode()
    assert "Checked with the officer&#x27;s sergeant." in body and "Close the flag" not in body
    with pytest.raises(FlagAlreadyClosed):
        flag_close(flag=raised, auditor=user, note="Again")
    assert MisuseFlagClosure.objects.count() == 1
    assert verify_chains().intact  # the refused second closure left the chain as it was


def test_flags_and_closures_are_refused_change_and_verified(auditor):
    user, _ = auditor
    flag_close(flag=flag(), auditor=user, note="Fine.")
    for table in ("misuse_misuseflag", "misuse_misuseflagclosure"):
        for statement in (f"UPDATE {table} SET at = at", f"DELETE FROM {table}"):  # noqa: S608
            with (
                pytest.raises(DatabaseError, match="permission denied"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
    output = StringIO()
    call_command("audit_verify", stdout=output)
    assert "misuse_misuseflag: 1 rows" in output.getvalue()
    assert "misuse_misuseflagclosure: 1 rows" in output.getvalue()
    assert "intact" in output.getvalue()


def test_retention_removes_old_flags_and_closures_and_the_chains_still_verify(auditor, retention_floor):
    user, _ = auditor
    retention_floor("audit", 30)
    forty_days_ago = timezone.now() - timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=forty_days_ago), as_database_owner():
        old = flag(key="o")
        flag_close(flag=old, auditor=user, note="Long ago.")
    recent = flag(key="r")
    removed = audit_remove_expired()
    assert (removed["misuse_misuseflag"], removed["misuse_misuseflagclosure"]) == (1, 1)
    assert list(MisuseFlag.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not MisuseFlagClosure.objects.exists()
    assert verify_chains().intact


def test_no_auditor_closes_a_flag_about_themselves(auditor):
    user, _ = auditor
    own = flag(username=user.username, key="s", user_id=user.pk)
    with pytest.raises(ValueError, match="another auditor"):
        flag_close(flag=own, auditor=user, note="Nothing to see.")
    assert not MisuseFlagClosure.objects.filter(flag=own).exists()
