"""Finding 2: auditors missed searches typed the usual way. The audit stored the plate as typed,
so an auditor looking for AB12CDE never found a search for 'AB12 CDE' or 'ab-12-cde'."""

import pytest
from django.test import Client

from apps.audit.models import SearchAudit
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db


def test_an_auditor_finds_every_search_for_a_plate_however_it_was_typed(
    make_user, sign_in_client, api_client_for
):
    officer = make_user("officer", username="pc-typist")
    sign_in_client(officer, Client()).post("/reads/", {"vrm": "AB12 CDE", **PURPOSE})
    api_client_for(officer).get("/api/v1/reads/", {"vrm": "ab-12-cde", **PURPOSE})
    api_client_for(officer).get("/api/v1/reads/", {"vrm": "ab1*", **PURPOSE})  # a pattern that covers it
    api_client_for(officer).get("/api/v1/reads/", {"vrm": "XY99ZZZ", **PURPOSE})
    recorded = sorted(SearchAudit.objects.values_list("vrm", flat=True))
    assert recorded == sorted(["AB12CDE", "AB12CDE", "AB1*", "XY99ZZZ"])
    assert SearchAudit.objects.filter(filters__vrm="ab-12-cde").exists()  # as typed, kept beside it

    auditor = sign_in_client(make_user("auditor"), Client())
    found = auditor.get("/audit/searches/", {"vrm": "AB12CDE"}).context["page"].object_list
    assert sorted(row.vrm for row in found) == sorted(["AB12CDE", "AB12CDE", "AB1*"])
    found = auditor.get("/audit/searches/", {"vrm": "ab 12 cde"}).context["page"].object_list
    assert len(found) == 3
    # A pattern asked of the audit finds the searches for plates it matches, and itself.
    found = auditor.get("/audit/searches/", {"vrm": "ab1*"}).context["page"].object_list
    assert sorted(row.vrm for row in found) == sorted(["AB12CDE", "AB12CDE", "AB1*"])
