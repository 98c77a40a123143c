"""Finding 1: camera accounts were not tied to cameras.

Any camera token could post reads for any live camera, any plate, up to 730 days back (forged
evidence, "stop" alerts against an innocent vehicle), and the ingest reply told the caller which
hotlist and action a plate matches, so a token was a hotlist lookup.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.audit.models import SecurityEvent
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read

pytestmark = pytest.mark.django_db
URL = "/api/v1/reads/"


@pytest.fixture
def cameras():
    return CameraFactory(code="CAM-MINE"), CameraFactory(code="CAM-THEIRS")


def read(camera: str, vrm: str = "AB12CDE", **fields) -> dict:
    return {"camera": camera, "vrm": vrm, "seen_at": timezone.now().isoformat(), "confidence": 0.9} | fields


def test_a_camera_account_posts_only_for_its_own_cameras_and_a_mixed_batch_stores_nothing(
    make_user, api_client_for, cameras
):
    gateway = api_client_for(make_user("camera", cameras=["CAM-MINE"]))
    response = gateway.post(URL, [read("CAM-MINE"), read("cam-theirs ")], format="json")
    assert response.status_code == 403
    assert "CAM-THEIRS" in response.json()["detail"] and "CAM-MINE" not in response.json()["detail"]
    assert Read.objects.count() == 0
    assert gateway.post(URL, [read("CAM-MINE")], format="json").status_code == 201


def test_an_account_bound_to_no_camera_posts_for_none(make_user, api_client_for, cameras):
    for account in (make_user("camera"), make_user("administrator")):  # admins back-load, not post
        response = api_client_for(account).post(URL, [read("CAM-MINE")], format="json")
        assert response.status_code == 403
    assert Read.objects.count() == 0


def test_a_feed_cannot_forge_a_past(make_user, api_client_for, cameras, settings):
    gateway = api_client_for(make_user("camera", cameras=["CAM-MINE"]))
    long_ago = (timezone.now() - timedelta(days=settings.READ_FEED_MAX_AGE_DAYS + 1)).isoformat()
    response = gateway.post(URL, [read("CAM-MINE", seen_at=long_ago)], format="json")
    assert response.status_code == 400
    assert Read.objects.count() == 0


def test_the_ingest_reply_is_no_hotlist_lookup(make_user, api_client_for, cameras):
    admin = make_user("administrator")
    add_entry(make_hotlist(admin, name="Stolen"), "ST12OLN", admin)
    add_entry(make_hotlist(admin, name="Nightjar", covert=True), "CV12RTX", admin)
    fixed = api_client_for(make_user("camera", cameras=["CAM-MINE"]))
    reply = fixed.post(URL, [read("CAM-MINE", "ST12OLN"), read("CAM-MINE", "CV12RTX")], format="json").json()
    assert reply["stored"] == 2 and reply["alerts"] == []  # a fixed camera learns nothing
    assert Alert.objects.count() == 2  # yet the alerts are raised for the desk
    patrol_car = api_client_for(make_user("camera", cameras=["CAM-MINE"], in_vehicle=True))
    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    reply = patrol_car.post(
        URL,
        [read("CAM-MINE", "ST12OLN", seen_at=later), read("CAM-MINE", "CV12RTX", seen_at=later)],
        format="json",
    ).json()
    assert [(hit["vrm"], hit["hotlist"]) for hit in reply["alerts"]] == [("ST12OLN", "Stolen")]


def test_binding_is_for_administrators_and_audited(make_user, api_client_for, cameras):
    gateway = make_user("camera", username="gw-bind")
    admin = api_client_for(make_user("administrator", username="admin-bind"))
    officer = api_client_for(make_user("officer"))
    body = {"cameras": ["cam-mine"], "in_vehicle_unit": True}
    assert officer.put(f"/api/v1/camera-accounts/{gateway.pk}/", body, format="json").status_code == 403
    answer = admin.put(f"/api/v1/camera-accounts/{gateway.pk}/", body, format="json")
    assert answer.status_code == 200
    assert answer.json() | {"id": 0} == {
        "id": 0,
        "username": "gw-bind",
        "is_active": True,
        "cameras": ["CAM-MINE"],
        "in_vehicle_unit": True,
    }
    event = SecurityEvent.objects.get(username="gw-bind", detail__action="cameras bound")
    assert (event.actor, event.detail["before"], event.detail["after"]) == ("admin-bind", [], ["CAM-MINE"])
    unknown = admin.put(f"/api/v1/camera-accounts/{gateway.pk}/", {"cameras": ["NOPE"]}, format="json")
    assert unknown.status_code == 400 and "NOPE" in str(unknown.json())


def test_a_code_sent_as_a_number_is_checked_like_any_other(make_user, api_client_for):
    CameraFactory(code="CAM-MINE")
    CameraFactory(code="12345")
    gateway = api_client_for(make_user("camera", cameras=["CAM-MINE"]))
    response = gateway.post(URL, [read(12345)], format="json")
    assert response.status_code == 403 and "12345" in response.json()["detail"]
    assert Read.objects.count() == 0


def test_the_command_gives_staff_no_long_lived_token(make_user):
    from django.core.management import CommandError, call_command

    officer = make_user("officer", username="pc-long")
    with pytest.raises(CommandError, match="working day"):
        call_command("create_api_token", "pc-long", "--days", "3650")
    assert not officer.auth_token_set.exists()
