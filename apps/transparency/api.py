"""The transparency report as JSON, for anyone: the same figures as the page, from one selector."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import PUBLIC

from .selectors import transparency_report
from .serializers import TransparencyReportOutputSerializer


class TransparencyApi(APIView):
    required_permissions = {"GET": PUBLIC}

    @extend_schema(
        responses=TransparencyReportOutputSerializer,
        auth=[{}],  # type: ignore[list-item]  # drf-spectacular's hint says names; {} is "none"
        summary="The public transparency report: monthly counts, small ones hidden (no sign-in)",
    )
    def get(self, request):
        return Response(TransparencyReportOutputSerializer(transparency_report()).data)
