"""Finding 7: making a hotlist covert left its earlier hits visible to every officer (the flag was
copied onto each alert when raised). Visibility now follows the list's flag as it is now, in one
rule used by the pages, the API, the live stream and its catch-up, and the ingest reply."""

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists import live, services
from apps.hotlists.filters import AlertFilter
from apps.hotlists.models import Alert
from apps.hotlists.selectors import desk_alerts
from apps.hotlists.stream import _missed_events
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.services import ReadInput, reads_ingest

pytestmark = pytest.mark.django_db


def test_a_list_made_covert_hides_its_earlier_hits_from_everyone_but_its_owners(
    make_user, sign_in_client, api_client_for
):
    handler = make_user("officer", username="handler")
    street = make_user("officer", username="street")
    camera = CameraFactory(code="CAM-CV")
    hotlist = make_hotlist(handler, name="Operation Kestrel")
    add_entry(hotlist, "KE12STR", handler)
    [alert] = reads_ingest(
        items=[ReadInput(camera=camera.code, vrm="KE12STR", seen_at=timezone.now(), confidence=0.9)],
        source="camera",
    ).alerts
    assert api_client_for(street).get(f"/api/v1/alerts/{alert.pk}/").status_code == 200

    services.hotlist_update(hotlist=hotlist, covert=True)
    alert = Alert.objects.get(pk=alert.pk)

    browser = sign_in_client(street, Client())
    assert "KE12STR" not in browser.get("/alerts/").content.decode()
    assert browser.get(f"/alerts/{alert.pk}/").status_code == 404
    api = api_client_for(street)
    assert api.get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    assert api.get("/api/v1/alerts/").json()["results"] == []
    assert _missed_events(street, "0") == []
    assert not live.visible_to(live.event_for(alert), street.pk)
    # Its owner still sees it everywhere.
    assert api_client_for(handler).get(f"/api/v1/alerts/{alert.pk}/").status_code == 200
    assert [event["id"] for event in _missed_events(handler, "0")] == [alert.pk]
    assert live.visible_to(live.event_for(alert), handler.pk)


def test_a_covert_hit_stays_hidden_behind_the_desks_filters_its_images_and_its_read(
    make_user, sign_in_client
):
    """Filtering the desk by the covert list, asking for the hit's overview or opening its read:
    to anyone but the list's owners each answers as if there were no such list or alert."""
    handler = make_user("officer", username="handler")
    street = make_user("officer", username="street")
    CameraFactory(code="CAM-CV")
    hotlist = make_hotlist(handler, name="Operation Kestrel", covert=True)
    add_entry(hotlist, "KE12STR", handler)
    [alert] = reads_ingest(
        items=[ReadInput(camera="CAM-CV", vrm="KE12STR", seen_at=timezone.now(), confidence=0.9)],
        source="camera",
    ).alerts

    browser = sign_in_client(street, Client())
    for answer in (
        browser.get("/alerts/", {"hotlist": hotlist.pk}),
        browser.get("/alerts/historic/", {"hotlist": hotlist.pk}),
        browser.get(f"/alerts/{alert.pk}/overview/"),
        browser.post(f"/alerts/{alert.pk}/read/"),
    ):
        assert answer.status_code in (400, 404), answer.status_code
        assert "KE12STR" not in answer.content.decode() and "Kestrel" not in answer.content.decode()
    request = RequestFactory().get("/alerts/stream/", {"hotlist": hotlist.pk})
    request.user = street
    assert not AlertFilter(request.GET, queryset=desk_alerts(street), request=request).is_valid()
    assert not SearchAudit.objects.filter(kind__in=["search", "view", "image"]).exists()
    # Its owner filters by it and reaches the hit's read.
    owner = sign_in_client(handler, Client())
    assert [a.vrm for a in owner.get("/alerts/", {"hotlist": hotlist.pk}).context["page"].object_list] == [
        "KE12STR"
    ]
    assert owner.post(f"/alerts/{alert.pk}/read/").status_code == 302
