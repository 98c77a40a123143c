"""An entry's plate is checked as a plate wherever entries come in (the portal's form, the API, a
CSV import): a British registration, or one marked as a foreign or diplomatic plate, and the mark
is in the change log with the rest of the entry."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.hotlists.models import HotlistEntry
from apps.hotlists.tests.factories import make_hotlist

pytestmark = pytest.mark.django_db
ENTRY = {"reason": "stolen", "action": "stop"}


@pytest.fixture
def owner(make_user):
    return make_user("officer", username="list-owner")


@pytest.fixture
def hotlist(owner):
    return make_hotlist(owner, name="Local interest")


def test_the_portal_form_refuses_what_is_not_a_plate_and_says_why(owner, hotlist, sign_in_client):
    client = sign_in_client(owner, Client())
    form = client.get(f"/hotlists/{hotlist.pk}/").content.decode()
    assert '<label for="id_vrm">Plate</label>' in form and "Vrm" not in form
    assert '<label for="id_foreign">Foreign or diplomatic plate' in form
    page = client.post(f"/hotlists/{hotlist.pk}/", {"vrm": "not a plate!!", **ENTRY}).content.decode()
    assert "A plate holds only the letters A to Z and digits" in page and "not “!”" in page
    page = client.post(f"/hotlists/{hotlist.pk}/", {"vrm": "AB-123-CD", **ENTRY}).content.decode()
    assert "AB123CD is not a British registration" in page and "mark it as one" in page
    assert not hotlist.entries.exists()


def test_the_portal_form_takes_a_marked_foreign_plate_and_the_change_log_has_the_mark(
    owner, hotlist, sign_in_client
):
    client = sign_in_client(owner, Client())
    response = client.post(
        f"/hotlists/{hotlist.pk}/", {"vrm": "AB-123-CD", "foreign": "on", **ENTRY}, follow=True
    )
    assert "AB123CD added." in response.content.decode()
    entry = hotlist.entries.get()
    assert (entry.vrm, entry.foreign) == ("AB123CD", True)
    assert "foreign or diplomatic" in response.content.decode()  # marked in the list's table
    created = LogEntry.objects.get_for_object(entry).get()
    assert created.changes_dict["foreign"][1] == "True" and created.actor == owner
    edit = f"/hotlists/{hotlist.pk}/entries/{entry.pk}/"
    unmarked = client.post(edit, {"vrm": "AB123CD", **ENTRY}).content.decode()
    assert "AB123CD is not a British registration" in unmarked
    assert HotlistEntry.objects.get(pk=entry.pk).foreign


def test_the_api_refuses_what_is_not_a_plate_and_keeps_the_mark_with_the_plate(
    owner, hotlist, api_client_for
):
    api = api_client_for(owner)
    url = f"/api/v1/hotlists/{hotlist.pk}/entries/"
    refused = api.post(url, {"vrm": "not a plate!!", **ENTRY}, format="json")
    assert refused.status_code == 400
    assert "A plate holds only the letters A to Z and digits" in refused.json()["detail"]["vrm"][0]
    assert api.post(url, {"vrm": "AB-123-CD", **ENTRY}, format="json").status_code == 400
    created = api.post(url, {"vrm": "AB-123-CD", "foreign": True, **ENTRY}, format="json")
    assert created.status_code == 201 and created.json()["foreign"] is True
    entry = f"{url}{created.json()['id']}/"
    unmarking = api.patch(entry, {"foreign": False}, format="json")  # the plate as held is checked again
    assert (
        unmarking.status_code == 400 and "not a British registration" in unmarking.json()["detail"]["vrm"][0]
    )
    assert api.patch(entry, {"action": "observe"}, format="json").status_code == 200
    assert HotlistEntry.objects.get(vrm="AB123CD").foreign


def test_an_import_checks_every_plate_and_takes_the_foreign_column(owner, hotlist, api_client_for):
    url = f"/api/v1/hotlists/{hotlist.pk}/entries/import/"
    api = api_client_for(owner)

    def send(text):
        return api.post(url, {"file": SimpleUploadedFile("list.csv", text.encode()), "mode": "merge"})

    bad = send("vrm,reason,action,foreign\nnot a plate!!,stolen,stop,\nAB-123-CD,stolen,stop,\n")
    assert bad.status_code == 400
    problems = {(int(p["row"]), p["column"]): p["problem"] for p in bad.json()["detail"]["rows"]}
    assert set(problems) == {(2, "vrm"), (3, "vrm")} and "mark it as one" in problems[(3, "vrm")]
    good = send("vrm,reason,action,foreign\nAB12CDE,stolen,stop,\nAB-123-CD,stolen,stop,yes\n")
    assert good.json() == {"added": 2, "updated": 0, "removed": 0, "unchanged": 0}
    assert dict(hotlist.entries.values_list("vrm", "foreign")) == {"AB12CDE": False, "AB123CD": True}
