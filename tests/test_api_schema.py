"""The OpenAPI schema builds without warnings and validates (schema-driven clients depend on it)."""

import json

import pytest
from django.core.management import call_command


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
