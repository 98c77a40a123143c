"""/api/v1/cases/: folders listed and opened (audited), reads filed, sharing, the export; another's
folder answers exactly as no folder."""

import io

import pytest

from apps.audit.models import SearchAudit
from apps.cases import services
from apps.cases.package_seal import package_checked
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def api(folders, api_client_for):
    return {"owner": api_client_for(folders.owner), "colleague": api_client_for(folders.colleague)}


def test_a_folder_is_opened_and_listed(folders, api):
    created = api["owner"].post(URL, {"title": "Ram raid", **PURPOSE}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["reference"], body["owner"], body["members"], body["items"]) == (
        PURPOSE["reference"],
        "pc-owner",
        [],
        0,
    )
    assert [case["id"] for case in api["owner"].get(URL).json()] == [body["id"]]
    assert api["colleague"].get(URL).json() == []


def test_a_folder_under_a_bad_reference_is_refused_by_field(api):
    response = api["owner"].post(
        URL, {"title": "x", "purpose": "vehicle-crime", "reference": "a b"}, format="json"
    )
    assert response.status_code == 400
    assert "reference" in response.json()["detail"]


def test_a_read_is_filed_from_ones_own_search_and_the_folder_opened_audited(folders, api):
    case = folders.case()
    read = folders.read("CF12AAA")
    search = folders.search(folders.owner, "CF12AAA")
    filed = api["owner"].post(
        f"{URL}{case.pk}/items/",
        {"search": search.pk, "day": str(read.day), "read": read.id, "note": "Seen leaving"},
        format="json",
    )
    assert filed.status_code == 201, filed.content
    assert (filed.json()["search"], filed.json()["note"], filed.json()["read"]) == (
        search.pk,
        "Seen leaving",
        None,
    )
    opened = api["owner"].get(f"{URL}{case.pk}/")
    assert opened.status_code == 200
    body = opened.json()
    [item] = body["filed"]
    assert item["read"]["vrm"] == "CF12AAA" and item["read"]["camera"]["code"] == "CAM-CF"
    assert item["read"]["plate_image"] == f"/cases/{case.pk}/items/{item['id']}/plate/"
    # where it was taken goes with the read; the camera's registry entry does not
    assert item["read"]["latitude"] is not None and "latitude" not in item["read"]["camera"]
    audit = SearchAudit.objects.get(pk=body["audit"])
    assert (audit.kind, audit.via, audit.reference) == ("case", "api", case.reference)


def test_a_read_of_anothers_search_is_not_filed(folders, api):
    case = folders.case()
    read = folders.read("CF12AAA")
    theirs = folders.search(folders.colleague, "CF12AAA")
    response = api["owner"].post(
        f"{URL}{case.pk}/items/", {"search": theirs.pk, "day": str(read.day), "read": read.id}, format="json"
    )
    assert response.status_code == 404
    assert not case.items.exists()


def test_only_the_owner_shares_and_the_colleague_then_opens_it(folders, api):
    case = folders.case()
    shared = api["owner"].post(f"{URL}{case.pk}/share/", {"username": "pc-colleague"}, format="json")
    assert shared.status_code == 200 and shared.json()["members"] == ["pc-colleague"]
    assert api["colleague"].get(f"{URL}{case.pk}/").status_code == 200
    again = api["colleague"].post(f"{URL}{case.pk}/share/", {"username": "pc-colleague"}, format="json")
    assert again.status_code == 403
    ended = api["owner"].post(f"{URL}{case.pk}/unshare/", {"username": "pc-colleague"}, format="json")
    assert ended.json()["members"] == []
    assert api["colleague"].get(f"{URL}{case.pk}/").status_code == 404


def test_anothers_folder_answers_as_no_folder(folders, api):
    case = folders.case()
    before = SearchAudit.objects.count()
    theirs = api["colleague"].get(f"{URL}{case.pk}/")
    missing = api["colleague"].get(f"{URL}{case.pk + 1000}/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert SearchAudit.objects.count() == before  # nothing opened, nothing recorded


def test_the_export_is_a_package_that_verifies(folders, api):
    case = folders.case()
    folders.file(case, "CF12AAA")
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    response = api["colleague"].post(f"{URL}{case.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="case-INC-2026-0042-')
    verdict = package_checked(io.BytesIO(b"".join(response.streaming_content)))
    assert verdict.faults == [] and verdict.manifest["exported_by"] == "pc-colleague"
    assert SearchAudit.objects.filter(kind="evidence", via="api").count() == 1


def test_planners_may_not_keep_folders(make_user, api_client_for):
    planner = api_client_for(make_user("planner"))
    assert planner.get(URL).status_code == 403
    assert planner.post(URL, {"title": "t", **PURPOSE}, format="json").status_code == 403


def test_ones_own_search_is_filed_and_shown_when_the_folder_is_opened(folders, api):
    case = folders.case()
    search = folders.search(folders.owner, "CF12AAA")
    filed = api["owner"].post(
        f"{URL}{case.pk}/searches/", {"search": search.pk, "note": "First"}, format="json"
    )
    assert filed.status_code == 201, filed.content
    assert (filed.json()["search"], filed.json()["added_by"], filed.json()["note"]) == (
        search.pk,
        "pc-owner",
        "First",
    )
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    body = api["colleague"].get(f"{URL}{case.pk}/").json()
    [shown] = body["searches"]
    assert shown["criteria"]["vrm"] == "CF12AAA" and shown["criteria"]["result_count"] == 1
    assert shown["criteria"]["filters"] == search.filters and "purpose_detail" not in shown["criteria"]
    assert SearchAudit.objects.get(pk=body["audit"]).filters["searches"] == [search.pk]


def test_anothers_search_is_refused_over_the_api_as_a_missing_one(folders, api):
    case = folders.case()
    theirs = folders.search(folders.colleague, "CF12AAA")
    refused = api["owner"].post(f"{URL}{case.pk}/searches/", {"search": theirs.pk}, format="json")
    missing = api["owner"].post(f"{URL}{case.pk}/searches/", {"search": theirs.pk + 1000}, format="json")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    outsider = api["colleague"].post(f"{URL}{case.pk}/searches/", {"search": theirs.pk}, format="json")
    assert outsider.status_code == 404
    assert not case.searches.exists()
