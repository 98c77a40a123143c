"""manage.py load_reads: a large CSV is checked whole, stored in chunks, and can be run again."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from apps.audit.models import JobRun
from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db

HEADER = "camera,vrm,seen_at,confidence,read_id,latitude,longitude\n"


def rows(count: int, *, camera="CAM-L", start_days=40) -> str:
    """`count` reads over the last `start_days` days, out of time order (a merged store's export)."""
    now = timezone.now()
    start = now - timedelta(days=start_days)
    moments = [start + timedelta(minutes=7 * ((n * 37) % count)) for n in range(count)]
    return "".join(f"{camera},LD{n:05d}A,{moment.isoformat()},0.9,,,\n" for n, moment in enumerate(moments))


def load(path, **options) -> str:
    out = StringIO()
    call_command("load_reads", str(path), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_a_file_is_stored_in_chunks_and_a_second_run_stores_nothing_twice(tmp_path, make_user):
    CameraFactory(code="CAM-L")
    officer = make_user("officer")
    add_entry(make_hotlist(officer, name="Loaded"), "LD00007A", officer)
    path = tmp_path / "reads.csv"
    path.write_text(HEADER + rows(250))

    assert load(path, chunk=40).startswith("250 rows: 250 stored, 0 already held")
    assert Read.objects.count() == 250
    assert Read.objects.filter(source=Read.Source.UPLOAD).count() == 250
    # A back-loaded sighting of a listed plate is a historic hit: the vehicle is long gone.
    alert = Alert.objects.get(vrm="LD00007A")
    assert alert.historic

    run = JobRun.objects.get(job="load-reads")
    assert run.outcome == JobRun.Outcome.OK
    assert run.details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (run.details["rows"], run.details["stored"]) == (250, 250)

    # A load stopped part way is finished by running it again: what is held is not stored twice.
    assert load(path, chunk=64).startswith("250 rows: 0 stored, 250 already held")
    assert Read.objects.count() == 250 and Alert.objects.count() == 1


def test_one_bad_row_stores_nothing_and_is_named_by_its_line(tmp_path):
    CameraFactory(code="CAM-L")
    now = timezone.now()
    path = tmp_path / "reads.csv"
    path.write_text(
        HEADER
        + rows(100)
        + f"CAM-NOPE,AB12CDE,{now.isoformat()},0.9,,,\n"
        + f"CAM-L,AB12CDE,{(now + timedelta(days=2)).isoformat()},1.5,not-an-id,,\n"
    )
    errors = StringIO()
    with pytest.raises(CommandError, match="2 row\\(s\\) to fix; nothing was stored"):
        call_command("load_reads", str(path), chunk=30, stdout=StringIO(), stderr=errors)
    listed = errors.getvalue()
    assert "line 102, camera: Unknown camera 'CAM-NOPE'." in listed
    assert "line 103, confidence:" in listed and "line 103, read_id:" in listed
    assert Read.objects.count() == 0
    run = JobRun.objects.get(job="load-reads")
    assert run.outcome == JobRun.Outcome.FAILED and run.details["faulty_rows"] == 2


def test_a_vehicle_mounted_camera_s_reads_keep_their_own_position(tmp_path):
    CameraFactory(code="CAM-V", kind=Camera.Kind.MOBILE, latitude=None, longitude=None)
    moment = (timezone.now() - timedelta(days=3)).isoformat()
    path = tmp_path / "reads.csv"
    path.write_text(HEADER + f"CAM-V,MV1AAA,{moment},0.8,0f8fad5b-d9cb-469f-a165-70867728950e,51.5,-0.12\n")
    load(path)
    read = Read.objects.get()
    assert (read.latitude, read.longitude) == (51.5, -0.12)
    assert str(read.read_uuid) == "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00bad\n", "not UTF-8"),
        (b"camera,vrm\nCAM-L,AB1\n", "lacks: seen_at, confidence"),
        (b"camera,vrm,seen_at,confidence\n", "no reads"),
        (b'camera,vrm,seen_at,confidence\nCAM-L,"' + b"A" * 200_000 + b'",x,1\n', "not well-formed CSV"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(tmp_path, content, message):
    path = tmp_path / "reads.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        load(path)
    assert Read.objects.count() == 0


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        load(tmp_path / "absent.csv")


def test_two_batches_in_one_transaction_are_each_stored_once():
    # Ingest moves each batch out of its session's staging table: a second batch in the same
    # transaction must not carry the first one in again.
    CameraFactory(code="CAM-T")
    now = timezone.now()
    with transaction.atomic():
        first = reads_ingest(items=[ReadInput("CAM-T", "TX1AAA", now, 0.9)], source="upload")
        second = reads_ingest(items=[ReadInput("CAM-T", "TX2AAA", now, 0.9)], source="upload")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM reads_incoming")
            assert cursor.fetchone()[0] == 0
    assert (first.stored, second.stored, second.duplicates) == (1, 1, 0)
    assert sorted(Read.objects.values_list("vrm", flat=True)) == ["TX1AAA", "TX2AAA"]
