"""Results of one search: pages both ways and sorted, all one audited search; a read's way back
to them, to the vehicle's history and to its alerts; vehicle history for one exact plate."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.core.times import shown
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.reads.paging import Cursor
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(make_user, sign_in_client):
    return sign_in_client(make_user("officer", username="pc-pages"), Client())


@pytest.fixture
def many():
    """120 reads of plates PG12AA0..PG12AA9 at three cameras, a minute apart."""
    for code in ("CAM-C", "CAM-A", "CAM-B"):
        CameraFactory(code=code, area="Paging")
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(
                camera=("CAM-C", "CAM-A", "CAM-B")[n % 3],
                vrm=f"PG12AA{n % 10}",
                seen_at=now - timedelta(minutes=n + 1),
                confidence=0.9,
            )
            for n in range(120)
        ],
        source="upload",
    )
    return Read.objects.order_by("-seen_at", "-id")


def walk(browser, search_id: int, sort: str) -> list[list[Read]]:
    """Every page of a search in one order, by its `next` buttons."""
    response = browser.post("/reads/", {"search": search_id, "sort": sort})
    pages = [response.context["page"]]
    while pages[-1].next:
        pages.append(
            browser.post("/reads/", {"search": search_id, "page": str(pages[-1].next)}).context["page"]
        )
    return [page.reads for page in pages]


def test_pages_go_both_ways_and_stay_one_audited_search(browser, many):
    first = browser.post("/reads/", {"vrm": "PG12AA*", **PURPOSE}).context["page"]
    search = SearchAudit.objects.get(kind="search")
    assert search.result_count == 120 and first.previous is None
    older = browser.post("/reads/", {"search": search.pk, "page": str(first.next)})
    second = older.context["page"]
    third = browser.post("/reads/", {"search": search.pk, "page": str(second.next)}).context["page"]
    assert [len(page.reads) for page in (first, second, third)] == [50, 50, 20] and third.next is None
    assert [read.id for page in (first, second, third) for read in page.reads] == [read.id for read in many]
    back = browser.post("/reads/", {"search": search.pk, "page": str(third.previous)}).context["page"]
    assert [read.id for read in back.reads] == [read.id for read in second.reads]
    start = browser.post("/reads/", {"search": search.pk, "page": str(back.previous)}).context["page"]
    assert [read.id for read in start.reads] == [read.id for read in first.reads] and start.previous is None
    page = older.content.decode()
    assert ">Newer reads</button>" in page and ">Older reads</button>" in page
    assert_pages_of(search, count=4)


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("oldest", lambda read: (read.seen_at, read.id)),
        ("plate", lambda read: (read.vrm, -read.seen_at.timestamp(), -read.id)),
        ("camera", lambda read: (read.camera.code, -read.seen_at.timestamp(), -read.id)),
    ],
)
def test_every_order_pages_through_every_result_once(browser, many, sort, key):
    browser.post("/reads/", {"vrm": "PG12AA*", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    pages = walk(browser, search.pk, sort)
    shown = [read.id for page in pages for read in page]
    assert shown == [read.id for read in sorted(many.select_related("camera"), key=key)]
    last = browser.post(
        "/reads/", {"search": search.pk, "page": str(Cursor.at(pages[-1][0], sort=sort, way="before"))}
    )
    assert [read.id for read in last.context["page"].reads] == [read.id for read in pages[-2]]
    assert_pages_of(search)


def test_the_headings_sort_and_say_how(browser, many):
    browser.post("/reads/", {"vrm": "PG12AA*", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    page = browser.post("/reads/", {"search": search.pk, "sort": "plate"}).content.decode()
    assert '<th scope="col" aria-sort="ascending"><button type="submit" name="sort" value="plate"' in page
    assert 'name="sort" value="newest" class="sort">Seen' in page
    assert ">Next page</button>" in page and "Previous page" not in page
    assert "open>" not in page.split('data-testid="criteria"')[1][:20]  # the criteria folded away


def test_a_cursor_naming_a_read_outside_the_search_shows_its_first_page(browser, many, make_user):
    CameraFactory(code="CAM-Z")
    reads_ingest(
        items=[ReadInput(camera="CAM-Z", vrm="ZZ99ZZZ", seen_at=timezone.now(), confidence=0.9)],
        source="upload",
    )
    outsider = Read.objects.get(vrm="ZZ99ZZZ")
    browser.post("/reads/", {"vrm": "PG12AA*", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    for way in ("after", "before", "from"):
        cursor = Cursor.at(outsider, sort="plate", way=way)
        page = browser.post("/reads/", {"search": search.pk, "page": str(cursor)}).context["page"]
        assert [read.vrm for read in page.reads][:1] == ["PG12AA0"] and page.previous is None
    for garbage in ("not~a~cursor", f"newest~after~{10**30}~1", "newest~after~2026-12-04T10:00:00+00:00~1"):
        assert browser.post("/reads/", {"search": search.pk, "page": garbage}).status_code == 200


def test_a_read_leads_back_to_its_results_to_the_vehicle_and_to_its_alerts(browser, many, make_user):
    owner = make_user("officer")
    wanted = make_hotlist(owner, name="Wanted vehicles")
    add_entry(wanted, "PG12AB9", owner)
    reads_ingest(
        items=[ReadInput(camera="CAM-A", vrm="PG12AB9", seen_at=timezone.now(), confidence=0.9)],
        source="camera",
    )
    browser.post("/reads/", {"vrm": "PG12A*", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    pages = walk(browser, search.pk, "plate")
    read = pages[1][3]  # a read on the plate-sorted second page
    opened = browser.get(f"/reads/{read.day}/{read.id}/", {"search": search.pk, "sort": "plate"})
    links = opened.context
    assert str(links["results_from_here"]) == str(Cursor.at(read, sort="plate", way="from"))
    back = browser.post("/reads/", {"search": search.pk, "page": str(links["results_from_here"])}).context[
        "page"
    ]
    assert back.reads[0].id == read.id and back.previous is not None and back.sort == "plate"
    assert "None that you may see" in opened.content.decode()
    history = browser.post(
        "/reads/history/",
        {"vrm": read.vrm, "purpose": search.purpose, "reference": search.reference, "purpose_detail": ""},
    )
    assert history.status_code == 200
    assert {row.vrm for row in history.context["reads"]} == {read.vrm}
    assert f'name="vrm" value="{read.vrm}"' in opened.content.decode()
    hit = Read.objects.get(vrm="PG12AB9")
    alerted = browser.get(f"/reads/{hit.day}/{hit.id}/", {"search": search.pk}).content.decode()
    [alert] = wanted.alerts.all()
    assert f'<a href="/alerts/{alert.pk}/">Wanted vehicles: ' in alerted
    kinds = list(SearchAudit.objects.exclude(kind="page").order_by("pk").values_list("kind", "reference"))
    assert kinds == [
        ("search", PURPOSE["reference"]),
        ("view", PURPOSE["reference"]),
        ("history", PURPOSE["reference"]),
        ("view", PURPOSE["reference"]),
    ]


@pytest.mark.parametrize(
    ("vrm", "message"),
    [
        ("", "Give the plate: vehicle history shows one vehicle, by its exact plate."),
        ("PG12*", "this search takes no patterns"),
        ("PG12AA?", "this search takes no patterns"),
        ("---", "A plate is letters and digits; this has none."),
    ],
)
def test_vehicle_history_needs_one_exact_plate_and_says_so(browser, many, vrm, message):
    form = browser.get("/reads/history/").content.decode()
    assert '<label for="id_vrm">Plate</label>' in form  # not "(optional)"
    assert "One exact plate, such as AB12CDE (no patterns)." in form
    refused = browser.post("/reads/history/", {"vrm": vrm, **PURPOSE})
    assert refused.status_code == 400
    assert message in " ".join(refused.context["filters"].form.errors["vrm"])
    assert message in refused.content.decode().replace("&#x27;", "'")
    assert not SearchAudit.objects.exists()


def test_vehicle_history_answers_with_what_it_searched(browser, many):
    found = browser.post("/reads/history/", {"vrm": "pg12 aa3", **PURPOSE})
    assert found.status_code == 200 and len(found.context["reads"]) == 12
    assert '12 reads of <span class="plate">PG12AA3</span>' in found.content.decode()
    none = browser.post("/reads/history/", {"vrm": "NO12SEE", **PURPOSE}).content.decode()
    assert 'No reads of <span class="plate">NO12SEE</span> at any camera between ' in none


def assert_pages_of(search, count=None):
    """One search; every further page recorded as a page of it, never as a new search."""
    assert SearchAudit.objects.filter(kind="search").count() == 1
    pages = SearchAudit.objects.filter(kind="page")
    assert pages.exists() and {page.filters["search"] for page in pages} == {search.pk}
    assert count is None or pages.count() == count


def test_the_audit_records_what_each_page_showed_in_words(browser, many, make_user, sign_in_client):
    first = browser.post("/reads/", {"vrm": "PG12AA*", **PURPOSE}).context["page"]
    search = SearchAudit.objects.get(kind="search")
    second = browser.post("/reads/", {"search": search.pk, "page": str(first.next)}).context["page"]
    by_plate = browser.post("/reads/", {"search": search.pk, "sort": "plate"}).context["page"]
    rows = SearchAudit.objects.filter(kind="page").order_by("pk")
    assert [row.filters for row in rows] == [
        {
            "search": search.pk,
            "order": order,
            "first_read": page.reads[0].id,
            "first_seen": page.reads[0].seen_at.isoformat(),
            "last_read": page.reads[-1].id,
            "last_seen": page.reads[-1].seen_at.isoformat(),
        }
        for order, page in (("newest first", second), ("by plate", by_plate))
    ]
    page = sign_in_client(make_user("auditor"), Client()).get("/audit/searches/").content.decode()
    assert f"First read: {second.reads[0].id}" in page and "Order: by plate" in page
    assert f"Last seen: {shown(second.reads[-1].seen_at)}" in page
    assert str(first.next) not in page  # the cursor's own text is a key, not for people


def test_a_cursor_naming_a_moment_no_read_had_is_no_cursor(browser, many, make_user, sign_in_client):
    browser.post("/reads/", {"vrm": "PG12AA*", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    for moment in (-62135596800000000, 10**17):  # year 1, and far in the future
        page = browser.post("/reads/", {"search": search.pk, "page": f"newest~after~{moment}~1"})
        assert page.status_code == 200 and page.context["page"].previous is None  # the first page
    audit = sign_in_client(make_user("auditor"), Client()).get("/audit/searches/")
    assert audit.status_code == 200
