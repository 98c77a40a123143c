"""Finding 5: bulk extraction. '*', or no plate, returned the whole window; '???????' was treated
as "everything" instead of "exactly seven characters"; nothing was throttled; an export of up to
100,000 rows was audited as at most 10,000."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.audit.models import SearchAudit, SecurityEvent
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE, ago

pytestmark = pytest.mark.django_db
API = "/api/v1/reads/"


@pytest.fixture
def street():
    CameraFactory(code="CAM-H", area="High Street")
    now = timezone.now()
    plates = ["AB12CDE", "AB12CD", "XY34ZZZ", "QQ11QQQ"]
    reads_ingest(
        items=[
            ReadInput(camera="CAM-H", vrm=vrm, seen_at=now - timedelta(hours=n), confidence=0.9)
            for n, vrm in enumerate(plates)
        ],
        source="upload",
    )


@pytest.mark.parametrize(
    "criteria",
    [
        {},
        {"vrm": "*"},
        {"vrm": "???????"},
        {"vrm": "A*B*"},  # two known characters
        {"vrm": "*", "area": "High Street"},  # a place but no time
        {"vrm": "*", "camera": "CAM-H", "seen_after": ago(days=3).isoformat()},  # a time, but open-ended
        {
            "vrm": "*",
            "camera": "CAM-H",
            "seen_after": ago(hours=25).isoformat(),
            "seen_before": ago(minutes=0).isoformat(),
        },
        # a time but no place
        {"seen_after": ago(hours=2).isoformat(), "seen_before": ago(minutes=0).isoformat()},
    ],
)
def test_broad_searches_are_refused_with_the_rule_explained(
    make_user, api_client_for, sign_in_client, street, criteria
):
    officer = make_user("officer")
    for response in (
        api_client_for(officer).get(API, {**criteria, **PURPOSE}),
        api_client_for(officer).post(API + "search/", {**criteria, **PURPOSE}, format="json"),
    ):
        assert response.status_code == 400
        assert "at least 3 known letters or digits" in str(response.json()["detail"])
    page = sign_in_client(officer, Client()).post("/reads/", {**criteria, **PURPOSE})
    assert page.status_code == 400 and "at most 24 hours" in page.content.decode()
    assert not SearchAudit.objects.exists()


def test_who_passed_here_then_is_allowed_and_a_question_mark_is_one_character(
    make_user, api_client_for, street
):
    officer = api_client_for(make_user("officer"))
    last_day = {"seen_after": ago(hours=23).isoformat(), "seen_before": ago(minutes=-1).isoformat()}
    here_today = {"camera": "CAM-H", **last_day, **PURPOSE}
    everyone = officer.get(API, {"vrm": "*", **here_today}).json()["results"]
    assert {read["vrm"] for read in everyone} == {"AB12CDE", "AB12CD", "XY34ZZZ", "QQ11QQQ"}
    seven = officer.get(API, {"vrm": "???????", **here_today}).json()["results"]
    assert {read["vrm"] for read in seven} == {"AB12CDE", "XY34ZZZ", "QQ11QQQ"}
    assert officer.get(API, {"vrm": "AB12??", **PURPOSE}).json()["results"][0]["vrm"] == "AB12CD"


def test_pages_are_capped(make_user, api_client_for):
    CameraFactory(code="CAM-P")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(camera="CAM-P", vrm="PG12CAP", seen_at=now - timedelta(seconds=n), confidence=0.9)
            for n in range(205)
        ],
        source="upload",
    )
    officer = api_client_for(make_user("officer"))
    too_many = officer.get(API, {"vrm": "PG12CAP", "page_size": 10_000, **PURPOSE})
    assert too_many.status_code == 400 and "1 to 200" in str(too_many.json()["detail"]["page_size"])
    page = officer.get(API, {"vrm": "PG12CAP", "page_size": 200, **PURPOSE}).json()
    assert len(page["results"]) == 200 and page["next"]


def test_searches_and_exports_are_throttled_per_person_and_each_refusal_is_audited(
    make_user, api_client_for, sign_in_client, street, settings
):
    settings.READ_SEARCHES_PER_HOUR = 2
    settings.READ_EXPORTS_PER_HOUR = 1
    officer = make_user("officer", username="pc-busy")
    api, browser = api_client_for(officer), sign_in_client(officer, Client())
    assert api.get(API, {"vrm": "AB12CDE", **PURPOSE}).status_code == 200
    assert browser.post("/reads/", {"vrm": "AB12CDE", **PURPOSE}).status_code == 200
    refused = api.get(API, {"vrm": "AB12CDE", **PURPOSE})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert browser.post("/reads/", {"vrm": "AB12CDE", **PURPOSE}).status_code == 429  # portal and API alike
    assert api.post(API + "search/", {"vrm": "AB12CDE", **PURPOSE}, format="json").status_code == 429
    assert SearchAudit.objects.filter(kind="search").count() == 2
    assert SecurityEvent.objects.filter(username="pc-busy", kind="throttled").count() == 3
    assert (
        make_user("officer")
        and api_client_for(make_user("officer")).get(API, {"vrm": "AB12CDE", **PURPOSE}).status_code == 200
    )

    search = SearchAudit.objects.filter(username="pc-busy").latest("pk")
    assert browser.post("/reads/export.csv", {"search": search.pk}).status_code == 200
    assert browser.post("/reads/export.csv", {"search": search.pk}).status_code == 429
    assert SearchAudit.objects.filter(kind="export").count() == 1


def test_an_allowance_of_none_refuses_every_search_with_an_hour_to_wait(
    make_user, api_client_for, street, settings
):
    settings.READ_SEARCHES_PER_HOUR = 0
    refused = api_client_for(make_user("officer", username="pc-none")).get(API, {"vrm": "AB12CDE", **PURPOSE})
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert not SearchAudit.objects.exists()
    assert SecurityEvent.objects.filter(username="pc-none", kind="throttled").count() == 1


def test_an_export_is_audited_with_the_rows_it_holds(make_user, sign_in_client, settings):
    settings.READ_EXPORT_MAX_ROWS = 3
    CameraFactory(code="CAM-X")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(camera="CAM-X", vrm="EX12PRT", seen_at=now - timedelta(minutes=n), confidence=0.9)
            for n in range(5)
        ],
        source="upload",
    )
    browser = sign_in_client(make_user("officer"), Client())
    browser.post("/reads/", {"vrm": "EX12PRT", **PURPOSE})
    response = browser.post("/reads/export.csv", {"search": SearchAudit.objects.get(kind="search").pk})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    export = SearchAudit.objects.get(kind="export")
    assert len(rows) == export.result_count == 3 and export.result_count_capped


def test_criteria_of_the_wrong_type_are_refused_not_a_server_error(make_user, api_client_for):
    api = api_client_for(make_user("officer"))
    for body in (
        {"seen_after": True},
        {"vrm": {"a": 1}},
        {"min_confidence": [1, 2]},
        {"access_request": "x"},
    ):
        response = api.post(API + "search/", {"vrm": "AB12CDE", **PURPOSE, **body}, format="json")
        assert response.status_code == 400, body


@pytest.mark.parametrize(
    "cameras", [",", " , ", ["", ""], ",".join(f"CAM-{n}" for n in range(11)), "CAM-NOWHERE"]
)
def test_naming_no_camera_or_every_camera_is_no_narrowing(make_user, api_client_for, street, cameras):
    for n in range(11):
        CameraFactory(code=f"CAM-{n}")
    day = {"seen_after": ago(hours=23).isoformat(), "seen_before": ago(minutes=-1).isoformat()}
    api = api_client_for(make_user("officer"))
    body = {"vrm": "*", "camera": cameras, **day, **PURPOSE}
    assert api.post(API + "search/", body, format="json").status_code == 400
    if isinstance(cameras, str):
        assert api.get(API, body).status_code == 400
    assert not SearchAudit.objects.exists()


@pytest.mark.django_db(transaction=True)  # each request its own transaction, as served: a read's
# received_at is its own transaction's start
def test_a_search_reopened_is_as_it_stood_and_its_pages_are_that_one_search(
    make_user, sign_in_client, settings
):
    CameraFactory(code="CAM-F")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(camera="CAM-F", vrm="FR12ZEN", seen_at=now - timedelta(minutes=n), confidence=0.9)
            for n in range(1, 52)
        ],
        source="upload",
    )
    officer = make_user("officer", username="pc-pager")
    browser = sign_in_client(officer, Client())
    settings.READ_SEARCHES_PER_HOUR = 4  # the search and its further pages count alike
    first = browser.post("/reads/", {"vrm": "FR12ZEN", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    reads_ingest(
        items=[ReadInput(camera="CAM-F", vrm="FR12ZEN", seen_at=now, confidence=0.9)], source="upload"
    )
    again = browser.post("/reads/", {"search": search.pk})  # the first page again: nothing new in it
    assert [r.id for r in again.context["page"].reads] == [r.id for r in first.context["page"].reads]
    second = browser.post("/reads/", {"search": search.pk, "page": str(first.context["page"].next)})
    assert len(second.context["page"].reads) == 1 and second.context["page"].next is None
    oldest_first = browser.post("/reads/", {"search": search.pk, "sort": "oldest"}).context["page"]
    assert oldest_first.reads[0].seen_at == now - timedelta(minutes=51)
    assert now not in [read.seen_at for read in oldest_first.reads]  # sorted, still as it stood
    # One search; every further page recorded as a page of it, with what it showed.
    recorded = list(SearchAudit.objects.order_by("pk").values_list("kind", "result_count"))
    assert recorded == [("search", 51), ("page", 50), ("page", 1), ("page", 50)]
    assert {row.filters["search"] for row in SearchAudit.objects.filter(kind="page")} == {search.pk}
    # Pages count against the hour's searches: one search cannot be paged through without limit.
    assert browser.post("/reads/", {"search": search.pk, "sort": "plate"}).status_code == 429
    assert browser.post("/reads/", {"vrm": "FR12ZEN", **PURPOSE}).status_code == 429  # a new search
