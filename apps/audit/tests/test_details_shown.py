"""What the audit trail keeps as data (a security event's detail, what a job run did, what a search
asked for, a record's changes) is shown in words and lists on the auditor's pages, never as a
Python dict or list."""

import pytest
from django.test import Client

from apps.audit.jobs import recorded_run
from apps.audit.models import SearchAudit, SecurityEvent
from apps.audit.services import search_record, security_event_record
from apps.hotlists.tests.factories import add_entry, make_hotlist

pytestmark = pytest.mark.django_db
REPRS = ("['", "{'", "': ", "True", "False", "None")


@pytest.fixture
def auditor(make_user, sign_in_client):
    return sign_in_client(make_user("auditor", username="the-auditor"), Client())


def table(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]


def test_security_event_details_are_labelled_lists(auditor):
    security_event_record(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGE,
        username="pc-new",
        actor="admin-a",
        detail={
            "action": "cameras bound",
            "roles": ["officer", "supervisor"],
            "in_vehicle_unit": {"before": False, "after": True},
            "access_request": None,
        },
    )
    page = auditor.get("/audit/security-events/").content.decode()
    events = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert '<dl class="details"><dt>Action</dt><dd>cameras bound</dd>' in events
    assert "<dt>Roles</dt><dd>officer, supervisor</dd>" in events
    assert (
        "<dt>In vehicle unit</dt><dd><dl" in events
        and "<dt>Before</dt><dd>no</dd><dt>After</dt><dd>yes</dd>" in events
    )
    assert "<dt>Access request</dt><dd>—</dd>" in events
    assert not any(mark in events for mark in REPRS), events


def test_what_a_job_did_is_labelled_lists(make_user, sign_in_client):
    with recorded_run("requeue-lost-video-jobs") as details:
        details["requeued"] = 0
    with recorded_run("retention") as details:
        details |= {"reads": {"days": ["2024-01-01"], "reads": 12}, "national_export_files": []}
    page = sign_in_client(make_user("administrator"), Client()).get("/audit/jobs/").content.decode()
    runs = table(page, "job-runs")
    assert "<dt>Requeued</dt><dd>0</dd>" in runs
    assert "<dt>Reads</dt><dd><dl" in runs and "<dt>Days</dt><dd>2024-01-01</dd>" in runs
    assert "<dt>National export files</dt><dd>—</dd>" in runs
    assert not any(mark in runs for mark in REPRS), runs


def test_what_a_search_asked_for_is_in_words(auditor, make_user):
    search_record(
        user=make_user("officer", username="pc-asked"),
        kind=SearchAudit.Kind.ALERTS,
        purpose="vehicle-crime",
        reference="INC-7",
        vrm="AB12CDE",
        filters={"vrm": "AB12CDE", "alerts": [3, 4]},
        result_count=2,
    )
    asked = table(auditor.get("/audit/searches/").content.decode(), "search-audit")
    assert "Plate: AB12CDE" in asked and "Alerts: 3, 4" in asked
    assert "vrm" not in asked and "[3, 4]" not in asked


def test_a_records_changes_name_its_fields_in_words(auditor, make_user):
    owner = make_user("officer")
    add_entry(make_hotlist(owner, name="Open list"), "OP12ENN", owner, markers=["weapons", "violent"])
    page = auditor.get("/audit/changes/").content.decode()
    changes = table(page, "change-log")
    assert "<dt>Plate</dt><dd>OP12ENN</dd>" in changes  # created: no "before"
    assert "<dt>Foreign or diplomatic plate</dt><dd>no</dd>" in changes
    assert "<dt>Markers</dt><dd>weapons, violent</dd>" in changes
    assert "<dt>vrm</dt>" not in changes and '["weapons"' not in changes
    assert "hotlists.Alert.None" not in changes  # the relation from alerts holds nothing to show
