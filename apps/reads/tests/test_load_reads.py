"""manage.py load_reads: a large CSV is checked whole, stored in chunks, and can be run again."""

import hashlib
import threading
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
from apps.reads import back_load
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
    assert load(path, chunk=50).startswith("250 rows: 0 stored, 250 already held")
    assert Read.objects.count() == 250 and Alert.objects.count() == 1
    # Chunks that end exactly at the file's end: the digest is still the whole file's.
    again = JobRun.objects.filter(job="load-reads").order_by("-id").first()
    assert again.details["sha256"] == run.details["sha256"] and again.details["duplicates"] == 250


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


def test_faults_are_named_by_the_line_their_row_ends_on(tmp_path):
    CameraFactory(code="CAM-L")
    moment = timezone.now().isoformat()
    path = tmp_path / "reads.csv"
    path.write_text(
        "camera,vrm,seen_at,confidence,direction\n"
        f'CAM-L,AB1,{moment},0.9,"N\nS"\n'  # a field over two lines: lines 2 and 3
        "\n"  # a blank line 4
        f"CAM-NOPE,AB2,{moment},0.9,N\n"  # line 5
    )
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("load_reads", str(path), stdout=StringIO(), stderr=errors)
    assert "line 5, camera: Unknown camera 'CAM-NOPE'." in errors.getvalue()


def test_a_file_changed_after_its_check_stores_nothing_of_the_change(monkeypatch, tmp_path):
    CameraFactory(code="CAM-L")
    path = tmp_path / "reads.csv"
    path.write_text(HEADER + rows(100))
    checked = back_load.parse_batch

    def check_then_change(items, *, source):
        result = checked(items, source=source)
        with path.open("a") as more:  # once the check has read it, the file grows
            more.write(f"CAM-L,ZZ9ZZZ,{timezone.now().isoformat()},0.9,,,\n")
        return result

    monkeypatch.setattr(back_load, "parse_batch", check_then_change)
    with pytest.raises(CommandError, match="changed after it was checked"):
        load(path, chunk=60)
    assert not Read.objects.filter(vrm="ZZ9ZZZ").exists()
    assert Read.objects.count() == 0  # the first chunk's digest already differed: the file had grown


def test_a_row_that_no_longer_passes_stops_the_load_and_says_where(monkeypatch, tmp_path):
    camera = CameraFactory(code="CAM-L")
    other = CameraFactory(code="CAM-M")
    path = tmp_path / "reads.csv"
    path.write_text(HEADER + rows(60) + rows(40, camera="CAM-M"))
    checked = back_load.parse_batch
    calls = []

    def check_then_withdraw(items, *, source):
        calls.append(len(items))
        result = checked(items, source=source)
        if sum(calls) == 100:  # checked whole: now the second camera turns out never approved
            Camera.objects.filter(pk=other.pk).update(status=Camera.Status.PROPOSED)
        return result

    monkeypatch.setattr(back_load, "parse_batch", check_then_withdraw)
    with pytest.raises(
        CommandError, match=r"Stopped after 60 rows \(60 stored\): line 62, camera: .*proposed"
    ):
        load(path, chunk=60)
    assert Read.objects.filter(camera=camera).count() == 60
    assert not Read.objects.filter(camera=other).exists()
    run = JobRun.objects.get(job="load-reads")
    assert run.outcome == JobRun.Outcome.FAILED and (run.details["rows"], run.details["stored"]) == (60, 60)


def test_an_interrupted_load_is_recorded_with_what_it_stored(monkeypatch, tmp_path):
    CameraFactory(code="CAM-L")
    path = tmp_path / "reads.csv"
    path.write_text(HEADER + rows(100))
    store = back_load.reads_ingest
    chunks = []

    def store_then_interrupt(*, items, source):
        chunks.append(len(items))
        if len(chunks) == 2:
            raise KeyboardInterrupt
        return store(items=items, source=source)

    monkeypatch.setattr(back_load, "reads_ingest", store_then_interrupt)
    threads = threading.active_count()
    with pytest.raises(KeyboardInterrupt):
        load(path, chunk=30)
    run = JobRun.objects.get(job="load-reads")
    assert run.outcome == JobRun.Outcome.FAILED and run.error == "KeyboardInterrupt"
    assert (run.details["rows"], run.details["stored"]) == (30, 30) == (30, Read.objects.count())
    assert threading.active_count() == threads  # the reading thread stopped with the load


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


def test_of_two_items_with_the_same_camera_plate_and_moment_the_first_is_stored():
    CameraFactory(code="CAM-T")
    now = timezone.now()
    result = reads_ingest(
        items=[
            ReadInput("CAM-T", "TX3AAA", now, 0.61),
            ReadInput("CAM-T", "TX4AAA", now - timedelta(seconds=5), 0.9),
            ReadInput("CAM-T", "TX3AAA", now, 0.99),
        ],
        source="upload",
    )
    assert (result.stored, result.duplicates) == (2, 1)
    assert Read.objects.get(vrm="TX3AAA").confidence == pytest.approx(0.61)
