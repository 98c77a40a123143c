"""Hotlists and entries over the API and the portal: who may manage, imports, covert lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert, HotlistEntry
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db
GOOD_CSV = (
    "vrm,reason,action,markers,information,expires_at\n"
    "AA11AAA,stolen,stop,weapons;violent,Taken from driveway,\n"
    "BB22BBB,no_insurance,observe,,,2030-01-01T00:00:00Z\n"
    "cc33 ccc,wanted,stop,,,\n"
)


@pytest.fixture
def admin(make_user):
    return make_user("administrator", username="admin-h")


def upload(text, mode="merge"):
    return {"file": SimpleUploadedFile("list.csv", text.encode()), "mode": mode}


def test_administrators_create_lists_officers_may_not(admin, make_user, api_client_for):
    body = {"name": "ANPR local", "source": "local", "priority": 2, "active": True, "covert": False}
    created = api_client_for(admin).post("/api/v1/hotlists/", body, format="json")
    assert created.status_code == 201
    assert created.json() == {"id": created.json()["id"], **body}
    officer = api_client_for(make_user("officer"))
    assert officer.post("/api/v1/hotlists/", body | {"name": "Mine"}, format="json").status_code == 403
    assert [h["name"] for h in officer.get("/api/v1/hotlists/").json()] == ["ANPR local"]


def test_entries_through_the_api(admin, api_client_for):
    hotlist = make_hotlist(admin)
    api = api_client_for(admin)
    url = f"/api/v1/hotlists/{hotlist.pk}/entries/"
    entry = {
        "vrm": "ab12 cde",
        "reason": "stolen",
        "action": "stop",
        "markers": ["firearms"],
        "information": "Seen in Leicester",
        "expires_at": "2030-01-01T00:00:00Z",
    }
    created = api.post(url, entry, format="json")
    assert created.status_code == 201 and created.json()["vrm"] == "AB12CDE"
    entry_id = created.json()["id"]
    assert api.patch(f"{url}{entry_id}/", {"action": "observe"}, format="json").json()["action"] == "observe"
    assert HotlistEntry.objects.get(pk=entry_id).information == "Seen in Leicester"  # a patch keeps the rest
    assert api.post(url, entry, format="json").status_code == 400  # the same plate twice on a list
    assert api.get(url).json()["count"] == 1
    assert api.delete(f"{url}{entry_id}/").status_code == 204


def test_officers_may_not_change_entries(admin, make_user, api_client_for):
    hotlist = make_hotlist(admin)
    officer = api_client_for(make_user("officer"))
    response = officer.post(
        f"/api/v1/hotlists/{hotlist.pk}/entries/",
        {"vrm": "X1", "reason": "stolen", "action": "stop"},
        format="json",
    )
    assert response.status_code == 403


def test_a_bad_import_changes_nothing_and_names_every_bad_row(admin, api_client_for):
    hotlist = make_hotlist(admin)
    add_entry(hotlist, "KEEP123", admin)
    bad = (
        GOOD_CSV
        + "DD44DDD,joyriding,stop,,,\n,stolen,stop,,,\n"
        + "EE55EEE,stolen,arrest,,,not-a-date\nAA11AAA,stolen,stop,,,\n"
    )
    response = api_client_for(admin).post(
        f"/api/v1/hotlists/{hotlist.pk}/entries/import/", upload(bad, "replace")
    )
    assert response.status_code == 400
    problems = {(int(p["row"]), p["column"]) for p in response.json()["detail"]["rows"]}
    assert problems == {(5, "reason"), (6, "vrm"), (7, "action"), (7, "expires_at"), (8, "vrm")}
    assert list(hotlist.entries.values_list("vrm", flat=True)) == ["KEEP123"]


def test_import_merges_or_replaces_and_the_same_file_twice_changes_nothing(admin, api_client_for):
    hotlist = make_hotlist(admin)
    add_entry(hotlist, "KEEP123", admin)
    api = api_client_for(admin)
    url = f"/api/v1/hotlists/{hotlist.pk}/entries/import/"
    assert api.post(url, upload(GOOD_CSV)).json() == {"added": 3, "updated": 0, "removed": 0, "unchanged": 0}
    assert api.post(url, upload(GOOD_CSV)).json() == {"added": 0, "updated": 0, "removed": 0, "unchanged": 3}
    assert hotlist.entries.count() == 4
    entry = hotlist.entries.get(vrm="AA11AAA")
    assert (entry.markers, entry.information) == (["weapons", "violent"], "Taken from driveway")
    changed = GOOD_CSV.replace("stolen,stop,weapons;violent", "stolen,observe,weapons;violent")
    assert api.post(url, upload(changed, "replace")).json() == {
        "added": 0,
        "updated": 1,
        "removed": 1,
        "unchanged": 2,
    }
    assert set(hotlist.entries.values_list("vrm", flat=True)) == {"AA11AAA", "BB22BBB", "CC33CCC"}
    from auditlog.models import LogEntry

    logged = [
        e.additional_data
        for e in LogEntry.objects.get_for_object(hotlist).order_by("pk")
        if e.additional_data
    ]
    assert logged[-1] == {"added": 0, "updated": 1, "removed": 1, "unchanged": 2}
    assert len(logged) == 3
    # Each entry a replace takes off is logged with its plate, as deleting it alone would be.
    from django.contrib.contenttypes.models import ContentType

    entries = ContentType.objects.get_for_model(hotlist.entries.model)
    [gone] = LogEntry.objects.filter(content_type=entries, action=LogEntry.Action.DELETE)
    assert (gone.changes_dict["vrm"][0], gone.changes_dict["hotlist"][0]) == ("KEEP123", str(hotlist.pk))
    assert gone.actor == admin


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        # Read as a stream, a bad byte far into the file is found where it is decoded.
        (GOOD_CSV.encode() + b"DD44DDD,stolen,stop,,caf\xe9,\n", "Not UTF-8 text; save it as CSV (UTF-8)."),
        (GOOD_CSV.encode() + b'EE55EEE,stolen,stop,,"' + b"x" * 200_000 + b'",\n', "field larger than"),
    ],
    ids=["not-utf-8", "field-too-large"],
)
def test_a_file_that_cannot_be_read_is_refused_whole(admin, api_client_for, content, problem):
    hotlist = make_hotlist(admin)
    response = api_client_for(admin).post(
        f"/api/v1/hotlists/{hotlist.pk}/entries/import/", {"file": SimpleUploadedFile("list.csv", content)}
    )
    assert response.status_code == 400
    assert problem in response.json()["detail"]["rows"][0]["problem"]
    assert not hotlist.entries.exists()


def test_a_file_field_sent_as_text_is_refused_not_a_server_error(admin, api_client_for):
    hotlist = make_hotlist(admin)
    response = api_client_for(admin).post(
        f"/api/v1/hotlists/{hotlist.pk}/entries/import/", {"file": "AB12CDE,stolen", "mode": "merge"}
    )
    assert response.status_code == 400
    assert "not a file" in response.json()["detail"]["file"][0]
    assert not hotlist.entries.exists()


def test_portal_import_shows_the_problems(admin, sign_in_client):
    hotlist = make_hotlist(admin)
    client = sign_in_client(admin, Client())
    page = client.post(f"/hotlists/{hotlist.pk}/import/", upload("vrm,reason\nAB1,stolen\n")).content.decode()
    assert "Nothing was changed" in page and "Missing column" in page
    response = client.post(f"/hotlists/{hotlist.pk}/import/", upload(GOOD_CSV), follow=True)
    assert "3 added" in response.content.decode()


def test_covert_lists_and_their_hits_reach_only_their_owners(
    admin, make_user, api_client_for, sign_in_client
):
    CameraFactory(code="CAM-C")
    handler = make_user("officer", username="handler")
    street = make_user("officer", username="street")
    covert = make_hotlist(handler, name="Operation Nightjar", source="intelligence", covert=True)
    add_entry(covert, "CV12RTX", handler, reason="intelligence", action="observe")
    result = reads_ingest(
        items=[ReadInput(camera="CAM-C", vrm="CV12RTX", seen_at=timezone.now(), confidence=0.9)],
        source="camera",
    )
    [alert] = result.alerts

    assert [a["id"] for a in api_client_for(handler).get("/api/v1/alerts/").json()["results"]] == [alert.pk]
    assert api_client_for(street).get("/api/v1/alerts/").json()["results"] == []
    assert api_client_for(street).get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    assert api_client_for(street).get("/api/v1/hotlists/").json() == []
    assert api_client_for(street).get(f"/api/v1/hotlists/{covert.pk}/entries/").status_code == 404
    street_portal = sign_in_client(street, Client())
    assert "CV12RTX" not in street_portal.get("/alerts/").content.decode()
    assert street_portal.get(f"/alerts/{alert.pk}/").status_code == 404
    assert "CV12RTX" in sign_in_client(handler, Client()).get("/alerts/").content.decode()

    from apps.hotlists import live

    event = live.event_for(alert)
    assert live.visible_to(event, handler.pk) and not live.visible_to(event, street.pk)


def test_an_in_vehicle_unit_is_told_of_hits_but_never_covert_ones(admin, make_user, api_client_for):
    CameraFactory(code="CAM-K")
    add_entry(make_hotlist(admin, name="Covert", covert=True), "KV12RTX", admin)
    add_entry(make_hotlist(admin, name="Open"), "OP12ENN", admin)
    body = [
        {"camera": "CAM-K", "vrm": vrm, "seen_at": timezone.now().isoformat(), "confidence": 0.9}
        for vrm in ("KV12RTX", "OP12ENN")
    ]
    patrol_car = make_user("camera", cameras=["CAM-K"], in_vehicle=True)
    response = api_client_for(patrol_car).post("/api/v1/reads/", body, format="json").json()
    assert [a["vrm"] for a in response["alerts"]] == ["OP12ENN"]
    assert Alert.objects.count() == 2


def test_acknowledge_and_record_an_outcome(admin, make_user, api_client_for):
    CameraFactory(code="CAM-O")
    add_entry(make_hotlist(admin), "OU12TCM", admin)
    [alert] = reads_ingest(
        items=[ReadInput(camera="CAM-O", vrm="OU12TCM", seen_at=timezone.now(), confidence=0.9)],
        source="camera",
    ).alerts
    officer = api_client_for(make_user("officer", username="pc-out"))
    acked = officer.post(f"/api/v1/alerts/{alert.pk}/acknowledge/").json()
    assert acked["acknowledged_by"] == "pc-out"
    bad = officer.post(f"/api/v1/alerts/{alert.pk}/outcome/", {"outcome": "arrested"}, format="json")
    assert bad.status_code == 400
    done = officer.post(
        f"/api/v1/alerts/{alert.pk}/outcome/",
        {"outcome": "false_read", "notes": "Plate was 0U12TCM"},
        format="json",
    ).json()
    assert (done["outcome"], done["outcome_by"], done["outcome_notes"]) == (
        "false_read",
        "pc-out",
        "Plate was 0U12TCM",
    )
    assert (
        api_client_for(make_user("planner")).post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code
        == 403
    )


def test_false_reads_feed_back_into_the_cameras_read_quality(
    admin, make_user, api_client_for, sign_in_client
):
    CameraFactory(code="CAM-Q")
    add_entry(make_hotlist(admin), "QU12ALT", admin)
    officer = make_user("officer")
    for outcome in ("false_read", "stopped"):
        [alert] = reads_ingest(
            items=[ReadInput(camera="CAM-Q", vrm="QU12ALT", seen_at=timezone.now(), confidence=0.9)],
            source="camera",
        ).alerts
        api_client_for(officer).post(
            f"/api/v1/alerts/{alert.pk}/outcome/", {"outcome": outcome}, format="json"
        )
    page = sign_in_client(officer, Client()).get("/cameras/CAM-Q/").content.decode()
    assert "1 false read in 2 alert outcomes" in page
