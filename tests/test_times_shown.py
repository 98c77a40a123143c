"""Every moment a person reads is in the force's zone (Europe/London) with its name, in one
format: a read seen on 14 July at 09:05:03 UTC reads "14 Jul <year>, 10:05:03 BST" on every page,
in the audit's record of what was asked for and in refusals; exports carry ISO 8601 with the
offset (+01:00) and whole seconds, under plain column names. In winter London time equals UTC,
so only a summer moment can show whether this is right."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from apps.audit.models import SearchAudit
from apps.cameras.tests.factories import CameraFactory
from apps.core.tests.summer import last_july
from apps.reads.access_window import Grant, OutsideAccessWindow, check_range_reachable
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE

pytestmark = pytest.mark.django_db
SUMMER = datetime(2026, 7, 14, 9, 5, 3, tzinfo=UTC)


@pytest.fixture
def summer(settings, make_user, sign_in_client):
    """A read seen last 14 July, inside a window long enough to reach it, and an officer."""
    settings.READ_ACCESS_STANDARD_DAYS = 400
    moment = last_july()
    CameraFactory(code="CAM-BST", area="Summer town")
    reads_ingest(
        items=[ReadInput(camera="CAM-BST", vrm="BS12TJL", seen_at=moment, confidence=0.9)], source="upload"
    )
    officer = sign_in_client(make_user("officer"), Client())
    return {"moment": moment, "shown": f"14 Jul {moment.year}, 10:05:03 BST", "officer": officer}


def test_search_results_and_the_read_show_british_summer_time(summer):
    officer = summer["officer"]
    results = officer.post("/reads/", {"vrm": "BS12TJL", **PURPOSE}).content.decode()
    assert summer["shown"] in results and "09:05:03" not in results
    read = Read.objects.get()
    search = SearchAudit.objects.get(kind="search")
    page = officer.get(f"/reads/{read.day}/{read.id}/", {"search": search.pk}).content.decode()
    assert summer["shown"] in page and "09:05:03" not in page


def test_the_vehicle_history_shows_british_summer_time(summer):
    page = summer["officer"].post("/reads/history/", {"vrm": "BS12TJL", **PURPOSE}).content.decode()
    assert summer["shown"] in page and "09:05:03" not in page


def test_the_export_has_plain_headings_and_iso_times_with_the_offset(summer):
    officer = summer["officer"]
    officer.post("/reads/", {"vrm": "BS12TJL", **PURPOSE})
    response = officer.post("/reads/export.csv", {"search": SearchAudit.objects.get(kind="search").pk})
    [row] = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert row["Seen at"] == f"{summer['moment'].year}-07-14T10:05:03+01:00"  # no microseconds
    assert (row["Plate"], row["Camera"], row["Area"]) == ("BS12TJL", "CAM-BST", "Summer town")


def test_the_audit_shows_the_period_asked_for_in_london_time(summer, make_user, sign_in_client):
    year = summer["moment"].year
    # The officer types London time into the form, as the browser's date picker shows it.
    summer["officer"].post(
        "/reads/",
        {
            "vrm": "BS12TJL",
            "seen_after": f"{year}-07-14T10:00",
            "seen_before": f"{year}-07-14T11:00",
            **PURPOSE,
        },
    )
    assert SearchAudit.objects.get(kind="search").result_count == 1  # 10:05:03 BST lies between them
    auditor = sign_in_client(make_user("auditor"), Client())
    page = auditor.get("/audit/searches/").content.decode()
    assert f"14 Jul {year}, 10:00:00 BST" in page and f"14 Jul {year}, 11:00:00 BST" in page
    assert "+00:00" not in page and "T09:00" not in page


def test_the_access_windows_refusal_names_its_limit_in_london_time(make_user, sign_in_client):
    with pytest.raises(OutsideAccessWindow) as refused:
        check_range_reachable([Grant(start=SUMMER)], SUMMER - timedelta(days=1))
    assert "back to 14 Jul 2026, 10:05:03 BST only" in str(refused.value)
    officer = sign_in_client(make_user("officer"), Client())
    page = officer.post("/reads/", {"vrm": "AB12CDE", "seen_before": "2020-01-01T00:00", **PURPOSE})
    text = page.content.decode()
    assert page.status_code == 403 and "You may search reads back to" in text and "UTC" not in text
