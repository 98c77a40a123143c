"""The caller's own identity, so a client can check its token and what it may do."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .access import SIGNED_IN
from .serializers import MeOutputSerializer


class MeApi(APIView):
    required_permissions = {"GET": SIGNED_IN}

    @extend_schema(responses=MeOutputSerializer, summary="Who am I: username, roles and permissions")
    def get(self, request):
        user = request.user
        data = {
            "username": user.get_username(),
            "roles": user.role_names,
            "permissions": sorted(user.get_all_permissions()),
        }
        return Response(MeOutputSerializer(data).data)
