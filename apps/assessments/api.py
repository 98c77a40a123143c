"""/api/v1/assessments/: deployment assessments and their PIAs: draft, list, submit, decide."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.users import acting_user

from . import services
from .factors import FACTORS
from .models import Assessment
from .selectors import assessments_visible_to
from .serializers import (
    AssessmentDecisionInputSerializer,
    AssessmentInputSerializer,
    AssessmentOutputSerializer,
)


class AssessmentViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"  # ids are numbers; anything else is a JSON 404
    serializer_class = AssessmentOutputSerializer
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

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentOutputSerializer})
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

    @extend_schema(request=None, responses=AssessmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment = services.assessment_submit(assessment=self.get_object(), actor=request.user)
        return Response(self.get_serializer(assessment).data)

    @extend_schema(request=AssessmentDecisionInputSerializer, responses=AssessmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.assessment_approve)

    @extend_schema(request=AssessmentDecisionInputSerializer, responses=AssessmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.assessment_reject)

    def _decide(self, request, decide):
        decision = AssessmentDecisionInputSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        assessment = decide(
            assessment=self.get_object(), approver=request.user, reason=decision.validated_data["reason"]
        )
        return Response(self.get_serializer(assessment).data)
