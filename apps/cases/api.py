"""/api/v1/cases/: list the folders you may open and open one (each opening audited), file a read
or your own search in one, share one with a colleague or stop, and export one as an evidential package."""

from django.core.exceptions import PermissionDenied as NotAllowed
from django.core.exceptions import ValidationError as Invalid
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response

from apps.audit.models import SearchAudit
from apps.core.users import acting_user
from apps.reads.api import AuditUnavailable
from apps.reads.models import Read
from apps.reads.selectors import SearchNotRecorded, SearchThrottled

from . import services
from .access import cases_visible_to
from .evidential_export import case_export
from .models import Case
from .package_seal import PackageTooLarge
from .selectors import FiledSearch, OpenedCase, case_members, case_opened
from .serializers import (
    CaseInputSerializer,
    CaseItemInputSerializer,
    CaseItemOutputSerializer,
    CaseOutputSerializer,
    CaseSearchInputSerializer,
    CaseSearchOutputSerializer,
    CaseShareInputSerializer,
    OpenedCaseOutputSerializer,
)

FOLDERS = ("cases.view_case", "reads.view_read")


class PackageTooLargeError(APIException):
    status_code = 413
    default_code = "package_too_large"


class CaseViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = CaseOutputSerializer
    queryset = Case.objects.none()  # the model, for the schema; get_queryset says which folders
    required_permissions = {"GET": FOLDERS, "POST": FOLDERS}  # creating and exporting check more below

    def get_queryset(self):
        return cases_visible_to(acting_user(self.request.user))

    @extend_schema(summary="The case folders you may open: your own and those shared with you")
    def list(self, request):
        return Response(CaseOutputSerializer([_listed(case) for case in self.get_queryset()], many=True).data)

    @extend_schema(
        summary="Open a case folder (audited before its reads leave; each read inside your window)",
        responses=OpenedCaseOutputSerializer,
    )
    def retrieve(self, request, pk=None):
        opened = _opened(request, self.get_object())
        return Response(_opened_reply(request, opened))

    @extend_schema(
        request=CaseInputSerializer, responses={201: CaseOutputSerializer}, summary="Open a new folder"
    )
    def create(self, request):
        if not request.user.has_perm("cases.add_case"):
            self.permission_denied(request, "You may not keep case folders.")
        data = _valid(CaseInputSerializer, request)
        case = _checked(services.case_create, owner=request.user, **data)
        return Response(CaseOutputSerializer(_listed(case)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CaseItemInputSerializer,
        responses={201: CaseItemOutputSerializer},
        summary="File a read you opened from your own search (recorded as a read opened)",
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        case = self.get_object()
        data = _valid(CaseItemInputSerializer, request)
        try:
            item = _checked(
                services.case_read_file,
                case=case,
                actor=request.user,
                search_id=data["search"],
                day=data["day"],
                read_id=data["read"],
                note=data.get("note", ""),
                via="api",
            )
        except (Case.DoesNotExist, Read.DoesNotExist, SearchAudit.DoesNotExist, NotAllowed) as missing:
            raise NotFound("No such read in your searches.") from missing
        except SearchThrottled as refused:
            raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
        except SearchNotRecorded as failure:
            raise AuditUnavailable(str(failure)) from failure
        filed = {"item": item, "read": None}  # the read itself is shown when the folder is opened
        return Response(CaseItemOutputSerializer(filed).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CaseSearchInputSerializer,
        responses={201: CaseSearchOutputSerializer},
        summary="File one of your own searches (its criteria and count, shown to the folder's members)",
    )
    @action(detail=True, methods=["post"])
    def searches(self, request, pk=None):
        case = self.get_object()
        data = _valid(CaseSearchInputSerializer, request)
        try:
            filed = _checked(
                services.case_search_file,
                case=case,
                actor=request.user,
                search_id=data["search"],
                note=data.get("note", ""),
            )
        except (Case.DoesNotExist, SearchAudit.DoesNotExist) as missing:
            raise NotFound("No such search of yours.") from missing
        shown = FiledSearch(filed, None)  # its criteria are shown when the folder is opened
        return Response(CaseSearchOutputSerializer(shown).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CaseShareInputSerializer, responses=CaseOutputSerializer, summary="Share with a colleague"
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return self._sharing(request, services.case_share)

    @extend_schema(
        request=CaseShareInputSerializer, responses=CaseOutputSerializer, summary="Stop sharing with one"
    )
    @action(detail=True, methods=["post"])
    def unshare(self, request, pk=None):
        return self._sharing(request, services.case_unshare)

    @extend_schema(
        request=None,
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The package.")
        },
        summary="Export as an evidential package: a sealed ZIP (audited before it is made)",
    )
    @action(detail=True, methods=["post"])
    def export(self, request, pk=None):
        if not request.user.has_perm("reads.export_read"):
            self.permission_denied(request, "You may not export reads.")
        case = self.get_object()
        try:
            package = case_export(request.user, case, via="api")
        except SearchThrottled as refused:
            raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
        except SearchNotRecorded as failure:
            raise AuditUnavailable(str(failure)) from failure
        except PackageTooLarge as too_large:
            raise PackageTooLargeError(str(too_large)) from too_large
        return FileResponse(
            package.file, as_attachment=True, filename=package.name, content_type="application/zip"
        )

    def _sharing(self, request, share):
        case = self.get_object()
        data = _valid(CaseShareInputSerializer, request)
        try:
            _checked(share, case=case, owner=request.user, username=data["username"])
        except NotAllowed as refused:
            raise PermissionDenied(str(refused)) from refused
        return Response(CaseOutputSerializer(_listed(case)).data)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _checked(service, **arguments):
    """The service's answer; its ValidationError as the API's 400, by field."""
    try:
        return service(**arguments)
    except Invalid as invalid:
        raise ValidationError(
            invalid.message_dict if hasattr(invalid, "error_dict") else invalid.messages
        ) from None


def _opened(request, case: Case) -> OpenedCase:
    try:
        return case_opened(request.user, case, via="api")
    except SearchThrottled as refused:
        raise Throttled(wait=refused.retry_after, detail=str(refused)) from refused
    except SearchNotRecorded as failure:
        raise AuditUnavailable(str(failure)) from failure


def _listed(case: Case) -> dict:
    return {
        "id": case.pk,
        "title": case.title,
        "purpose": case.purpose,
        "purpose_detail": case.purpose_detail,
        "reference": case.reference,
        "owner": case.owner.username,
        "created_at": case.created_at,
        "members": [member.username for member in case_members(case)],
        "items": case.items.count(),
    }


def _opened_reply(request, opened: OpenedCase) -> dict:
    items = {filed.read.pk: filed.item for filed in opened.shown if filed.read}
    context = {"request": request, "case": opened.case, "items": items}
    reply = _listed(opened.case) | {
        "audit": opened.audit.pk,
        "filed": opened.filed,
        "searches": opened.searches,
    }
    return OpenedCaseOutputSerializer(reply, context=context).data
