"""/api/v1/reads/: cameras post batches of reads; staff search them (purpose and reference required).
/api/v1/search-purposes/: the purposes a search may name.

A search answers with its first page and the number of its audit record (`search`); its further
pages are asked for by that number and a cursor, and are part of that one search, as on the
portal: no new record, the results frozen at the moment it was made (apps/reads/selectors.py).
"""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import STAFF
from apps.accounts.tokens import ApiTokenAuthentication
from apps.audit.models import SearchAudit
from apps.cameras.bindings import cameras_bound_to, is_in_vehicle_unit
from apps.cameras.models import clean_code
from apps.core.purposes import purpose_choices

from .access_window import AccessRequestNotUsable
from .batches import parse_batch
from .filters import ReadFilter, SearchPurposeForm
from .hooks import on_reads_stored
from .models import Read
from .paging import NEWEST_FIRST
from .selectors import (
    SearchNotRecorded,
    SearchResult,
    SearchThrottled,
    page_record,
    reads_search,
    search_continued,
)
from .serializers import (
    MAX_PAGE_SIZE,
    ReadIngestOutputSerializer,
    ReadInputSerializer,
    ReadOutputSerializer,
    ReadPageOutputSerializer,
    ReadSearchInputSerializer,
    SearchPurposeOutputSerializer,
)
from .services import BatchRejected, reads_ingest

# What a further page of an earlier search may name besides the search: nothing of the criteria.
PAGING = ("search", "cursor", "page_size")
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
    OpenApiParameter("access_request", int, description="An approved access request you hold."),
    OpenApiParameter("page_size", int, description=f"Reads per page, at most {MAX_PAGE_SIZE}."),
    OpenApiParameter(
        "search",
        int,
        description="A further page of your earlier search (`search` of its first page), with "
        "`cursor`; no other criteria. Part of that search: not audited again.",
    ),
    OpenApiParameter("cursor", str, description="With `search`: a page's `next` or `previous`."),
]


class AuditUnavailable(APIException):
    status_code = 503
    default_code = "audit_unavailable"


class NewestFirst(CursorPagination):
    """Pages of one search, named by its audit record: `next` and `previous` ask for that search's
    pages (by `search` and `cursor`), never for its criteria again."""

    ordering = NEWEST_FIRST
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_search(self, result: SearchResult, request, view) -> list | None:
        self.search_id = result.audit.pk
        page = self.paginate_queryset(result.reads, request, view=view)
        further: dict[str, object] = {"search": self.search_id}
        if self.page_size_query_param in request.query_params:
            further[self.page_size_query_param] = self.get_page_size(request)
        self.base_url = request.build_absolute_uri(f"{request.path}?{urlencode(further)}")
        return page

    def get_paginated_response(self, data):
        return Response(
            {
                "search": self.search_id,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )


class NewestFirstFromBody(NewestFirst):
    """Pages of a posted search: the cursor and page size come in the body, and `next` and
    `previous` are cursors to post again (an address would carry the criteria into logs)."""

    # _QueryView stands in for the request (its body read as its query): duck-typed, not a Request.
    def get_page_size(self, request):
        return super().get_page_size(_QueryView(request))  # type: ignore[arg-type]

    def decode_cursor(self, request):
        return super().decode_cursor(_QueryView(request))  # type: ignore[arg-type]

    def encode_cursor(self, cursor):
        return parse_qs(urlsplit(super().encode_cursor(cursor)).query)[self.cursor_query_param][0]


class _QueryView:
    """A posted body seen as query parameters, for DRF's cursor pagination."""

    def __init__(self, request) -> None:
        self._request = request
        body = request.data if isinstance(request.data, dict) else {}
        self.query_params = {key: str(value) for key, value in body.items() if key in ("cursor", "page_size")}

    def build_absolute_uri(self):
        return self._request.build_absolute_uri()


class ReadsApi(APIView):
    required_permissions = {"GET": ("reads.view_read",), "POST": ("reads.add_read",)}

    @extend_schema(
        summary="Search reads inside your access window (audited)",
        parameters=SEARCH_PARAMETERS,
        responses=ReadPageOutputSerializer,
    )
    def get(self, request):
        if not isinstance(request.successful_authenticator, ApiTokenAuthentication):
            # Another site can send a browser to an address, cookies and all (SameSite=Lax).
            raise PermissionDenied(
                "From a browser, post the search to /api/v1/reads/search/: a search in an address "
                "can be started by another site, and stays in history and logs."
            )
        return _search(request, request.query_params, NewestFirst(), self)

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
        if not isinstance(request.data, dict):
            raise ValidationError({"criteria": ["Send the criteria as a JSON object."]})
        wrong = [key for key, value in request.data.items() if not _is_criterion(value)]
        if wrong:
            raise ValidationError(
                {key: ["Give text or a number (camera codes may be a list)."] for key in wrong}
            )
        criteria = {key: _as_text(value) for key, value in request.data.items() if value is not None}
        return _search(request, criteria, NewestFirstFromBody(), self)


def _is_criterion(value) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))


def _as_text(value) -> str:
    # The criteria are read as a form reads them, as text; camera codes may come as a JSON list.
    return ",".join(str(item) for item in value) if isinstance(value, list) else str(value)


def _search(request, criteria, paginator: NewestFirst, view):
    """One audited search over the API, from query parameters or a posted body alike; or, given
    `search`, a further page of one."""
    if "search" in criteria:
        return _search_page(request, criteria, paginator, view)
    filters = ReadFilter(criteria)
    purpose = SearchPurposeForm(criteria)
    if not (filters.is_valid() & purpose.is_valid()):
        errors = {**filters.errors, **purpose.errors}
        # Faults of the criteria together, not of one field, under a name a client can show.
        if "__all__" in errors:
            errors["criteria"] = errors.pop("__all__")
        # A form's ErrorList is a list of messages, which DRF takes; the stubs do not see it as one.
        raise ValidationError(errors)  # type: ignore[arg-type]
    try:
        result = reads_search(request.user, filters=filters, **purpose.stated(), via="api")
    except SearchNotRecorded as failure:
        raise AuditUnavailable(str(failure)) from failure
    except SearchThrottled as refused:
        raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
    return _page(request, result, paginator, view)


def _search_page(request, criteria, paginator: NewestFirst, view):
    """A further page of the caller's own earlier search: part of it, so no new audit record."""
    if other := sorted(set(criteria) - set(PAGING)):
        message = "Give an earlier search and a cursor, or criteria for a new search, not both."
        raise ValidationError({name: [message] for name in other})
    try:
        result = search_continued(request.user, search_id=int(criteria["search"]), via="api")
    except (ValueError, SearchAudit.DoesNotExist, AccessRequestNotUsable) as gone:
        raise NotFound(NOT_YOURS) from gone  # another's search reads exactly as no search at all
    except SearchThrottled as refused:
        raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
    return _page(request, result, paginator, view, further=criteria.get("cursor") or "first page")


def _page(request, result: SearchResult, paginator: NewestFirst, view, further: str | None = None):
    """A page of the search; a further one (`further`: where it starts) recorded before it leaves."""
    page = paginator.paginate_search(result, request, view)
    if further is not None:
        try:
            page_record(request.user, result.audit, shown=len(page or []), position=further, via="api")
        except SearchNotRecorded as failure:
            raise AuditUnavailable(str(failure)) from failure
    context = {"request": request, "search_id": result.audit.pk}
    return paginator.get_paginated_response(ReadOutputSerializer(page, many=True, context=context).data)


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
