"""The caller's own identity as the API answers it (`MeOutputSerializer`)."""

from rest_framework import serializers


class MeOutputSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())
