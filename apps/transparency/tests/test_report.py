"""The transparency report: figures counted from real rows, nothing of a camera's whereabouts,
open to anyone, cached, and small counts hidden."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.access_requests import services as access_requests
from apps.assessments import services as assessments
from apps.assessments.tests.factories import complete_case, submitted_assessment
from apps.audit.jobs import recorded_run
from apps.audit.models import SearchAudit
from apps.audit.services import search_record
from apps.audit.tasks import verify_audit_chains
from apps.cameras.models import Camera, CameraStatusChange
from apps.cameras.services import camera_update
from apps.cameras.tests.factories import CameraFactory
from apps.core.months import as_moment, month_start, months_back
from apps.hotlists import services as hotlists
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.services import ReadInput, reads_ingest
from apps.transparency.models import PublishedMonth
from apps.transparency.report import PEOPLE_FIGURES
from apps.transparency.selectors import CACHE_KEY, COUNTING_KEY, acted_on_shown, transparency_report_compute
from conftest import as_database_owner

pytestmark = pytest.mark.django_db
PAGE, API = "/transparency/", "/api/v1/transparency/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@contextmanager
def at(moment):
    """Rows written inside are stamped with this moment (auto_now_add reads timezone.now); audit
    rows keep it only when the owner writes them (for anyone else the database stamps now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment), as_database_owner():
        yield


def read(camera, vrm, seen_at):
    # A vehicle-mounted camera's read carries where it was taken (a fixed one's is the camera's).
    place = {"latitude": 52.0, "longitude": -1.0} if camera.kind == Camera.Kind.MOBILE else {}
    item = ReadInput(camera=camera.code, vrm=vrm, seen_at=seen_at, confidence=0.9, **place)
    reads_ingest(items=[item], source="upload")


def search(user, purpose, kind=SearchAudit.Kind.SEARCH):
    search_record(
        user=user, kind=kind, purpose=purpose, reference="INC-1", vrm="AB12CDE", filters={}, result_count=1
    )


def this_month_and_last():
    now = timezone.now()
    this = now - timedelta(minutes=5) if now - timedelta(minutes=5) >= _start(now) else now
    return this, _start(now) - timedelta(days=10)


def _start(now):
    start = month_start(now)
    return now.replace(year=start.year, month=start.month, day=1, hour=0, minute=0, second=0, microsecond=0)


def row(report, moment):
    return next(r for r in report["months"] if r["month"] == f"{month_start(moment):%Y-%m}")


def test_the_figures_are_counted_from_real_rows(settings, make_user):
    settings.TRANSPARENCY_SETTLE_DAYS = 0  # last month's people's figures are out at once
    this, last = this_month_and_last()
    earlier = as_moment(month_start(last)) - timedelta(days=20)  # the month before last
    officer, supervisor, planner = make_user("officer"), make_user("supervisor"), make_user("planner")
    fixed, _, mobile = CameraFactory(), CameraFactory(), CameraFactory(kind=Camera.Kind.MOBILE)
    CameraFactory(status=Camera.Status.PROPOSED)
    CameraFactory(kind=Camera.Kind.MOBILE, status=Camera.Status.DECOMMISSIONED)
    hotlist = make_hotlist(supervisor)
    add_entry(hotlist, "HIT1", supervisor)

    for n in range(4):
        read(fixed, f"AB{n}CDE", this - timedelta(seconds=n))
    with at(earlier):
        read(fixed, "HIT1", earlier)  # a hit, never acted on
        for _ in range(3):
            search(officer, "drugs")
    with at(last):
        for n in range(3):
            read(mobile, f"XY{n}ZZZ", last - timedelta(minutes=n))
        for n in range(5):  # five hits last month: three stops, one not found, one open
            read(fixed, "HIT1", last - timedelta(seconds=10 + n))
        hits = list(
            Alert.objects.filter(
                read_seen_at__gte=as_moment(month_start(last)), read_seen_at__lt=_start(this)
            )
        )
        for alert, outcome in zip(hits, ["stopped", "stopped", "stopped", "not_found"], strict=False):
            hotlists.alert_record_outcome(alert=alert, outcome=outcome, notes="", actor=officer)
        for _ in range(4):
            search(officer, "vehicle-crime")
        search(officer, "vehicle-crime", SearchAudit.Kind.HISTORY)
        search(officer, "vehicle-crime", SearchAudit.Kind.PAGE)  # a further page: not a new search
        search(officer, "vehicle-crime", SearchAudit.Kind.VIEW)  # opening a read: not a search
        search(officer, "drugs")
        search(officer, "drugs", SearchAudit.Kind.EXPORT)
        for _ in range(3):
            search(officer, "a purpose since removed from the list")
        filed = [_file(officer) for _ in range(4)]
        access_requests.request_approve(access_request=filed[0], approver=supervisor, reason="Yes.")
        for request in filed[1:]:
            access_requests.request_refuse(access_request=request, approver=supervisor, reason="No.")
    # This month's actions: counted once the month is over, not before.
    for n in range(6):
        read(fixed, "HIT1", this - timedelta(seconds=20 + n))
    for _ in range(5):
        search(officer, "vehicle-crime")
    for _ in range(5):
        _file(officer)

    assessed = CameraFactory(status=Camera.Status.PROPOSED)
    assessments.assessment_approve(
        assessment=submitted_assessment(assessed, planner), approver=supervisor, reason="Yes."
    )
    assessed.refresh_from_db()
    assessments.review_record(
        camera=assessed,
        reviewer=planner,
        factors=complete_case()["factors"],
        privacy_impact="Same.",
        outcome="keep",
    )
    camera_update(camera=assessed, review_due=timezone.localdate() - timedelta(days=1))

    with recorded_run("retention"):
        pass
    with at(last), recorded_run("retention"):
        pass
    verify_audit_chains()  # intact, and checkpointed

    report = transparency_report_compute()
    now_row, last_row, earlier_row = row(report, this), row(report, last), row(report, earlier)

    assert report["live_cameras"] == {"fixed": 3, "mobile": 1}  # the assessed camera went live
    # Every camera was registered (and its status history began) just now.
    assert now_row["live_cameras"] == {"fixed": 3, "mobile": 1}
    assert last_row["live_cameras"] is None  # not known: the history began this month
    assert report["reviews_overdue"] == 1
    assert len(report["months"]) == 13 and now_row["to_date"] and not last_row["to_date"]
    assert (now_row["reads_captured"], last_row["reads_captured"]) == (4 + 6, 3 + 5)
    for figure in PEOPLE_FIGURES:
        assert now_row[figure] is None, figure
    # not_found (1) is hidden, so the total of acted on (4) goes too: less stopped (3) it is 1.
    assert (last_row["hotlist_hits"], last_row["alerts_acted_on"]) == (5, None)
    assert last_row["alert_outcomes"] == {"stopped": 3, "not_found": None, "no_action": 0, "false_read": 0}
    assert (earlier_row["hotlist_hits"], earlier_row["alerts_acted_on"]) == (None, 0)
    assert last_row["searches_by_purpose"]["vehicle-crime"] == 5
    assert last_row["searches_by_purpose"]["drugs"] is None  # two
    assert last_row["searches_by_purpose"]["other"] == 3
    assert last_row["searches_by_purpose"]["violence"] == 0
    assert earlier_row["searches_by_purpose"]["drugs"] == 3
    assert last_row["access_requests"] == {"filed": 4, "approved": None, "refused": 3}
    assert (now_row["assessments_approved"], now_row["reviews_done"]) == (1, 1)
    assert now_row["retention_runs"] == {"ok": 1, "failed": 0} == last_row["retention_runs"]
    assert report["retention"]["oldest_read_seen_at"] == earlier.isoformat()
    assert report["audit_chain"]["outcome"] == "ok"
    assert report["audit_chain"]["last_verified_at"][:10] == timezone.now().date().isoformat()
    page = Client().get(PAGE).content.decode()
    assert page.count("Published 0 days after the month ends") == 3  # hits, searches, requests


def test_cameras_live_in_a_month_are_counted_from_their_status_history():
    now = timezone.now()
    months = months_back(now, 4)  # the first ended before any history began
    moved, steady, mobile = CameraFactory(), CameraFactory(), CameraFactory(kind=Camera.Kind.MOBILE)
    history = [
        # live three months back, suspended mid-month two back, decommissioned last month
        (moved, "live", "fixed", as_moment(months[1]) + timedelta(days=3)),
        (moved, "suspended", "fixed", as_moment(months[2]) + timedelta(days=14)),
        (moved, "decommissioned", "fixed", as_moment(months[3]) + timedelta(days=1)),
        # proposed, then live from last month on
        (steady, "proposed", "fixed", as_moment(months[1])),
        (steady, "live", "fixed", as_moment(months[3]) + timedelta(days=20)),
        # a vehicle's camera live only this month
        (mobile, "live", "mobile", as_moment(months[4])),
    ]
    with as_database_owner():  # only the owner writes the history (here: makes one up)
        CameraStatusChange.objects.all().delete()
        for camera, status, kind, since in history:
            CameraStatusChange.objects.create(camera=camera, status=status, kind=kind, since=min(since, now))
    with mock.patch("apps.transparency.selectors.MONTHS", 4):
        report = transparency_report_compute(now)
    live = {r["month"]: r["live_cameras"] for r in report["months"]}
    assert live == {
        f"{months[0]:%Y-%m}": None,  # not known, rather than none
        f"{months[1]:%Y-%m}": {"fixed": 1, "mobile": 0},
        f"{months[2]:%Y-%m}": {"fixed": 1, "mobile": 0},  # live for half of it
        f"{months[3]:%Y-%m}": {"fixed": 1, "mobile": 0},  # the other came
        f"{months[4]:%Y-%m}": {"fixed": 1, "mobile": 1},
    }
    assert "not known" in Client().get(PAGE).content.decode()


def test_a_month_is_published_once_it_has_settled_and_never_counted_again(settings, make_user):
    settings.TRANSPARENCY_SETTLE_DAYS = 7
    officer, supervisor = make_user("officer"), make_user("supervisor")
    fixed = CameraFactory()
    add_entry(make_hotlist(supervisor), "HIT1", supervisor)
    this, last = this_month_and_last()
    start = as_moment(month_start(this))
    with at(last):
        for n in range(4):
            read(fixed, "HIT1", last - timedelta(seconds=n))
        for _ in range(3):
            search(officer, "drugs")
        stops = list(Alert.objects.order_by("id"))
        for alert in stops[:3]:
            hotlists.alert_record_outcome(alert=alert, outcome="stopped", notes="", actor=officer)

    settling = row(transparency_report_compute(start + timedelta(days=3)), last)
    assert not settling["final"]
    for figure in PEOPLE_FIGURES:
        assert settling[figure] is None, figure
    assert settling["reads_captured"] == 4  # what describes the system is shown meanwhile
    assert not PublishedMonth.objects.filter(month=month_start(last)).exists()  # older ones are, settled

    published = row(transparency_report_compute(start + timedelta(days=8)), last)
    assert published["final"] and published["hotlist_hits"] == 4
    assert published["alerts_acted_on"] == 3 and published["searches_by_purpose"]["drugs"] == 3
    assert PublishedMonth.objects.get(month=month_start(last)).figures == published
    months_published = PublishedMonth.objects.count()

    # Later: an outcome recorded late, a search and a back-loaded read dated in that month.
    hotlists.alert_record_outcome(alert=stops[3], outcome="stopped", notes="", actor=officer)
    with at(last):
        search(officer, "drugs")
    read(fixed, "AB12CDE", last)
    assert row(transparency_report_compute(start + timedelta(days=9)), last) == published
    assert PublishedMonth.objects.count() == months_published


def _file(officer):
    now = timezone.now()
    return access_requests.request_file(
        requester=officer,
        investigation_reference="OP-KESTREL",
        offence="major_crime",
        justification="Vehicle linked to a homicide.",
        period_start=now - timedelta(days=120),
        period_end=now - timedelta(days=80),
        days_needed=14,
        vrms=["OL12DRD"],
        camera_codes=[],
        areas=[],
    )


def test_no_camera_code_name_area_or_place_is_published():
    camera = CameraFactory(
        code="ZQX-COVERT-77",
        name="Wolfhampton Mill Lane",
        area="Quarry Vale",
        road="B9876",
        latitude=53.123456,
        longitude=-1.987654,
    )
    read(camera, "AB12CDE", timezone.now() - timedelta(minutes=1))
    client = Client()
    answer = client.get(API)
    assert answer.json()["live_cameras"]["fixed"] == 1  # counted, and nothing more
    assert answer.json()["months"][-1]["reads_captured"] == 1
    details = ("ZQX", "COVERT-77", "Wolfhampton", "Mill Lane", "Quarry Vale", "B9876", "53.1234", "1.9876")
    for body in (answer.content.decode(), client.get(PAGE).content.decode()):
        for detail in details:
            assert detail not in body, detail


def test_anyone_may_read_it_without_signing_in(settings):
    settings.FORCE_NAME = "Wessex Constabulary"
    page = Client().get(PAGE)
    assert page.status_code == 200
    assert "Wessex Constabulary" in page.content.decode()
    assert "Sign in" not in page.content.decode()
    answer = Client().get(API)
    assert answer.status_code == 200
    assert answer.json()["force"] == "Wessex Constabulary"
    assert len(answer.json()["months"]) == 13
    assert Client().post(API).status_code == 405  # reading only


def test_the_report_is_served_from_the_cache_until_it_expires(settings):
    settings.TRANSPARENCY_CACHE_SECONDS = 3600
    camera = CameraFactory()
    client = Client()
    first = client.get(API).json()
    read(camera, "AB12CDE", timezone.now() - timedelta(minutes=1))
    CameraFactory(kind=Camera.Kind.MOBILE)
    with mock.patch(
        "apps.transparency.selectors.transparency_report_compute", side_effect=AssertionError("recomputed")
    ):
        assert client.get(API).json() == first
        assert client.get(PAGE).status_code == 200
    cache.clear()  # as when TRANSPARENCY_CACHE_SECONDS have passed
    fresh = client.get(API).json()
    assert fresh["live_cameras"] == {"fixed": 1, "mobile": 1}
    assert fresh["months"][-1]["reads_captured"] == first["months"][-1]["reads_captured"] + 1


def test_small_counts_read_fewer_than_the_threshold_on_the_page(settings, make_user):
    settings.TRANSPARENCY_SETTLE_DAYS = 0
    settings.TRANSPARENCY_SMALL_COUNT = 5
    officer = make_user("officer")
    _, last = this_month_and_last()
    with at(last):
        for _ in range(4):
            search(officer, "fraud")
        for _ in range(5):
            search(officer, "drugs")
    report = Client().get(API).json()
    assert report["small_count"] == 5
    assert report["months"][-2]["searches_by_purpose"]["fraud"] is None
    assert report["months"][-2]["searches_by_purpose"]["drugs"] == 5
    assert "fewer than 5" in Client().get(PAGE).content.decode()


def test_a_total_of_parts_is_hidden_when_any_part_is():
    assert acted_on_shown(5, {"a": None, "b": None, "c": 3}) is None  # 5 - 3: both a and b are 1
    assert acted_on_shown(12, {"a": 3, "b": 9}) == 12
    assert acted_on_shown(0, {"a": 0}) == 0


def test_while_one_caller_recounts_the_others_get_the_previous_copy(settings):
    settings.TRANSPARENCY_CACHE_SECONDS = 3600
    CameraFactory()
    client = Client()
    first = client.get(API).json()
    cache.delete(CACHE_KEY)  # the copy has expired
    cache.add(COUNTING_KEY, True)  # and another caller is counting it now
    CameraFactory()
    with mock.patch(
        "apps.transparency.selectors.transparency_report_compute", side_effect=AssertionError("counted twice")
    ):
        assert client.get(API).json() == first
    cache.delete(COUNTING_KEY)
    assert client.get(API).json()["live_cameras"]["fixed"] == 2


def test_the_sign_in_page_points_the_public_to_the_report():
    assert f'href="{PAGE}"' in Client().get("/accounts/sign-in/").content.decode()
