"""/api/v1/access-requests/: file, list, approve, refuse, revoke."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.users import acting_user

from . import services
from .models import AccessRequest
from .selectors import requests_visible_to
from .serializers import (
    AccessRequestDecisionInputSerializer,
    AccessRequestInputSerializer,
    AccessRequestOutputSerializer,
)


class AccessRequestViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = AccessRequestOutputSerializer
    required_permissions = {
        "GET": ("access_requests.view_accessrequest",),
        "POST": ("access_requests.view_accessrequest",),  # each action checks its own right below
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return AccessRequest.objects.none()
        return requests_visible_to(acting_user(self.request.user))

    def list(self, request):
        return Response(AccessRequestOutputSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(AccessRequestOutputSerializer(self.get_object()).data)

    @extend_schema(
        request=AccessRequestInputSerializer,
        responses={201: AccessRequestOutputSerializer},
        summary="File a request",
    )
    def create(self, request):
        if not request.user.has_perm("access_requests.add_accessrequest"):
            self.permission_denied(request, "You may not file access requests.")
        serializer = AccessRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        filed = services.request_file(requester=request.user, **serializer.validated_data)
        return Response(AccessRequestOutputSerializer(filed).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AccessRequestDecisionInputSerializer,
        responses=AccessRequestOutputSerializer,
        summary="Approve (optionally narrower)",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._decision(request)
        reason = data.pop("reason")
        decided = services.request_approve(
            access_request=self.get_object(), approver=request.user, reason=reason, **data
        )
        return Response(AccessRequestOutputSerializer(decided).data)

    @extend_schema(
        request=AccessRequestDecisionInputSerializer,
        responses=AccessRequestOutputSerializer,
        summary="Refuse, with a reason",
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        reason = self._decision(request)["reason"]
        decided = services.request_refuse(
            access_request=self.get_object(), approver=request.user, reason=reason
        )
        return Response(AccessRequestOutputSerializer(decided).data)

    @extend_schema(
        request=AccessRequestDecisionInputSerializer,
        responses=AccessRequestOutputSerializer,
        summary="Revoke an approval now",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        reason = self._decision(request)["reason"]
        revoked = services.request_revoke(
            access_request=self.get_object(), supervisor=request.user, reason=reason
        )
        return Response(AccessRequestOutputSerializer(revoked).data)

    def _decision(self, request) -> dict:
        if not request.user.has_perm("access_requests.decide_accessrequest"):
            self.permission_denied(request, "Only supervisors decide access requests.")
        serializer = AccessRequestDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
