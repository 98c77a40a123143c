"""Cloned-plate suspicions: raised on ingest when a hotlisted plate's read is too far from its
previous read for the time between; listed and reviewed by the list's owners on the portal.

London and Manchester are 262 km apart (apps/reads/tests/test_journey.py): ten minutes between
reads there needs 1,572 km/h; two hours, 131 km/h.
"""

import logging
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.audit.changes import COVERT, as_shown, change_entries
from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists import cloned_plates, services
from apps.hotlists.models import Alert, ClonedPlateSuspicion
from apps.hotlists.services import alerts_remove_expired
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)
WARNING = "Possible cloned plate: 262 km in 10 min needs 1,572 km/h."


def seen(vrm, camera, minutes_ago, **fields):
    return ReadInput(
        camera=camera, vrm=vrm, seen_at=NOW - timedelta(minutes=minutes_ago), confidence=0.9, **fields
    )


def ingest(*items, source="camera"):
    return reads_ingest(items=list(items), source=source)


@pytest.fixture
def owner(make_user):
    return make_user("officer", username="list-owner")


@pytest.fixture
def listed(owner):
    """Two cameras 262 km apart, and a list with CL12ONE on it."""
    CameraFactory(code="CAM-LON", area="London", latitude=51.5074, longitude=-0.1278)
    CameraFactory(code="CAM-MAN", area="Manchester", latitude=53.4808, longitude=-2.2426)
    hotlist = make_hotlist(owner, name="Stolen vehicles")
    add_entry(hotlist, "CL12ONE", owner)
    return hotlist


def test_a_hotlisted_plate_too_far_from_its_previous_read_raises_one_suspicion(listed):
    ingest(seen("CL12ONE", "CAM-MAN", 10))
    [alert] = ingest(seen("CL12ONE", "CAM-LON", 0)).alerts
    suspicion = ClonedPlateSuspicion.objects.get()
    earlier = Read.objects.get(camera__code="CAM-MAN")
    assert suspicion.alert == alert and alert.hotlist == listed
    assert (suspicion.earlier_read_id, suspicion.earlier_read_seen_at) == (earlier.id, earlier.seen_at)
    assert suspicion.earlier_camera.code == "CAM-MAN" and alert.camera.code == "CAM-LON"
    assert suspicion.distance_km == pytest.approx(262.0, abs=0.1) and suspicion.elapsed_s == 600
    assert suspicion.speed_kmh == pytest.approx(1572.0, abs=0.5)
    assert suspicion.warning == WARNING and not suspicion.reviewed_at


def test_a_batch_sent_again_raises_no_second_suspicion(listed):
    first, second = seen("CL12ONE", "CAM-MAN", 10), seen("CL12ONE", "CAM-LON", 0)
    ingest(first, second)  # both in one batch: the later is checked against the earlier
    assert ClonedPlateSuspicion.objects.count() == 1
    again = ingest(first, second)
    assert (again.stored, again.duplicates, again.alerts) == (0, 2, [])
    assert ClonedPlateSuspicion.objects.count() == 1 and Alert.objects.count() == 2


def test_a_plausible_journey_raises_none(listed):
    ingest(seen("CL12ONE", "CAM-MAN", 120))
    ingest(seen("CL12ONE", "CAM-LON", 0))  # 131 km/h
    assert Alert.objects.count() == 2 and not ClonedPlateSuspicion.objects.exists()


def test_it_is_the_previous_read_that_counts(listed):
    ingest(seen("CL12ONE", "CAM-MAN", 180), seen("CL12ONE", "CAM-LON", 20))  # 262 km in 2 h 40 min
    ingest(seen("CL12ONE", "CAM-LON", 0))  # the Manchester read is not the previous one
    assert not ClonedPlateSuspicion.objects.exists()


def test_a_plate_on_no_list_raises_none(listed):
    ingest(seen("NO12LST", "CAM-MAN", 10))
    result = ingest(seen("NO12LST", "CAM-LON", 0))
    assert result.stored == 1 and result.alerts == []
    assert not ClonedPlateSuspicion.objects.exists()


def test_a_look_alike_hit_is_not_checked(listed):
    # CL120NE (a zero) is a look-alike of CL12ONE: its earlier reads are another vehicle's.
    ingest(seen("CL120NE", "CAM-MAN", 10))
    [alert] = ingest(seen("CL120NE", "CAM-LON", 0)).alerts
    assert alert.match == Alert.Match.LOOKALIKE and not ClonedPlateSuspicion.objects.exists()


def test_the_previous_read_is_looked_for_only_so_far_back(listed, settings):
    ingest(seen("CL12ONE", "CAM-MAN", 25 * 60), source="upload")
    ingest(seen("CL12ONE", "CAM-LON", 0))  # 262 km in 25 h: and beyond the 24 h looked back
    settings.CLONED_PLATE_LOOKBACK_HOURS = 1
    ingest(seen("CL12ONE", "CAM-MAN", 70), source="upload")
    ingest(seen("CL12ONE", "CAM-LON", 1))  # 262 km in 69 min is implausible, but an hour apart
    assert not ClonedPlateSuspicion.objects.exists()


def test_one_plate_on_two_lists_raises_a_suspicion_for_each_lists_owners(listed, make_user):
    other = make_user("officer", username="other-owner")
    add_entry(make_hotlist(other, name="Wanted"), "CL12ONE", other)
    ingest(seen("CL12ONE", "CAM-MAN", 10))
    ingest(seen("CL12ONE", "CAM-LON", 0))
    assert sorted(ClonedPlateSuspicion.objects.values_list("alert__hotlist__name", flat=True)) == [
        "Stolen vehicles",
        "Wanted",
    ]


def test_a_failed_check_is_logged_and_ingest_stores_the_reads_and_alerts(listed, monkeypatch, caplog):
    def broken(reads, *, within):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")  # fails inside ingest's transaction

    monkeypatch.setattr(cloned_plates, "previous_reads", broken)
    ingest(seen("CL12ONE", "CAM-MAN", 10))
    with caplog.at_level(logging.ERROR, logger="apps.hotlists.cloned_plates"):
        result = ingest(seen("CL12ONE", "CAM-LON", 0))
    assert result.stored == 1 and len(result.alerts) == 1
    assert Read.objects.count() == 2 and Alert.objects.count() == 2
    assert not ClonedPlateSuspicion.objects.exists()
    assert "cloned-plate check of 1 hit(s) failed" in caplog.text


def test_a_batch_without_an_exact_hit_asks_nothing_more(listed, django_assert_max_num_queries):
    ingest(seen("NO12LST", "CAM-MAN", 10))
    with django_assert_max_num_queries(20) as counted:
        ingest(seen("NO12LST", "CAM-LON", 0))
    assert not any("LATERAL" in query["sql"] for query in counted.captured_queries)


@pytest.fixture
def raised(listed):
    ingest(seen("CL12ONE", "CAM-MAN", 10))
    ingest(seen("CL12ONE", "CAM-LON", 0))
    return ClonedPlateSuspicion.objects.select_related("alert").get()


def test_the_owner_sees_it_listed_marked_on_the_alert_and_reviews_it(raised, owner, sign_in_client):
    client = sign_in_client(owner, Client())
    listing = client.get("/alerts/cloned-plates/")
    text = listing.content.decode()
    assert listing.status_code == 200 and "CL12ONE" in text and WARNING in text and "Not reviewed" in text
    audit = SearchAudit.objects.get(kind="alerts", reference="CLONED-PLATES")
    assert audit.filters["alerts"] == [raised.alert_id] and audit.result_count == 1
    assert 'data-testid="cloned-mark"' in client.get("/alerts/").content.decode()
    page = client.get(f"/alerts/{raised.alert_id}/").content.decode()
    assert 'data-testid="cloned-plate"' in page and WARNING in page and "Record review" in page
    assert "CAM-MAN (Manchester)" in page and "not reviewed yet" in page
    review = {"review-outcome": "cloned", "review-notes": "Two Fords, one plate."}
    reviewed = client.post(f"/alerts/{raised.alert_id}/cloned-plate/", review)
    assert reviewed.status_code == 302 and reviewed["Location"] == f"/alerts/{raised.alert_id}/"
    raised.refresh_from_db()
    assert (raised.outcome, raised.notes, raised.reviewed_by) == ("cloned", "Two Fords, one plate.", owner)
    assert (
        "Cloned plate: two vehicles carry it (list-owner"
        in client.get(f"/alerts/{raised.alert_id}/").content.decode()
    )


def test_the_review_is_in_the_change_log_and_the_pair_of_reads_is_not(raised, owner, sign_in_client):
    client = sign_in_client(owner, Client())
    client.post(f"/alerts/{raised.alert_id}/cloned-plate/", {"review-outcome": "misread", "review-notes": ""})
    entries = LogEntry.objects.get_for_object(raised)
    changed = {field for entry in entries for field in entry.changes_dict}
    assert changed <= {"reviewed_by", "reviewed_at", "outcome", "notes"} and "outcome" in changed
    assert entries.filter(actor=owner).exists()
    logged = str([(entry.object_repr, entry.changes_dict) for entry in entries])
    assert "CL12ONE" not in logged and "CAM-" not in logged and "London" not in logged


def test_not_a_clone_needs_a_reason(raised, owner, sign_in_client):
    client = sign_in_client(owner, Client())
    address = f"/alerts/{raised.alert_id}/cloned-plate/"
    response = client.post(address, {"review-outcome": "not_cloned"}, follow=True)
    assert "Say why it is not a clone" in response.content.decode()
    raised.refresh_from_db()
    assert raised.reviewed_at is None


def test_another_officer_sees_an_open_lists_suspicion_but_may_not_review_it(
    raised, make_user, sign_in_client
):
    client = sign_in_client(make_user("officer", username="street"), Client())
    assert "CL12ONE" in client.get("/alerts/cloned-plates/").content.decode()
    page = client.get(f"/alerts/{raised.alert_id}/").content.decode()
    assert WARNING in page and "Record review" not in page
    refused = client.post(f"/alerts/{raised.alert_id}/cloned-plate/", {"review-outcome": "cloned"})
    assert refused.status_code == 403
    raised.refresh_from_db()
    assert raised.reviewed_at is None


def test_a_covert_lists_suspicion_is_its_owners_alone(owner, make_user, sign_in_client):
    CameraFactory(code="CAM-LON", area="London", latitude=51.5074, longitude=-0.1278)
    CameraFactory(code="CAM-MAN", area="Manchester", latitude=53.4808, longitude=-2.2426)
    add_entry(make_hotlist(owner, name="Operation Nightjar", covert=True), "CV12RTX", owner)
    ingest(seen("CV12RTX", "CAM-MAN", 10))
    ingest(seen("CV12RTX", "CAM-LON", 0))
    suspicion = ClonedPlateSuspicion.objects.get()
    street = sign_in_client(make_user("officer", username="street"), Client())
    listing = street.get("/alerts/cloned-plates/").content.decode()
    assert "CV12RTX" not in listing and "Nightjar" not in listing
    refused = street.post(f"/alerts/{suspicion.alert_id}/cloned-plate/", {"review-outcome": "cloned"})
    assert refused.status_code == 404
    assert "CV12RTX" in sign_in_client(owner, Client()).get("/alerts/cloned-plates/").content.decode()


def test_it_goes_when_its_earlier_read_goes(raised, settings):
    days = min(settings.ALERT_RETENTION_DAYS, settings.READ_RETENTION_DAYS)
    # The earlier read (and its own alert) past the cut-off, the suspicion's alert 5 minutes inside it.
    later = NOW + timedelta(days=days, minutes=-5)
    assert alerts_remove_expired(now=later) == {"alerts": 1, "images": 0}
    assert not ClonedPlateSuspicion.objects.exists() and Alert.objects.get() == raised.alert
    assert alerts_remove_expired(now=later + timedelta(minutes=10)) == {"alerts": 1, "images": 0}


def test_the_change_log_withholds_a_covert_lists_review_from_all_but_its_owners(owner, make_user):
    CameraFactory(code="CAM-LON", area="London", latitude=51.5074, longitude=-0.1278)
    CameraFactory(code="CAM-MAN", area="Manchester", latitude=53.4808, longitude=-2.2426)
    add_entry(make_hotlist(owner, name="Operation Nightjar", covert=True), "CV12RTX", owner)
    ingest(seen("CV12RTX", "CAM-MAN", 10))
    ingest(seen("CV12RTX", "CAM-LON", 0))
    suspicion = ClonedPlateSuspicion.objects.get()
    services.cloned_plate_review(
        suspicion=suspicion,
        outcome=ClonedPlateSuspicion.Outcome.CLONED,
        notes="Seen at the docks",
        actor=owner,
    )
    entries = change_entries().filter(content_type__model="clonedplatesuspicion")
    [for_auditor] = [
        entry for entry in as_shown(entries, make_user("auditor")) if entry.object_id == "not shown"
    ]
    assert for_auditor.object_name == COVERT
    shown_to_owner = str([change for entry in as_shown(entries, owner) for change in entry.changes])
    assert "Seen at the docks" in shown_to_owner


def test_the_alerts_api_marks_the_alert_and_only_that_one(raised, owner, api_client_for):
    add_entry(raised.alert.hotlist, "CL12TWO", owner)
    ingest(seen("CL12TWO", "CAM-LON", 1))  # a hit with no earlier read: nothing to suspect
    listed = api_client_for(owner).get("/api/v1/alerts/").json()["results"]
    marks = sorted((alert["vrm"], alert["camera"], alert["possible_cloned_plate"]) for alert in listed)
    # the hit in London, 262 km from Manchester ten minutes before, and no other
    assert marks == [
        ("CL12ONE", "CAM-LON", True),
        ("CL12ONE", "CAM-MAN", False),
        ("CL12TWO", "CAM-LON", False),
    ]
