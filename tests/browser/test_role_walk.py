"""A working day's walk through every role's pages in a real browser: from home, every link the
portal offers that role (two of each kind of page), then every form on them sent back wrong.

On every page: no debug page and no error (a link offered is a link that works), no raw Python
value (a list, a dict, None, a class's repr), no serious accessibility fault (axe, on one page of
each kind), and every moment in London time with its zone's name, a summer one in BST: the world
below is full of moments of 14 July, 09:05:03 UTC, which must read 10:05:03 BST and never
09:05:03. On every form sent back with errors: the error
summary at the top, focused and in view, and announced once (the only alert on the page).
"""

import re
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from apps.access_requests import services as access_requests
from apps.access_requests.models import AccessRequest
from apps.assessments import services as assessments
from apps.assessments.models import Assessment
from apps.assessments.tests.factories import complete_case
from apps.audit.models import SearchAudit
from apps.cameras.models import Camera
from apps.cameras.tests.factories import CameraFactory
from apps.cases import services as cases
from apps.cases.models import Case, CaseItem
from apps.core.tests.summer import last_july
from apps.hotlists.models import Alert, Hotlist, HotlistEntry
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import PURPOSE
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["officer", "supervisor", "planner", "auditor", "administrator"]
PAGES_OF_A_KIND = 2  # /cameras/CAM-1/ and /cameras/CAM-2/ are one kind of page
MOST_PAGES = 45
# Not pages: files, the API and its documentation, the admin site, the event stream, signing out.
NOT_WALKED = re.compile(
    r"^/(api/|admin/|metrics|healthz|static/|media/|accounts/sign-out/|alerts/stream/)"
    r"|\.csv$|/(plate|overview|image|patch|snapshot)/?$|/\d{4}-\d{2}-\d{2}/\d+/[a-z]+/$"
)
RAW_PYTHON = re.compile(
    r"\[\s*'|\{\s*'|\[\s*\"|\{\s*\"|datetime\.|object at 0x|<[A-Z]\w*: |QuerySet"
    # None, True or False as a value on its own (a cell, or after a label), not "False read".
    r"|(?:^|[\t\n]|: )(?:None|True|False)[ \t]*(?:$|[\t\n])",
    re.MULTILINE,
)
DEBUG_PAGE = re.compile(r"Traceback|DEBUG = True|Django Version|Request Method:|Exception Value")
# A moment as pages write it: "14 Jul 2026, 10:05:03 BST", the zone's name after it.
MOMENT = re.compile(r"\b(\d{1,2} [A-Z][a-z]{2} \d{4}),? (\d{2}:\d{2}(?::\d{2})?)\b( [A-Z]{3,4}\b)?")
FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea, select"


@pytest.fixture
def working_day(make_user, sign_in_client, settings):
    """Everyone's work in progress, much of it from last 14 July (British Summer Time)."""
    settings.READ_ACCESS_STANDARD_DAYS = 400  # so last July's reads and alerts are shown too
    july = last_july()
    people = {role: make_user(role, username=f"walk-{role}") for role in ROLES}
    for code, area in (("CAM-1", "North"), ("CAM-2", "South")):
        CameraFactory(code=code, area=area)
    proposed = CameraFactory(code="CAM-NEW", status=Camera.Status.PROPOSED)
    draft = assessments.assessment_create(camera=proposed, author=people["planner"], **complete_case())
    assessments.assessment_submit(assessment=draft, actor=people["planner"])
    stolen = make_hotlist(people["administrator"], name="Stolen vehicles", priority=1)
    add_entry(stolen, "BS12TJL", people["administrator"])
    add_entry(stolen, "NW12ALR", people["administrator"])
    reads_ingest(
        items=[
            ReadInput(camera="CAM-1", vrm="BS12TJL", seen_at=july, confidence=0.91),
            ReadInput(
                camera="CAM-2", vrm="NW12ALR", seen_at=timezone.now() - timedelta(minutes=3), confidence=0.9
            ),
            ReadInput(camera="CAM-2", vrm="AB12CDE", seen_at=july + timedelta(hours=1), confidence=0.8),
        ],
        source="upload",
    )
    Alert.objects.update(historic=False)  # on the desk, as if the July read had come in on time
    request = access_requests.request_file(
        requester=people["officer"],
        investigation_reference="OP-SUMMER",
        offence="major_crime",
        justification="A vehicle seen near the scene last summer.",
        period_start=july - timedelta(minutes=30),  # 09:35:03 BST: no moment at 08:05:03 UTC
        period_end=july + timedelta(hours=2),
        days_needed=14,
        vrms=["BS12TJL"],
    )
    access_requests.request_approve(access_request=request, approver=people["supervisor"], reason="Necessary")
    # An officer's search of a summer hour, for the audit to show what was asked for.
    officer = sign_in_client(people["officer"], Client())
    officer.post(
        "/reads/",
        {
            "vrm": "BS12TJL",
            "seen_after": f"{july.year}-07-14T10:00",
            "seen_before": f"{july.year}-07-14T11:00",
            **PURPOSE,
        },
    )
    # The officer's case folder, holding the summer read as opened from that search.
    summer_read = Read.objects.get(vrm="BS12TJL")
    folder = cases.case_create(owner=people["officer"], title="Summer theft", **PURPOSE)
    cases.case_read_file(
        case=folder,
        actor=people["officer"],
        search_id=SearchAudit.objects.get(kind="search").pk,
        day=summer_read.day,
        read_id=summer_read.id,
        note="Seen near the scene.",
    )
    # Moments of work done last summer (these tables are not the append-only audit trail).
    Case.objects.update(created_at=july)
    CaseItem.objects.update(added_at=july)
    Assessment.objects.update(created_at=july, submitted_at=july)
    AccessRequest.objects.update(filed_at=july)
    Hotlist.objects.update(created_at=july)
    HotlistEntry.objects.update(added_at=july)
    type(people["officer"]).objects.filter(pk__in=[p.pk for p in people.values()]).update(last_login=july)
    return people


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "N", re.sub(r"/CAM-[\w-]+/", "/CAM/", path))


def page_faults(page, address: str, status: int | None = None) -> list[str]:
    """What is wrong with the page on screen, in words; nothing when nothing is. `status`: the
    answer's, when it should be a success."""
    text = page.inner_text("body")
    faults = []
    if status is not None and not 200 <= status < 400:
        faults.append(f"answered {status}")
    if DEBUG_PAGE.search(page.content()):
        faults.append("a debug page")
    if found := RAW_PYTHON.search(text):
        faults.append(f"raw Python: {near(text, found)!r}")
    if found := re.search(r"\bUTC\b|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\+00:00", text):
        faults.append(f"a time in UTC: {near(text, found)!r}")
    if found := re.search("09:05:03", text):
        faults.append(f"last July's moment in UTC, not BST: {near(text, found)!r}")
    for day, time, zone in MOMENT.findall(text):
        if zone.strip() not in ("GMT", "BST"):
            faults.append(f"{day}, {time} without its zone")
        elif day.split()[1] == "Jul" and zone.strip() != "BST":
            faults.append(f"{day}, {time}{zone}: July is summer time")
    return [f"{address}: {fault}" for fault in faults]


def near(text: str, found: re.Match) -> str:
    return text[max(0, found.start() - 60) : found.end() + 30]


def links_on(page) -> list[str]:
    hrefs = page.eval_on_selector_all("nav a[href], main a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc == urlsplit(page.url).netloc and not NOT_WALKED.search(parts.path):
            found.append(address)
    return found


def walk(page) -> tuple[list[str], list[str], list[str], int]:
    """Every page reachable from home by links (PAGES_OF_A_KIND of each kind): the addresses
    walked, those holding a form with fields, every fault found, and how many summer moments
    (in BST) the pages showed."""
    queue, seen, kinds = ["/"], {"/"}, Counter()
    walked, with_forms, faults, summer, axed = [], [], [], 0, set()
    while queue and len(walked) < MOST_PAGES:
        address = queue.pop(0)
        response = page.goto(address)
        walked.append(address)
        faults += page_faults(page, address, response.status if response else 0)
        if kind_of(urlsplit(address).path) not in axed:  # one of each kind: axe takes a second
            axed.add(kind_of(urlsplit(address).path))
            faults += [f"{address}: {fault}" for fault in serious_violations(page)]
        summer += len(re.findall(r"\b\d{1,2} Jul \d{4}, \d{2}:\d{2}:\d{2} BST", page.inner_text("body")))
        if page.locator(f"main form[method=post]:has({FIELDS})").count():
            with_forms.append(address)
        for link in links_on(page):
            kind = kind_of(urlsplit(link).path)
            if link not in seen and kinds[kind] < PAGES_OF_A_KIND:
                seen.add(link)
                kinds[kind] += 1
                queue.append(link)
    return walked, with_forms, faults, summer


def form_faults(page, address: str) -> list[str]:
    """Each form with fields on the page sent back wrong (every text emptied, the browser's own
    checks off, so the server answers): its errors must be in sight."""
    faults = []
    forms = page.locator(f"main form[method=post]:has({FIELDS})").count()
    for index in range(forms):
        page.goto(address)
        form = page.locator(f"main form[method=post]:has({FIELDS})").nth(index)
        submit = form.locator("button:not([type=button]), input[type=submit]").first
        if not submit.count() or not submit.is_visible():
            continue
        form.evaluate(
            """form => { form.noValidate = true;
                form.querySelectorAll("input[type=text], input[type=email], input[type=number],"
                  + " input[type=password], input[type=search], input:not([type]), textarea")
                  .forEach(field => { field.value = ""; }); }"""
        )
        with page.expect_navigation() as sent:
            submit.click()
        where = f"{address} form {index + 1} sent back"
        # Put right on the page (400) or done (200 after its redirect); never refused or broken:
        # a form offered is a form its user may send.
        if sent.value is not None and sent.value.status not in (200, 400):
            faults.append(f"{where}: answered {sent.value.status}")
        faults += page_faults(page, where)
        invalid = page.locator(".field-invalid, .field-error, .form-error").count()
        if not invalid:
            continue  # accepted as it stood (a form of choices already made)
        summary = page.get_by_test_id("error-summary")
        if not summary.count():
            faults.append(f"{where}: errors without a summary")
            continue
        in_view = summary.evaluate(
            "box => { const r = box.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
        )
        focused = summary.evaluate("box => document.activeElement === box")
        if not (in_view and focused):
            faults.append(f"{where}: the summary is not {'focused' if in_view else 'in view'}")
        alerts = page.locator("[role=alert]:visible").count()
        if alerts != 1:
            faults.append(f"{where}: {alerts} alerts announced, not one")
    return faults


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_form_of_a_roles_day(working_day, sign_in_page, role):
    page = sign_in_page(working_day[role])
    walked, with_forms, faults, summer = walk(page)
    for address in with_forms:
        faults += form_faults(page, address)
    assert faults == []
    assert len(walked) >= 6, walked  # the walk went somewhere
    assert summer > 0  # and met last July's moments, so the zone was put to the test
    if role == "officer":
        assert {"/alerts/", "/reads/", "/reads/history/", "/access-requests/", "/cases/"} <= set(walked)
        assert "/reads/" in with_forms
    if role == "auditor":
        assert "/audit/searches/" in walked
