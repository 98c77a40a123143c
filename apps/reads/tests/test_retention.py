"""Retention on real PostgreSQL: whole day partitions past the period go, with their images;
everything else stays; runs are recorded; a second run changes nothing."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.audit.models import JobRun, SearchAudit
from apps.audit.retention import audit_remove_expired
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.services import alerts_remove_expired
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.portal.tasks import apply_retention
from apps.reads.evidence import check_image
from apps.reads.models import Read
from apps.reads.partitions import existing_partition_days
from apps.reads.retention import expired_days, reads_remove_expired
from apps.reads.services import ReadInput, reads_ingest
from conftest import as_database_owner

from .helpers import image_bytes

pytestmark = pytest.mark.django_db(transaction=True)
NOON = time(12, 0)


@pytest.fixture
def today():
    return timezone.now().astimezone(UTC).date()


def at(day, hour=12):
    return datetime.combine(day, time(hour), tzinfo=UTC)


def ingest(camera, vrm, seen_at, image=None):
    picture = check_image(image) if image else None
    reads_ingest(
        items=[ReadInput(camera=camera.code, vrm=vrm, seen_at=seen_at, confidence=0.9, plate_image=picture)],
        source="upload",
    )
    return picture.name if picture else None


def test_expired_days_go_whole_with_their_images_and_the_rest_stays(today, retention_floor):
    camera = CameraFactory()
    shared = image_bytes(colour=(1, 2, 3))
    old_only = ingest(camera, "OLD1", at(today - timedelta(days=9)), image_bytes(colour=(9, 9, 9)))
    ingest(camera, "OLD2", at(today - timedelta(days=9), 15))
    also_old = ingest(camera, "OLD3", at(today - timedelta(days=8)), shared)
    kept_image = ingest(camera, "KEPT1", at(today - timedelta(days=2)), shared)  # same picture, still needed
    ingest(camera, "KEPT2", at(today - timedelta(days=7), 0))  # the first moment of a day inside the period

    retention_floor("reads", 7)  # the cut-off falls in today - 7, after its first moment
    assert expired_days() == [today - timedelta(days=9), today - timedelta(days=8)]
    removed = reads_remove_expired()

    assert removed["reads"] == 3 and removed["images"] == 1
    assert [(d["day"], d["reads"]) for d in removed["days"]] == [
        ((today - timedelta(days=9)).isoformat(), 2),
        ((today - timedelta(days=8)).isoformat(), 1),
    ]
    assert sorted(Read.objects.values_list("vrm", flat=True)) == ["KEPT1", "KEPT2"]
    assert not {today - timedelta(days=9), today - timedelta(days=8)} & existing_partition_days()
    assert not default_storage.exists(old_only)
    assert also_old == kept_image and default_storage.exists(kept_image)
    assert reads_remove_expired() == {"days": [], "reads": 0, "images": 0}  # a re-run changes nothing


def test_a_day_still_holding_a_read_inside_the_period_is_never_dropped(today, retention_floor):
    camera = CameraFactory()
    ingest(camera, "EARLY", at(today - timedelta(days=8), 1))
    ingest(camera, "LATE", at(today - timedelta(days=8), 23))
    retention_floor("reads", 8)  # the cut-off falls inside that day
    assert expired_days() == []
    assert reads_remove_expired()["reads"] == 0
    assert Read.objects.count() == 2


def test_the_database_refuses_to_drop_a_day_inside_the_period_whoever_asks(today, retention_floor):
    camera = CameraFactory()
    ingest(camera, "RECENT", at(today - timedelta(days=3)))
    retention_floor("reads", 7)
    with pytest.raises(DatabaseError, match="inside the retention period"), connection.cursor() as cursor:
        cursor.execute("SELECT reads_drop_day_partition(%s)", [today - timedelta(days=3)])
    with pytest.raises(DatabaseError, match="must be owner"), connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "reads_read_p{today - timedelta(days=3):%Y%m%d}"')
    assert Read.objects.count() == 1


def test_an_interrupted_run_is_finished_by_the_next(today, retention_floor):
    camera = CameraFactory()
    image = ingest(camera, "OLD", at(today - timedelta(days=9)), image_bytes(colour=(7, 7, 7)))
    default_storage.delete(image)  # as if the last run deleted the images, then died before the drop
    retention_floor("reads", 7)
    removed = reads_remove_expired()
    assert (removed["reads"], removed["images"]) == (1, 1)
    assert not Read.objects.exists()


def test_an_alert_keeps_the_image_it_needs_and_goes_with_its_read(today, make_user, retention_floor):
    camera = CameraFactory()
    officer = make_user("officer")
    add_entry(make_hotlist(officer), "HOT1", officer)
    image = ingest(camera, "HOT1", at(today - timedelta(days=9)), image_bytes(colour=(5, 5, 5)))
    assert alerts_remove_expired(now=timezone.now() + timedelta(days=720)) == {"alerts": 0, "images": 0}
    retention_floor("reads", 7)
    reads_remove_expired()
    assert not Read.objects.exists()
    assert Alert.objects.count() == 1 and default_storage.exists(image)  # the alert's evidence stays
    # ... until the alert goes, by its read's seen_at: never after the read.
    assert alerts_remove_expired() == {"alerts": 1, "images": 1}
    assert not default_storage.exists(image)


def test_the_audit_trail_outlives_reads_and_only_retention_deletes_it(make_user):
    with as_database_owner(), connection.cursor() as cursor:  # a row written eight years ago
        cursor.execute(
            "INSERT INTO audit_searchaudit (at, kind, username, purpose, reference, vrm, filters, "
            "result_count, result_count_capped, via) VALUES (now() - interval '8 years', 'search', "
            "'old', 'p', 'r', '', '{}', 0, false, 'portal')"
        )
    recent = SearchAudit.objects.create(
        kind="search", username="x", purpose="p", reference="r", result_count=0
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        SearchAudit.objects.all().delete()
    assert audit_remove_expired()["audit_searchaudit"] == 1  # past AUDIT_RETENTION_DAYS (seven years)
    assert list(SearchAudit.objects.values_list("pk", flat=True)) == [recent.pk]
    with connection.cursor() as cursor:  # the permission ended with that transaction
        cursor.execute("SELECT current_setting('anpr.audit_retention_before', true)")
        assert cursor.fetchone()[0] in (None, "")


def test_the_retention_job_records_what_it_removed(today):
    camera = CameraFactory()
    ingest(camera, "OLD", at(today - timedelta(days=729)))
    apply_retention.run()
    (run,) = JobRun.objects.filter(job="retention")
    assert run.outcome == "ok"
    assert run.details["reads"]["reads"] == 0  # 729 days old: inside the period
    assert set(run.details) == {
        "reads",
        "alerts",
        "access_requests",
        "audit",
        "video_files",
        "national_export_files",
    }
