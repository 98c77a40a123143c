"""The change log page: django-auditlog's entries for auditors, filtered, secrets never shown,
camera positions withheld from those not allowed to see them."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.tokens import api_token_issue
from apps.audit.changes import COVERT, WITHHELD, as_shown, change_entries
from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist

pytestmark = pytest.mark.django_db
PAGE = reverse("audit:change_log")


@pytest.fixture
def auditor_client(client, make_user, sign_in_client):
    return sign_in_client(make_user("auditor", username="the-auditor"))


def count(page: str) -> str:
    return page.split('<p class="count">', 1)[1].split("<", 1)[0]


def rows(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_filters_by_model_object_actor_action_and_date(auditor_client, make_user):
    camera = CameraFactory(code="CAM-LOG", area="Eastfield")
    CameraFactory(code="CAM-OTHER")
    gone = CameraFactory(code="CAM-GONE")
    # Cameras are never deleted (their status history keeps them): a deletion as auditlog writes one.
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Camera),
        object_pk=str(gone.pk),
        object_id=gone.pk,
        object_repr="CAM-GONE",
        action=LogEntry.Action.DELETE,
        changes={},
    )
    # A change made by someone, as the request middleware records it.
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Camera),
        object_pk=str(camera.pk),
        object_id=camera.pk,
        object_repr="CAM-LOG",
        action=LogEntry.Action.UPDATE,
        changes={"area": ["Eastfield", "Westfield"]},
        actor=make_user("administrator", username="admin-changer"),
    )
    cameras = ContentType.objects.get_for_model(Camera).pk
    by_model = rows(auditor_client.get(PAGE, {"model": cameras}))
    assert "CAM-LOG" in by_model and "CAM-OTHER" in by_model
    assert count(by_model) == "5 changes"  # three created, one deleted, one updated
    by_object = rows(auditor_client.get(PAGE, {"model": cameras, "object_id": camera.pk}))
    assert count(by_object) == "2 changes" and "CAM-OTHER" not in by_object
    by_actor = rows(auditor_client.get(PAGE, {"actor": "ADMIN-CHANGER"}))
    assert count(by_actor) == "1 change" and "Eastfield → Westfield" in by_actor
    deletions = rows(auditor_client.get(PAGE, {"action": LogEntry.Action.DELETE}))
    assert count(deletions) == "1 change" and "CAM-GONE" in deletions and "CAM-LOG" not in deletions
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "0 changes" in rows(auditor_client.get(PAGE, {"after": tomorrow}))
    today = timezone.localdate().isoformat()
    assert "CAM-LOG" in rows(auditor_client.get(PAGE, {"after": today, "before": today}))
    assert "Select a valid choice" in rows(auditor_client.get(PAGE, {"model": 999_999}))


def test_newest_first_and_paged(auditor_client):
    for number in range(52):
        CameraFactory(code=f"CAM-P{number:02}")
    first = rows(auditor_client.get(PAGE, {"model": ContentType.objects.get_for_model(Camera).pk}))
    assert first.index("CAM-P51") < first.index("CAM-P50") and "CAM-P01" not in first
    second = rows(
        auditor_client.get(PAGE, {"model": ContentType.objects.get_for_model(Camera).pk, "page": 2})
    )
    assert "CAM-P01" in second and "CAM-P00" in second and "CAM-P51" not in second


def test_secrets_are_never_shown(auditor_client, make_user):
    holder = make_user("officer", username="token-holder")
    token, secret = api_token_issue(user=holder, actor=holder)
    device = TOTPDevice.objects.get(user=holder)
    assert LogEntry.objects.filter(object_repr__contains=token.token_key[:8]).exists()  # logged
    page = rows(auditor_client.get(PAGE))
    for leaked in (holder.password[-24:], token.digest[-24:], token.token_key, secret[:12], device.key[-16:]):
        assert leaked not in page
    assert "(secret: not shown)" in page and "token-holder" in page and "(id not shown)" in page


def test_camera_positions_are_withheld_unless_allowed(auditor_client, make_user):
    CameraFactory(code="CAM-HID", road="Secret Lane", name="Hidden mast", latitude=53.1234)
    page = rows(auditor_client.get(PAGE, {"model": ContentType.objects.get_for_model(Camera).pk}))
    assert "CAM-HID" in page and WITHHELD in page
    assert "Secret Lane" not in page and "Hidden mast" not in page and "53.1234" not in page
    [entry] = as_shown(change_entries().filter(object_repr="CAM-HID"), make_user("planner"))
    shown = {change.field: change.after for change in entry.changes}
    assert (shown["road"], shown["name"], shown["latitude"]) == ("Secret Lane", "Hidden mast", "53.1234")


def test_covert_hotlists_entries_and_alerts_are_withheld(auditor_client, make_user):
    owner = make_user("officer")
    covert = make_hotlist(owner, name="Operation Nightjar", covert=True)
    entry = add_entry(covert, "CV12RTX", owner, information="Seen near the docks")
    add_entry(make_hotlist(owner, name="Open list"), "OP12ENN", owner)
    page = rows(auditor_client.get(PAGE))
    assert "Open list" in page and "OP12ENN" in page
    for secret in ("Operation Nightjar", "CV12RTX", "Seen near the docks"):
        assert secret not in page
    assert COVERT in page
    entry.delete()  # a deleted entry's list is known from what its deletion recorded
    assert "CV12RTX" not in rows(auditor_client.get(PAGE))


@pytest.mark.parametrize("role", ["officer", "supervisor", "planner", "administrator"])
def test_only_auditors_open_it(client, make_user, sign_in_client, role):
    sign_in_client(make_user(role))
    assert client.get(PAGE).status_code == 403


def test_auditors_find_it_in_their_navigation(auditor_client):
    assert f'href="{PAGE}"' in rows(auditor_client.get("/"))


def test_alerts_are_read_data_and_stay_out_of_the_change_log(auditor_client):
    assert Alert not in auditlog.get_models()
    LogEntry.objects.create(  # as written before alerts left the log
        content_type=ContentType.objects.get_for_model(Alert),
        object_pk="7",
        object_id=7,
        object_repr="AL12ERT matched AL12ERT (Stolen)",
        action=LogEntry.Action.DELETE,
        changes={"vrm": ["AL12ERT", "None"]},
    )
    assert "AL12ERT" not in rows(auditor_client.get(PAGE))


def test_moments_and_json_details_read_in_words_and_london_time(auditor_client, make_user):
    from apps.access_requests.models import AccessRequestEvent
    from apps.access_requests.tests.test_access_requests import file
    from apps.core.tests.summer import last_july

    officer = make_user("officer")
    event = AccessRequestEvent.objects.create(
        access_request=file(officer), kind="approved", actor="sgt-one", detail={"reason": "Needed"}
    )
    july = last_july()
    # As the library keeps them: a moment as UTC text without its offset, a JSON field as JSON.
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(AccessRequestEvent),
        object_pk=str(event.pk),
        object_id=event.pk,
        object_repr=str(event),
        action=LogEntry.Action.UPDATE,
        changes={
            "at": ["None", july.replace(tzinfo=None).isoformat(sep=" ")],
            "detail": ["{}", '{"expires_at": "' + july.isoformat() + '", "reason": "Needed"}'],
        },
    )
    page = rows(auditor_client.get(PAGE))
    shown = f"14 Jul {july.year}, 10:05:03 BST"
    assert f"<dt>At</dt><dd>— → {shown}</dd>" in page
    assert f"<dt>Detail</dt><dd>— → Expires at: {shown}; Reason: Needed</dd>" in page
    assert "09:05:03" not in page and "{&quot;" not in page
