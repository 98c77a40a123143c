"""Finding 7: making a hotlist covert left its earlier hits visible to every officer (the flag was
copied onto each alert when raised). Visibility now follows the list's flag as it is now, in one
rule used by the pages, the API, the live stream and its catch-up, and the ingest reply."""

import pytest
from django.test import Client
from django.utils import timezone

from apps.cameras.tests.factories import CameraFactory
from apps.hotlists import live, services
from apps.hotlists.models import Alert
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
