"""One alert's page: its read's plate patch and overview image, where it was taken (to whoever
opens the alert; the camera's name and road only for those who may see camera locations), and
the way to the read itself, each opening of the read audited under the alert's reference before
anything leaves."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.reads.tests.helpers import b64, image_bytes

pytestmark = pytest.mark.django_db
OVERVIEW = image_bytes(size=(320, 200), colour=(20, 90, 200))


@pytest.fixture
def alert(make_user, api_client_for, settings, tmp_path):
    """A live alert whose read came with a plate patch and an overview, at a camera whose
    name and position are restricted."""
    settings.MEDIA_ROOT = tmp_path
    CameraFactory(code="CAM-A", area="Alert town", name="Hidden mast", road="Secret Lane", latitude=53.12345)
    admin = make_user("administrator")
    add_entry(make_hotlist(admin, name="Stolen"), "AL12ERT", admin)
    reply = api_client_for(make_user("camera", cameras=["CAM-A"])).post(
        "/api/v1/reads/",
        [
            {
                "camera": "CAM-A",
                "vrm": "AL12ERT",
                "seen_at": timezone.now().isoformat(),
                "confidence": 0.93,
                "plate_image": b64(image_bytes()),
                "overview_image": b64(OVERVIEW),
                "direction": "northbound",
            }
        ],
        format="json",
    )
    assert reply.status_code == 201
    return Alert.objects.get()


def test_the_page_shows_both_images_and_the_place_as_the_officer_may_see_it(alert, make_user, sign_in_client):
    officer = make_user("officer")
    page = sign_in_client(officer, Client()).get(f"/alerts/{alert.pk}/").content.decode()
    assert f'src="/alerts/{alert.pk}/plate/"' in page and f'src="/alerts/{alert.pk}/overview/"' in page
    assert "CAM-A" in page and "Alert town" in page and "northbound" in page
    position = f"53.12345, {alert.camera.longitude:.5f}"  # where the read was taken: its camera's
    assert f'<dd data-testid="alert-position">{position}</dd>' in page
    for restricted in ("Hidden mast", "Secret Lane"):  # the registry's, not the read's
        assert restricted not in page
    opened = SearchAudit.objects.get(kind="view")
    read = Read.objects.get()
    assert (opened.purpose, opened.reference, opened.vrm, opened.filters) == (
        "hotlist-alert",
        f"ALERT-{alert.pk}",
        "AL12ERT",
        {"read": read.id},
    )


def test_those_who_may_see_camera_locations_see_where_it_was(alert, make_user, sign_in_client):
    officer = make_user("officer")
    officer.user_permissions.add(Permission.objects.get(codename="view_camera_location"))
    page = sign_in_client(officer, Client()).get(f"/alerts/{alert.pk}/").content.decode()
    assert "Hidden mast" in page and "53.12345" in page
    assert f"{alert.camera.longitude:.5f} on Secret Lane</dd>" in page


def test_the_overview_is_audited_as_an_image_of_the_read_before_it_leaves(alert, make_user, sign_in_client):
    response = sign_in_client(make_user("officer"), Client()).get(f"/alerts/{alert.pk}/overview/")
    assert b"".join(response.streaming_content) == OVERVIEW
    [row] = SearchAudit.objects.filter(kind="image")
    assert (row.reference, row.filters) == (f"ALERT-{alert.pk}", {"read": Read.objects.get().id})


def test_the_read_opens_on_its_own_page_as_a_search_under_the_alerts_reference(
    alert, make_user, sign_in_client
):
    client = sign_in_client(make_user("officer"), Client())
    response = client.post(f"/alerts/{alert.pk}/read/")
    search = SearchAudit.objects.get(kind="search")
    read = Read.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reads/{read.day}/{read.id}/?search={search.pk}"
    assert (search.purpose, search.reference, search.result_count) == (
        "hotlist-alert",
        f"ALERT-{alert.pk}",
        1,
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and "AL12ERT" in page.content.decode()
    assert client.get(f"/alerts/{alert.pk}/read/").status_code == 405  # a search is posted, never linked


def test_an_alert_whose_read_is_gone_still_shows_what_to_do(alert, make_user, sign_in_client):
    Alert.objects.filter(pk=alert.pk).update(read_id=999_999)
    client = sign_in_client(make_user("officer"), Client())
    page = client.get(f"/alerts/{alert.pk}/")
    assert page.status_code == 200 and "The read is no longer held." in page.content.decode()
    assert "Open the read" not in page.content.decode()
    assert '<dd data-testid="alert-position">—</dd>' in page.content.decode()  # no read reached, no place
    assert client.get(f"/alerts/{alert.pk}/overview/").status_code == 404
    response = client.post(f"/alerts/{alert.pk}/read/", follow=True)
    assert "The read is no longer held." in response.content.decode()
    assert not SearchAudit.objects.filter(kind__in=["view", "image"]).exists()
