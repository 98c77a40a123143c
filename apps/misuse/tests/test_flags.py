"""Each misuse pattern raises its flag on evidence that shows it and not on evidence that does not;
runs are idempotent; the daily job is recorded; refused searches are recorded to be counted."""

from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from apps.access_requests.models import AccessRequest, AccessRequestEvent
from apps.audit.models import JobRun, SearchAudit, SecurityEvent
from apps.cameras.tests.factories import CameraFactory
from apps.misuse.detection import many_plates
from apps.misuse.models import MisuseFlag
from apps.misuse.services import flags_raise
from apps.misuse.tasks import MISUSE_JOB, raise_misuse_flags
from apps.reads.tests.helpers import PURPOSE, ago
from conftest import as_database_owner

pytestmark = pytest.mark.django_db

NOW = timezone.now()
# Yesterday (UTC) from 10:00: a complete day the run examines.
YESTERDAY = datetime.combine(NOW.date() - timedelta(days=1), time(10), tzinfo=UTC)


@contextmanager
def written_at(at: datetime):
    """Rows created inside get `at` as their time (auto_now_add reads timezone.now). Audit rows
    keep it only when the owner writes them: for anyone else the database stamps now."""
    with mock.patch("django.utils.timezone.now", return_value=at), as_database_owner():
        yield


def searched(at: datetime, *, vrm="AB12CDE", reference="INC-1", username="pc-one", user_id=1, **fields):
    with written_at(at):
        return SearchAudit.objects.create(
            kind=fields.pop("kind", SearchAudit.Kind.SEARCH),
            username=username,
            user_id=user_id,
            purpose="intelligence",
            reference=reference,
            vrm=vrm,
            filters=fields.pop("filters", {"vrm": vrm}),
            result_count=1,
            **fields,
        )


def refused(at: datetime, *, username="pc-one", kind=SecurityEvent.Kind.SEARCH_REFUSED):
    with written_at(at):
        return SecurityEvent.objects.create(kind=kind, username=username)


def raised(kind: str | None = None) -> list[MisuseFlag]:
    flags_raise(now=NOW)
    flags = MisuseFlag.objects.order_by("id")
    return list(flags.filter(kind=kind) if kind else flags)


def test_one_plate_under_several_references_is_flagged(settings):
    settings.MISUSE_REFERENCES_PER_PLATE = 3
    rows = [searched(YESTERDAY + timedelta(minutes=n), reference=f"INC-{n}") for n in range(3)]
    [flag] = raised(MisuseFlag.Kind.PLATE_REFERENCES)
    assert flag.search_ids == [row.pk for row in rows]
    assert flag.username == "pc-one" and flag.user_id == 1
    assert "AB12CDE" in flag.summary and "INC-0, INC-1, INC-2" in flag.summary


def test_a_convoy_search_counts_as_asking_for_its_plate(settings):
    settings.MISUSE_REFERENCES_PER_PLATE = 2
    searched(YESTERDAY, reference="INC-1")
    searched(YESTERDAY + timedelta(minutes=1), reference="INC-2", kind=SearchAudit.Kind.CONVOY)
    [flag] = raised(MisuseFlag.Kind.PLATE_REFERENCES)
    assert "INC-1, INC-2" in flag.summary


def test_one_plate_searched_often_under_one_or_two_references_is_not(settings):
    settings.MISUSE_REFERENCES_PER_PLATE = 3
    for n in range(6):
        searched(YESTERDAY + timedelta(minutes=n), reference=f"INC-{n % 2}")
    # Three references, but by three different users: no one user's pattern.
    for n in range(3):
        searched(YESTERDAY, vrm="XY34ZZZ", reference=f"INC-{n}", username=f"pc-{n}", user_id=10 + n)
    assert raised(MisuseFlag.Kind.PLATE_REFERENCES) == []


def test_a_plate_searched_back_past_the_window_without_a_request_is_flagged(settings):
    old = (YESTERDAY - timedelta(days=settings.READ_ACCESS_STANDARD_DAYS + 30)).isoformat()
    row = searched(YESTERDAY, filters={"vrm": "AB12CDE", "seen_after": old})
    searched(YESTERDAY, filters={"vrm": "AB12CDE", "seen_after": (YESTERDAY - timedelta(days=5)).isoformat()})
    [flag] = raised(MisuseFlag.Kind.BEYOND_WINDOW)
    assert flag.search_ids == [row.pk]


def test_searching_back_past_the_window_under_a_request_is_not(settings, make_user):
    officer = make_user("officer")
    request = approved_request(officer)
    old = (YESTERDAY - timedelta(days=settings.READ_ACCESS_STANDARD_DAYS + 30)).isoformat()
    searched(YESTERDAY, filters={"vrm": "AB12CDE", "seen_after": old}, access_request_id=request.pk)
    assert raised(MisuseFlag.Kind.BEYOND_WINDOW) == []


def test_many_plates_in_a_short_time_are_flagged_once(settings):
    settings.MISUSE_PLATES_IN_BURST, settings.MISUSE_BURST_MINUTES = 5, 10
    spree = [searched(YESTERDAY + timedelta(minutes=n), vrm=f"AB{n:02d}CDE") for n in range(7)]
    [flag] = raised(MisuseFlag.Kind.MANY_PLATES)
    assert flag.search_ids == [row.pk for row in spree]  # the whole spree, one flag
    assert "7 different plates" in flag.summary


def test_a_summary_names_its_moments_in_london_time(settings):
    settings.MISUSE_PLATES_IN_BURST, settings.MISUSE_BURST_MINUTES = 3, 10
    july = datetime(2026, 7, 14, 2, 30, tzinfo=UTC)
    rows = [searched(july + timedelta(minutes=n), vrm=f"AB{n:02d}CDE") for n in range(3)]
    [candidate] = many_plates(rows)
    assert "from 14 Jul 2026, 03:30:00 BST." in candidate.summary


def test_as_many_plates_spread_over_the_day_are_not(settings):
    settings.MISUSE_PLATES_IN_BURST, settings.MISUSE_BURST_MINUTES = 5, 10
    for n in range(12):
        searched(YESTERDAY + timedelta(minutes=3 * n), vrm=f"AB{n:02d}CDE")  # at most 4 in any 10 minutes
    for n in range(8):
        searched(YESTERDAY + timedelta(seconds=n), vrm="XY34ZZZ", username="pc-two", user_id=2)  # one plate
    assert raised(MisuseFlag.Kind.MANY_PLATES) == []


def test_repeated_refusals_are_flagged(settings):
    settings.MISUSE_REFUSALS_PER_DAY = 5
    events = [refused(YESTERDAY + timedelta(minutes=n)) for n in range(3)]
    events += [
        refused(YESTERDAY + timedelta(hours=2, minutes=n), kind=SecurityEvent.Kind.THROTTLED)
        for n in range(2)
    ]
    [flag] = raised(MisuseFlag.Kind.REFUSALS)
    assert flag.event_ids == sorted(event.pk for event in events)
    assert flag.search_ids == []
    assert "5 searches refused" in flag.summary


def test_a_few_refusals_or_other_events_are_not(settings):
    settings.MISUSE_REFUSALS_PER_DAY = 5
    for n in range(4):
        refused(YESTERDAY + timedelta(minutes=n))
    for n in range(3):
        refused(YESTERDAY + timedelta(minutes=n), kind=SecurityEvent.Kind.LOGIN_FAILED)
    for n in range(5):
        refused(NOW - timedelta(seconds=n))  # today: not a complete day yet
    assert raised(MisuseFlag.Kind.REFUSALS) == []


def test_a_refused_search_is_recorded_as_such(make_user, api_client_for):
    officer = api_client_for(make_user("officer", username="pc-refused"))
    answer = officer.get(
        "/api/v1/reads/",
        {"vrm": "AB12CDE", "seen_before": ago(days=200).isoformat(), **PURPOSE},
    )
    assert answer.status_code == 403
    [event] = SecurityEvent.objects.filter(username="pc-refused", kind=SecurityEvent.Kind.SEARCH_REFUSED)
    assert event.detail["reason"] == "OutsideAccessWindow"
    assert (
        officer.get("/api/v1/reads/", {"vrm": "AB12CDE", "access_request": 999, **PURPOSE}).status_code == 403
    )
    assert SecurityEvent.objects.filter(username="pc-refused", kind="search_refused").count() == 2
    assert not SearchAudit.objects.filter(username="pc-refused").exists()


def approved_request(user, **scope) -> AccessRequest:
    return AccessRequest.objects.create(
        requester=user,
        investigation_reference="OP-SCOPE",
        offence=AccessRequest.Offence.MAJOR_CRIME,
        justification="An investigation",
        period_start=NOW - timedelta(days=300),
        period_end=NOW - timedelta(days=200),
        days_needed=30,
        status=AccessRequest.Status.APPROVED,
        expires_at=NOW + timedelta(days=20),
        **scope,
    )


def test_a_request_used_outside_its_scope_is_flagged(make_user):
    officer = make_user("officer")
    CameraFactory(code="CAM-OUT", area="South")
    request = approved_request(officer, vrms=["AB12CDE"], areas=["North"])
    in_period = (NOW - timedelta(days=250)).isoformat()
    other_plate = searched(YESTERDAY, vrm="ZZ99ZZZ", access_request_id=request.pk)
    too_early = searched(
        YESTERDAY,
        filters={"vrm": "AB12CDE", "seen_after": (NOW - timedelta(days=400)).isoformat()},
        access_request_id=request.pk,
    )
    elsewhere = searched(
        YESTERDAY,
        filters={"vrm": "AB12CDE", "seen_after": in_period, "camera": "CAM-OUT"},
        access_request_id=request.pk,
    )
    [flag] = raised(MisuseFlag.Kind.OUT_OF_SCOPE)
    assert flag.search_ids == sorted([other_plate.pk, too_early.pk, elsewhere.pk])
    assert flag.details["reasons"] == [
        "cameras CAM-OUT not in the request",
        "plate ZZ99ZZZ not in the request",
        "reads before the request's period",
    ]


def test_a_search_after_the_request_was_revoked_is_flagged(make_user):
    officer = make_user("officer")
    request = approved_request(officer)
    with written_at(YESTERDAY):
        AccessRequestEvent.objects.create(access_request=request, kind="revoked", actor="sgt")
    searched(YESTERDAY - timedelta(minutes=5), access_request_id=request.pk)  # before: fine
    after = searched(YESTERDAY + timedelta(minutes=5), access_request_id=request.pk)
    [flag] = raised(MisuseFlag.Kind.OUT_OF_SCOPE)
    assert flag.search_ids == [after.pk]
    assert flag.details["reasons"] == ["made after the request ended"]


def test_a_request_used_within_its_scope_is_not(make_user):
    officer = make_user("officer")
    CameraFactory(code="CAM-IN", area="North")
    request = approved_request(officer, vrms=["AB12CDE"], areas=["North"])
    in_period = (NOW - timedelta(days=250)).isoformat()
    searched(YESTERDAY, filters={"vrm": "AB12CDE", "seen_after": in_period}, access_request_id=request.pk)
    searched(YESTERDAY, filters={"vrm": "AB12CDE", "camera": "CAM-IN"}, access_request_id=request.pk)
    searched(YESTERDAY, filters={"vrm": "AB12CDE", "area": "north"}, access_request_id=request.pk)
    assert raised(MisuseFlag.Kind.OUT_OF_SCOPE) == []


def day_shift_history(days: int = 20, *, user_id=1, username="pc-one") -> None:
    """Three searches a day at 09:00, 12:00 and 15:00 UTC over the past weeks."""
    start = YESTERDAY.replace(hour=0)
    for back in range(1, days + 1):
        for hour in (9, 12, 15):
            searched(start - timedelta(days=back) + timedelta(hours=hour), username=username, user_id=user_id)


def test_activity_at_an_hour_the_user_never_works_is_flagged(settings):
    settings.MISUSE_HOURS_MIN_HISTORY = 50
    day_shift_history()
    night = searched(YESTERDAY.replace(hour=3))
    searched(YESTERDAY.replace(hour=12))
    [flag] = raised(MisuseFlag.Kind.UNUSUAL_HOURS)
    assert flag.search_ids == [night.pk]
    # Judged in UTC hours, named in London's: 03:00 UTC is 03:00 GMT in winter, 04:00 BST in summer.
    assert f"{timezone.localtime(night.at):%H:00 %Z}" in flag.summary and "60 records" in flag.summary


def test_usual_hours_or_too_little_history_are_not(settings):
    settings.MISUSE_HOURS_MIN_HISTORY = 50
    day_shift_history()
    searched(YESTERDAY.replace(hour=10))  # next to 09:00 and 12:00: usual
    searched(YESTERDAY.replace(hour=16))  # an hour after the usual 15:00
    day_shift_history(days=10, user_id=2, username="pc-new")  # 30 records: too few to judge
    searched(YESTERDAY.replace(hour=3), username="pc-new", user_id=2)
    assert raised(MisuseFlag.Kind.UNUSUAL_HOURS) == []


def test_runs_are_idempotent_and_recorded_as_jobs(settings):
    settings.MISUSE_REFUSALS_PER_DAY = 2
    for n in range(3):
        refused(YESTERDAY + timedelta(minutes=n))
        searched(YESTERDAY + timedelta(minutes=n), reference=f"INC-{n}")
    raise_misuse_flags()
    first = list(MisuseFlag.objects.order_by("id").values_list("kind", "evidence_key"))
    assert {kind for kind, _ in first} == {MisuseFlag.Kind.REFUSALS, MisuseFlag.Kind.PLATE_REFERENCES}
    raise_misuse_flags()
    assert list(MisuseFlag.objects.order_by("id").values_list("kind", "evidence_key")) == first
    runs = list(JobRun.objects.filter(job=MISUSE_JOB).order_by("id"))
    assert [run.outcome for run in runs] == ["ok", "ok"]
    assert [run.details["raised"] for run in runs] == [2, 0]
    # The same evidence seen from a later day's run (it is still within the look-back) raises nothing.
    settings.MISUSE_LOOKBACK_DAYS = 3
    assert flags_raise(now=NOW + timedelta(days=1)) == []


def test_the_daily_job_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE[MISUSE_JOB]
    assert entry["task"] == "apps.misuse.tasks.raise_misuse_flags"
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {0}
