"""The caller's own identity, so a client can check its token and what it may do."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .access import SIGNED_IN


class MeApi(APIView):
    required_permissions = {"GET": SIGNED_IN}

    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        permissions = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=OutputSerializer, summary="Who am I: username, roles and permissions")
    def get(self, request):
        user = request.user
        data = {
            "username": user.get_username(),
            "roles": user.role_names,
            "permissions": sorted(user.get_all_permissions()),
        }
        return Response(self.OutputSerializer(data).data)
