"""The transparency report's JSON (`TransparencyReportOutputSerializer`): the figures the
selector counts, each described for the schema."""

from rest_framework import serializers

PEOPLE = "Null until the month is final: counts of people's actions are published settle_days after it ends. "
HIDDEN = "A null count is hidden: above zero and below small_count."


def count(help_text: str = HIDDEN) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text)


def counts(help_text: str = "") -> serializers.DictField:
    return serializers.DictField(child=count(), allow_null=True, help_text=PEOPLE + help_text + HIDDEN)


class MonthOutputSerializer(serializers.Serializer):
    """One calendar month's figures."""

    # A settled month goes out as first published and is never counted again: a figure added
    # later must allow null, as the months published before it lack it.

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


class RetentionOutputSerializer(serializers.Serializer):
    period_days = serializers.IntegerField()
    oldest_read_seen_at = serializers.DateTimeField(allow_null=True)
    oldest_read_age_days = serializers.IntegerField(allow_null=True)


class ChainOutputSerializer(serializers.Serializer):
    last_verified_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)


class TransparencyReportOutputSerializer(serializers.Serializer):
    force = serializers.CharField()
    generated_at = serializers.DateTimeField()
    computed_in_seconds = serializers.FloatField()
    cache_seconds = serializers.IntegerField()
    small_count = serializers.IntegerField()
    settle_days = serializers.IntegerField(help_text="Days after a month's end when it is published, final.")
    live_cameras = serializers.DictField(child=serializers.IntegerField(), help_text="Live now, per kind.")
    reviews_overdue = serializers.IntegerField()
    retention = RetentionOutputSerializer()
    audit_chain = ChainOutputSerializer()
    labels = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    months = MonthOutputSerializer(many=True)
