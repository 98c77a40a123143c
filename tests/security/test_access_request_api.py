"""Finding 9: the access-request API checked less than the form.

POST /api/v1/access-requests/ took any days_needed, any JSON for the plate, camera and area
scopes (a string became its characters, a number a 500) and a period in the year 2471. The
rules now live in request_file, which form and API both call; and the answer matches the
published schema (decided_by is null until a decision).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from apps.access_requests.models import AccessRequest

pytestmark = pytest.mark.django_db
URL = "/api/v1/access-requests/"


def body(**overrides) -> dict:
    now = timezone.now()
    return {
        "investigation_reference": "OP-FUZZ",
        "offence": "major_crime",
        "justification": "Suspect vehicle.",
        "period_start": (now - timedelta(days=120)).isoformat(),
        "period_end": (now - timedelta(days=80)).isoformat(),
        "days_needed": 14,
        "vrms": ["AB12CDE"],
    } | overrides


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("days_needed", 0),
        ("days_needed", 365),
        ("vrms", "AB12CDE"),
        ("vrms", 5),
        ("vrms", [5]),
        ("vrms", ["AB12CDE"] * 101),
        ("vrms", ["A" * 17]),
        ("camera_codes", "CAM-1"),
        ("camera_codes", ["C" * 33]),
        ("areas", {"town": 1}),
        ("areas", ["x" * 81]),
        ("period_end", "2471-06-01T00:00:00Z"),
        ("period_end", (timezone.now() + timedelta(hours=1)).isoformat()),
    ],
)
def test_the_api_refuses_what_the_rules_refuse_naming_the_field(make_user, api_client_for, field, value):
    officer = api_client_for(make_user("officer"))
    overrides = {field: value}
    if value == "2471-06-01T00:00:00Z":
        overrides["period_start"] = "2471-05-01T00:00:00Z"

    response = officer.post(URL, body(**overrides), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["detail"]
    assert not AccessRequest.objects.exists()


def test_the_form_and_the_api_refuse_alike(make_user, sign_in_client, client, api_client_for):
    officer = make_user("officer")
    sign_in_client(officer)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = body(days_needed=91, vrms="AB12CDE", period_end=future)

    page = client.post(reverse("access_requests:file"), form)
    api = api_client_for(officer).post(URL, body(days_needed=91, period_end=future), format="json")

    assert page.status_code == 200 and api.status_code == 400
    for message in ("Between 1 and 90 days.", "Reads cannot come from the future"):
        assert message in page.content.decode()
        assert message in str(api.json()["detail"])
    assert not AccessRequest.objects.exists()


def test_a_filed_request_is_answered_as_the_schema_says(make_user, api_client_for):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    decided_by = schema["components"]["schemas"]["AccessRequest"]["properties"]["decided_by"]

    filed = api_client_for(make_user("officer")).post(URL, body(vrms=["ab12 cde"]), format="json")

    assert filed.status_code == 201
    assert filed.json()["decided_by"] is None and decided_by.get("nullable") is True
    assert filed.json()["vrms"] == ["AB12CDE"]
