"""/api/v1/access-requests/: file, list, approve, refuse, revoke."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.users import acting_user

from . import services
from .models import AccessRequest
from .selectors import requests_visible_to

# What a requester states when filing; the answer repeats it with the decision.
FILED = (
    "investigation_reference",
    "offence",
    "justification",
    "vrms",
    "camera_codes",
    "areas",
    "period_start",
    "period_end",
    "days_needed",
)


class AccessRequestSerializer(serializers.ModelSerializer):
    """A request as answered; decided_by is null until a supervisor decides."""

    requester = serializers.CharField(source="requester.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True)

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "requester",
            "filed_at",
            *FILED,
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "expires_at",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": services.SCOPE_ITEMS_MAX})
class ScopeField(serializers.JSONField):
    """Plates, camera codes or areas, passed on as sent: the service checks them, for the form alike."""


class FileSerializer(serializers.ModelSerializer):
    """What filing a request takes; request_file checks what may be asked."""

    # The stubs take a JSONField's default for a mapping; any JSON value is one.
    vrms = ScopeField(required=False, default=list)  # type: ignore[arg-type]
    camera_codes = ScopeField(required=False, default=list)  # type: ignore[arg-type]
    areas = ScopeField(required=False, default=list)  # type: ignore[arg-type]
    days_needed = serializers.IntegerField(
        help_text=f"How long access is needed for: 1 to {services.DAYS_NEEDED_MAX} days."
    )

    class Meta:
        model = AccessRequest
        fields = list(FILED)


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField()
    days = serializers.IntegerField(required=False, min_value=1)
    vrms = serializers.ListField(child=serializers.CharField(), required=False)
    period_start = serializers.DateTimeField(required=False)
    period_end = serializers.DateTimeField(required=False)


class AccessRequestViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = AccessRequestSerializer
    required_permissions = {
        "GET": ("access_requests.view_accessrequest",),
        "POST": ("access_requests.view_accessrequest",),  # each action checks its own right below
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return AccessRequest.objects.none()
        return requests_visible_to(acting_user(self.request.user))

    def list(self, request):
        return Response(AccessRequestSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(AccessRequestSerializer(self.get_object()).data)

    @extend_schema(request=FileSerializer, responses={201: AccessRequestSerializer}, summary="File a request")
    def create(self, request):
        if not request.user.has_perm("access_requests.add_accessrequest"):
            self.permission_denied(request, "You may not file access requests.")
        serializer = FileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        filed = services.request_file(requester=request.user, **serializer.validated_data)
        return Response(AccessRequestSerializer(filed).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DecisionSerializer, responses=AccessRequestSerializer, summary="Approve (optionally narrower)"
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._decision(request)
        reason = data.pop("reason")
        decided = services.request_approve(
            access_request=self.get_object(), approver=request.user, reason=reason, **data
        )
        return Response(AccessRequestSerializer(decided).data)

    @extend_schema(
        request=DecisionSerializer, responses=AccessRequestSerializer, summary="Refuse, with a reason"
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        reason = self._decision(request)["reason"]
        decided = services.request_refuse(
            access_request=self.get_object(), approver=request.user, reason=reason
        )
        return Response(AccessRequestSerializer(decided).data)

    @extend_schema(
        request=DecisionSerializer, responses=AccessRequestSerializer, summary="Revoke an approval now"
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        reason = self._decision(request)["reason"]
        revoked = services.request_revoke(
            access_request=self.get_object(), supervisor=request.user, reason=reason
        )
        return Response(AccessRequestSerializer(revoked).data)

    def _decision(self, request) -> dict:
        if not request.user.has_perm("access_requests.decide_accessrequest"):
            self.permission_denied(request, "Only supervisors decide access requests.")
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
