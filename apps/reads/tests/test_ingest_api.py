"""POST /api/v1/reads/: idempotent, all-or-nothing, and clear about every bad item."""

import uuid
from datetime import UTC, timedelta

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.reads.models import Read
from apps.reads.tests.helpers import b64, image_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/"


@pytest.fixture
def camera():
    return CameraFactory(code="CAM-A")


@pytest.fixture
def gateway(make_user, api_client_for, camera):
    return api_client_for(make_user("camera", cameras=[camera]))


def item(**overrides):
    read = {"camera": "CAM-A", "vrm": "ab12 cde", "seen_at": timezone.now().isoformat(), "confidence": 0.93}
    return read | overrides


def stored() -> int:
    return Read.objects.count()


def test_a_batch_is_stored_with_normalised_plates(gateway, camera):
    response = gateway.post(URL, [item(), item(vrm="XY99ZZZ", direction="northbound", lane=2)], format="json")
    assert response.status_code == 201
    assert response.json() == {"stored": 2, "duplicates": 0, "alerts": []}
    read = Read.objects.get(vrm="AB12CDE")
    assert (read.vrm_as_read, read.camera_id, read.source) == ("ab12 cde", camera.pk, "camera")


def test_a_colour_the_camera_sends_is_stored_and_one_not_in_the_list_refused(gateway, camera):
    body = [item(colour="red"), item(vrm="XY99ZZZ", colour=None), item(vrm="GH12JKL")]
    assert gateway.post(URL, body, format="json").json()["stored"] == 3
    assert dict(Read.objects.values_list("vrm", "colour")) == {
        "AB12CDE": "red",
        "XY99ZZZ": None,
        "GH12JKL": None,
    }
    for wrong in ("Red", "purple", " red", "", 3):
        response = gateway.post(URL, [item(vrm="MN34PQR", colour=wrong)], format="json")
        assert response.status_code == 400, wrong
        assert "colour" in response.json()["detail"]["items"]["0"]
    assert stored() == 3


def test_an_overview_image_gives_a_posted_read_no_colour(gateway, camera):
    # Ingest decodes no picture: a colour comes from the camera, or the read has none.
    red_car = b64(image_bytes(size=(640, 480), colour=(170, 25, 30)))
    assert gateway.post(URL, [item(overview_image=red_car)], format="json").json()["stored"] == 1
    assert Read.objects.get().colour is None


def test_the_same_read_id_posted_twice_is_stored_once(gateway, camera):
    read_id = str(uuid.uuid4())
    first = item(read_id=read_id)
    assert gateway.post(URL, [first], format="json").json()["stored"] == 1
    # A retry may even carry a re-rounded timestamp: the read id still identifies it.
    retry = first | {"seen_at": (timezone.now() - timedelta(milliseconds=3)).isoformat()}
    assert gateway.post(URL, [retry], format="json").json() == {"stored": 0, "duplicates": 1, "alerts": []}
    assert stored() == 1


def test_the_same_camera_plate_and_moment_is_stored_once(gateway, camera):
    moment = timezone.now().isoformat()
    body = [item(seen_at=moment), item(seen_at=moment, vrm="AB12CDE")]  # same plate once normalised
    assert gateway.post(URL, body, format="json").json() == {"stored": 1, "duplicates": 1, "alerts": []}
    assert gateway.post(URL, [item(seen_at=moment)], format="json").json()["duplicates"] == 1
    assert stored() == 1


def test_one_bad_item_rejects_the_whole_batch_naming_every_fault(gateway, camera):
    body = [
        item(),
        item(seen_at=(timezone.now() - timedelta(days=15)).isoformat()),
        item(confidence=1.5),
        item(seen_at=(timezone.now() + timedelta(hours=1)).isoformat()),
        "not an object",
        item(seen_at="yesterday"),
    ]
    response = gateway.post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["detail"]["items"]
    assert set(errors) == {"1", "2", "3", "4", "5"}
    assert "a camera's feed sends recent reads" in errors["1"]["seen_at"][0]
    assert "confidence" in errors["2"]
    assert "future" in errors["3"]["seen_at"][0]
    assert "item" in errors["4"]
    assert "seen_at" in errors["5"]
    assert stored() == 0


def test_images_are_checked_by_content_and_stored_under_their_hash(gateway, camera, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plate = image_bytes()
    response = gateway.post(
        URL, [item(plate_image=b64(plate), overview_image=b64(image_bytes((640, 480))))], format="json"
    )
    assert response.status_code == 201
    read = Read.objects.get()
    import hashlib

    assert read.plate_image.endswith(hashlib.sha256(plate).hexdigest() + ".jpg")
    assert default_storage.open(read.plate_image).read() == plate


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b64(b"%PDF-1.7 not an image at all"), "not a JPEG, PNG or WebP"),
        (b64(image_bytes()[:200]), "damaged"),
        ("***not base64***", "base64"),
        (b64(image_bytes(image_format="GIF")), "GIF images are not accepted"),
    ],
)
def test_bad_images_are_refused_with_a_reason(gateway, camera, payload, message):
    response = gateway.post(URL, [item(plate_image=payload)], format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]["items"]["0"]["plate_image"][0]
    assert stored() == 0


def test_oversized_images_and_pixel_bombs_are_refused(gateway, camera, settings):
    settings.READ_IMAGE_MAX_BYTES = 1000
    response = gateway.post(URL, [item(overview_image=b64(image_bytes((400, 400))))], format="json")
    assert "limit is 1,000" in response.json()["detail"]["items"]["0"]["overview_image"][0]
    settings.READ_IMAGE_MAX_BYTES = 2_000_000
    bomb = image_bytes((8000, 8000), image_format="PNG")  # small file, 64 megapixels
    response = gateway.post(URL, [item(overview_image=b64(bomb))], format="json")
    assert "more pixels" in response.json()["detail"]["items"]["0"]["overview_image"][0]
    assert stored() == 0


def test_vehicle_mounted_cameras_must_say_where_they_were(make_user, api_client_for):
    CameraFactory(code="VAN-1", kind=Camera.Kind.MOBILE, latitude=None, longitude=None)
    gateway = api_client_for(make_user("camera", cameras=["VAN-1"]))
    response = gateway.post(URL, [item(camera="VAN-1")], format="json")
    assert "latitude" in response.json()["detail"]["items"]["0"]
    ok = gateway.post(URL, [item(camera="VAN-1", latitude=52.1, longitude=-1.2)], format="json")
    assert ok.status_code == 201
    assert (Read.objects.get().latitude, Read.objects.get().longitude) == (52.1, -1.2)


def test_cameras_that_are_not_live_may_not_post(make_user, api_client_for):
    CameraFactory(code="CAM-P", status=Camera.Status.PROPOSED)
    CameraFactory(code="CAM-S", status=Camera.Status.SUSPENDED)
    gateway = api_client_for(make_user("camera", cameras=["CAM-P", "CAM-S"]))
    response = gateway.post(URL, [item(camera="CAM-P"), item(camera="CAM-S")], format="json")
    errors = response.json()["detail"]["items"]
    assert "proposed" in errors["0"]["camera"][0] and "suspended" in errors["1"]["camera"][0]


def test_a_cameras_feed_sends_only_recent_reads(gateway, camera, settings):
    old = (timezone.now() - timedelta(days=settings.READ_FEED_MAX_AGE_DAYS, minutes=1)).isoformat()
    errors = gateway.post(URL, [item(seen_at=old)], format="json").json()["detail"]["items"]
    assert "an administrator back-loads older ones" in errors["0"]["seen_at"][0]
    recent = (timezone.now() - timedelta(days=settings.READ_FEED_MAX_AGE_DAYS - 1)).isoformat()
    assert gateway.post(URL, [item(seen_at=recent)], format="json").status_code == 201


@pytest.mark.parametrize("body", [{}, [], "text", None])
def test_the_body_must_be_a_non_empty_list(gateway, camera, body):
    response = gateway.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


def test_malformed_json_is_a_400(gateway, camera):
    response = gateway.post(URL, "[{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "parse_error"


def test_batches_over_the_limit_are_refused(gateway, camera, settings):
    settings.READ_BATCH_MAX = 3
    response = gateway.post(URL, [item(vrm=f"AB{n}") for n in range(4)], format="json")
    assert "At most 3" in response.json()["detail"]["items"][0]
    assert stored() == 0


def test_reads_spanning_days_land_in_their_day_partitions(gateway, camera):
    from apps.reads.partitions import existing_partition_days

    moments = [timezone.now() - timedelta(days=d) for d in (0, 1, 10)]
    gateway.post(
        URL, [item(vrm=f"AB{n}", seen_at=m.isoformat()) for n, m in enumerate(moments)], format="json"
    )
    assert {m.astimezone(UTC).date() for m in moments} <= existing_partition_days()
    assert stored() == 3


def test_staff_cannot_post_reads_and_cameras_cannot_search(make_user, api_client_for, camera):
    officer = api_client_for(make_user("officer"))
    assert officer.post(URL, [item()], format="json").status_code == 403
    gateway = api_client_for(make_user("camera", cameras=[camera]))
    search = {"vrm": "AB12CDE", "purpose": "intelligence", "reference": "REF-1"}
    assert gateway.get(URL, search).status_code == 403
    assert stored() == 0


@pytest.mark.embedded
@pytest.mark.django_db(transaction=True)
def test_a_lost_database_connection_is_a_503_to_retry_and_stores_nothing(gateway, camera):
    # The server ends this connection, as a restart or failover does: the gateway is told to
    # try again, and the same batch then goes in once.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with _other_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    batch = [item(read_id=str(uuid.uuid4()))]
    response = gateway.post(URL, batch, format="json")
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
    assert response["Retry-After"] == "5"
    connection.close()
    assert stored() == 0
    assert gateway.post(URL, batch, format="json").json()["stored"] == 1
    assert gateway.post(URL, batch, format="json").json()["duplicates"] == 1
    assert stored() == 1


def _other_connection() -> psycopg.Connection:
    # A second session on the server the settings name, built as Django builds its own: the
    # embedded server is reached by a socket directory in OPTIONS (HOST is empty), a machine
    # server by host and port, and the role's password comes along either way.
    return psycopg.connect(**connection.get_connection_params(), autocommit=True)
