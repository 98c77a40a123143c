"""/api/v1/reads/: cameras post batches of reads; staff search them (purpose and reference required)."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cameras.bindings import cameras_bound_to, clean_code, is_in_vehicle_unit
from apps.hotlists.selectors import hit_audience

from .batches import parse_batch
from .filters import ReadFilter, SearchPurposeForm
from .models import Read
from .selectors import NEWEST_FIRST, SearchNotRecorded, search_reads
from .serializers import ReadInputSerializer, ReadOutputSerializer
from .services import BatchRejected, ingest_reads

SEARCH_PARAMETERS = [
    OpenApiParameter("purpose", str, required=True, description="Why you are searching."),
    OpenApiParameter("reference", str, required=True, description="Incident or case number."),
    OpenApiParameter("vrm", str, description="Exact plate, or a pattern with * and ?."),
    OpenApiParameter("seen_after", OpenApiTypes.DATETIME),
    OpenApiParameter("seen_before", OpenApiTypes.DATETIME),
    OpenApiParameter("camera", str, description="Camera codes, comma-separated."),
    OpenApiParameter("area", str),
    OpenApiParameter("min_confidence", float),
    OpenApiParameter("access_request", int, description="An approved access request you hold."),
]


class AuditUnavailable(APIException):
    status_code = 503
    default_code = "audit_unavailable"


class NewestFirst(CursorPagination):
    ordering = NEWEST_FIRST
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ReadsApi(APIView):
    required_permissions = {"GET": ("reads.view_read",), "POST": ("reads.add_read",)}

    @extend_schema(
        summary="Search reads inside your access window (audited)",
        parameters=SEARCH_PARAMETERS,
        responses=inline_serializer(
            "ReadPage",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        filters = ReadFilter(request.query_params)
        purpose = SearchPurposeForm(request.query_params)
        if not (filters.is_valid() & purpose.is_valid()):
            raise ValidationError({**filters.errors, **purpose.errors})
        try:
            result = search_reads(
                request.user,
                filters=filters,
                purpose=purpose.cleaned_data["purpose"],
                reference=purpose.cleaned_data["reference"],
                access_request=purpose.cleaned_data["access_request"],
                via="api",
            )
        except SearchNotRecorded as failure:
            raise AuditUnavailable(str(failure)) from failure
        paginator = NewestFirst()
        page = paginator.paginate_queryset(result.reads, request, view=self)
        context = {"request": request, "search_id": result.audit.pk}
        return paginator.get_paginated_response(ReadOutputSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="Submit a batch of reads (all or nothing; duplicates are counted, not stored)",
        request=ReadInputSerializer(many=True),
        responses={
            201: inline_serializer(
                "IngestResult",
                {
                    "stored": serializers.IntegerField(),
                    "duplicates": serializers.IntegerField(),
                    "alerts": serializers.ListField(),
                },
            )
        },
    )
    def post(self, request):
        items = request.data
        if not isinstance(items, list) or not items:
            raise ValidationError({"items": ["Send a JSON list of reads."]})
        if len(items) > settings.READ_BATCH_MAX:
            raise ValidationError(
                {"items": [f"At most {settings.READ_BATCH_MAX} reads per batch; got {len(items)}."]}
            )
        _check_bound(request.user, items)
        try:
            result = ingest_reads(
                items=parse_batch(items, source=Read.Source.CAMERA), source=Read.Source.CAMERA
            )
        except BatchRejected as rejected:
            raise ValidationError(
                {"items": {str(i): fields for i, fields in rejected.errors.items()}}
            ) from None
        return Response(
            {
                "stored": result.stored,
                "duplicates": result.duplicates,
                "alerts": _hits_for_the_crew(request.user, result.alerts),
            },
            status=status.HTTP_201_CREATED,
        )


def _check_bound(user, items: list) -> None:
    """A camera or gateway account posts only for the cameras bound to it; else nothing is stored."""
    codes = {
        clean_code(item["camera"])
        for item in items
        if isinstance(item, dict) and isinstance(item.get("camera"), str)
    }
    refused = sorted(codes - cameras_bound_to(user))
    if refused:
        raise PermissionDenied(
            f"This account may not post reads for camera(s) {', '.join(refused)}; nothing was stored."
        )


def _hits_for_the_crew(user, alerts: list) -> list[dict]:
    """Hits are told back only to an in-vehicle unit, whose crew can act on them, and never a covert
    list's: to any other camera the reply is a plain receipt, so a token is no hotlist lookup."""
    if not is_in_vehicle_unit(user):
        return []
    return [
        {
            "id": alert.pk,
            "vrm": alert.vrm,
            "hotlist": alert.hotlist.name,
            "match": alert.match,
            "priority": alert.priority,
            "action": alert.action,
        }
        for alert in alerts
        if hit_audience(alert.hotlist) is None
    ]
