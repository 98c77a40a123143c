"""Filters over the audit trail, shared by the auditor's pages and (later) the API."""

import django_filters
from auditlog.models import LogEntry
from django import forms
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from apps.core.plate_patterns import matches_pattern
from apps.core.plates import is_pattern, normalise_search
from apps.core.purposes import purpose_choices

from .changes import tracked_models
from .models import SearchAudit, SecurityEvent


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    """`?id=4,9,12`: the rows a misuse flag cites as its evidence."""


def day_range(field: str) -> tuple[django_filters.DateFilter, ...]:
    """The From and To days (inclusive) of an audit page's date filter, on `field`."""
    return tuple(
        django_filters.DateFilter(
            field_name=field,
            lookup_expr=f"date__{lookup}",
            label=label,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
        for lookup, label in (("gte", "From"), ("lte", "To"))
    )


class SecurityEventFilter(django_filters.FilterSet):
    id = NumberInFilter(field_name="id", label="Record ids")
    username = django_filters.CharFilter(lookup_expr="iexact", label="Username")
    kind = django_filters.ChoiceFilter(choices=SecurityEvent.Kind.choices, label="Event")
    after, before = day_range("at")

    class Meta:
        model = SecurityEvent
        fields = ["id", "username", "kind", "after", "before"]


class SearchAuditFilter(django_filters.FilterSet):
    id = NumberInFilter(field_name="id", label="Record ids")
    username = django_filters.CharFilter(lookup_expr="iexact", label="User")
    reference = django_filters.CharFilter(lookup_expr="icontains", label="Reference")
    vrm = django_filters.CharFilter(method="filter_vrm", label="Plate")
    purpose = django_filters.ChoiceFilter(choices=purpose_choices, label="Purpose")
    kind = django_filters.ChoiceFilter(choices=SearchAudit.Kind.choices, label="Kind")
    after, before = day_range("at")

    class Meta:
        model = SearchAudit
        fields = ["id", "username", "reference", "vrm", "purpose", "kind", "after", "before"]

    def filter_vrm(self, queryset, name, value):
        # Plates are recorded normalised ('ab-12 cde' as AB12CDE). A plate asked for here also
        # finds the patterns that would have matched it (AB1*, AB12?DE); a pattern asked for finds
        # itself and the plates it covers.
        asked = normalise_search(value)
        if not asked:
            return queryset.none()
        if is_pattern(asked):
            return queryset.filter(Q(vrm=asked) | Q(matches_pattern(asked)))
        covering = RawSQL("%s LIKE translate(vrm, '*?', '%%_')", [asked], output_field=BooleanField())
        return queryset.filter(Q(vrm=asked) | (Q(vrm__contains="*") | Q(vrm__contains="?")) & Q(covering))


class ChangeLogFilter(django_filters.FilterSet):
    """The change log by model, object, who made the change, what kind of change and when."""

    model = django_filters.ModelChoiceFilter(
        field_name="content_type",
        # django-filter takes a callable of the request here; its stubs say a queryset only.
        queryset=lambda request: tracked_models(),  # type: ignore[arg-type]
        label="Model",
        empty_label="Any model",
    )
    object_id = django_filters.CharFilter(field_name="object_pk", label="Object id")
    actor = django_filters.CharFilter(field_name="actor__username", lookup_expr="iexact", label="Changed by")
    action = django_filters.ChoiceFilter(
        choices=LogEntry.Action.choices, label="Change", empty_label="Any change"
    )
    after, before = day_range("timestamp")

    class Meta:
        model = LogEntry
        fields = ["model", "object_id", "actor", "action", "after", "before"]
