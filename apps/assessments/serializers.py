"""Assessment JSON: what drafting and deciding take (`...InputSerializer`) and an assessment as
answered (`AssessmentOutputSerializer`, the camera and site by the registry's disclosure rule)."""

from rest_framework import serializers

from apps.cameras.disclosure import may_see_locations
from apps.cameras.models import Camera
from apps.cameras.serializers import CameraOutputSerializer

from . import services
from .factors import WEIGHTS
from .models import Assessment, Consultation, PrivacyRisk

RISK_FIELDS = ["description", "likelihood", "severity", "mitigation", "residual"]
CONSULTATION_FIELDS = ["consultee", "consulted_on", "said", "response"]


class RiskInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrivacyRisk
        fields = RISK_FIELDS


class ConsultationInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = CONSULTATION_FIELDS


class FactorInputSerializer(serializers.Serializer):
    weight = serializers.ChoiceField(choices=list(WEIGHTS))
    argument = serializers.CharField(allow_blank=True, default="")
    evidence = serializers.CharField(allow_blank=True, default="")


class FactorsInputSerializer(serializers.Serializer):
    national_security = FactorInputSerializer(required=False)
    serious_crime = FactorInputSerializer(required=False)
    local_crime = FactorInputSerializer(required=False)
    community = FactorInputSerializer(required=False)


class CameraCodeField(serializers.SlugRelatedField):
    """A camera by its code. Text holding a NUL is no code, and PostgreSQL cannot even compare it
    (looking it up would be a 500): it is refused as an unknown camera."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value="(text with a NUL)")
        return super().to_internal_value(data)


class AssessmentInputSerializer(serializers.ModelSerializer):
    camera = CameraCodeField(slug_field="code", queryset=Camera.objects.all())
    factors = FactorsInputSerializer(required=False)
    risks = RiskInputSerializer(many=True, required=False)
    consultations = ConsultationInputSerializer(many=True, required=False)

    class Meta:
        model = Assessment
        fields = ["camera", *services.FIELDS, "risks", "consultations"]
        extra_kwargs = {name: {"required": False} for name in services.FIELDS}


class AssessmentDecisionInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RiskOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrivacyRisk
        fields = RISK_FIELDS


class ConsultationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = CONSULTATION_FIELDS


class FactorOutputSerializer(serializers.Serializer):
    weight = serializers.ChoiceField(choices=list(WEIGHTS))
    argument = serializers.CharField(default="")
    evidence = serializers.CharField(default="")


class FactorsOutputSerializer(serializers.Serializer):
    """The need argued against each national factor; a factor not yet argued is left out."""

    national_security = FactorOutputSerializer(required=False)
    serious_crime = FactorOutputSerializer(required=False)
    local_crime = FactorOutputSerializer(required=False)
    community = FactorOutputSerializer(required=False)


class AssessmentOutputSerializer(serializers.ModelSerializer):
    camera = CameraOutputSerializer()
    site = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)
    factors = FactorsOutputSerializer()
    risks = RiskOutputSerializer(many=True)
    consultations = ConsultationOutputSerializer(many=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "camera",
            "site",
            "kind",
            "status",
            "author",
            "created_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            *services.FIELDS,
            "risks",
            "consultations",
        ]
        read_only_fields = fields

    def get_site(self, assessment) -> dict | None:
        """The site assessed (recorded at submission), by the same disclosure rule as the camera's."""
        if assessment.latitude is None or not may_see_locations(self.context["request"].user):
            return None
        return {"latitude": assessment.latitude, "longitude": assessment.longitude}
