"""Alerts are read data: seen only inside the access window, audited when opened, historic hits
kept off the live desk, and gone with their read."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists import live
from apps.hotlists.models import Alert
from apps.hotlists.services import alerts_remove_expired
from apps.hotlists.stream import _missed_events
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.evidence import check_image
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import image_bytes
from conftest import as_database_owner

pytestmark = pytest.mark.django_db


def ingest(vrm, age, *, source="upload", image=True):
    picture = check_image(image_bytes(colour=tuple(vrm.encode()[3:6]))) if image else None
    seen_at = timezone.now() - age
    item = ReadInput(camera="CAM-W", vrm=vrm, seen_at=seen_at, confidence=0.9, plate_image=picture)
    return reads_ingest(items=[item], source=source).alerts


@pytest.fixture
def alerts(make_user, settings):
    """Alerts on an open list: raised live 91 and 89 days ago and just now, and a historic hit."""
    CameraFactory(code="CAM-W", area="Window town")
    owner = make_user("officer", username="list-owner")
    hotlist = make_hotlist(owner, name="Stolen")
    for vrm in ("OLD91DY", "OLD89DY", "NEW0DAY", "LATE2HR"):
        add_entry(hotlist, vrm, owner)
    # As if raised live when those reads arrived, long ago: a live read, not a late one.
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 200 * 24 * 60
    [old] = ingest("OLD91DY", timedelta(days=91))
    [edge] = ingest("OLD89DY", timedelta(days=89))
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 60
    [fresh] = ingest("NEW0DAY", timedelta(seconds=5), source="camera")
    [late] = ingest("LATE2HR", timedelta(hours=2), source="camera")
    return {
        "old": old,
        "edge": edge,
        "fresh": fresh,
        "late": late,
        "owner": owner,
        "street": make_user("officer", username="street"),
    }


def test_an_alert_whose_read_is_91_days_old_is_out_of_sight_everywhere(
    alerts, sign_in_client, api_client_for
):
    old, edge, fresh = alerts["old"], alerts["edge"], alerts["fresh"]
    assert not (old.historic or edge.historic or fresh.historic)
    for officer in (alerts["street"], alerts["owner"]):  # owning the list does not widen the window
        portal = sign_in_client(officer, Client())
        desk = portal.get("/alerts/")
        assert [a.vrm for a in desk.context["page"].object_list] == ["NEW0DAY", "OLD89DY"]
        assert desk.context["page"].paginator.count == 2  # counted as not there
        assert "OLD91DY" not in desk.content.decode()
        assert portal.get(f"/alerts/{old.pk}/").status_code == 404
        assert portal.get(f"/alerts/{old.pk}/plate/").status_code == 404
        assert portal.get(f"/alerts/{edge.pk}/plate/").status_code == 200
        api = api_client_for(officer)
        listed = api.get("/api/v1/alerts/").json()["results"]
        assert [a["vrm"] for a in listed] == ["NEW0DAY", "OLD89DY"]
        assert api.get(f"/api/v1/alerts/{old.pk}/").status_code == 404
        assert api.post(f"/api/v1/alerts/{old.pk}/acknowledge/").status_code == 404
        # A reconnecting stream's catch-up, and the live check of each event, keep to it too.
        assert [event["vrm"] for event in _missed_events(officer, "0")] == ["OLD89DY", "NEW0DAY"]
        assert not live.visible_to(live.event_for(old), officer.pk)
        assert live.visible_to(live.event_for(edge), officer.pk)
    assert Alert.objects.get(pk=old.pk).acknowledged_at is None
    assert not SearchAudit.objects.filter(filters__alert=old.pk).exists()


def test_opening_an_alert_writes_its_audit_row_first(alerts, sign_in_client, api_client_for):
    street, fresh = alerts["street"], alerts["fresh"]
    page = sign_in_client(street, Client()).get(f"/alerts/{fresh.pk}/")
    assert page.status_code == 200 and "NEW0DAY" in page.content.decode()
    assert api_client_for(street).get(f"/api/v1/alerts/{fresh.pk}/").json()["vrm"] == "NEW0DAY"
    rows = SearchAudit.objects.filter(kind=SearchAudit.Kind.ALERT).order_by("id")
    assert [(r.via, r.user_id, r.vrm, r.filters, r.result_count) for r in rows] == [
        ("portal", street.pk, "NEW0DAY", {"alert": fresh.pk}, 1),
        ("api", street.pk, "NEW0DAY", {"alert": fresh.pk}, 1),
    ]
    # In the terms every search is held to: a known purpose code, a reference of the pattern.
    assert {r.purpose for r in rows} == {"hotlist-alert"} <= dict(django_settings.SEARCH_PURPOSES).keys()
    assert all(re.fullmatch(django_settings.SEARCH_REFERENCE_PATTERN, r.reference) for r in rows)
    assert rows[0].reference == f"ALERT-{fresh.pk}"


def test_if_the_audit_row_cannot_be_written_the_alert_is_not_shown(alerts, sign_in_client, api_client_for):
    street, fresh = alerts["street"], alerts["fresh"]
    # A real database refusal, undone with the test's transaction.
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_searchaudit ADD CONSTRAINT refuse_all CHECK (false) NOT VALID")
    page = sign_in_client(street, Client()).get(f"/alerts/{fresh.pk}/")
    assert page.status_code == 503 and "NEW0DAY" not in page.content.decode()
    api = api_client_for(street)
    answer = api.get(f"/api/v1/alerts/{fresh.pk}/")
    assert answer.status_code == 503 and answer.json()["error"] == "audit_unavailable"
    assert "NEW0DAY" not in answer.content.decode()
    assert api.post(f"/api/v1/alerts/{fresh.pk}/acknowledge/").status_code == 503
    assert Alert.objects.get(pk=fresh.pk).acknowledged_at is None


def test_the_desk_audits_looking_back_but_not_each_poll_of_its_first_page(
    alerts, sign_in_client, api_client_for
):
    street = alerts["street"]
    reads_ingest(  # 50 more on the desk, seen 10 to 59 s ago: those seen earliest move to a second page
        items=[
            ReadInput(
                camera="CAM-W", vrm="NEW0DAY", seen_at=timezone.now() - timedelta(seconds=n), confidence=1
            )
            for n in range(10, 60)
        ],
        source="camera",
    )
    portal, api = sign_in_client(street, Client()), api_client_for(street)
    portal.get("/alerts/")
    first = api.get("/api/v1/alerts/").json()
    assert not SearchAudit.objects.exists()
    second = portal.get("/alerts/?page=2").context["page"].object_list
    assert [a.vrm for a in second] == ["NEW0DAY", "OLD89DY"]
    api.get(first["next"])
    rows = SearchAudit.objects.order_by("id")
    assert [(r.kind, r.via, r.reference, r.result_count) for r in rows] == [
        ("alerts", "portal", "ALERT-DESK", 2),
        ("alerts", "api", "ALERT-DESK", 2),
    ]
    assert rows[0].filters == {"alerts": [second[0].pk, alerts["edge"].pk], "page": 2}
    # By sighting, not creation: the first alert made (its read seen 5 s ago) stays on the first page.
    assert second[0].pk != alerts["fresh"].pk


def test_a_reconnecting_streams_catch_up_is_audited_when_it_sends_anything(alerts):
    street, fresh = alerts["street"], alerts["fresh"]
    assert _missed_events(street, str(fresh.pk)) == []
    assert not SearchAudit.objects.exists()
    assert [e["vrm"] for e in _missed_events(street, str(alerts["edge"].pk))] == ["NEW0DAY"]
    row = SearchAudit.objects.get()
    assert (row.kind, row.via, row.reference, row.result_count) == ("alerts", "stream", "ALERT-DESK", 1)
    assert row.filters == {"alerts": [fresh.pk], "after": alerts["edge"].pk}


def test_a_read_that_arrives_late_is_a_historic_hit_for_the_lists_owners_only(
    alerts, sign_in_client, api_client_for
):
    owner, street, late = alerts["owner"], alerts["street"], alerts["late"]
    assert late.historic
    assert live.ringing([late, alerts["fresh"]]) == [alerts["fresh"]]
    for officer in (owner, street):  # never on the desk
        assert "LATE2HR" not in sign_in_client(officer, Client()).get("/alerts/").content.decode()
        assert "LATE2HR" not in str(api_client_for(officer).get("/api/v1/alerts/").json())
        assert "LATE2HR" not in str(_missed_events(officer, "0"))
    portal, api = sign_in_client(owner, Client()), api_client_for(owner)
    assert [a.vrm for a in portal.get("/alerts/historic/").context["page"].object_list] == ["LATE2HR"]
    [hit] = api.get("/api/v1/alerts/historic/").json()["results"]
    assert (hit["vrm"], hit["historic"]) == ("LATE2HR", True)
    assert portal.get(f"/alerts/{late.pk}/").status_code == 200
    rows = SearchAudit.objects.filter(kind="alerts", reference="HISTORIC-HITS").order_by("id")
    assert [(r.via, r.reference, r.result_count) for r in rows] == [
        ("portal", "HISTORIC-HITS", 1),
        ("api", "HISTORIC-HITS", 1),
    ]
    # Another officer, though the list is open to them, sees none of it.
    other = sign_in_client(street, Client())
    assert list(other.get("/alerts/historic/").context["page"].object_list) == []
    assert api_client_for(street).get("/api/v1/alerts/historic/").json()["results"] == []
    assert other.get(f"/alerts/{late.pk}/").status_code == 404


def test_historic_hits_keep_to_the_access_window_too(alerts, sign_in_client, api_client_for):
    [old_hit] = ingest("OLD91DY", timedelta(days=91, hours=1))
    assert old_hit.historic
    owner = alerts["owner"]
    assert "OLD91DY" not in sign_in_client(owner, Client()).get("/alerts/historic/").content.decode()
    assert [a["vrm"] for a in api_client_for(owner).get("/api/v1/alerts/historic/").json()["results"]] == [
        "LATE2HR"
    ]


def test_how_old_a_read_may_arrive_and_still_ring_the_desk_is_a_setting(alerts, settings):
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 180
    [alert] = ingest("LATE2HR", timedelta(hours=2, minutes=1), source="camera")
    assert not alert.historic


def test_a_patrol_car_is_not_told_of_a_historic_hit(alerts, make_user, api_client_for):
    car = api_client_for(make_user("camera", cameras=["CAM-W"], in_vehicle=True))
    body = [
        {"camera": "CAM-W", "vrm": vrm, "seen_at": (timezone.now() - age).isoformat(), "confidence": 0.9}
        for vrm, age in (("LATE2HR", timedelta(hours=3)), ("NEW0DAY", timedelta(seconds=1)))
    ]
    reply = car.post("/api/v1/reads/", body, format="json").json()
    assert reply["stored"] == 2 and [hit["vrm"] for hit in reply["alerts"]] == ["NEW0DAY"]


def test_an_alert_goes_with_its_read_whenever_it_was_raised(alerts, settings):
    # Raised today (a back-load), for a read seen past the reads' period: it goes now.
    settings.READ_RETENTION_DAYS = 90
    assert Alert.objects.filter(
        pk=alerts["old"].pk, created_at__gte=timezone.now() - timedelta(hours=1)
    ).exists()
    assert alerts_remove_expired()["alerts"] == 1
    assert not Alert.objects.filter(pk=alerts["old"].pk).exists()
    # A shorter alert period than the reads' counts from the read too.
    settings.ALERT_RETENTION_DAYS = 30
    assert alerts_remove_expired()["alerts"] == 1  # the 89-day one
    assert sorted(Alert.objects.values_list("vrm", flat=True)) == ["LATE2HR", "NEW0DAY"]


@pytest.mark.django_db(transaction=True)
def test_a_late_read_rings_no_open_alert_page(asgi_server, make_user, sign_in_client):
    from apps.accounts.tokens import api_token_issue

    from .test_live_alerts import Stream, post_reads, session_of

    CameraFactory(code="CAM-L", area="Live town")
    owner = make_user("officer")
    add_entry(make_hotlist(owner, name="Stolen"), "LATE2HR", owner)
    add_entry(make_hotlist(owner, name="Wanted"), "LV12ALT", owner)
    token = api_token_issue(user=make_user("camera", cameras=["CAM-L"]), actor=None)[1]
    stream = Stream(asgi_server, session_of(owner, sign_in_client))
    try:
        post_reads(asgi_server, token, "LATE2HR", seen_at=timezone.now() - timedelta(hours=2))
        post_reads(asgi_server, token, "LV12ALT")  # sent after the late one: it arrives first
        assert [event["vrm"] for event in stream.wait_for(1)] == ["LV12ALT"]
        assert [event["vrm"] for event in stream.wait_for(2, seconds=1)] == ["LV12ALT"]
    finally:
        stream.close()
    assert Alert.objects.get(vrm="LATE2HR").historic


def test_a_plate_patch_off_the_desks_first_page_is_an_audited_opening(alerts, sign_in_client, settings):
    owner, fresh, late = alerts["owner"], alerts["fresh"], alerts["late"]
    portal = sign_in_client(owner, Client())
    assert portal.get(f"/alerts/{fresh.pk}/plate/").status_code == 200  # on the desk: shown there
    assert not SearchAudit.objects.filter(kind="alert").exists()
    assert portal.get(f"/alerts/{late.pk}/plate/").status_code == 200  # a historic hit: never on it
    [opened] = SearchAudit.objects.filter(kind="alert")
    assert (opened.reference, opened.vrm) == (f"ALERT-{late.pk}", "LATE2HR")
