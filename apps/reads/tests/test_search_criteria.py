"""Criteria no read could meet are refused by field, portal and API alike, and an answer with no
reads says exactly what was searched: "no reads" must never read as "never seen"."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.access_requests import services as access_requests
from apps.audit.models import SearchAudit, SecurityEvent
from apps.cameras.tests.factories import CameraFactory
from apps.reads.tests.helpers import PURPOSE, ago, store_reads

pytestmark = pytest.mark.django_db
API = "/api/v1/reads/search/"


@pytest.fixture
def officer(make_user):
    return make_user("officer", username="pc-criteria")


@pytest.fixture
def browser(officer, sign_in_client):
    return sign_in_client(officer, Client())


@pytest.fixture
def api(officer, api_client_for):
    return api_client_for(officer)


@pytest.fixture
def cameras():
    north = CameraFactory(code="CAM-N", area="North")
    CameraFactory(code="CAM-S", area="South")
    store_reads(north, ("AB12CDE", timedelta(hours=1)), ("OL12DRD", timedelta(days=100)))
    return north


def moment(**ago_by) -> str:
    return ago(**ago_by).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    ("criteria", "field", "message"),
    [
        (
            {"vrm": "AB12CDE", "seen_after": moment(hours=1), "seen_before": moment(hours=5)},
            "seen_before",
            "'Seen before' is earlier than 'seen after'",
        ),
        ({"vrm": "AB12CDE", "seen_after": moment(hours=-5)}, "seen_after", "'Seen after' is in the future"),
        ({"vrm": "AB12CDE", "camera": "CAM-X"}, "camera", "No camera CAM-X in the registry."),
        ({"vrm": "AB12CDE", "min_confidence": "1.5"}, "min_confidence", "less than or equal to 1"),
        ({"vrm": "AB12CDE", "min_confidence": "-0.1"}, "min_confidence", "greater than or equal to 0"),
        ({"vrm": "AB12CDE", "area": "Atlantis"}, "area", "No camera is in an area called Atlantis."),
        ({"vrm": "AB12CDE", "camera": "CAM-N", "area": "South"}, "area", "CAM-N is not in South"),
        ({"vrm": "!!!"}, "vrm", "A plate is letters and digits; this has none."),
        ({"vrm": "AB12CDEFGHJKLMNPQ"}, "vrm", "No plate has more than 16 letters and digits"),
        ({"vrm": "AB12CDEFGHJKLMNP?*"}, "vrm", "No plate has more than 16 letters and digits"),
        ({"vrm": "A*"}, "criteria", "at least 3 known letters or digits"),
        ({"vrm": "AB12CDE", "colour": "purple"}, "colour", "purple is not one of the available choices"),
        # A colour narrows a search; it never makes one narrow enough.
        ({"colour": "red"}, "criteria", "at least 3 known letters or digits"),
        ({"vrm": "A*", "colour": "red", "area": "North"}, "criteria", "at least 3 known letters or digits"),
        (
            {"colour": "red", "seen_after": moment(hours=20), "seen_before": moment(minutes=1)},
            "criteria",
            "at least 3 known letters or digits",
        ),
    ],
)
def test_criteria_no_read_could_meet_are_refused_by_field(browser, api, cameras, criteria, field, message):
    page = browser.post("/reads/", {**PURPOSE, **criteria})
    assert page.status_code == 400
    errors = page.context["filters"].form.errors
    assert message in " ".join(errors["__all__" if field == "criteria" else field])
    assert "No reads" not in page.content.decode()
    answer = api.post(API, {**PURPOSE, **criteria}, format="json")
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["detail"][field])
    # Faults in the criteria are the asker's to fix, as today: no search, nothing recorded.
    assert (
        not SearchAudit.objects.exists() and not SecurityEvent.objects.filter(kind="search_refused").exists()
    )


def test_an_empty_answer_names_the_criteria_and_the_window_searched(browser, api, cameras, settings):
    page = browser.post("/reads/", {"vrm": "zz99 zzz", **PURPOSE})
    assert page.status_code == 200
    said = _text(page, "searched")
    when = r"\d+ \w{3} \d{4}, \d\d:\d\d:\d\d (GMT|BST)"
    window = re.fullmatch(
        rf"No reads of ZZ99ZZZ at any camera between {when} and {when} \(your 90-day window\)\.", said
    )
    assert window, said
    [period] = page.context["result"].periods
    assert period.end - period.start == timedelta(days=settings.READ_ACCESS_STANDARD_DAYS)
    narrowed = browser.post(
        "/reads/",
        {
            "vrm": "AB1*",
            "camera": "CAM-N,CAM-S",
            "min_confidence": "0.95",
            "seen_after": moment(days=2),
            **PURPOSE,
        },
    )
    assert _text(narrowed, "searched").startswith(
        "No reads of plates matching AB1* at cameras CAM-N, CAM-S, read with confidence 0.95 or more between "
    )
    assert (
        narrowed.context["result"].periods[0].start
        == narrowed.context["filters"].form.cleaned_data["seen_after"]
    )
    found = browser.post("/reads/", {"vrm": "AB12CDE", "area": "north", **PURPOSE})
    assert _text(found, "searched").startswith("Reads of AB12CDE in north between ")
    # AB12CDE was read, its colour unknown: the answer says such reads were left out.
    by_colour = browser.post("/reads/", {"vrm": "AB12CDE", "colour": "silver", **PURPOSE})
    assert _text(by_colour, "searched").startswith(
        "No reads of AB12CDE at any camera, with the vehicle's colour estimated as silver or grey "
        "(an estimate: reads of unknown or misjudged colour are left out) between "
    )


@pytest.fixture
def request_for(officer, make_user):
    """An approved access request of the officer's: one plate, the North area, 120 to 80 days ago."""
    now = timezone.now()
    request = access_requests.request_file(
        requester=officer,
        investigation_reference="OP-SCOPE",
        offence="major_crime",
        justification="A vehicle seen near a serious assault.",
        period_start=now - timedelta(days=120),
        period_end=now - timedelta(days=80),
        days_needed=14,
        vrms=["OL12DRD"],
        areas=["North"],
    )
    access_requests.request_approve(access_request=request, approver=make_user("supervisor"), reason="ok")
    return request


@pytest.mark.parametrize(
    ("criteria", "field", "message"),
    [
        ({"vrm": "AB12CDE"}, "vrm", "covers only the plate OL12DRD."),
        ({"vrm": "AB1*"}, "vrm", "covers only the plate OL12DRD."),
        ({"vrm": "OL12DRD", "seen_after": moment(days=30)}, "seen_after", "this search starts after that."),
        ({"vrm": "OL12DRD", "seen_before": moment(days=200)}, "seen_before", "this search ends before that."),
        ({"vrm": "OL12DRD", "camera": "CAM-S"}, "camera", "covers only area North."),
        ({"vrm": "OL12DRD", "area": "South"}, "area", "covers only area North."),
    ],
)
def test_criteria_outside_the_access_request_named_are_refused_and_recorded(
    browser, api, cameras, request_for, criteria, field, message
):
    asked = {**PURPOSE, **criteria, "access_request": request_for.pk}
    page = browser.post("/reads/", asked)
    assert page.status_code == 400
    assert message in " ".join(page.context["filters"].form.errors[field])
    answer = api.post(API, asked, format="json")
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["detail"][field])
    assert not SearchAudit.objects.exists()
    # A refusal tied to an access request is recorded, like one for a request not usable.
    refusals = SecurityEvent.objects.filter(kind="search_refused", username="pc-criteria")
    assert [event.detail["outside"] for event in refusals] == [[field], [field]]
    assert {event.detail["via"] for event in refusals} == {"portal", "api"}


def test_a_search_inside_the_request_says_what_each_grant_covered(browser, cameras, request_for):
    page = browser.post("/reads/", {"vrm": "O?12*", "access_request": request_for.pk, **PURPOSE})
    assert [read.vrm for read in page.context["page"].reads] == ["OL12DRD"]
    said = _text(page, "searched")
    assert said.startswith("Reads of plates matching O?12* at any camera between ")
    assert f"(access request {request_for.pk}) and between " in said
    assert said.endswith("(your 90-day window).")
    assert [period.access_request_id for period in page.context["result"].periods] == [request_for.pk, None]


def _text(response, test_id: str) -> str:
    html = response.content.decode()
    found = re.search(rf'data-testid="{test_id}">(.*?)</p>', html, re.S)
    assert found, html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip()
