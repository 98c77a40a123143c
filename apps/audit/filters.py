"""Filters over the audit trail, shared by the auditor's pages and (later) the API."""

import django_filters
from django import forms

from .models import SecurityEvent


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
