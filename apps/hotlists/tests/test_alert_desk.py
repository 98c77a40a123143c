"""The alert desk as officers use it all day: most recently seen first, filtered by status, list,
action, camera and period, paged, the plate leading to the alert and the status shown as text;
a filtered page's live stream carries only what its filters list."""

import re
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.core.tests.summer import last_july
from apps.hotlists import live, services
from apps.hotlists.filters import AlertFilter
from apps.hotlists.selectors import alerts_open, desk_alerts
from apps.hotlists.stream import _listed_by, _missed_events
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db


def raise_alert(vrm, camera, seen_at, source="camera"):
    [alert] = reads_ingest(
        items=[ReadInput(camera=camera, vrm=vrm, seen_at=seen_at, confidence=0.9)], source=source
    ).alerts
    return alert


@pytest.fixture
def desk(make_user, sign_in_client):
    """Two lists (stop, observe) at two cameras, another officer's covert list, and four alerts:
    made in one order, seen in another."""
    CameraFactory(code="CAM-N", area="North")
    CameraFactory(code="CAM-S", area="South")
    admin, handler = make_user("administrator"), make_user("officer", username="handler")
    stolen = make_hotlist(admin, name="Stolen", priority=1)
    watch = make_hotlist(admin, name="Watch", priority=2)
    covert = make_hotlist(handler, name="Operation Nightjar", covert=True)
    add_entry(stolen, "ST12OLN", admin)
    add_entry(stolen, "ST34OLN", admin)
    add_entry(watch, "WA12TCH", admin, action="observe")
    add_entry(covert, "CV12RTX", handler)
    now = timezone.now()
    alerts = {
        "recent": raise_alert("ST12OLN", "CAM-N", now - timedelta(minutes=1)),
        # Made after the first, but its read was seen half an hour earlier (it arrived late).
        "earlier": raise_alert("WA12TCH", "CAM-S", now - timedelta(minutes=30)),
        "middle": raise_alert("ST34OLN", "CAM-S", now - timedelta(minutes=10)),
        "covert": raise_alert("CV12RTX", "CAM-N", now - timedelta(minutes=2)),
    }
    officer = make_user("officer", username="pc-desk")
    services.alert_acknowledge(alert=alerts["middle"], actor=officer)
    return {
        "alerts": alerts,
        "lists": {"stolen": stolen, "watch": watch, "covert": covert},
        "officer": officer,
        "client": sign_in_client(officer, Client()),
        "now": now,
    }


def listed(client, **query):
    response = client.get("/alerts/", query)
    assert response.status_code == 200, response.content
    return [alert.vrm for alert in response.context["page"].object_list]


def test_the_desk_lists_alerts_by_when_the_vehicle_was_seen(desk):
    assert listed(desk["client"]) == ["ST12OLN", "ST34OLN", "WA12TCH"]  # not the order they were made


def test_each_filter_narrows_the_desk(desk):
    client, lists, now = desk["client"], desk["lists"], desk["now"]
    assert listed(client, status="open") == ["ST12OLN", "ST34OLN", "WA12TCH"]  # no outcome yet
    assert alerts_open(desk_alerts(desk["officer"])).count() == 3  # as the home page counts them
    assert listed(client, status="new") == ["ST12OLN", "WA12TCH"]
    assert listed(client, status="acknowledged") == ["ST34OLN"]
    assert listed(client, status="done") == []
    assert listed(client, hotlist=lists["stolen"].pk) == ["ST12OLN", "ST34OLN"]
    assert listed(client, action="observe") == ["WA12TCH"]
    assert listed(client, camera="CAM-S") == ["ST34OLN", "WA12TCH"]
    since = timezone.localtime(now - timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%S")
    assert listed(client, seen_after=since) == ["ST12OLN", "ST34OLN"]
    assert listed(client, seen_before=since, camera="CAM-S") == ["WA12TCH"]
    page = client.get("/alerts/", {"camera": "CAM-S"}).content.decode()
    assert "No alerts match" not in page and "only alerts matching these filters" in page
    none = client.get("/alerts/", {"status": "done"}).content.decode()
    assert "No alerts match these filters." in none, none[none.find("<main") :]


def test_filters_that_cannot_match_or_reach_another_s_covert_list_are_refused(desk):
    client, covert = desk["client"], desk["lists"]["covert"]
    response = client.get("/alerts/", {"seen_after": "2026-07-14T11:00", "seen_before": "2026-07-14T10:00"})
    assert response.status_code == 400
    assert "later than" in response.content.decode()
    page = client.get("/alerts/").content.decode()
    assert "Operation Nightjar" not in page  # not among the lists offered
    response = client.get("/alerts/", {"hotlist": covert.pk})
    assert response.status_code == 400 and "CV12RTX" not in response.content.decode()


def test_the_status_is_text_and_the_plate_leads_to_the_alert(desk):
    alert = desk["alerts"]["recent"]
    page = desk["client"].get("/alerts/").content.decode()
    assert f'<a href="/alerts/{alert.pk}/" class="plate">ST12OLN</a>' in page
    assert '<td class="alert-status">New</td>' in page
    assert '<td class="alert-status">Acknowledged</td>' in page
    assert not re.search(r"<a [^>]*>\s*(Open|New|Acknowledged)\s*</a>", page)


def test_the_unfiltered_first_page_is_not_audited_but_a_filtered_one_is_with_its_filters(desk):
    client, stolen = desk["client"], desk["lists"]["stolen"]
    client.get("/alerts/")
    assert not SearchAudit.objects.exists()
    client.get("/alerts/", {"hotlist": stolen.pk, "status": "new"})
    [row] = SearchAudit.objects.all()
    assert (row.kind, row.reference, row.result_count) == ("alerts", "ALERT-DESK", 1)
    assert row.filters == {"alerts": [desk["alerts"]["recent"].pk], "hotlist": stolen.pk, "status": "new"}


def test_further_pages_keep_the_filters_and_only_the_first_takes_live_alerts(desk):
    client, stolen = desk["client"], desk["lists"]["stolen"]
    reads_ingest(
        items=[
            ReadInput(camera="CAM-N", vrm="ST12OLN", seen_at=desk["now"] - timedelta(seconds=n), confidence=1)
            for n in range(61, 111)
        ],
        source="camera",
    )
    first = client.get("/alerts/", {"hotlist": stolen.pk}).content.decode()
    assert f'data-stream-url="/alerts/stream/?hotlist={stolen.pk}"' in first
    assert f'href="?hotlist={stolen.pk}&amp;page=2"' in first
    second = client.get("/alerts/", {"hotlist": stolen.pk, "page": 2})
    assert [alert.vrm for alert in second.context["page"].object_list] == ["ST12OLN", "ST34OLN"]
    assert "data-stream-url" not in second.content.decode()
    assert "New alerts appear on" in second.content.decode()


def test_a_filtered_stream_carries_only_what_its_page_lists(desk):
    officer, alerts, stolen = desk["officer"], desk["alerts"], desk["lists"]["stolen"]
    request = RequestFactory().get("/alerts/stream/", {"hotlist": stolen.pk})
    request.user = officer
    filters = AlertFilter(request.GET, queryset=desk_alerts(officer), request=request)
    assert filters.is_valid()
    listed_by_page = async_to_sync(_listed_by(filters))
    assert listed_by_page(alerts["recent"].pk) and not listed_by_page(alerts["earlier"].pk)
    # A reconnecting page catches up on its own list's alerts only, audited with its filters.
    assert [event["vrm"] for event in _missed_events(officer, "0", filters)] == ["ST12OLN", "ST34OLN"]
    row = SearchAudit.objects.get(via="stream")
    assert (row.filters["hotlist"], row.filters["after"]) == (stolen.pk, 0)


def test_a_summer_alert_reads_british_summer_time_on_the_desk_its_page_and_its_live_row(desk, settings):
    settings.READ_ACCESS_STANDARD_DAYS = 400
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 400 * 24 * 60  # as if raised live last July
    moment = last_july()
    alert = raise_alert("ST12OLN", "CAM-N", moment, source="upload")
    shown = f"14 Jul {moment.year}, 10:05:03 BST"
    assert shown in desk["client"].get("/alerts/").content.decode()
    page = desk["client"].get(f"/alerts/{alert.pk}/").content.decode()
    assert shown in page and "09:05:03" not in page
    event = live.event_for(alert)
    assert (event["seen"], event["status"]) == (shown, "New")


def api_listed(client, path="/api/v1/alerts/", **query):
    response = client.get(path, query)
    assert response.status_code == 200, response.content
    return [alert["vrm"] for alert in response.json()["results"]]


def test_the_api_desk_is_ordered_by_sighting_and_takes_the_desk_s_filters(desk, api_client_for):
    client, lists, now = api_client_for(desk["officer"]), desk["lists"], desk["now"]
    assert api_listed(client) == ["ST12OLN", "ST34OLN", "WA12TCH"]  # not the order they were made
    assert api_listed(client, status="new") == ["ST12OLN", "WA12TCH"]
    assert api_listed(client, hotlist=lists["stolen"].pk, status="acknowledged") == ["ST34OLN"]
    assert api_listed(client, action="observe") == ["WA12TCH"]
    assert api_listed(client, camera="CAM-S") == ["ST34OLN", "WA12TCH"]
    since = (now - timedelta(minutes=15)).isoformat()
    assert api_listed(client, seen_after=since) == ["ST12OLN", "ST34OLN"]
    # Audited with its filters, as the portal's filtered desk is; the unfiltered first page is not.
    [row] = SearchAudit.objects.filter(filters__has_key="action")
    assert (row.via, row.filters["alerts"], row.filters["action"]) == (
        "api",
        [desk["alerts"]["earlier"].pk],
        "observe",
    )
    assert SearchAudit.objects.count() == 5


def test_the_api_refuses_filters_that_cannot_match_or_reach_another_s_covert_list(desk, api_client_for):
    client = api_client_for(desk["officer"])
    backwards = client.get(
        "/api/v1/alerts/", {"seen_after": "2026-07-14T11:00Z", "seen_before": "2026-07-14T10:00Z"}
    )
    assert backwards.status_code == 400 and "later than" in str(backwards.json()["detail"]["criteria"])
    covert = client.get("/api/v1/alerts/", {"hotlist": desk["lists"]["covert"].pk})
    unknown = client.get("/api/v1/alerts/", {"hotlist": 987654})
    assert covert.status_code == unknown.status_code == 400
    assert covert.json()["detail"] == unknown.json()["detail"]  # a covert list reads as no list at all
    assert "CV12RTX" not in covert.content.decode()
    assert client.get("/api/v1/alerts/", {"status": "lost"}).status_code == 400
    assert not SearchAudit.objects.exists()
