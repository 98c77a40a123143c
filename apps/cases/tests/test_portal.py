"""The portal's case folder pages: filing from a read's page, the folder opened (audited), sharing
with its errors shown in the page, images and the export; another's folder is a missing one."""

import io

import pytest
from django.test import Client

from apps.audit.models import SearchAudit
from apps.cases import services
from apps.cases.models import Case
from apps.cases.package_seal import package_checked
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(folders, sign_in_client):
    return {
        "owner": sign_in_client(folders.owner, Client()),
        "colleague": sign_in_client(folders.colleague, Client()),
    }


def test_a_read_is_filed_in_a_new_folder_then_in_an_existing_one_from_its_page(folders, browser):
    read = folders.read("CF12AAA")
    search = folders.search(folders.owner, "CF12AAA")
    page = browser["owner"].get(f"/reads/{read.day}/{read.id}/?search={search.pk}").content.decode()
    assert "Start a case folder with this read" in page and "Add to case" not in page  # no folder yet
    posted = {"search": search.pk, "day": str(read.day), "read": read.id}
    started = browser["owner"].post("/cases/file-read/", posted | {"title": "Ram raid"})
    case = Case.objects.get()
    assert started["Location"] == f"/cases/{case.pk}/"
    assert (case.title, case.reference) == ("Ram raid", search.reference)
    other = folders.read("CF12BBB")
    search = folders.search(folders.owner, "CF12BBB")
    page = browser["owner"].get(f"/reads/{other.day}/{other.id}/?search={search.pk}").content.decode()
    assert "Add to case" in page and f"{case.reference}: Ram raid" in page
    filed = browser["owner"].post(
        "/cases/file-read/",
        {"search": search.pk, "day": str(other.day), "read": other.id, "case": case.pk, "note": "Twice"},
    )
    assert filed.status_code == 302
    assert list(case.items.values_list("read_id", "note")) == [(read.id, ""), (other.id, "Twice")]


def test_a_read_filed_with_neither_folder_nor_title_goes_back_to_its_page_saying_why(folders, browser):
    read = folders.read("CF12AAA")
    search = folders.search(folders.owner, "CF12AAA")
    back = browser["owner"].post(
        "/cases/file-read/", {"search": search.pk, "day": str(read.day), "read": read.id}
    )
    assert back["Location"] == f"/reads/{read.day}/{read.id}/?search={search.pk}"
    page = browser["owner"].get(back["Location"]).content.decode()
    assert "The read was not filed. Choose a case folder, or give a new folder" in page


def test_filing_in_anothers_folder_is_refused_as_a_missing_one(folders, browser):
    case = folders.case()
    read = folders.read("CF12AAA")
    search = folders.search(folders.colleague, "CF12AAA")
    posted = {"search": search.pk, "day": str(read.day), "read": read.id}
    theirs = browser["colleague"].post("/cases/file-read/", posted | {"case": case.pk})
    missing = browser["colleague"].post("/cases/file-read/", posted | {"case": case.pk + 1000})
    assert theirs.status_code == missing.status_code == 404
    assert not case.items.exists()


def test_the_folder_page_is_recorded_and_shows_reads_in_the_viewers_window(folders, browser, settings):
    case = folders.case(reference="OP-WREN", title="Wren")
    folders.file(case, "CF12AAA", note="Near the shop")
    folders.file(case, "CF12CCC")
    settings.READ_ACCESS_STANDARD_DAYS = 2
    response = browser["owner"].get(f"/cases/{case.pk}/")
    page = response.content.decode()
    audit = SearchAudit.objects.filter(kind="case").latest("id")
    assert f"recorded as #{audit.pk}" in page and audit.reference == "OP-WREN"
    assert "CF12AAA" in page and "Near the shop" in page and "CF12CCC" not in page
    assert "Not open to you now" in page and "2 (1 open to you now)" in page
    assert browser["owner"].get("/cases/").content.decode().count("OP-WREN") == 1


def test_sharing_from_the_page_and_its_errors_in_the_page(folders, browser, make_user):
    case = folders.case()
    make_user("planner", username="planner-pat")
    wrong = browser["owner"].post(f"/cases/{case.pk}/share/", {"username": "planner-pat", "share": "1"})
    assert wrong.status_code == 400
    assert "No colleague of that name may be named on a case folder." in wrong.content.decode()
    shared = browser["owner"].post(f"/cases/{case.pk}/share/", {"username": "pc-colleague", "share": "1"})
    assert shared.status_code == 302
    assert browser["colleague"].get(f"/cases/{case.pk}/").status_code == 200
    assert (
        browser["colleague"].post(f"/cases/{case.pk}/share/", {"username": "pc-colleague"}).status_code == 403
    )
    browser["owner"].post(f"/cases/{case.pk}/share/", {"username": "pc-colleague", "unshare": "1"})
    assert browser["colleague"].get(f"/cases/{case.pk}/").status_code == 404


def test_a_filed_reads_images_open_under_the_folder(folders, browser):
    case = folders.case()
    item = folders.file(case, "CF12AAA")
    bare = folders.file(case, "CF12BBB")
    image = browser["owner"].get(f"/cases/{case.pk}/items/{item.pk}/overview/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert SearchAudit.objects.filter(kind="image", reference=case.reference).count() == 1
    assert browser["owner"].get(f"/cases/{case.pk}/items/{bare.pk}/plate/").status_code == 404
    assert browser["owner"].get(f"/cases/{case.pk}/items/{item.pk}/other/").status_code == 404


def test_the_export_from_the_page_verifies(folders, browser):
    case = folders.case()
    folders.file(case, "CF12AAA")
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    response = browser["colleague"].post(f"/cases/{case.pk}/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    verdict = package_checked(io.BytesIO(b"".join(response.streaming_content)))
    assert verdict.faults == [] and verdict.manifest["exported_by"] == "pc-colleague"


def test_a_new_folder_from_its_form(folders, browser):
    wrong = browser["owner"].post("/cases/new/", {"title": "", "purpose": "vehicle-crime", "reference": "x"})
    assert wrong.status_code == 400
    made = browser["owner"].post("/cases/new/", {"title": "Wren", **PURPOSE})
    case = Case.objects.get()
    assert made["Location"] == f"/cases/{case.pk}/" and case.owner == folders.owner


def test_a_search_is_filed_from_its_results_and_listed_on_the_folder_page(folders, browser):
    case = folders.case()
    results = browser["owner"].post("/reads/", {"vrm": "CF12AAA", **PURPOSE}).content.decode()
    assert "File this search" in results and f"{case.reference}: Ram raid" in results
    search = SearchAudit.objects.filter(kind="search").latest("id")
    filed = browser["owner"].post(
        "/cases/file-search/", {"search": search.pk, "case": case.pk, "note": "Start"}
    )
    assert filed["Location"] == f"/cases/{case.pk}/"
    services.case_share(case=case, owner=folders.owner, username="pc-colleague")
    page = browser["colleague"].get(f"/cases/{case.pk}/").content.decode()
    assert f"#{search.pk}" in page and "CF12AAA" in page and "pc-owner" in page and "Start" in page


def test_filing_anothers_search_or_in_anothers_folder_is_refused_as_missing(folders, browser):
    case = folders.case()
    mine = folders.search(folders.colleague, "CF12AAA")
    theirs = folders.search(folders.owner, "CF12AAA")
    outsider = browser["colleague"].post("/cases/file-search/", {"search": mine.pk, "case": case.pk})
    not_theirs = browser["owner"].post("/cases/file-search/", {"search": mine.pk, "case": case.pk})
    missing = browser["owner"].post("/cases/file-search/", {"search": theirs.pk + 1000, "case": case.pk})
    assert outsider.status_code == not_theirs.status_code == missing.status_code == 404
    assert not case.searches.exists()
