"""GET /api/v1/reads/: filters and patterns, newest first, the access window, and the audit row."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE, ago, store_reads

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/"


@pytest.fixture
def officer(make_user, api_client_for):
    return api_client_for(make_user("officer", username="pc-search"))


@pytest.fixture
def cameras():
    north = CameraFactory(code="CAM-N", area="North")
    south = CameraFactory(code="CAM-S", area="South")
    store_reads(
        north,
        ("AB12CDE", timedelta(hours=1)),
        ("AB12CDF", timedelta(hours=2)),
        ("XY34ZZZ", timedelta(days=3)),
    )
    store_reads(south, ("AB12CDE", timedelta(days=10)), ("AB99CDE", timedelta(days=100)))
    return north, south


def plates(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [read["vrm"] for read in response.json()["results"]]


def test_exact_plate_newest_first_within_the_window(officer, cameras):
    response = officer.get(URL, {"vrm": "ab12 cde", **PURPOSE})
    assert plates(response) == ["AB12CDE", "AB12CDE"]
    first, second = response.json()["results"]
    assert first["seen_at"] > second["seen_at"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("AB12*", {"AB12CDE", "AB12CDF"}),
        ("AB12CD?", {"AB12CDE", "AB12CDF"}),
        ("*CDE", {"AB12CDE"}),
        ("?Y34*", {"XY34ZZZ"}),
        ("AB12???", {"AB12CDE", "AB12CDF"}),
        ("AB12??", set()),  # ? is exactly one character
    ],
)
def test_wildcards(officer, cameras, pattern, expected):
    assert set(plates(officer.get(URL, {"vrm": pattern, **PURPOSE}))) == expected


def test_filters_by_camera_area_time_and_confidence(officer, cameras):
    assert set(plates(officer.get(URL, {"vrm": "AB12*", "camera": "CAM-S", **PURPOSE}))) == {"AB12CDE"}
    today = {"seen_after": ago(hours=23).isoformat(), "seen_before": ago(hours=0).isoformat()}
    assert set(plates(officer.get(URL, {"vrm": "*", "area": "north", **today, **PURPOSE}))) == {
        "AB12CDE",
        "AB12CDF",
    }
    recent = {"vrm": "AB12*", "seen_after": ago(hours=1, minutes=30).isoformat(), **PURPOSE}
    assert plates(officer.get(URL, recent)) == ["AB12CDE"]
    assert plates(officer.get(URL, {"vrm": "AB12CDE", "min_confidence": "0.95", **PURPOSE})) == []


def test_a_colour_narrows_the_search_and_leaves_out_reads_of_unknown_colour(officer, cameras):
    reads_ingest(
        items=[
            ReadInput(camera="CAM-N", vrm=vrm, seen_at=ago(minutes=minutes), confidence=0.9, colour=colour)
            for vrm, minutes, colour in [("CD34RED", 5, "red"), ("CD34BLU", 6, "blue"), ("CD34UNK", 7, None)]
        ],
        source="upload",
    )
    everything = officer.get(URL, {"vrm": "CD34*", **PURPOSE}).json()["results"]
    assert {read["vrm"]: read["colour"] for read in everything} == {
        "CD34RED": "red",
        "CD34BLU": "blue",
        "CD34UNK": None,
    }
    assert plates(officer.get(URL, {"vrm": "CD34*", "colour": "red", **PURPOSE})) == ["CD34RED"]
    assert plates(officer.get(URL, {"vrm": "CD34*", "colour": "green", **PURPOSE})) == []
    assert SearchAudit.objects.filter(filters__colour="red").count() == 1  # recorded with the search
    wrong = officer.get(URL, {"vrm": "CD34*", "colour": "Red", **PURPOSE})
    assert wrong.status_code == 400 and "colour" in wrong.json()["detail"]


def test_reads_older_than_the_window_are_never_returned(officer, cameras):
    assert "AB99CDE" not in plates(officer.get(URL, {"vrm": "AB99CDE", **PURPOSE}))
    assert "AB99CDE" not in plates(officer.get(URL, {"vrm": "AB9*", **PURPOSE}))


def test_a_range_wholly_outside_the_window_says_so(officer, cameras):
    response = officer.get(URL, {"vrm": "AB99CDE", "seen_before": ago(days=95).isoformat(), **PURPOSE})
    assert response.status_code == 403
    assert "access request" in response.json()["detail"]


def test_an_access_request_is_refused_until_the_workflow_exists(officer, cameras):
    response = officer.get(URL, {"vrm": "AB99CDE", "access_request": 1, **PURPOSE})
    assert response.status_code == 403
    assert not SearchAudit.objects.exists()


@pytest.mark.parametrize("missing", ["purpose", "reference"])
def test_no_purpose_no_search_and_no_audit_row(officer, cameras, missing):
    params = {"vrm": "AB12CDE", **PURPOSE}
    del params[missing]
    response = officer.get(URL, params)
    assert response.status_code == 400
    assert missing in response.json()["detail"]
    assert not SearchAudit.objects.exists()


def test_each_search_leaves_exactly_one_audit_row_written_before_results(officer, cameras):
    officer.get(URL, {"vrm": "AB12*", "camera": "CAM-N", **PURPOSE})
    [row] = SearchAudit.objects.all()
    assert (row.username, row.kind, row.via) == ("pc-search", "search", "api")
    assert (row.purpose, row.reference, row.vrm, row.result_count) == (*PURPOSE.values(), "AB12*", 2)
    assert row.filters == {"vrm": "AB12*", "camera": "CAM-N"}


def test_pages_follow_the_cursor_and_are_part_of_the_one_search(officer, cameras):
    first = officer.get(URL, {"vrm": "AB12*", "page_size": 2, **PURPOSE}).json()
    search = SearchAudit.objects.get()
    assert first["search"] == search.pk
    # The next page is asked for by the search, never by its criteria again.
    assert parse_qs(urlsplit(first["next"]).query).keys() == {"search", "page_size", "cursor"}
    second = officer.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1 and second["search"] == search.pk
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    back = officer.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    pages = SearchAudit.objects.filter(kind="page")  # each further page recorded, as part of it
    assert SearchAudit.objects.filter(kind="search").count() == 1 and pages.count() == 2
    assert {(page.filters["search"], page.via) for page in pages} == {(search.pk, "api")}


def test_posted_pages_name_the_search_and_a_cursor(officer, cameras):
    first = officer.post(f"{URL}search/", {"vrm": "AB12*", "page_size": 2, **PURPOSE}, format="json").json()
    further = {"search": first["search"], "cursor": first["next"], "page_size": 2}
    second = officer.post(f"{URL}search/", further, format="json").json()
    assert [r["vrm"] for r in second["results"]] == ["AB12CDE"]
    assert SearchAudit.objects.filter(kind="search").count() == 1
    assert SearchAudit.objects.get(kind="page").filters["search"] == first["search"]
    mixed = officer.post(f"{URL}search/", {**further, "vrm": "XY34ZZZ", **PURPOSE}, format="json")
    assert mixed.status_code == 400
    assert set(mixed.json()["detail"]) == {"vrm", "purpose", "reference"}


def test_camera_locations_only_for_holders_of_the_permission(make_user, api_client_for, cameras):
    """Every read carries where it was taken; its camera's name, road and position are the
    registry's, for holders of the permission only."""
    north = cameras[0]
    officer = api_client_for(make_user("officer"))
    read = officer.get(URL, {"vrm": "XY34ZZZ", **PURPOSE}).json()["results"][0]
    # Nothing of the registry: no name, road or position of the camera.
    assert read["camera"] == {"code": "CAM-N", "kind": "fixed", "status": "live", "area": "North"}
    assert (read["latitude"], read["longitude"]) == (north.latitude, north.longitude)

    allowed = make_user("officer")
    from django.contrib.auth.models import Permission

    allowed.user_permissions.add(Permission.objects.get(codename="view_camera_location"))
    read = api_client_for(allowed).get(URL, {"vrm": "XY34ZZZ", **PURPOSE}).json()["results"][0]
    assert (read["camera"]["latitude"], read["camera"]["name"], read["camera"]["road"]) == (
        north.latitude,
        north.name,
        north.road,
    )
    assert read["latitude"] == north.latitude


@pytest.mark.parametrize("role", ["planner", "auditor", "administrator"])
def test_roles_without_search_may_not_search(make_user, api_client_for, cameras, role):
    assert api_client_for(make_user(role)).get(URL, {"vrm": "AB12CDE", **PURPOSE}).status_code == 403
    assert not SearchAudit.objects.exists()


def test_if_the_audit_row_cannot_be_written_the_search_fails_closed(officer, cameras):
    from django.db import connection

    from conftest import as_database_owner

    # A real database refusal, undone with the test's transaction.
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit ADD CONSTRAINT refuse_all CHECK (false) NOT VALID")
    response = officer.get(URL, {"vrm": "AB12CDE", **PURPOSE})
    assert response.status_code == 503
    assert response.json()["error"] == "audit_unavailable"
    assert "results" not in response.json()


@pytest.mark.parametrize(
    ("stated", "field", "words"),
    [
        ({"purpose": "Stolen vehicle enquiry", "reference": "INC-1"}, "purpose", "listed purposes"),
        ({"purpose": "other", "reference": "INC-1"}, "purpose_detail", "Describe the purpose"),
        ({"purpose": "intelligence", "reference": "INC 1; x"}, "reference", "letters, digits"),
    ],
)
def test_a_purpose_not_listed_or_undescribed_or_a_bad_reference_is_a_400_by_field(
    officer, cameras, stated, field, words
):
    response = officer.get(URL, {"vrm": "AB12CDE", **stated})
    assert response.status_code == 400
    assert words in " ".join(response.json()["detail"][field])
    assert not SearchAudit.objects.exists()


def test_other_is_recorded_with_its_description_and_pages_keep_it(officer, cameras):
    stated = {"purpose": "other", "purpose_detail": "Welfare check for a hospital", "reference": "INC-9"}
    first = officer.post(f"{URL}search/", {"vrm": "AB12*", "page_size": 1, **stated}, format="json")
    assert first.status_code == 200, first.content
    row = SearchAudit.objects.get()
    assert (row.purpose, row.purpose_detail, row.reference) == (
        "other",
        "Welfare check for a hospital",
        "INC-9",
    )
    listed = officer.get(
        URL, {"vrm": "AB12CDE", "purpose": "drugs", "purpose_detail": "stray", "reference": "D-1"}
    )
    assert listed.status_code == 200
    assert SearchAudit.objects.get(reference="D-1").purpose_detail is None


def test_search_purposes_lists_codes_and_labels_for_staff_only(make_user, api_client_for, sign_in_client):
    from django.test import Client
    from rest_framework.test import APIClient

    for role in ("officer", "auditor"):
        answer = api_client_for(make_user(role)).get("/api/v1/search-purposes/")
        assert answer.status_code == 200
        assert {"code": "intelligence", "label": "Intelligence development"} in answer.json()
        assert answer.json()[-1] == {"code": "other", "label": "Other (described)"}
    session = sign_in_client(make_user("planner"), Client()).get("/api/v1/search-purposes/")
    assert session.status_code == 200
    assert APIClient().get("/api/v1/search-purposes/").status_code == 401
    assert api_client_for(make_user("camera")).get("/api/v1/search-purposes/").status_code == 403


def test_a_listed_purpose_and_reference_with_spaces_around_are_taken_trimmed(officer, cameras):
    answer = officer.get(URL, {"vrm": "AB12CDE", "purpose": " intelligence ", "reference": " OP-7 "})
    assert answer.status_code == 200, answer.content
    assert SearchAudit.objects.values_list("purpose", "reference").get() == ("intelligence", "OP-7")


def test_results_come_in_the_order_asked_and_its_pages_keep_it(officer, cameras):
    first = officer.get(URL, {"vrm": "AB1*", "sort": "plate", "page_size": 2, **PURPOSE})
    assert plates(first) == ["AB12CDE", "AB12CDE"]
    assert [r["seen_at"] for r in first.json()["results"]] == sorted(
        (r["seen_at"] for r in first.json()["results"]), reverse=True
    )  # one plate's reads newest first
    second = officer.get(first.json()["next"])
    assert plates(second) == ["AB12CDF"] and second.json()["next"] is None
    assert plates(officer.get(second.json()["previous"])) == ["AB12CDE", "AB12CDE"]
    oldest = officer.get(URL, {"vrm": "AB1*", "sort": "oldest", **PURPOSE}).json()["results"]
    newest = officer.get(URL, {"vrm": "AB1*", **PURPOSE}).json()["results"]
    assert [r["id"] for r in oldest] == [r["id"] for r in reversed(newest)]
    # The same search's first page in another order: a page of it, not a new search.
    search = first.json()["search"]
    again = officer.post(f"{URL}search/", {"search": search, "sort": "oldest"}, format="json")
    assert [r["id"] for r in again.json()["results"]] == [r["id"] for r in oldest]
    page = SearchAudit.objects.filter(kind="page").latest("id")
    assert (page.filters["order"], page.filters["first_read"], page.result_count) == (
        "oldest first",
        oldest[0]["id"],
        3,
    )


@pytest.mark.parametrize(
    ("asked", "field"),
    [
        ({"sort": "speed"}, "sort"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
def test_an_order_or_page_size_not_offered_is_a_400_and_nothing_is_searched(officer, cameras, asked, field):
    response = officer.get(URL, {"vrm": "AB1*", **asked, **PURPOSE})
    assert response.status_code == 400 and field in response.json()["detail"]
    assert not SearchAudit.objects.exists()


def test_a_cursor_not_given_by_a_page_is_a_400_and_nothing_is_recorded(officer, cameras):
    search = officer.get(URL, {"vrm": "AB1*", **PURPOSE}).json()["search"]
    for cursor in ("cD0yMDI2LTEyLTA0", "newest~after~-62135596800000000~1"):  # not ours; year 1
        response = officer.get(URL, {"search": search, "cursor": cursor})
        assert response.status_code == 400 and "cursor" in response.json()["detail"]
    assert not SearchAudit.objects.filter(kind="page").exists()
