"""Finding 3: reads could be enumerated. Opening a read checked only that the search id was the
user's own and the read inside the window, not that the read matched that search's criteria;
read ids are sequential; evidence images were served with no audit row at all."""

from datetime import timedelta

import pytest
from django.test import Client

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.models import Alert
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.reads.paging import Cursor
from apps.reads.tests.helpers import PURPOSE, b64, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(make_user, api_client_for, settings, tmp_path):
    """Three reads with images, one after another (sequential ids): two plates, two cameras."""
    settings.MEDIA_ROOT = tmp_path
    from django.utils import timezone

    CameraFactory(code="CAM-E1")
    CameraFactory(code="CAM-E2")
    gateway = api_client_for(make_user("camera", cameras=["CAM-E1", "CAM-E2"]))
    now = timezone.now()
    for n, (camera, vrm) in enumerate([("CAM-E1", "EN12UME"), ("CAM-E1", "VI12CTM"), ("CAM-E2", "EN12UME")]):
        seen = (now - timedelta(minutes=n)).isoformat()
        body = {
            "camera": camera,
            "vrm": vrm,
            "seen_at": seen,
            "confidence": 0.9,
            "plate_image": b64(image_bytes()),
        }
        assert gateway.post("/api/v1/reads/", [body], format="json").status_code == 201
    return {(r.camera.code, r.vrm): r for r in Read.objects.select_related("camera")}


def test_a_search_opens_only_the_reads_that_match_it(make_user, sign_in_client, reads):
    officer = sign_in_client(make_user("officer"), Client())
    officer.post("/reads/", {"vrm": "EN12UME", "camera": "CAM-E1", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    mine, victim, elsewhere = (
        reads["CAM-E1", "EN12UME"],
        reads["CAM-E1", "VI12CTM"],
        reads["CAM-E2", "EN12UME"],
    )
    assert officer.get(f"/reads/{mine.day}/{mine.id}/", {"search": search.pk}).status_code == 200
    for other in (victim, elsewhere):  # the next id along, and the same plate at a camera not searched
        assert officer.get(f"/reads/{other.day}/{other.id}/", {"search": search.pk}).status_code == 404
        assert officer.get(f"/reads/{other.day}/{other.id}/plate/", {"search": search.pk}).status_code == 404
    opened = SearchAudit.objects.filter(kind__in=["view", "image"]).values_list("filters__read", flat=True)
    assert set(opened) == {mine.id}


def test_every_image_is_audited_before_it_is_sent(make_user, sign_in_client, reads):
    officer = sign_in_client(make_user("officer"), Client())
    officer.post("/reads/", {"vrm": "EN12UME", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    read = reads["CAM-E1", "EN12UME"]
    response = officer.get(f"/reads/{read.day}/{read.id}/plate/", {"search": search.pk})
    assert b"".join(response.streaming_content) == image_bytes()
    [row] = SearchAudit.objects.filter(kind="image")
    assert (row.vrm, row.reference, row.filters) == (
        "EN12UME",
        PURPOSE["reference"],
        {"read": read.id, "search": search.pk},
    )


def test_an_opened_read_is_no_key_to_others(make_user, sign_in_client, reads):
    """The id of a read-opened row is not a search: it opens nothing."""
    officer = sign_in_client(make_user("officer"), Client())
    officer.post("/reads/", {"vrm": "EN12UME", **PURPOSE})
    read = reads["CAM-E1", "EN12UME"]
    officer.get(f"/reads/{read.day}/{read.id}/", {"search": SearchAudit.objects.get(kind="search").pk})
    view = SearchAudit.objects.get(kind="view")
    assert officer.get(f"/reads/{read.day}/{read.id}/", {"search": view.pk}).status_code == 404


@pytest.fixture
def listed_plate(make_user):
    """EN12UME on a hotlist before the reads arrive: each of its reads raises an alert."""
    admin = make_user("administrator")
    add_entry(make_hotlist(admin, name="Enumerated"), "EN12UME", admin)


def test_an_alert_opens_its_own_read_and_no_other(make_user, sign_in_client, listed_plate, reads):
    """An alert's read is reached by the key the alert holds, never one the caller names: the
    search it makes matches that read alone, and is no key to the plate at another camera."""
    mine, victim, elsewhere = (
        reads["CAM-E1", "EN12UME"],
        reads["CAM-E1", "VI12CTM"],
        reads["CAM-E2", "EN12UME"],
    )
    alert = Alert.objects.get(read_id=mine.id)
    officer = sign_in_client(make_user("officer"), Client())
    assert officer.post(f"/alerts/{alert.pk}/read/").status_code == 302
    search = SearchAudit.objects.get(kind="search")
    assert search.result_count == 1
    assert officer.get(f"/reads/{mine.day}/{mine.id}/", {"search": search.pk}).status_code == 200
    for other in (victim, elsewhere):
        assert officer.get(f"/reads/{other.day}/{other.id}/", {"search": search.pk}).status_code == 404
        assert officer.get(f"/reads/{other.day}/{other.id}/plate/", {"search": search.pk}).status_code == 404
    # The overview under the alert is its own read's (this one has none): audited, then refused.
    assert officer.get(f"/alerts/{alert.pk}/overview/").status_code == 404
    opened = SearchAudit.objects.filter(kind__in=["view", "image"]).values_list("filters__read", flat=True)
    assert set(opened) == {mine.id}


def test_no_one_pages_or_sorts_a_search_that_is_not_theirs(make_user, sign_in_client, api_client_for, reads):
    """A search's pages are part of it, with no record of their own: so only its maker may ask
    for them, and another's search, or an opened read's record, answers as no search at all."""
    owner = make_user("officer")
    sign_in_client(owner, Client()).post("/reads/", {"vrm": "EN12UME", **PURPOSE})
    search = SearchAudit.objects.get(kind="search")
    mine = reads["CAM-E1", "EN12UME"]
    sign_in_client(owner, Client()).get(f"/reads/{mine.day}/{mine.id}/", {"search": search.pk})
    opened = SearchAudit.objects.get(kind="view")
    before = SearchAudit.objects.count()
    other = make_user("officer")
    browser, api = sign_in_client(other, Client()), api_client_for(other)
    cursor = str(Cursor.at(mine, sort="plate", way="from"))
    for asked in (
        {"search": search.pk},
        {"search": search.pk, "sort": "plate"},
        {"search": search.pk, "page": cursor},
    ):
        refused = browser.post("/reads/", asked)
        assert (
            refused.status_code
            == browser.post("/reads/", {**asked, "search": 999_999_999}).status_code
            == 404
        )
        assert "EN12UME" not in refused.content.decode()
    assert sign_in_client(owner, Client()).post("/reads/", {"search": opened.pk}).status_code == 404
    missing = api.get("/api/v1/reads/", {"search": 999_999_999}).json()
    assert api.get("/api/v1/reads/", {"search": search.pk}).json() == missing
    assert api.post("/api/v1/reads/search/", {"search": search.pk}, format="json").json() == missing
    assert missing["error"] == "not_found"
    assert SearchAudit.objects.count() == before  # nothing shown, nothing recorded
