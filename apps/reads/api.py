"""/api/v1/reads/: cameras post batches of reads; staff search them (purpose and reference required).
/api/v1/reads/convoy/: the vehicles travelling with one (apps/reads/convoy.py), searched as reads are.
/api/v1/reads/scenes/: the vehicles seen at several places and times (apps/reads/scenes.py).
/api/v1/reads/journey/: one vehicle's history with its journey (apps/reads/journey.py), searched as
reads are.
/api/v1/search-purposes/: the purposes a search may name.

A search answers with its first page, in the order asked, and the number of its audit record
(`search`); its further pages are asked for by that number and a cursor, as on the portal: part of
that one search (its criteria, window and purpose; its results frozen at the moment it was made),
each recorded as a page of it before it leaves (apps/reads/selectors.py).
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import STAFF
from apps.accounts.tokens import ApiTokenAuthentication
from apps.audit.models import SearchAudit
from apps.cameras.bindings import cameras_bound_to, is_in_vehicle_unit
from apps.cameras.models import clean_code
from apps.core.colours import VehicleColour
from apps.core.purposes import purpose_choices

from .access_window import AccessRequestNotUsable
from .batches import parse_batch
from .convoy import described
from .filters import (
    COLOUR_NARROWS,
    ConvoyFilter,
    HistoryFilter,
    ReadFilter,
    SearchPurposeForm,
    criteria_faults,
    scene_filters,
)
from .hooks import on_reads_stored
from .models import Read
from .paging import NEWEST, SORTS, Cursor, Page, keyset_page
from .scenes import at_least_from
from .scenes import described as described_at_scenes
from .selectors import (
    SearchNotRecorded,
    SearchResult,
    SearchThrottled,
    convoy_search,
    history_search,
    reads_search,
    scenes_search,
    search_page,
)
from .serializers import (
    MAX_PAGE_SIZE,
    ConvoyInputSerializer,
    ConvoyOutputSerializer,
    JourneyInputSerializer,
    JourneyLegOutputSerializer,
    JourneyOutputSerializer,
    ReadIngestOutputSerializer,
    ReadInputSerializer,
    ReadOutputSerializer,
    ReadPageOutputSerializer,
    ReadSearchInputSerializer,
    ScenesInputSerializer,
    ScenesOutputSerializer,
    SearchPurposeOutputSerializer,
)
from .services import BatchRejected, reads_ingest

# What a further page of an earlier search may name besides the search: nothing of the criteria.
PAGING = ("search", "cursor", "page_size", "sort")
PAGE_SIZE = 50
NOT_YOURS = "No such search of yours to page through; search again."

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "purpose",
        str,
        required=True,
        description="Why you are searching: a code from GET /api/v1/search-purposes/.",
    ),
    OpenApiParameter(
        "purpose_detail", str, description="Required with purpose `other`: why you are searching."
    ),
    OpenApiParameter(
        "reference",
        str,
        required=True,
        description="Incident, crime or case number, as the setting SEARCH_REFERENCE_PATTERN allows.",
    ),
    OpenApiParameter(
        "vrm",
        str,
        description="Exact plate, or a pattern with * (any run) and ? (exactly one character) "
        "and at least 3 known characters. Without one: camera or area and at most 24 hours.",
    ),
    OpenApiParameter("seen_after", OpenApiTypes.DATETIME),
    OpenApiParameter("seen_before", OpenApiTypes.DATETIME),
    OpenApiParameter("camera", str, description="Camera codes, comma-separated."),
    OpenApiParameter("area", str),
    OpenApiParameter("min_confidence", float),
    OpenApiParameter("colour", str, enum=VehicleColour.values, description=COLOUR_NARROWS),
    OpenApiParameter("access_request", int, description="An approved access request you hold."),
    OpenApiParameter(
        "page_size", int, description=f"Reads per page, {PAGE_SIZE} unless given, at most {MAX_PAGE_SIZE}."
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=list(SORTS),
        description="The order of the results: newest first (the default), oldest first, by plate or "
        "by camera code (then newest first). A cursor keeps the order of the page it came from.",
    ),
    OpenApiParameter(
        "search",
        int,
        description="A further page of your earlier search (`search` of its first page), with "
        "`cursor` (or `sort`, for its first page in another order); no other criteria. Part of that "
        "search, under its purpose and reference, and recorded in the audit trail as a page of it.",
    ),
    OpenApiParameter("cursor", str, description="With `search`: a page's `next` or `previous`."),
]


def criteria_invalid(errors: dict) -> ValidationError:
    """A 400 naming each criterion's faults (filters.criteria_faults)."""
    return ValidationError(criteria_faults(errors))


class AuditUnavailable(APIException):
    status_code = 503
    default_code = "audit_unavailable"


class ReadsApi(APIView):
    required_permissions = {"GET": ("reads.view_read",), "POST": ("reads.add_read",)}

    @extend_schema(
        summary="Search reads inside your access window (audited)",
        parameters=SEARCH_PARAMETERS,
        responses=ReadPageOutputSerializer,
    )
    def get(self, request):
        _from_a_token(request, post_to="/api/v1/reads/search/")
        return _search(request, request.query_params, as_links=True)

    @extend_schema(
        summary="Submit a batch of reads (all or nothing; duplicates are counted, not stored)",
        request=ReadInputSerializer(many=True),
        responses={201: ReadIngestOutputSerializer},
    )
    def post(self, request):
        items = request.data
        if not isinstance(items, list) or not items:
            raise ValidationError({"items": ["Send a JSON list of reads."]})
        if len(items) > settings.READ_BATCH_MAX:
            raise ValidationError(
                {"items": [f"At most {settings.READ_BATCH_MAX} reads per batch; got {len(items)}."]}
            )
        # Checked before anything else is said of the batch, and again on the reads as parsed.
        _check_bound(
            request.user, {_camera_code(item.get("camera")) for item in items if isinstance(item, dict)}
        )
        try:
            reads = parse_batch(items, source=Read.Source.CAMERA)
            _check_bound(request.user, {read.camera for read in reads})
            result = reads_ingest(items=reads, source=Read.Source.CAMERA)
        except BatchRejected as rejected:
            raise ValidationError(
                {"items": {str(i): fields for i, fields in rejected.errors.items()}}
            ) from None
        receipt = {
            "stored": result.stored,
            "duplicates": result.duplicates,
            "alerts": _hits_for_the_crew(request.user, result.alerts),
        }
        return Response(ReadIngestOutputSerializer(receipt).data, status=status.HTTP_201_CREATED)


def _from_a_token(request, *, post_to: str) -> None:
    """A search in an address is taken only from a token client: another site can send a browser
    to an address, cookies and all (SameSite=Lax), and the address stays in history and logs."""
    if not isinstance(request.successful_authenticator, ApiTokenAuthentication):
        raise PermissionDenied(
            f"From a browser, post the search to {post_to}: a search in an address "
            "can be started by another site, and stays in history and logs."
        )


def _check_bound(user, codes: set) -> None:
    """A camera or gateway account posts only for the cameras bound to it; else nothing is stored."""
    refused = sorted(codes - {None} - cameras_bound_to(user))
    if refused:
        raise PermissionDenied(
            f"This account may not post reads for camera(s) {', '.join(refused)}; nothing was stored."
        )


def _camera_code(value) -> str | None:
    # What ReadInputSerializer's CharField makes of a value: text, or a number's text; else the
    # item is refused by validation anyway.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return clean_code(str(value))


def _hits_for_the_crew(user, alerts: list) -> list:
    """Hits are told back only to an in-vehicle unit, whose crew can act on them, and never a covert
    list's nor a historic one's (a backlog read long after the vehicle passed; the hotlists app
    decides which, through `on_reads_stored`): to any other camera the reply is a plain receipt,
    so a token is no hotlist lookup."""
    if not is_in_vehicle_unit(user):
        return []
    return on_reads_stored.told_to_crew(alerts)


class ReadSearchApi(APIView):
    """The same search as GET /api/v1/reads/, its criteria in a JSON body instead of the address."""

    required_permissions = {"POST": ("reads.view_read",)}

    @extend_schema(
        summary="Search reads inside your access window (audited); criteria in the body",
        request=ReadSearchInputSerializer,
        responses=ReadPageOutputSerializer,
    )
    def post(self, request):
        # `next` and `previous` are cursors to post again: an address would carry them into logs.
        return _search(request, _posted_criteria(request.data), as_links=False)


def _posted_criteria(data) -> dict[str, str]:
    """Criteria posted as a JSON object, as text, the way a form reads them."""
    if not isinstance(data, dict):
        raise ValidationError({"criteria": ["Send the criteria as a JSON object."]})
    wrong = [key for key, value in data.items() if not _is_criterion(value)]
    if wrong:
        raise ValidationError({key: ["Give text or a number (camera codes may be a list)."] for key in wrong})
    return {key: _as_text(value) for key, value in data.items() if value is not None}


def _is_criterion(value) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def _as_text(value) -> str:
    # The criteria are read as a form reads them, as text; camera codes may come as a JSON list.
    return ",".join(str(item) for item in value) if isinstance(value, list) else str(value)


def _search(request, criteria, *, as_links: bool):
    """One audited search over the API, from query parameters or a posted body alike; or, given
    `search`, a further page of one."""
    size, sort = _page_size(criteria), _sort(criteria)
    if "search" in criteria:
        return _search_page(request, criteria, size=size, sort=sort, as_links=as_links)
    if criteria.get("cursor"):
        raise ValidationError({"cursor": ["A cursor pages an earlier search: give its `search` with it."]})
    filters = ReadFilter(criteria)
    purpose = SearchPurposeForm(criteria)
    if not (filters.is_valid() & purpose.is_valid()):
        raise criteria_invalid({**filters.errors, **purpose.errors})
    try:
        result = reads_search(request.user, filters=filters, **purpose.stated(), via="api")
    except SearchNotRecorded as failure:
        raise AuditUnavailable(str(failure)) from failure
    except SearchThrottled as refused:
        raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
    page = keyset_page(result.reads, size=size, sort=sort)
    return _reply(request, result, page, size=size, as_links=as_links)


def _search_page(request, criteria, *, size: int, sort: str, as_links: bool):
    """A further page of the caller's own earlier search, recorded as a page of it before it leaves."""
    if other := sorted(set(criteria) - set(PAGING)):
        message = "Give an earlier search and a cursor, or criteria for a new search, not both."
        raise ValidationError({name: [message] for name in other})
    cursor = Cursor.parse(criteria.get("cursor"))
    if criteria.get("cursor") and cursor is None:
        raise ValidationError({"cursor": ["Not a cursor: give a page's `next` or `previous` as it came."]})
    try:
        page, result = search_page(
            request.user, search_id=int(criteria["search"]), size=size, sort=sort, cursor=cursor, via="api"
        )
    except (ValueError, SearchAudit.DoesNotExist, AccessRequestNotUsable) as gone:
        raise NotFound(NOT_YOURS) from gone  # another's search reads exactly as no search at all
    except SearchThrottled as refused:
        raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
    except SearchNotRecorded as failure:
        raise AuditUnavailable(str(failure)) from failure
    return _reply(request, result, page, size=size, as_links=as_links)


def _page_size(criteria) -> int:
    given = criteria.get("page_size")
    if given in (None, ""):
        return PAGE_SIZE
    try:
        size = int(given)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [f"Give a whole number of reads from 1 to {MAX_PAGE_SIZE}."]})
    return size


def _sort(criteria) -> str:
    sort = criteria.get("sort") or NEWEST
    if sort not in SORTS:
        raise ValidationError({"sort": [f"Sort by one of: {', '.join(SORTS)}."]})
    return sort


def _reply(request, result: SearchResult, page: Page, *, size: int, as_links: bool) -> Response:
    """A page of a search, with the cursors (or, asked in an address, the addresses) of the pages
    beside it: each names the search and a cursor, never the criteria."""

    def beside(cursor: Cursor | None) -> str | None:
        if cursor is None or not as_links:
            return None if cursor is None else str(cursor)
        further = {"search": result.audit.pk, "cursor": str(cursor)}
        if "page_size" in request.query_params:
            further["page_size"] = size
        return request.build_absolute_uri(f"{request.path}?{urlencode(further)}")

    context = {"request": request, "search_id": result.audit.pk}
    return Response(
        {
            "search": result.audit.pk,
            "next": beside(page.next),
            "previous": beside(page.previous),
            "results": ReadOutputSerializer(page.reads, many=True, context=context).data,
        }
    )


class ConvoyApi(APIView):
    """Vehicles travelling with one: criteria in the address (token clients) or in a JSON body."""

    required_permissions = {"GET": ("reads.view_read",), "POST": ("reads.view_read",)}

    @extend_schema(
        summary="Vehicles travelling with one: seen at the same cameras close in time (audited)",
        parameters=[ConvoyInputSerializer],
        responses=ConvoyOutputSerializer,
    )
    def get(self, request):
        _from_a_token(request, post_to="this address, as JSON")
        return _convoy(request, request.query_params)

    @extend_schema(
        summary="Vehicles travelling with one (audited); criteria in the body",
        request=ConvoyInputSerializer,
        responses=ConvoyOutputSerializer,
    )
    def post(self, request):
        return _convoy(request, _posted_criteria(request.data))


def _convoy(request, criteria):
    filters = ConvoyFilter(criteria)
    purpose = SearchPurposeForm(criteria)
    if not (filters.is_valid() & purpose.is_valid()):
        raise criteria_invalid({**filters.errors, **purpose.errors})
    try:
        result = convoy_search(request.user, filters=filters, **purpose.stated(), via="api")
    except SearchNotRecorded as failure:
        raise AuditUnavailable(str(failure)) from failure
    except SearchThrottled as refused:
        raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
    window_s, min_cameras = filters.terms
    reply = {
        "search": result.audit.pk,
        "vrm": result.audit.vrm,
        "window_s": window_s,
        "min_cameras": min_cameras,
        "sightings": result.sightings,
        "sightings_capped": result.sightings_capped,
        "results": described(result.companions),
    }
    return Response(ConvoyOutputSerializer(reply).data)


class ScenesApi(APIView):
    """Vehicles seen at several scenes (a place and a time each); the criteria in a JSON body."""

    required_permissions = {"POST": ("reads.view_read",)}

    @extend_schema(
        summary="Vehicles seen at all (or at least some) of 2 to 5 places and times (audited)",
        request=ScenesInputSerializer,
        responses=ScenesOutputSerializer,
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise ValidationError({"criteria": ["Send the criteria as a JSON object."]})
        given = request.data.get("scenes")
        if not isinstance(given, list) or not all(isinstance(scene, dict) for scene in given):
            raise ValidationError(
                {"scenes": ["Give the scenes as a list of objects, each a place and a time."]}
            )
        scenes, faults = scene_filters([_posted_criteria(scene) for scene in given])
        stated = {key: value for key, value in request.data.items() if key not in {"scenes", "at_least"}}
        purpose = SearchPurposeForm(_posted_criteria(stated))
        errors: dict[str, Any] = {**faults}
        if not purpose.is_valid():
            errors |= criteria_faults(purpose.errors)
        try:
            at_least = at_least_from(request.data.get("at_least"), len(scenes))
        except ValueError as wrong:
            errors["at_least"] = [str(wrong)]
        if errors:
            raise ValidationError(errors)
        try:
            result = scenes_search(
                request.user, scenes=scenes, at_least=at_least, **purpose.stated(), via="api"
            )
        except SearchNotRecorded as failure:
            raise AuditUnavailable(str(failure)) from failure
        except SearchThrottled as refused:
            raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
        reply = {
            "search": result.audit.pk,
            "at_least": at_least,
            "results": described_at_scenes(result.vehicles),
        }
        return Response(ScenesOutputSerializer(reply).data)


class JourneyApi(APIView):
    """A vehicle's history as a journey: criteria in the address (token clients) or in a JSON body."""

    required_permissions = {"GET": ("reads.view_read",), "POST": ("reads.view_read",)}

    @extend_schema(
        summary="A vehicle's reads, oldest first, with the distance, time and speed between (audited)",
        parameters=[JourneyInputSerializer],
        responses=JourneyOutputSerializer,
    )
    def get(self, request):
        _from_a_token(request, post_to="this address, as JSON")
        return _journey(request, request.query_params)

    @extend_schema(
        summary="A vehicle's reads with its journey (audited); criteria in the body",
        request=JourneyInputSerializer,
        responses=JourneyOutputSerializer,
    )
    def post(self, request):
        return _journey(request, _posted_criteria(request.data))


def _journey(request, criteria):
    filters = HistoryFilter(criteria)
    purpose = SearchPurposeForm(criteria)
    if not (filters.is_valid() & purpose.is_valid()):
        raise criteria_invalid({**filters.errors, **purpose.errors})
    try:
        history = history_search(request.user, filters=filters, **purpose.stated(), via="api")
    except SearchNotRecorded as failure:
        raise AuditUnavailable(str(failure)) from failure
    except SearchThrottled as refused:
        raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
    audit = history.search.audit
    context = {"request": request, "search_id": audit.pk}
    reply = {
        "search": audit.pk,
        "vrm": audit.vrm,
        "count": audit.result_count,
        "count_capped": audit.result_count_capped,
        "results": ReadOutputSerializer(history.reads, many=True, context=context).data,
        "legs": JourneyLegOutputSerializer(history.legs, many=True).data,
    }
    return Response(reply)


class SearchPurposesApi(APIView):
    """The purposes a search may name, for a client's choice list; any member of staff may ask."""

    required_permissions = {"GET": STAFF}

    @extend_schema(
        summary="The purposes a search may name (`other` needs purpose_detail)",
        responses=SearchPurposeOutputSerializer(many=True),
    )
    def get(self, request):
        purposes = [{"code": code, "label": label} for code, label in purpose_choices()]
        return Response(SearchPurposeOutputSerializer(purposes, many=True).data)
