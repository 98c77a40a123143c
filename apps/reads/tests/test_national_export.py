"""The national daily export on real PostgreSQL: complete, in order, byte-identical on re-run,
matching its manifest; delivered to an endpoint when one is set, retried and reported when not."""

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
from apps.reads.evidence import check_image
from apps.reads.national_export import COLUMNS, ExportNotDelivered, export_day
from apps.reads.services import ReadInput, ingest_reads
from apps.reads.tasks import export_previous_day

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
    ingest_reads(
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


def test_a_days_export_is_complete_ordered_and_matches_its_manifest(export_dir, day, reads):
    manifest = export_day(day)
    data = (export_dir / f"LE-{day}-v1.csv").read_bytes()
    rows = list(csv.DictReader(data.decode().splitlines()))
    assert [r["vrm"] for r in rows] == ["FIRST1", "MID1", "LAST1"]  # that day only, in time order
    assert rows[0]["seen_at"] == f"{day}T00:00:00.000000Z"
    assert rows[0]["plate_image"] == reads[2].name and rows[0]["confidence"] == "0.5000"
    assert (rows[1]["camera"], rows[1]["latitude"], rows[1]["longitude"]) == (
        "VAN-E1",
        "52.600000",
        "-1.100000",
    )
    assert list(rows[0]) == list(COLUMNS)
    on_disk = json.loads((export_dir / f"LE-{day}-v1.manifest.json").read_text())
    assert on_disk == manifest
    assert (manifest["rows"], manifest["bytes"]) == (3, len(data))
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert (manifest["format"], manifest["version"], manifest["force"]) == ("anpr-national-export", 1, "LE")


def test_exporting_a_day_again_gives_identical_bytes(export_dir, day, reads):
    export_day(day)
    first = {p.name: p.read_bytes() for p in export_dir.iterdir()}
    call_command("national_export", "--day", day.isoformat())
    assert {p.name: p.read_bytes() for p in export_dir.iterdir()} == first
    assert not list(export_dir.glob("*.part"))


def test_a_day_without_reads_is_a_header_and_a_manifest_of_none(export_dir):
    manifest = export_day(date(2026, 1, 1))
    assert manifest["rows"] == 0
    assert (export_dir / "LE-2026-01-01-v1.csv").read_text() == ",".join(COLUMNS) + "\n"


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


def test_the_files_are_delivered_to_the_endpoint(export_dir, day, reads, endpoint):
    export_day(day)
    assert set(endpoint.received) == {f"/incoming/LE-{day}-v1.csv", f"/incoming/LE-{day}-v1.manifest.json"}
    body, authorization = endpoint.received[f"/incoming/LE-{day}-v1.csv"]
    assert body == (export_dir / f"LE-{day}-v1.csv").read_bytes()
    assert authorization == "Bearer t0ken"


def test_a_failed_delivery_is_reported_and_retried_until_it_succeeds(export_dir, day, reads, endpoint):
    endpoint.failures_left = 2
    with pytest.raises(ExportNotDelivered):
        export_day(day)
    endpoint.failures_left = 2
    export_previous_day.apply(kwargs={"day": day.isoformat()})
    runs = list(JobRun.objects.filter(job="national-export").order_by("id").values_list("outcome", flat=True))
    assert runs == ["failed", "failed", "ok"]
    last = JobRun.objects.filter(job="national-export").latest("id")
    assert (last.details["day"], last.details["rows"], last.details["attempt"]) == (day.isoformat(), 3, 3)
    assert "503" in JobRun.objects.filter(outcome="failed").first().error
