"""The transparency report as JSON, for anyone: the same figures as the page, from one selector."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.access import PUBLIC

from .selectors import transparency_report

PEOPLE = "Null until the month is final: counts of people's actions are published settle_days after it ends. "
HIDDEN = "A null count is hidden: above zero and below small_count."


def count(help_text: str = HIDDEN) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text)


def counts(help_text: str = "") -> serializers.DictField:
    return serializers.DictField(child=count(), allow_null=True, help_text=PEOPLE + help_text + HIDDEN)


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM, a calendar month in UTC.")
    to_date = serializers.BooleanField(help_text="The current month, counted so far.")
    final = serializers.BooleanField(
        help_text="Settled: published once, settle_days after the month ended, and never counted again."
    )
    live_cameras = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="Cameras live at any moment in the month, per kind; null before their history began.",
    )
    reads_captured = serializers.IntegerField()
    hotlist_hits = count(PEOPLE + HIDDEN)
    alerts_acted_on = count(PEOPLE + HIDDEN)
    alert_outcomes = counts()
    searches_by_purpose = counts()
    access_requests = counts("Steps: filed, approved, refused. ")
    assessments_approved = serializers.IntegerField()
    reviews_done = serializers.IntegerField()
    retention_runs = serializers.DictField(child=serializers.IntegerField(), help_text="ok, failed")


class RetentionSerializer(serializers.Serializer):
    period_days = serializers.IntegerField()
    oldest_read_seen_at = serializers.DateTimeField(allow_null=True)
    oldest_read_age_days = serializers.IntegerField(allow_null=True)


class ChainSerializer(serializers.Serializer):
    last_verified_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)


class TransparencyReportSerializer(serializers.Serializer):
    force = serializers.CharField()
    generated_at = serializers.DateTimeField()
    computed_in_seconds = serializers.FloatField()
    cache_seconds = serializers.IntegerField()
    small_count = serializers.IntegerField()
    settle_days = serializers.IntegerField(help_text="Days after a month's end when it is published, final.")
    live_cameras = serializers.DictField(child=serializers.IntegerField(), help_text="Live now, per kind.")
    reviews_overdue = serializers.IntegerField()
    retention = RetentionSerializer()
    audit_chain = ChainSerializer()
    labels = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    months = MonthSerializer(many=True)


class TransparencyApi(APIView):
    required_permissions = {"GET": PUBLIC}

    @extend_schema(
        responses=TransparencyReportSerializer,
        auth=[{}],  # type: ignore[list-item]  # drf-spectacular's hint says names; {} is "none"
        summary="The public transparency report: monthly counts, small ones hidden (no sign-in)",
    )
    def get(self, request):
        # The report is plain values already, cached as such: it goes out as it is.
        return Response(transparency_report())
