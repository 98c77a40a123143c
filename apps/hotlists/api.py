"""/api/v1/hotlists/, their entries (and CSV import), /api/v1/alerts/ (the live desk) and
/api/v1/alerts/historic/ (historic hits on one's own lists)."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from anpr_site.body_limits import body_limit
from apps.core.users import acting_user
from apps.reads.api import AuditUnavailable, criteria_invalid
from apps.reads.selectors import SearchNotRecorded

from . import services
from .filters import AlertFilter
from .imports import ImportRejected, checked_rows
from .models import Alert, HotlistEntry
from .selectors import (
    DESK,
    HISTORIC,
    alert_open,
    alerts_listed,
    desk_alerts,
    entries_of,
    historic_hits,
    hotlists_visible_to,
    may_manage_entries,
)
from .serializers import (
    AlertOutcomeInputSerializer,
    AlertOutputSerializer,
    EntryImportInputSerializer,
    EntryImportOutputSerializer,
    EntryInputSerializer,
    EntryOutputSerializer,
    HotlistInputSerializer,
    HotlistOutputSerializer,
)


class EntryPages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class LatestSeenFirst(CursorPagination):
    """By when the vehicle passed, not when the alert was made, as on the desk (desk_alerts)."""

    ordering = ("-read_seen_at", "-id")
    page_size = 50


class HotlistViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = HotlistOutputSerializer
    required_permissions = {
        "GET": ("hotlists.view_hotlist",),
        "POST": ("hotlists.add_hotlist",),
        "PATCH": ("hotlists.change_hotlist",),
        "PUT": ("hotlists.change_hotlist",),
    }

    def get_queryset(self):
        return hotlists_visible_to(acting_user(self.request.user))

    def list(self, request):
        return Response(HotlistOutputSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(HotlistOutputSerializer(self.get_object()).data)

    @extend_schema(request=HotlistInputSerializer, responses={201: HotlistOutputSerializer})
    def create(self, request):
        serializer = HotlistInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hotlist = services.hotlist_create(actor=request.user, **serializer.validated_data)
        return Response(HotlistOutputSerializer(hotlist).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HotlistInputSerializer, responses=HotlistOutputSerializer)
    def partial_update(self, request, pk=None):
        return self._update(request, partial=True)

    @extend_schema(request=HotlistInputSerializer, responses=HotlistOutputSerializer)
    def update(self, request, pk=None):
        return self._update(request, partial=False)

    def _update(self, request, *, partial):
        hotlist = self.get_object()
        # The list itself is given so that its own name does not count against the unique name.
        serializer = HotlistInputSerializer(hotlist, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        hotlist = services.hotlist_update(hotlist=hotlist, **serializer.validated_data)
        return Response(HotlistOutputSerializer(hotlist).data)


class EntryViewSet(viewsets.GenericViewSet):
    """Entries of one list. Reading needs sight of the list; changing needs to manage it."""

    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = EntryOutputSerializer
    pagination_class = EntryPages
    required_permissions = {"GET": ("hotlists.view_hotlist",), "*": ("hotlists.view_hotlist",)}

    def hotlist(self, manage: bool = False):
        user = acting_user(self.request.user)
        hotlist = get_object_or_404(hotlists_visible_to(user), pk=self.kwargs["hotlist_pk"])
        if manage and not may_manage_entries(user, hotlist):
            raise PermissionDenied("Only administrators and the list's owners change its entries.")
        return hotlist

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no list to look up
            return HotlistEntry.objects.none()
        return entries_of(self.hotlist())

    def list(self, request, hotlist_pk=None):
        entries = entries_of(self.hotlist(), vrm=request.query_params.get("vrm", ""))
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(EntryOutputSerializer(page, many=True).data)

    def retrieve(self, request, hotlist_pk=None, pk=None):
        return Response(EntryOutputSerializer(self.get_object()).data)

    @extend_schema(request=EntryInputSerializer, responses={201: EntryOutputSerializer})
    def create(self, request, hotlist_pk=None):
        hotlist = self.hotlist(manage=True)
        serializer = EntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.entry_create(hotlist=hotlist, actor=request.user, **serializer.validated_data)
        return Response(EntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EntryInputSerializer, responses=EntryOutputSerializer)
    def partial_update(self, request, hotlist_pk=None, pk=None):
        self.hotlist(manage=True)
        entry = self.get_object()
        serializer = EntryInputSerializer(entry, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        entry = services.entry_update(entry=entry, **serializer.validated_data)
        return Response(EntryOutputSerializer(entry).data)

    def destroy(self, request, hotlist_pk=None, pk=None):
        self.hotlist(manage=True)
        services.entry_delete(entry=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"multipart/form-data": EntryImportInputSerializer},
        responses=EntryImportOutputSerializer,
        summary="Import entries from CSV (mode=merge or replace); all rows checked first",
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser], url_path="import")
    @body_limit("HOTLIST_IMPORT_MAX_BYTES")
    def import_csv(self, request, hotlist_pk=None):
        hotlist = self.hotlist(manage=True)
        upload = EntryImportInputSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            rows = checked_rows(upload.validated_data.get("file"))
        except ImportRejected as rejected:
            raise ValidationError(
                {
                    "rows": [
                        # DRF's stubs take strings only; a row number is sent as a number.
                        {"row": row, "column": column, "problem": problem}  # type: ignore[dict-item]
                        for row, column, problem in rejected.problems
                    ]
                }
            ) from None
        result = services.entries_import(
            hotlist=hotlist, rows=rows, replace=upload.validated_data["mode"] == "replace", actor=request.user
        )
        return Response(EntryImportOutputSerializer(result).data)


class AlertViewSet(viewsets.GenericViewSet):
    """The live desk's alerts, and historic hits; each inside the caller's access window. Every
    alert returned on its own (retrieve, acknowledge, outcome) is audited as opened first."""

    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = AlertOutputSerializer
    pagination_class = LatestSeenFirst
    # The desk's own filters (status, hotlist, action, camera, seen_after, seen_before), for the
    # schema and for _listed, which applies them itself to record them.
    filter_backends = [DjangoFilterBackend]
    filterset_class = AlertFilter
    queryset = Alert.objects.none()  # the model, for the schema; get_queryset says which alerts
    required_permissions = {"GET": ("hotlists.view_alert",), "POST": ("hotlists.change_alert",)}

    def get_queryset(self):
        return desk_alerts(acting_user(self.request.user)).select_related("acknowledged_by", "outcome_by")

    def get_object(self):
        try:
            return alert_open(acting_user(self.request.user), alert_id=int(self.kwargs["pk"]), via="api")
        except Alert.DoesNotExist as missing:
            raise NotFound() from missing
        except SearchNotRecorded as failure:
            raise AuditUnavailable(str(failure)) from failure

    def list(self, request):
        return self._listed(self.get_queryset(), DESK)

    @extend_schema(
        responses=AlertOutputSerializer(many=True),
        summary="Historic hits on lists you own (reads that arrived late), latest seen first",
    )
    @action(detail=False, methods=["get"])
    def historic(self, request):
        alerts = historic_hits(request.user).select_related("acknowledged_by", "outcome_by")
        return self._listed(alerts, HISTORIC)

    def retrieve(self, request, pk=None):
        return Response(AlertOutputSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=AlertOutputSerializer, summary="Acknowledge an alert")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return Response(
            AlertOutputSerializer(
                services.alert_acknowledge(alert=self.get_object(), actor=request.user)
            ).data
        )

    @extend_schema(
        request=AlertOutcomeInputSerializer, responses=AlertOutputSerializer, summary="Record what happened"
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        serializer = AlertOutcomeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_record_outcome(
            alert=self.get_object(),
            outcome=serializer.validated_data["outcome"],
            notes=serializer.validated_data["notes"],
            actor=request.user,
        )
        return Response(AlertOutputSerializer(alert).data)

    def _listed(self, alerts, listing: str) -> Response:
        """A page of alerts, narrowed by the filters asked (each only narrows what the caller may
        see), audited with those filters before it leaves."""
        filters = AlertFilter(self.request.query_params, queryset=alerts, request=self.request)
        if not filters.is_valid():
            raise criteria_invalid(filters.errors)
        paginator = self.paginator
        assert isinstance(paginator, CursorPagination)  # LatestSeenFirst
        page: list[Alert] = paginator.paginate_queryset(filters.qs, self.request, view=self) or []
        cursor = self.request.query_params.get(paginator.cursor_query_param)
        try:
            alerts_listed(
                acting_user(self.request.user),
                alerts=page,
                listing=listing,
                further=filters.criteria | ({"cursor": cursor} if cursor else {}),
                via="api",
            )
        except SearchNotRecorded as failure:
            raise AuditUnavailable(str(failure)) from failure
        return paginator.get_paginated_response(AlertOutputSerializer(page, many=True).data)
