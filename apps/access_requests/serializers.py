"""Access-request JSON: what filing and deciding take (`...InputSerializer`) and a request as
answered (`AccessRequestOutputSerializer`)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import services
from .models import AccessRequest

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


@extend_schema_field({"type": "array", "items": {"type": "string"}, "maxItems": services.SCOPE_ITEMS_MAX})
class ScopeField(serializers.JSONField):
    """Plates, camera codes or areas, passed on as sent: the service checks them, for the form alike."""


class AccessRequestInputSerializer(serializers.ModelSerializer):
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


class AccessRequestDecisionInputSerializer(serializers.Serializer):
    """A supervisor's approval, refusal or revocation: a reason, and for an approval optionally
    a narrower grant."""

    reason = serializers.CharField()
    days = serializers.IntegerField(required=False, min_value=1)
    vrms = serializers.ListField(child=serializers.CharField(), required=False)
    period_start = serializers.DateTimeField(required=False)
    period_end = serializers.DateTimeField(required=False)


class AccessRequestOutputSerializer(serializers.ModelSerializer):
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
