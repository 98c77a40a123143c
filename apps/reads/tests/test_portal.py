"""The portal's read pages: search, open a read and its images, export, vehicle history, back-load."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.evidence import check_image
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE, b64, image_bytes

pytestmark = pytest.mark.django_db
# What the registry alone holds of a camera: never shown to an officer, whatever read they reach.
REGISTRY = {"name": "Hidden mast", "road": "Secret Lane"}


@pytest.fixture
def officer_client(make_user, sign_in_client):
    return sign_in_client(make_user("officer", username="pc-portal"), Client())


@pytest.fixture
def read_with_images(make_user, api_client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    CameraFactory(code="CAM-P", area="Portal town", **REGISTRY)
    from django.utils import timezone

    api_client_for(make_user("camera", cameras=["CAM-P"])).post(
        "/api/v1/reads/",
        [
            {
                "camera": "CAM-P",
                "vrm": "PO12RTL",
                "seen_at": timezone.now().isoformat(),
                "confidence": 0.97,
                "plate_image": b64(image_bytes()),
                "candidates": [{"vrm": "P012RTL", "confidence": 0.4}],
            }
        ],
        format="json",
    )
    return Read.objects.get()


def search(client, **params):
    return client.post("/reads/", {**PURPOSE, **params})


def export(client, **params):
    search(client, **params)
    return client.post(
        "/reads/export.csv", {"search": SearchAudit.objects.filter(kind="search").latest("pk").pk}
    )


def test_the_form_alone_runs_no_search(officer_client):
    response = officer_client.get("/reads/")
    assert response.status_code == 200
    assert not SearchAudit.objects.exists()


def test_search_without_purpose_shows_the_errors_and_runs_nothing(officer_client, read_with_images):
    response = officer_client.post("/reads/", {"vrm": "PO12RTL"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the listed purposes" in page and "Give the incident, crime or case number" in page
    assert not SearchAudit.objects.exists()


def test_the_portal_offers_listed_purposes_and_other_needs_a_description(officer_client, read_with_images):
    form = officer_client.get("/reads/").content.decode()
    assert '<option value="" selected>Choose why you are searching</option>' in form
    assert '<option value="missing-person">Missing or vulnerable person</option>' in form
    undescribed = officer_client.post("/reads/", {"vrm": "PO12RTL", "purpose": "other", "reference": "INC-5"})
    assert undescribed.status_code == 400 and "Describe the purpose" in undescribed.content.decode()
    assert not SearchAudit.objects.exists()
    described = {"purpose": "other", "purpose_detail": "Court order CO/9", "reference": "INC-5"}
    assert officer_client.post("/reads/", {"vrm": "PO12RTL", **described}).status_code == 200
    search_audit = SearchAudit.objects.get()
    assert (search_audit.purpose, search_audit.purpose_detail) == ("other", "Court order CO/9")
    again = officer_client.post("/reads/", {"search": search_audit.pk}).content.decode()
    assert "Court order CO/9" in again  # a further page shows what the search stated
    assert SearchAudit.objects.filter(kind="search").count() == 1  # part of that search,
    page = SearchAudit.objects.get(kind="page")  # recorded as a page of it before it was shown
    assert (page.filters["search"], page.reference, page.purpose_detail) == (
        search_audit.pk,
        "INC-5",
        "Court order CO/9",
    )


def test_search_lists_the_read_and_opening_it_is_audited(officer_client, read_with_images):
    response = search(officer_client, vrm="po12 rtl")
    page = response.content.decode()
    assert "PO12RTL" in page
    audit = SearchAudit.objects.get(kind="search")
    detail_url = f"/reads/{read_with_images.day}/{read_with_images.id}/?search={audit.pk}"
    assert detail_url.replace("?", "?") in page.replace("&amp;", "&")
    detail = officer_client.get(detail_url).content.decode()
    assert "P012RTL" in detail  # the runner-up reading
    assert "Portal town" in detail
    camera = read_with_images.camera
    where = f"{camera.latitude:.5f}, {camera.longitude:.5f}"  # a fixed camera: where it stands
    assert f'<dd data-testid="read-position">{where}</dd>' in detail
    assert not [value for value in REGISTRY.values() if value in detail]
    assert SearchAudit.objects.filter(kind="view", reference=PURPOSE["reference"]).count() == 1


def test_the_colour_is_shown_in_the_results_on_the_read_page_and_in_the_export(officer_client):
    CameraFactory(code="CAM-K")
    moment = timezone.now() - timedelta(minutes=5)
    reads_ingest(
        items=[
            ReadInput(camera="CAM-K", vrm="KL12MNO", seen_at=moment, confidence=0.9, colour="brown"),
            ReadInput(camera="CAM-K", vrm="KL12MNP", seen_at=moment, confidence=0.9),
        ],
        source="camera",
    )
    results = search(officer_client, vrm="KL12MN*", colour="brown")
    assert [read.vrm for read in results.context["page"].reads] == ["KL12MNO"]
    assert "<td>Brown or beige</td>" in results.content.decode()
    [read] = results.context["page"].reads
    audit = SearchAudit.objects.get(kind="search")
    detail = officer_client.get(f"/reads/{read.day}/{read.id}/?search={audit.pk}").content.decode()
    assert re.search(r'data-testid="read-colour">Brown or beige <span class="hint">\(estimated', detail)
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(export(officer_client, vrm="KL12MN*").streaming_content).decode())
        )
    )
    assert {row["Plate"]: row["Colour"] for row in rows} == {"KL12MNO": "brown", "KL12MNP": ""}


def test_images_are_served_only_through_the_users_own_search(
    officer_client, read_with_images, make_user, sign_in_client
):
    search(officer_client, vrm="PO12RTL")
    audit = SearchAudit.objects.get(kind="search")
    url = f"/reads/{read_with_images.day}/{read_with_images.id}/plate/"
    response = officer_client.get(url, {"search": audit.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == image_bytes()
    assert response["Cache-Control"] == "no-store"
    assert SearchAudit.objects.filter(kind="image", reference=audit.reference).count() == 1
    assert officer_client.get(url).status_code == 404  # no search named
    colleague = sign_in_client(make_user("officer"), Client())
    assert colleague.get(url, {"search": audit.pk}).status_code == 404  # someone else's search


def test_a_read_outside_the_window_cannot_be_opened_even_by_id(officer_client, make_user):
    camera = CameraFactory()
    from apps.reads.tests.helpers import store_reads

    store_reads(camera, ("OLD1", timedelta(days=120)), source="upload")
    old = Read.objects.get()
    search(officer_client, vrm="OLD1")
    audit = SearchAudit.objects.get()
    assert audit.result_count == 0
    assert officer_client.get(f"/reads/{old.day}/{old.id}/", {"search": audit.pk}).status_code == 404


def test_an_image_of_a_read_outside_the_window_is_not_served_even_by_address(
    officer_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    CameraFactory(code="CAM-OLD")
    picture = check_image(image_bytes())
    seen_at = timezone.now() - timedelta(days=120)
    reads_ingest(
        items=[ReadInput(camera="CAM-OLD", vrm="OLD2", seen_at=seen_at, confidence=0.9, plate_image=picture)],
        source="upload",
    )
    old = Read.objects.get()
    search(officer_client, vrm="OLD2")
    audit = SearchAudit.objects.get(kind="search")
    assert default_storage.exists(picture.name)  # the image is there: only the window refuses it
    response = officer_client.get(f"/reads/{old.day}/{old.id}/plate/", {"search": audit.pk})
    assert response.status_code == 404


def test_a_range_wholly_outside_the_window_is_explained(officer_client):
    from apps.reads.tests.helpers import ago

    response = search(officer_client, vrm="AB12CDE", seen_before=ago(days=200).strftime("%Y-%m-%dT%H:%M"))
    assert "need an approved access request" in response.content.decode()


def test_export_is_audited_and_says_where_each_read_was_taken_but_not_the_cameras_name_or_road(
    officer_client, read_with_images
):
    response = export(officer_client, vrm="PO12RTL")
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["Plate"] for row in rows] == ["PO12RTL"]
    camera = read_with_images.camera  # a fixed camera: its reads were taken where it stands
    assert (float(rows[0]["Latitude"]), float(rows[0]["Longitude"])) == (camera.latitude, camera.longitude)
    assert not [value for value in REGISTRY.values() if value in content]
    exported = SearchAudit.objects.get(kind="export")
    assert (exported.result_count, exported.reference) == (1, PURPOSE["reference"])


def test_a_vehicle_mounted_cameras_read_is_exported_where_the_vehicle_was(officer_client):
    CameraFactory(code="VAN-P", kind="mobile", latitude=52.0, longitude=-1.0, **REGISTRY)
    moment = timezone.now() - timedelta(minutes=5)
    reads_ingest(
        items=[
            ReadInput(
                camera="VAN-P", vrm="MO12BIL", seen_at=moment, confidence=0.9, latitude=52.6, longitude=-1.1
            )
        ],
        source="camera",
    )
    response = export(officer_client, vrm="MO12BIL")
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert (row["Latitude"], row["Longitude"]) == ("52.6", "-1.1")  # the read's own, not the van's base


def test_export_links_to_the_portal_never_to_storage_and_is_named_for_what_and_when(
    officer_client, read_with_images
):
    response = export(officer_client, vrm="PO12RTL")
    content = b"".join(response.streaming_content).decode()
    assert "evidence/" not in content and read_with_images.plate_image not in content
    [row] = list(csv.DictReader(io.StringIO(content)))
    exported = SearchAudit.objects.get(kind="export")
    at = timezone.localtime(exported.at)
    assert response["Content-Disposition"] == (
        f'attachment; filename="reads-search-INC-2026-0042-{at:%Y-%m-%dT%H%M}.csv"'
    )
    day, read_id = read_with_images.day, read_with_images.id
    assert row["Read page"] == f"{settings.PORTAL_URL}/reads/{day}/{read_id}/?search={exported.pk}"
    assert row["Plate patch"] == f"{settings.PORTAL_URL}/reads/{day}/{read_id}/plate/?search={exported.pk}"
    assert row["Overview image"] == ""  # none taken
    image = officer_client.get(row["Plate patch"].removeprefix(settings.PORTAL_URL))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert officer_client.get(row["Read page"].removeprefix(settings.PORTAL_URL)).status_code == 200
    opened = SearchAudit.objects.filter(kind__in=["image", "view"]).values_list("filters", flat=True)
    assert {f["search"] for f in opened} == {exported.pk}  # opened under the export, and audited


def test_vehicle_history_is_audited_and_needs_an_exact_plate(officer_client, read_with_images):
    page = officer_client.post("/reads/history/", {"vrm": "PO12RTL", **PURPOSE}).content.decode()
    assert 'data-testid="timeline"' in page and "CAM-P" in page
    assert SearchAudit.objects.get().kind == "history"
    refused = officer_client.post("/reads/history/", {"vrm": "PO1*", **PURPOSE}).content.decode()
    assert "one exact plate" in refused


def test_vehicle_history_maps_where_the_vehicle_was_read_joined_oldest_first(officer_client):
    """Markers for the officer who searched, each where its read was taken, in the order the
    route joins them; nothing of the registry but the cameras' codes."""
    home = CameraFactory(code="CAM-H1", latitude=51.1, longitude=-0.1, **REGISTRY)
    van = CameraFactory(code="VAN-H2", kind="mobile", latitude=None, longitude=None, **REGISTRY)
    now = timezone.now()
    reads_ingest(
        items=[
            ReadInput(
                camera="VAN-H2",
                vrm="HI12STY",
                seen_at=now - timedelta(hours=1),
                confidence=0.9,
                latitude=51.2,
                longitude=-0.2,
            ),
            ReadInput(camera=home.code, vrm="HI12STY", seen_at=now - timedelta(hours=3), confidence=0.9),
        ],
        source="camera",
    )
    page = officer_client.post("/reads/history/", {"vrm": "HI12STY", **PURPOSE}).content.decode()
    assert 'id="map"' in page and "data-route" in page
    markers = json.loads(re.search(r'<script id="map-markers"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert [(m["code"], m["latitude"], m["longitude"]) for m in markers] == [
        (home.code, 51.1, -0.1),  # the older read, at the fixed camera
        (van.code, 51.2, -0.2),  # the newer, where the van was
    ]
    assert not [value for value in REGISTRY.values() if value in page]


def test_back_load_stores_a_good_file_and_nothing_of_a_bad_one(make_user, sign_in_client):
    from django.utils import timezone

    CameraFactory(code="CAM-B")
    admin = sign_in_client(make_user("administrator"), Client())
    now = timezone.now()
    good = "camera,vrm,seen_at,confidence\n" + "".join(
        f"CAM-B,BL{n}AAA,{(now - timedelta(days=n)).isoformat()},0.8\n" for n in range(5)
    )
    response = admin.post(
        "/reads/back-load/", {"file": SimpleUploadedFile("reads.csv", good.encode())}, follow=True
    )
    assert "5 reads stored, 0 already held" in response.content.decode()
    again = admin.post(
        "/reads/back-load/", {"file": SimpleUploadedFile("reads.csv", good.encode())}, follow=True
    )
    assert "0 reads stored, 5 already held" in again.content.decode()

    bad = good + f"CAM-X,ZZ1,{now.isoformat()},0.5\nCAM-B,ZZ2,{now.isoformat()},2\n"
    response = admin.post("/reads/back-load/", {"file": SimpleUploadedFile("reads.csv", bad.encode())})
    page = response.content.decode()
    assert response.status_code == 400 and 'data-testid="error-summary"' in page
    assert "CSV file: Nothing was stored: 2 rows to fix, listed below the form." in page
    assert "<td>7</td><td>camera</td><td>Unknown camera &#x27;CAM-X&#x27;.</td>" in page
    assert "<td>8</td><td>confidence</td>" in page
    assert Read.objects.count() == 5


def test_back_load_takes_a_colour_column_and_an_empty_cell_is_unknown(make_user, sign_in_client):
    CameraFactory(code="CAM-B")
    admin = sign_in_client(make_user("administrator"), Client())
    moment = (timezone.now() - timedelta(hours=1)).isoformat()
    content = (
        f"camera,vrm,seen_at,confidence,colour\nCAM-B,CO1AAA,{moment},0.8,red\nCAM-B,CO2AAA,{moment},0.8,\n"
    )
    response = admin.post("/reads/back-load/", {"file": SimpleUploadedFile("reads.csv", content.encode())})
    assert response.status_code == 302
    assert dict(Read.objects.values_list("vrm", "colour")) == {"CO1AAA": "red", "CO2AAA": None}
    wrong = content.replace("CO1AAA", "CO3AAA").replace(",red", ",pink")
    response = admin.post("/reads/back-load/", {"file": SimpleUploadedFile("reads.csv", wrong.encode())})
    assert response.status_code == 400 and "<td>2</td><td>colour</td>" in response.content.decode()


def test_back_load_names_a_faulty_row_by_the_line_it_ends_on(make_user, sign_in_client):
    from django.utils import timezone

    CameraFactory(code="CAM-B", kind="mobile", latitude=None, longitude=None)
    admin = sign_in_client(make_user("administrator"), Client())
    moment = timezone.now().isoformat()
    content = (
        "camera,vrm,seen_at,confidence,direction\n"
        f'CAM-B,AB1,{moment},0.9,"N\nS"\n'  # lines 2 and 3
        "\n"  # line 4, blank
        f"CAM-B,AB2,{moment},0.9,N\n"  # line 5
    )
    page = admin.post(
        "/reads/back-load/", {"file": SimpleUploadedFile("r.csv", content.encode())}
    ).content.decode()
    assert "<td>3</td><td>direction</td>" in page  # a direction has no line break
    assert "<td>5</td><td>latitude</td>" in page  # a vehicle camera's reads need a position


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"camera,vrm\nCAM-B,AB1\n", "lacks: seen_at, confidence"),
        (b"camera,vrm,seen_at,confidence\n", "no reads"),
        (b'camera,vrm,seen_at,confidence\nCAM-B,"' + b"A" * 200_000 + b'",x,1\n', "not well-formed CSV"),
    ],
)
def test_back_load_explains_unreadable_files(make_user, sign_in_client, content, message):
    admin = sign_in_client(make_user("administrator"), Client())
    response = admin.post("/reads/back-load/", {"file": SimpleUploadedFile("x.csv", content)})
    assert response.status_code == 400
    assert re.search(rf'<a href="#id_file">CSV file: [^<]*{message}', response.content.decode())
