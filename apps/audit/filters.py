"""Filters over the audit trail, shared by the auditor's pages and (later) the API."""

import django_filters
from django import forms

from .models import SearchAudit, SecurityEvent


class SecurityEventFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="iexact", label="Username")
    kind = django_filters.ChoiceFilter(choices=SecurityEvent.Kind.choices, label="Event")
    after = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    before = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = SecurityEvent
        fields = ["username", "kind", "after", "before"]


class SearchAuditFilter(django_filters.FilterSet):
    username = django_filters.CharFilter(lookup_expr="iexact", label="User")
    reference = django_filters.CharFilter(lookup_expr="icontains", label="Reference")
    vrm = django_filters.CharFilter(method="filter_vrm", label="Plate")
    kind = django_filters.ChoiceFilter(choices=SearchAudit.Kind.choices, label="Kind")
    after = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    before = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = SearchAudit
        fields = ["username", "reference", "vrm", "kind", "after", "before"]

    def filter_vrm(self, queryset, name, value):
        # Searches for a pattern are recorded as typed; match the plate inside them too.
        return queryset.filter(vrm__icontains=value.replace(" ", "").upper())
