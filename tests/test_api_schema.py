"""The OpenAPI schema builds without warnings and validates (schema-driven clients depend on it),
and documents what the API answers."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from apps.cameras.tests.factories import CameraFactory
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.tests.helpers import PURPOSE, store_reads


@pytest.mark.django_db
def test_the_schema_is_valid_and_names_every_endpoint(tmp_path):
    target = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target)
    )
    paths = json.loads(target.read_text())["paths"]
    for path in (
        "/api/v1/reads/",
        "/api/v1/cameras/",
        "/api/v1/hotlists/",
        "/api/v1/hotlists/{hotlist_pk}/entries/",
        "/api/v1/alerts/",
        "/api/v1/me/",
        "/api/v1/transparency/",
    ):
        assert path in paths


# Replies the schema once left undocumented (the ingest receipt's hits, an import's counts, a
# search's reads): each is now described, and a real reply holds what the description says.


def _answer(schema: dict, path: str, method: str, status: str) -> dict:
    return _resolved(
        schema, schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    )


def _resolved(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _holds_as_documented(reply: dict, documented: dict) -> None:
    assert set(documented["required"]) <= set(reply) <= set(documented["properties"]), (reply, documented)


@pytest.mark.django_db
def test_the_ingest_receipt_names_the_crews_hits_as_the_schema_documents(make_user, api_client_for):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    receipt = _answer(schema, "/api/v1/reads/", "post", "201")
    hit = _resolved(schema, receipt["properties"]["alerts"]["items"])
    assert set(hit["properties"]) == {"id", "vrm", "hotlist", "match", "priority", "action"}

    CameraFactory(code="CAM-K")
    admin = make_user("administrator")
    add_entry(make_hotlist(admin, name="Open"), "OP12ENN", admin)
    patrol_car = api_client_for(make_user("camera", cameras=["CAM-K"], in_vehicle=True))
    body = [{"camera": "CAM-K", "vrm": "OP12ENN", "seen_at": timezone.now().isoformat(), "confidence": 0.9}]
    reply = patrol_car.post("/api/v1/reads/", body, format="json").json()

    _holds_as_documented(reply, receipt)
    [told] = reply["alerts"]
    _holds_as_documented(told, hit)
    assert (told["vrm"], told["hotlist"], told["match"]) == ("OP12ENN", "Open", "exact")


@pytest.mark.django_db
def test_an_import_answers_its_counts_as_the_schema_documents(make_user, api_client_for):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    path = "/api/v1/hotlists/{hotlist_pk}/entries/import/"
    form = _resolved(
        schema, schema["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    )
    assert set(form["properties"]) == {"file", "mode"}
    counts = _answer(schema, path, "post", "200")
    assert set(counts["properties"]) == {"added", "updated", "removed", "unchanged"}

    admin = make_user("administrator")
    hotlist = make_hotlist(admin)
    csv = SimpleUploadedFile("list.csv", b"vrm,reason,action\nAA11AAA,stolen,stop\n")
    reply = api_client_for(admin).post(f"/api/v1/hotlists/{hotlist.pk}/entries/import/", {"file": csv})

    _holds_as_documented(reply.json(), counts)


@pytest.mark.django_db
@pytest.mark.parametrize("roles", [("officer",), ("officer", "planner")], ids=["no-locations", "locations"])
def test_a_searchs_reads_are_answered_as_the_schema_documents(make_user, api_client_for, roles):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    page = _answer(schema, "/api/v1/reads/", "get", "200")
    read = _resolved(schema, page["properties"]["results"]["items"])
    camera = _resolved(schema, read["properties"]["camera"])

    store_reads(CameraFactory(code="CAM-S"), ("AB12CDE", timedelta(hours=1)))
    reply = api_client_for(make_user(*roles)).get("/api/v1/reads/", {"vrm": "AB12CDE", **PURPOSE}).json()

    _holds_as_documented(reply, page)
    [found] = reply["results"]
    _holds_as_documented(found, read)
    _holds_as_documented(found["camera"], camera)
    assert found["latitude"] is not None  # where the read was taken, to whoever searched
    assert ("latitude" in found["camera"]) is ("planner" in roles)  # the registry's, with the permission
