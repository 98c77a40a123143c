"""The national daily export on real PostgreSQL: complete, in order, matching its manifest; late
reads in a supplement, never twice; missed days caught up; delivered to an endpoint when one is
set, retried and reported when not; files removed once delivered, kept, or past retention."""

import csv
import hashlib
import json
import threading
from datetime import UTC, date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.audit.models import JobRun
from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.portal.tasks import apply_retention
from apps.reads.evidence import check_image
from apps.reads.models import NationalExportFile
from apps.reads.national_export import COLUMNS
from apps.reads.national_export_runs import export_day, export_files_remove_expired, run_national_export
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tasks import national_export
from conftest import as_database_owner

from .helpers import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_dir(settings, tmp_path):
    settings.NATIONAL_EXPORT_DIR = tmp_path
    settings.FORCE_CODE = "LE"
    return tmp_path


@pytest.fixture
def day() -> date:
    return timezone.now().astimezone(UTC).date() - timedelta(days=1)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@pytest.fixture
def reads(day):
    fixed, van = CameraFactory(code="CAM-E1"), CameraFactory(code="VAN-E1", kind=Camera.Kind.MOBILE)
    picture = check_image(image_bytes())
    reads_ingest(
        items=[
            ReadInput(camera="CAM-E1", vrm="LAST1", seen_at=at(day, 23, 59), confidence=0.91),
            ReadInput(
                camera="CAM-E1", vrm="FIRST1", seen_at=at(day, 0, 0), confidence=0.5, plate_image=picture
            ),
            ReadInput(
                camera="VAN-E1",
                vrm="MID1",
                seen_at=at(day, 12),
                confidence=0.87654,
                latitude=52.6,
                longitude=-1.1,
            ),
            ReadInput(camera="CAM-E1", vrm="NEXTDAY", seen_at=at(day + timedelta(days=1), 0), confidence=0.9),
            ReadInput(
                camera="CAM-E1",
                vrm="DAYBEFORE",
                seen_at=at(day, 0) - timedelta(microseconds=1),
                confidence=0.9,
            ),
        ],
        source="camera",
    )
    return fixed, van, picture


def manifest_of(export_dir, name: str) -> dict:
    return json.loads((export_dir / name.replace(".csv", ".manifest.json")).read_text())


def vrms(export_dir, name: str) -> list[str]:
    return [row["vrm"] for row in csv.DictReader((export_dir / name).read_text().splitlines())]


def test_a_days_export_is_complete_ordered_and_matches_its_manifest(export_dir, day, reads):
    assert export_day(day) == f"LE-{day}-v2.csv"
    data = (export_dir / f"LE-{day}-v2.csv").read_bytes()
    rows = list(csv.DictReader(data.decode().splitlines()))
    assert [r["vrm"] for r in rows] == ["FIRST1", "MID1", "LAST1"]  # that day only, in time order
    assert rows[0]["seen_at"] == f"{day}T00:00:00.000000Z"
    picture = reads[2]
    # The image by the SHA-256 of its bytes, never by where it is stored.
    assert rows[0]["plate_image_sha256"] == hashlib.sha256(picture.content).hexdigest()
    assert picture.name not in data.decode() and "evidence/" not in data.decode()
    assert rows[1]["plate_image_sha256"] == rows[0]["overview_image_sha256"] == ""
    assert rows[0]["confidence"] == "0.5000"
    assert (rows[1]["camera"], rows[1]["latitude"], rows[1]["longitude"]) == (
        "VAN-E1",
        "52.600000",
        "-1.100000",
    )
    assert list(rows[0]) == list(COLUMNS)
    manifest = manifest_of(export_dir, f"LE-{day}-v2.csv")
    assert (manifest["rows"], manifest["bytes"], manifest["supplement"]) == (3, len(data), 0)
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert (manifest["format"], manifest["version"], manifest["force"]) == ("anpr-national-export", 2, "LE")
    assert not list(export_dir.glob("*.part"))


def late_read(day, vrm: str) -> None:
    reads_ingest(
        items=[ReadInput(camera="CAM-E1", vrm=vrm, seen_at=at(day, 18), confidence=0.9)], source="upload"
    )


# Committed for real, each ingest its own transaction: a read's received_at is its transaction's start.
@pytest.mark.django_db(transaction=True)
def test_reads_received_after_their_day_was_written_go_in_a_supplement_once(export_dir, day, reads):
    export_day(day)
    assert export_day(day) is None  # nothing new: no empty supplement
    late_read(day, "LATE1")
    late_read(day, "LATE2")
    assert export_day(day) == f"LE-{day}-v2-s1.csv"
    assert vrms(export_dir, f"LE-{day}-v2-s1.csv") == ["LATE1", "LATE2"]
    assert manifest_of(export_dir, f"LE-{day}-v2-s1.csv")["supplement"] == 1
    late_read(day, "LATE3")
    call_command("national_export", "--day", day.isoformat())
    assert vrms(export_dir, f"LE-{day}-v2-s2.csv") == ["LATE3"]
    every = [
        vrm
        for name in NationalExportFile.objects.values_list("name", flat=True)
        for vrm in vrms(export_dir, name)
    ]
    assert sorted(every) == sorted(["FIRST1", "MID1", "LAST1", "LATE1", "LATE2", "LATE3"])  # each once


def test_a_read_still_being_written_waits_for_the_next_file(export_dir, day, reads):
    """A read whose transaction began before the file was cut, and commits after, is not lost:
    the file stops at the start of the oldest transaction still open."""
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT now()")
            (started,) = cursor.fetchone()
            # The tests' connections sign in as the owner, whose sessions only the owner sees
            # (in service, ingest and the export are both the application's role).
            with as_database_owner():
                export_day(day)
            assert NationalExportFile.objects.get().received_before <= started
            cursor.execute("ROLLBACK")
    finally:
        other.close()


def test_days_the_job_missed_are_caught_up_oldest_first_and_an_upgrade_sends_only_yesterday(
    export_dir, settings
):
    today = timezone.now().astimezone(UTC).date()
    assert run_national_export(today)["written"] == [f"LE-{today - timedelta(days=1)}-v2.csv"]
    # The job then stops for three days: the next run writes each missed day.
    later = today + timedelta(days=3)
    written = run_national_export(later)["written"]
    assert written == [f"LE-{today + timedelta(days=n)}-v2.csv" for n in range(3)]
    settings.NATIONAL_EXPORT_CATCH_UP_DAYS = 2  # the two days before today, no further
    assert run_national_export(later + timedelta(days=5))["written"] == [
        f"LE-{later + timedelta(days=n)}-v2.csv" for n in (3, 4)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_file_goes_once_acknowledged_or_after_its_keeping_period(export_dir, day, reads, settings):
    export_day(day)
    late_read(day, "LATE1")
    export_day(day)
    main, supplement = (export_dir / f"LE-{day}-v2.csv"), (export_dir / f"LE-{day}-v2-s1.csv")
    (export_dir / f"{main.name}.ack").write_text("received")  # the receiver's acknowledgement
    result = run_national_export()
    assert (result["delivered"], result["removed"]) == ([main.name], [main.name])
    assert not main.exists() and not (export_dir / f"LE-{day}-v2.manifest.json").exists()
    assert supplement.exists()  # not acknowledged: kept
    settings.NATIONAL_EXPORT_KEEP_DAYS = 0
    assert export_files_remove_expired() == [supplement.name]
    assert not list(export_dir.iterdir())
    assert NationalExportFile.objects.filter(removed_at=None).count() == 0


def test_no_file_outlives_read_retention_whatever_else(export_dir, settings):
    old, recent = (timezone.now().astimezone(UTC).date() - timedelta(days=n) for n in (10, 3))
    export_day(old)
    export_day(recent)
    settings.NATIONAL_EXPORT_KEEP_DAYS = 10_000
    settings.READ_RETENTION_DAYS = 5
    apply_retention.apply()
    assert not (export_dir / f"LE-{old}-v2.csv").exists()
    assert (export_dir / f"LE-{recent}-v2.csv").exists()
    assert JobRun.objects.get(job="retention").details["national_export_files"] == [f"LE-{old}-v2.csv"]


class Endpoint(BaseHTTPRequestHandler):
    received: dict = {}
    failures_left = 0

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if Endpoint.failures_left:
            Endpoint.failures_left -= 1
            self.send_response(503)
        else:
            Endpoint.received[self.path] = (body, self.headers["Authorization"])
            self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint(settings):
    server = HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Endpoint.received, Endpoint.failures_left = {}, 0
    settings.NATIONAL_EXPORT_URL = f"http://127.0.0.1:{server.server_port}/incoming"
    settings.NATIONAL_EXPORT_TOKEN = "t0ken"
    yield Endpoint
    server.shutdown()


def test_the_files_are_delivered_to_the_endpoint_then_removed(export_dir, day, reads, endpoint):
    export_day(day)
    body = (export_dir / f"LE-{day}-v2.csv").read_bytes()
    result = run_national_export(day + timedelta(days=1))
    assert set(endpoint.received) == {f"/incoming/LE-{day}-v2.csv", f"/incoming/LE-{day}-v2.manifest.json"}
    assert endpoint.received[f"/incoming/LE-{day}-v2.csv"] == (body, "Bearer t0ken")
    assert result["removed"] == [f"LE-{day}-v2.csv"] and not list(export_dir.iterdir())


def test_a_failed_delivery_is_reported_and_retried_until_it_succeeds(export_dir, day, reads, endpoint):
    endpoint.failures_left = 3
    national_export.apply()
    runs = list(JobRun.objects.filter(job="national-export").order_by("id").values_list("outcome", flat=True))
    assert runs == ["failed", "failed", "failed", "ok"]
    last = JobRun.objects.filter(job="national-export").latest("id")
    assert (last.details["delivered"], last.details["attempt"]) == ([f"LE-{day}-v2.csv"], 4)
    first = JobRun.objects.filter(job="national-export").earliest("id")
    assert first.details["written"] == [f"LE-{day}-v2.csv"] and "503" in first.error
    assert NationalExportFile.objects.count() == 1  # written once, delivered on the retry


def test_a_link_planted_in_the_export_directory_is_not_followed(export_dir, day, reads, tmp_path_factory):
    victim = tmp_path_factory.mktemp("elsewhere") / "precious.txt"
    victim.write_text("keep me")
    for planted in (f"LE-{day}-v2.csv.part", f"LE-{day}-v2.manifest.json.part"):
        (export_dir / planted).symlink_to(victim)
    assert export_day(day) == f"LE-{day}-v2.csv"
    assert victim.read_text() == "keep me"
    assert vrms(export_dir, f"LE-{day}-v2.csv") == ["FIRST1", "MID1", "LAST1"]
