"""Finding 4: CSV formula injection in every export. A cell starting with =, +, -, @, a tab or a
carriage return (the plate as read, the direction, the area, any free text) runs as a formula
when the file is opened in a spreadsheet."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db
PAYLOAD = '=HYPERLINK("x",A1)'


def test_exported_cells_never_start_a_formula(make_user, sign_in_client):
    CameraFactory(code="CAM-X", area="@SUM(1+1)")
    reads_ingest(
        items=[
            ReadInput(camera="CAM-X", vrm=PAYLOAD, seen_at=timezone.now(), confidence=0.9, direction="-2+3")
        ],
        source="upload",
    )
    officer = sign_in_client(make_user("officer"), Client())
    officer.post("/reads/", {"vrm": "HYPERLINK*", **PURPOSE})
    response = officer.post("/reads/export.csv", {"search": SearchAudit.objects.get(kind="search").pk})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["Plate as read"] == "'" + PAYLOAD
    assert (row["Area"], row["Direction"]) == ("'@SUM(1+1)", "'-2+3")
    for cell in row.values():
        assert (
            not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            or cell.lstrip("+-").replace(".", "").isdigit()
        )


def test_a_camera_cannot_send_a_direction_that_is_a_formula(make_user, api_client_for):
    CameraFactory(code="CAM-Y")
    gateway = api_client_for(make_user("camera", cameras=["CAM-Y"]))
    body = {"camera": "CAM-Y", "vrm": "AB12CDE", "seen_at": timezone.now().isoformat(), "confidence": 0.9}
    response = gateway.post("/api/v1/reads/", [body | {"direction": "=cmd|' /C calc'!A0"}], format="json")
    assert response.status_code == 400 and "direction" in response.json()["detail"]["items"]["0"]
    assert (
        gateway.post("/api/v1/reads/", [body | {"direction": "Northbound"}], format="json").status_code == 201
    )
