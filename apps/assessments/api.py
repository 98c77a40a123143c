"""/api/v1/assessments/: deployment assessments and their PIAs: draft, list, submit, decide."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.cameras.disclosure import camera_as_disclosed, may_see_locations
from apps.cameras.models import Camera
from apps.core.users import acting_user

from . import services
from .factors import FACTORS, WEIGHTS
from .models import Assessment, Consultation, PrivacyRisk
from .selectors import assessments_visible_to


class RiskSerializer(serializers.ModelSerializer):
    class Meta:
        model = PrivacyRisk
        fields = ["description", "likelihood", "severity", "mitigation", "residual"]


class ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["consultee", "consulted_on", "said", "response"]


class FactorSerializer(serializers.Serializer):
    weight = serializers.ChoiceField(choices=list(WEIGHTS))
    argument = serializers.CharField(allow_blank=True, default="")
    evidence = serializers.CharField(allow_blank=True, default="")


class FactorsSerializer(serializers.Serializer):
    national_security = FactorSerializer(required=False)
    serious_crime = FactorSerializer(required=False)
    local_crime = FactorSerializer(required=False)
    community = FactorSerializer(required=False)


class AssessmentSerializer(serializers.ModelSerializer):
    camera = serializers.SerializerMethodField()
    site = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)
    factors = FactorsSerializer()
    risks = RiskSerializer(many=True)
    consultations = ConsultationSerializer(many=True)

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

    def get_camera(self, assessment) -> dict:
        # The camera's position only for those the registry's disclosure rule allows.
        return camera_as_disclosed(assessment.camera, self.context["request"].user)

    def get_site(self, assessment) -> dict | None:
        """The site assessed (recorded at submission), by the same disclosure rule as the camera's."""
        if assessment.latitude is None or not may_see_locations(self.context["request"].user):
            return None
        return {"latitude": assessment.latitude, "longitude": assessment.longitude}


class CameraCodeField(serializers.SlugRelatedField):
    """A camera by its code. Text holding a NUL is no code, and PostgreSQL cannot even compare it
    (looking it up would be a 500): it is refused as an unknown camera."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value="(text with a NUL)")
        return super().to_internal_value(data)


class AssessmentInputSerializer(serializers.ModelSerializer):
    camera = CameraCodeField(slug_field="code", queryset=Camera.objects.all())
    factors = FactorsSerializer(required=False)
    risks = RiskSerializer(many=True, required=False)
    consultations = ConsultationSerializer(many=True, required=False)

    class Meta:
        model = Assessment
        fields = ["camera", *services.FIELDS, "risks", "consultations"]
        extra_kwargs = {name: {"required": False} for name in services.FIELDS}


class AssessmentDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AssessmentViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = AssessmentSerializer
    required_permissions = {
        "GET": ("assessments.view_assessment",),
        "POST": ("assessments.view_assessment",),  # each action checks its own right in the service
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Assessment.objects.none()
        return assessments_visible_to(acting_user(self.request.user)).prefetch_related(
            "risks", "consultations"
        )

    def list(self, request):
        return Response(self.get_serializer(self.get_queryset()[:200], many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentSerializer})
    def create(self, request):
        if not request.user.has_perm("assessments.add_assessment"):
            self.permission_denied(request, "You may not draft assessments.")
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["factors"] = {k: dict(v) for k, v in fields.get("factors", {}).items() if k in FACTORS}
        assessment = services.assessment_create(
            author=request.user,
            camera=fields.pop("camera"),
            risks=list(fields.pop("risks", [])),
            consultations=list(fields.pop("consultations", [])),
            **fields,
        )
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment = services.assessment_submit(assessment=self.get_object(), actor=request.user)
        return Response(self.get_serializer(assessment).data)

    @extend_schema(request=AssessmentDecisionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.assessment_approve)

    @extend_schema(request=AssessmentDecisionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.assessment_reject)

    def _decide(self, request, decide):
        decision = AssessmentDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        assessment = decide(
            assessment=self.get_object(), approver=request.user, reason=decision.validated_data["reason"]
        )
        return Response(self.get_serializer(assessment).data)
