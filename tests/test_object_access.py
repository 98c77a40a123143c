"""Objects of others: for every URL with an object in its path, portal and API, each role and
anonymous callers are given an object that belongs to someone else (another officer's access
request, video job and search, a covert list with its entries and alerts, another planner's
assessment, a camera whose position is restricted) and must be let in or refused as
OBJECT_ACCESS says.

Refused means: nothing changed, none of the object's content in the answer, and, where the
object is not the caller's to see at all, exactly the answer a missing object gets (the same
status and, from the API, the same body), so existence does not leak either. A URL with a path
parameter missing from OBJECT_ACCESS fails the test, as tests/test_url_access.py does for URLs.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission
from rest_framework.test import APIClient

from apps.access_requests import services as access_requests
from apps.access_requests.models import AccessRequest
from apps.accounts.models import ApiToken
from apps.accounts.roles import ROLES
from apps.accounts.tokens import api_token_issue
from apps.assessments import services as assessments
from apps.assessments.models import Assessment
from apps.assessments.tests.factories import complete_case, submitted_assessment
from apps.audit.models import SearchAudit
from apps.cameras.models import Camera, CameraAccount
from apps.cameras.tests.factories import CameraFactory
from apps.cases import services as cases
from apps.cases.models import CaseItem, CaseSearch
from apps.hotlists.models import Alert, ClonedPlateSuspicion, HotlistEntry
from apps.hotlists.tests.factories import add_entry, make_hotlist
from apps.misuse.models import MisuseFlag, MisuseFlagClosure
from apps.reads.models import Read
from apps.reads.services import ReadInput, reads_ingest
from apps.reads.tests.helpers import b64, image_bytes
from apps.recognition.models import VideoJob

from .test_url_access import all_routes

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
CALLERS = (ANONYMOUS, *ROLES)
ADMIN = frozenset({"administrator"})
SUPERVISOR = frozenset({"supervisor"})
ASSESSMENT_READERS = frozenset({"planner", "supervisor", "auditor"})
CAMERA_VIEWERS = frozenset({"officer", "supervisor", "planner", "auditor", "administrator"})
SEES_POSITIONS = frozenset({"planner", "administrator"})  # cameras.view_camera_location
ON_PATROL = frozenset({"officer", "supervisor"})  # hotlists.view_alert
MISSING_ID, MISSING_CODE = 999_999_999, "NO-SUCH-CAMERA"
# A read to file, named as a read's page names it: the folder is refused before the read is looked at.
ANY_READ = {"search": 1, "day": "2026-01-01", "read": 1}

# What only the objects' owners (and those allowed) may see: none of it in a refusal.
SECRETS = {
    "owner": "owner-of-things",
    "request": "Justification only its readers see",
    "covert": "Operation Nightjar",
    "covert_vrm": "CV12RTX",
    "search": "SEARCH-OF-THE-OWNER",
    "read_vrm": "RD12OWN",
    "video": "owners-dashcam.mp4",
    "assessment": "A need only assessment readers see",
    "old_vrm": "OL91DAY",  # an alert raised live, its read now past the standard window
    "historic_vrm": "HS12TRC",  # a historic hit on the owner's open list: the owner's alone
    "flag": "A misuse flag only auditors see",
    "case": "Operation Kestrel folder",
    "case_note": "Seen leaving the owner's scene",
}
# The camera as the registry holds it: shown only to SEES_POSITIONS, wherever it appears.
REGISTRY = {"road": "Secret Lane", "name": "Hidden mast"}
# Where the camera stands (53.123456) is the registry's too, and also where each of its reads
# was taken: so shown as well to whoever reached one of those reads through an audited path.
PLACE = {"latitude": "53.1234"}
POSITION = REGISTRY | PLACE


@dataclass(frozen=True)
class Case:
    """One object of someone else behind a URL, and who may reach it.

    `objects` maps the URL's parameters ("?name" for a query parameter, "@name" for one in the
    body) to the world's objects, which a missing object's id or code replaces; `fixed`
    parameters stay the same. Callers in `ok` are let in; those in `forbidden` see the object but
    may not do this to it (403); every other caller must get what a missing object gets.
    """

    objects: dict[str, str]
    ok: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    method: str = "get"
    data: object = None  # a callable giving the request's body (files are read once)
    fixed: dict[str, str] = field(default_factory=dict)
    shows_camera: bool = False  # the page shows the camera: its position only to those allowed
    reaches_read: bool = False  # the page opens a read: where it was taken to all let in


def reason(text: str):
    return lambda: {"reason": text}


def decision(text: str) -> Case:
    """A supervisor other than the author decides a submitted assessment, with a reason."""
    return Case(
        {"pk": "submitted"},
        ok=SUPERVISOR,
        forbidden=frozenset({"planner", "auditor"}),
        method="post",
        data=reason(text),
    )


def csv_file():
    return {
        "file": SimpleUploadedFile("list.csv", b"vrm,reason,action\nZZ99ZZZ,stolen,stop\n"),
        "mode": "merge",
    }


# url name -> the cases it is tried with.
OBJECT_ACCESS: dict[str, tuple[Case, ...]] = {
    "accounts:user_detail": (Case({"pk": "owner"}, ok=ADMIN),),
    "accounts:user_action": (Case({"pk": "owner"}, ok=ADMIN, method="post", fixed={"action": "disable"}),),
    # Tokens are named by the start of their hash; no one revokes another's as their own.
    "accounts:my_token_revoke": (Case({"ref": "owner_token"}, method="post"),),
    "accounts:user_token_revoke": (Case({"pk": "owner", "ref": "owner_token"}, ok=ADMIN, method="post"),),
    # Administrators issue tokens to machine accounts only; staff issue their own after signing in.
    "accounts:user_token_issue": (
        Case({"pk": "machine"}, ok=ADMIN, method="post", data=lambda: {"label": "gateway"}),
        Case({"pk": "owner"}, forbidden=ADMIN, method="post", data=lambda: {"label": "theirs"}),
    ),
    "cameras:account": (
        Case({"pk": "machine"}, ok=ADMIN),
        Case({"pk": "machine"}, ok=ADMIN, method="post", data=lambda: {"cameras": ["CAM-NEW"]}),
    ),
    "api:camera-accounts-detail": (
        Case({"pk": "machine"}, ok=ADMIN),
        Case({"pk": "machine"}, ok=ADMIN, method="put", data=lambda: {"cameras": ["CAM-NEW"]}),
    ),
    "cameras:detail": (Case({"code": "camera"}, ok=CAMERA_VIEWERS, shows_camera=True),),
    "cameras:edit": (Case({"code": "camera"}, ok=ADMIN, shows_camera=True),),
    # Another officer's search: no one else opens its reads or their images, pages or sorts it,
    # exports it, or pages it through the API.
    "reads:detail": (Case({"?search": "search"}, fixed={"day": "read_day", "read_id": "read"}),),
    "reads:search": (
        Case({"@search": "search"}, method="post"),
        Case({"@search": "search"}, method="post", data=lambda: {"sort": "plate"}),
    ),
    "reads:export": (Case({"@search": "search"}, method="post"),),
    "api:reads": (Case({"?search": "search"}),),
    "api:reads-search": (Case({"@search": "search"}, method="post"),),
    "reads:image": (
        Case({"?search": "search"}, fixed={"day": "read_day", "read_id": "read", "kind": "plate"}),
    ),
    "hotlists:detail": (Case({"pk": "covert"}, ok=ADMIN),),
    "hotlists:edit": (Case({"pk": "covert"}, ok=ADMIN),),
    "hotlists:import": (
        Case({"pk": "covert"}, ok=ADMIN),
        Case({"pk": "open"}, ok=ADMIN, forbidden=frozenset({"officer", "supervisor"})),
    ),
    "hotlists:entry_edit": (
        Case({"pk": "covert", "entry_pk": "covert_entry"}, ok=ADMIN),
        Case(
            {"pk": "open", "entry_pk": "open_entry"}, ok=ADMIN, forbidden=frozenset({"officer", "supervisor"})
        ),
    ),
    # A covert list's hit, an alert whose read is past the window, another's historic hit; an
    # open list's live hit, whose read every officer on patrol reaches by opening it.
    "hotlists:alert_detail": (
        Case({"pk": "covert_alert"}),
        Case({"pk": "old_alert"}),
        Case({"pk": "historic_alert"}),
        Case({"pk": "open_alert"}, ok=ON_PATROL, reaches_read=True),
    ),
    "hotlists:alert_plate": (
        Case({"pk": "covert_alert"}),
        Case({"pk": "old_alert"}),
        Case({"pk": "historic_alert"}),
    ),
    # The alert's read, its overview and its own page (a search for it): no key to another's.
    "hotlists:alert_overview": (
        Case({"pk": "covert_alert"}),
        Case({"pk": "old_alert"}),
        Case({"pk": "historic_alert"}),
    ),
    "hotlists:alert_read": (
        Case({"pk": "covert_alert"}, method="post"),
        Case({"pk": "old_alert"}, method="post"),
        Case({"pk": "historic_alert"}, method="post"),
    ),
    # A possible cloned plate is reviewed by its list's owners: a covert list's as if there were
    # none; an open list's is seen by every officer, reviewed by none but the owners.
    "hotlists:cloned_plate_review": (
        Case({"pk": "covert_alert"}, method="post", data=lambda: {"review-outcome": "cloned"}),
        Case(
            {"pk": "open_cloned_alert"},
            forbidden=frozenset({"officer", "supervisor"}),
            method="post",
            data=lambda: {"review-outcome": "cloned"},
        ),
    ),
    "access_requests:detail": (Case({"pk": "pending"}, ok=frozenset({"supervisor", "auditor"})),),
    # Another supervisor's approval: revoked from its own page (any supervisor but the requester),
    # never from the list of approvals one granted, which answers for it as for none.
    "access_requests:revoke_granted": (Case({"pk": "approved"}, method="post", data=reason("stop")),),
    # Auditors see every flag; nobody else sees one, or can close one, or learns it exists.
    "misuse:detail": (
        Case({"pk": "flag"}, ok=frozenset({"auditor"})),
        Case({"pk": "flag"}, ok=frozenset({"auditor"}), method="post", data=lambda: {"note": "Checked."}),
    ),
    "recognition:detail": (Case({"pk": "video"}),),
    "recognition:retry": (Case({"pk": "video"}, method="post"),),
    "assessments:detail": (Case({"pk": "draft"}, ok=ASSESSMENT_READERS, shows_camera=True),),
    "assessments:edit": (
        Case({"pk": "draft"}, forbidden=frozenset({"planner"}), fixed={"section": "need"}),
        Case(
            {"pk": "draft"},
            forbidden=frozenset({"planner"}),
            method="post",
            data=lambda: {"need": "Rewritten by another.", "then": "next"},
            fixed={"section": "need"},
        ),
    ),
    "assessments:print": (Case({"pk": "draft"}, ok=ASSESSMENT_READERS, shows_camera=True),),
    "assessments:review_create": (
        Case({"code": "camera"}, ok=frozenset({"planner"})),
    ),  # shows only the code
    # Another officer's case folder, shared with none of the callers: no one opens it, its images
    # or its export, files a read or (that officer's) search in it, or names who may open it.
    "cases:detail": (Case({"pk": "case"}),),
    "cases:share": (Case({"pk": "case"}, method="post", data=lambda: {"username": "anyone", "share": "1"}),),
    "cases:export": (Case({"pk": "case"}, method="post"),),
    "cases:image": (Case({"pk": "case", "item_id": "case_item"}, fixed={"kind": "plate"}),),
    "cases:file_read": (Case({"@case": "case"}, method="post", data=lambda: dict(ANY_READ)),),
    "cases:file_search": (Case({"@case": "case", "@search": "search"}, method="post"),),
    "api:cases-detail": (Case({"pk": "case"}),),
    "api:cases-items": (Case({"pk": "case"}, method="post", data=lambda: dict(ANY_READ)),),
    "api:cases-searches": (Case({"pk": "case", "@search": "search"}, method="post"),),
    "api:cases-share": (Case({"pk": "case"}, method="post", data=lambda: {"username": "anyone"}),),
    "api:cases-unshare": (Case({"pk": "case"}, method="post", data=lambda: {"username": "anyone"}),),
    "api:cases-export": (Case({"pk": "case"}, method="post"),),
    "api:cameras-detail": (Case({"code": "camera"}, ok=CAMERA_VIEWERS, shows_camera=True),),
    "api:hotlists-detail": (
        Case({"pk": "covert"}, ok=ADMIN),
        Case({"pk": "covert"}, ok=ADMIN, method="patch", data=lambda: {"name": "Renamed"}),
    ),
    "api:hotlist-entries-list": (Case({"hotlist_pk": "covert"}, ok=ADMIN),),
    "api:hotlist-entries-detail": (
        Case({"hotlist_pk": "covert", "pk": "covert_entry"}, ok=ADMIN),
        Case({"hotlist_pk": "covert", "pk": "covert_entry"}, ok=ADMIN, method="delete"),
        Case(
            {"hotlist_pk": "open", "pk": "open_entry"},
            ok=ADMIN,
            forbidden=frozenset({"officer", "supervisor"}),
            method="patch",
            data=lambda: {"reason": "stolen"},
        ),
    ),
    "api:hotlist-entries-import-csv": (
        Case({"hotlist_pk": "covert"}, ok=ADMIN, method="post", data=csv_file),
        Case(
            {"hotlist_pk": "open"},
            ok=ADMIN,
            forbidden=frozenset({"officer", "supervisor"}),
            method="post",
            data=csv_file,
        ),
    ),
    "api:alerts-detail": (
        Case({"pk": "covert_alert"}),
        Case({"pk": "old_alert"}),
        Case({"pk": "historic_alert"}),
    ),
    "api:alerts-acknowledge": (
        Case({"pk": "covert_alert"}, method="post"),
        Case({"pk": "old_alert"}, method="post"),
        Case({"pk": "historic_alert"}, method="post"),
    ),
    "api:alerts-outcome": (
        Case({"pk": "covert_alert"}, method="post", data=lambda: {"outcome": "no_action", "notes": ""}),
    ),
    "api:access-requests-detail": (Case({"pk": "pending"}, ok=frozenset({"supervisor", "auditor"})),),
    "api:access-requests-approve": (
        Case({"pk": "pending"}, ok=SUPERVISOR, method="post", data=reason("ok")),
    ),
    "api:access-requests-refuse": (Case({"pk": "pending"}, ok=SUPERVISOR, method="post", data=reason("no")),),
    "api:access-requests-revoke": (
        Case({"pk": "approved"}, ok=SUPERVISOR, method="post", data=reason("stop")),
    ),
    "api:videos-detail": (Case({"pk": "video"}),),
    "api:videos-retry": (Case({"pk": "video"}, method="post"),),
    "api:assessments-detail": (Case({"pk": "draft"}, ok=ASSESSMENT_READERS, shows_camera=True),),
    # Only the author submits; only a supervisor other than the author decides.
    "api:assessments-submit": (Case({"pk": "draft"}, forbidden=ASSESSMENT_READERS, method="post"),),
    "api:assessments-approve": (decision("fine"),),
    "api:assessments-reject": (decision("no"),),
}


def object_urls() -> dict[str, str]:
    """Every URL name (the admin site's apart) whose route has a parameter: name -> route."""
    return {
        name: route
        for route, name in all_routes()
        if not route.startswith("admin/") and ("<" in route or "(?P" in route)
    }


def test_every_object_url_states_who_may_reach_objects_of_others():
    routes = object_urls()
    assert not sorted(set(routes) - set(OBJECT_ACCESS)), "Add these to OBJECT_ACCESS"
    # URLs naming their object only in the query or the body are here too, by choice.
    named_elsewhere = {
        name
        for name, cases in OBJECT_ACCESS.items()
        if all(any(parameter[0] in "?@" for parameter in case.objects) for case in cases)
    }
    assert not sorted(set(OBJECT_ACCESS) - set(routes) - named_elsewhere), "These are no longer URLs"
    assert named_elsewhere <= {name for _, name in all_routes()}, "These are no longer URLs"


CASES = [(name, n) for name, cases in OBJECT_ACCESS.items() for n in range(len(cases))]


@pytest.mark.parametrize(("name", "number"), CASES, ids=[f"{name}-{n}" for name, n in CASES])
def test_objects_of_others_are_refused_without_a_trace(world, name, number):
    case = OBJECT_ACCESS[name][number]
    # Those let in go last: what they do (approve, disable, delete) changes the world.
    for role in sorted(CALLERS, key=lambda role: role in case.ok):
        before = world.state()
        response = world.send(role, name, case)
        where = (role, name, case.method, response.status_code)
        if role in case.ok:
            assert response.status_code < 400, where
            assert "/accounts/sign-in/" not in response.get("Location", ""), where
            if case.shows_camera or case.reaches_read:
                _check_position_disclosure(response, role, where, reaches_read=case.reaches_read)
            continue
        assert world.state() == before, where  # nothing changed
        assert not _secrets_in(response), where
        if role in case.forbidden:
            assert response.status_code == 403, where
            continue
        missing = world.send(role, name, case, missing=True)
        assert response.status_code == missing.status_code, where
        if role == ANONYMOUS and _is_api(name):
            assert response.status_code == 401, where
        elif role == ANONYMOUS:
            assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], where
        else:
            assert response.status_code in (302, 403, 404), where
        if _is_api(name):
            assert response.json() == missing.json(), where  # the same words as for no object at all


@pytest.mark.parametrize("name", ["hotlists:historic_alerts", "api:alerts-historic"])
def test_historic_hits_are_listed_to_their_lists_owners_only(world, name):
    """The owner's historic hit is in no other caller's list, whatever their role."""
    for role in CALLERS:
        response = world.send(role, name, Case({}))
        where = (role, name, response.status_code)
        assert not _secrets_in(response), where
        if role in {"officer", "supervisor"}:
            assert response.status_code == 200, where


def test_a_covert_lists_possible_cloned_plate_is_listed_to_its_owners_only(world):
    assert ClonedPlateSuspicion.objects.filter(alert_id=world.ids["covert_alert"]).exists()
    for role in CALLERS:
        response = world.send(role, "hotlists:cloned_plates", Case({}))
        where = (role, response.status_code)
        assert not _secrets_in(response), where
        if role in {"officer", "supervisor"}:
            assert response.status_code == 200 and "OC12LNE" in _body(response), where


def test_the_approvals_granted_list_shows_no_one_anothers_approval(world):
    """The owner's request, approved by a supervisor who is none of the callers, is in no caller's list."""
    for role in CALLERS:
        response = world.send(role, "access_requests:granted", Case({}))
        where = (role, response.status_code)
        assert not _secrets_in(response), where
        assert "OP-OWN" not in _body(response), where
        if role == "supervisor":
            assert response.status_code == 200, where
        else:  # a machine account is sent to sign in, as an anonymous caller is
            assert response.status_code in (302, 403), where


@dataclass
class World:
    """Objects belonging to their owners, and one caller of each role who owns none of them."""

    ids: dict[str, object]
    callers: dict[str, object]
    make_client: object

    def send(self, role: str, name: str, case: Case, *, missing: bool = False):
        kwargs, query, body = {}, {}, {}
        for parameter, key in case.objects.items():
            value = self.ids[key]
            if missing:
                value = MISSING_CODE if isinstance(value, str) else MISSING_ID
            where = {"?": query, "@": body}.get(parameter[0], kwargs)
            where[parameter.lstrip("?@")] = value
        kwargs |= {parameter: self.ids.get(key, key) for parameter, key in case.fixed.items()}
        url = reverse(name, kwargs=kwargs) + (f"?{urlencode(query)}" if query else "")
        client = self.make_client(self.callers.get(role), api=_is_api(name))
        data = (case.data() if case.data else {}) | body or None
        if _is_api(name):
            body_format = "multipart" if case.data is csv_file else "json"
            return getattr(client, case.method)(url, data, format=body_format)
        return getattr(client, case.method)(url, data or {})

    def state(self) -> tuple:
        """What a refused request must leave as it was."""
        return (
            list(AccessRequest.objects.order_by("pk").values_list("status", "expires_at")),
            list(HotlistEntry.objects.order_by("pk").values_list("pk", "vrm", "reason", "hotlist__name")),
            list(Alert.objects.order_by("pk").values_list("acknowledged_at", "outcome")),
            list(ClonedPlateSuspicion.objects.order_by("pk").values_list("reviewed_at", "outcome")),
            list(VideoJob.objects.order_by("pk").values_list("status", "attempts")),
            list(Assessment.objects.order_by("pk").values_list("status", "decided_by", "need")),
            list(MisuseFlagClosure.objects.values_list("flag_id", "note")),
            list(CaseItem.objects.order_by("pk").values_list("case_id", "read_id", "note")),
            list(CaseSearch.objects.order_by("pk").values_list("case_id", "search_audit_id", "note")),
            sorted(
                UserObjectPermission.objects.filter(content_type__app_label="cases").values_list(
                    "user_id", "object_pk"
                )
            ),
            list(Camera.objects.order_by("pk").values_list("status", "review_due")),
            self.callers["officer"].__class__.objects.get(pk=self.ids["owner"]).is_active,
            # The callers' own clients get tokens as they go; the owners' tokens must stay as they were.
            sorted(
                ApiToken.objects.filter(user__in=[self.ids["owner"], self.ids["machine"]]).values_list(
                    "digest", flat=True
                )
            ),
            sorted(CameraAccount.objects.values_list("user_id", "cameras__code", "in_vehicle_unit")),
            # Nothing of an object was looked at, so nothing was recorded as looked at.
            SearchAudit.objects.count(),
        )


@pytest.fixture
def world(make_user, sign_in_client, api_client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = make_user("officer", username=SECRETS["owner"])
    planner = make_user("planner")
    decider = make_user("supervisor")
    camera = CameraFactory(
        code="CAM-OBJ", latitude=53.123456, road=POSITION["road"], name=POSITION["name"], status="live"
    )
    covert = make_hotlist(owner, name=SECRETS["covert"], source="intelligence", covert=True)
    covert_entry = add_entry(covert, SECRETS["covert_vrm"], owner, information=SECRETS["covert"])
    open_list = make_hotlist(owner, name="Open list")
    open_entry = add_entry(open_list, "OP12ENN", owner)
    add_entry(open_list, SECRETS["old_vrm"], owner)
    add_entry(open_list, SECRETS["historic_vrm"], owner)
    add_entry(open_list, "OP34HIT", owner)
    add_entry(open_list, "OC12LNE", owner)
    now = timezone.now()
    # Each plate read 30 minutes before, some 400 km away: the hits below are possible cloned plates.
    CameraFactory(code="CAM-FAR", latitude=50.1, longitude=-5.3, status="live")
    reads_ingest(
        items=[
            ReadInput(camera="CAM-FAR", vrm=vrm, seen_at=now - timedelta(minutes=30), confidence=0.9)
            for vrm in (SECRETS["covert_vrm"], "OC12LNE")
        ],
        source="camera",
    )
    [open_cloned_alert] = reads_ingest(
        items=[ReadInput(camera=camera.code, vrm="OC12LNE", seen_at=now, confidence=0.9)], source="camera"
    ).alerts
    [covert_alert] = reads_ingest(
        items=[ReadInput(camera=camera.code, vrm=SECRETS["covert_vrm"], seen_at=now, confidence=0.9)],
        source="camera",
    ).alerts
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 200 * 24 * 60  # as if raised live, 91 days ago
    [old_alert] = reads_ingest(
        items=[
            ReadInput(
                camera=camera.code, vrm=SECRETS["old_vrm"], seen_at=now - timedelta(days=91), confidence=0.9
            )
        ],
        source="upload",
    ).alerts
    settings.ALERT_LIVE_MAX_AGE_MINUTES = 60
    [open_alert] = reads_ingest(
        items=[ReadInput(camera=camera.code, vrm="OP34HIT", seen_at=now, confidence=0.9)], source="camera"
    ).alerts
    [historic_alert] = reads_ingest(
        items=[
            ReadInput(
                camera=camera.code,
                vrm=SECRETS["historic_vrm"],
                seen_at=now - timedelta(hours=2),
                confidence=0.9,
            )
        ],
        source="camera",
    ).alerts
    machine = make_user("camera", cameras=[camera])
    api_client_for(machine).post(
        "/api/v1/reads/",
        [
            {
                "camera": camera.code,
                "vrm": SECRETS["read_vrm"],
                "seen_at": now.isoformat(),
                "confidence": 0.9,
                "plate_image": b64(image_bytes()),
            }
        ],
        format="json",
    )
    read = Read.objects.get(vrm=SECRETS["read_vrm"])
    sign_in_client(owner, Client()).post(
        "/reads/", {"vrm": SECRETS["read_vrm"], "purpose": "intelligence", "reference": SECRETS["search"]}
    )
    search = SearchAudit.objects.get(reference=SECRETS["search"], kind="search")
    case = cases.case_create(
        owner=owner, title=SECRETS["case"], purpose="intelligence", reference="OP-KESTREL"
    )
    case_item = cases.case_read_file(
        case=case, actor=owner, search_id=search.pk, day=read.day, read_id=read.id, note=SECRETS["case_note"]
    )
    period = {"period_start": now - timedelta(days=120), "period_end": now - timedelta(days=80)}
    filed = {
        "investigation_reference": "OP-OWN",
        "offence": "major_crime",
        "justification": SECRETS["request"],
        "days_needed": 14,
        **period,
    }
    pending = access_requests.request_file(requester=owner, **filed)
    approved = access_requests.request_file(requester=owner, **filed)
    access_requests.request_approve(access_request=approved, approver=decider, reason="ok")
    # A job that failed, as if its worker had tried it: made directly, it needs no real video.
    video = VideoJob.objects.create(
        camera=camera,
        recorded_at=now - timedelta(hours=1),
        original_name=SECRETS["video"],
        size=1,
        sha256="0" * 64,
        uploaded_by=owner,
        status=VideoJob.Status.FAILED,
        error="The file is not a video that can be read.",
    )
    draft = assessments.assessment_create(
        camera=camera, author=planner, **complete_case(need=SECRETS["assessment"])
    )
    proposed = CameraFactory(code="CAM-NEW", status="proposed")
    submitted = submitted_assessment(proposed, planner, need=SECRETS["assessment"])
    flag = MisuseFlag.objects.create(
        kind=MisuseFlag.Kind.REFUSALS, username=owner.username, summary=SECRETS["flag"], evidence_key="0" * 64
    )
    callers = {role: make_user(role) for role in ROLES}

    def make_client(user, *, api: bool):
        if user is None:
            return APIClient() if api else Client()
        if api:
            return api_client_for(user)
        if user.groups.filter(name="camera").exists():  # a machine account has no second factor
            client = Client()
            client.force_login(user)
            return client
        return sign_in_client(user, Client())

    ids = {
        "owner": owner.pk,
        "owner_token": api_token_issue(user=owner, actor=owner)[0].ref,
        "machine": machine.pk,
        "camera": camera.code,
        "covert": covert.pk,
        "covert_entry": covert_entry.pk,
        "open": open_list.pk,
        "open_entry": open_entry.pk,
        "covert_alert": covert_alert.pk,
        "open_cloned_alert": open_cloned_alert.pk,
        "old_alert": old_alert.pk,
        "historic_alert": historic_alert.pk,
        "open_alert": open_alert.pk,
        "read": read.id,
        "read_day": read.day,
        "search": search.pk,
        "case": case.pk,
        "case_item": case_item.pk,
        "pending": pending.pk,
        "approved": approved.pk,
        "video": video.pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        "flag": flag.pk,
    }
    return World(ids=ids, callers=callers, make_client=make_client)


def _is_api(name: str) -> bool:
    return name.startswith("api:")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _secrets_in(response) -> list[str]:
    body = _body(response)
    return [secret for secret in [*SECRETS.values(), *POSITION.values()] if secret in body]


def _check_position_disclosure(response, role: str, where, *, reaches_read: bool = False) -> None:
    """The registry's details exactly to SEES_POSITIONS; the place also to whoever reached a read."""
    body = _body(response)
    sees_registry = role in SEES_POSITIONS
    assert _shown(REGISTRY, body) == (list(REGISTRY.values()) if sees_registry else []), where
    assert _shown(PLACE, body) == (list(PLACE.values()) if sees_registry or reaches_read else []), where


def _shown(values: dict[str, str], body: str) -> list[str]:
    return [value for value in values.values() if value in body]


def test_whoever_reaches_a_read_sees_where_it_was_taken_and_nothing_of_the_registry(world):
    """The owner, an officer, reaches their read by every audited path: its page under their
    search, the search's export, a search through the API, the vehicle's history and a hit on
    their own list. Each shows where the read was taken; none the camera's name or road."""
    owner = get_user_model().objects.get(pk=world.ids["owner"])
    portal, api = world.make_client(owner, api=False), world.make_client(owner, api=True)
    search, stated = {"search": world.ids["search"]}, {"purpose": "intelligence", "reference": "OWN-2"}
    read = reverse("reads:detail", kwargs={"day": world.ids["read_day"], "read_id": world.ids["read"]})
    answers = {
        "read page": portal.get(read, search),
        "export": portal.post(reverse("reads:export"), search),
        "API search": api.get(reverse("api:reads"), {"vrm": SECRETS["read_vrm"], **stated}),
        "history": portal.post(reverse("reads:history"), {"vrm": SECRETS["read_vrm"], **stated}),
        "alert": portal.get(reverse("hotlists:alert_detail", kwargs={"pk": world.ids["historic_alert"]})),
    }
    for path, response in answers.items():
        assert response.status_code == 200, path
        _check_position_disclosure(response, "officer", path, reaches_read=True)


def test_the_change_log_shows_auditors_no_position_and_no_token(world):
    """The change log has no object in its path, but shows every object's changes: the camera's
    restricted position, the covert list and the owner's token (whose id is its digest) never
    appear in it."""
    for role in CALLERS:
        response = world.make_client(world.callers.get(role), api=False).get(reverse("audit:change_log"))
        if role != "auditor":
            assert response.status_code in (302, 403), role
            continue
        body = _body(response)
        assert response.status_code == 200 and "CAM-OBJ" in body
        assert not [value for value in POSITION.values() if value in body]
        assert SECRETS["covert"] not in body and SECRETS["covert_vrm"] not in body
        assert world.ids["owner_token"] not in body
