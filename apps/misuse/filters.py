"""Filters of the misuse flags list: open or closed, kind, user."""

import django_filters

from .models import MisuseFlag


class MisuseFlagFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open"), ("closed", "Closed")], method="filter_status", label="Status"
    )
    kind = django_filters.ChoiceFilter(choices=MisuseFlag.Kind.choices, label="Kind")
    username = django_filters.CharFilter(lookup_expr="iexact", label="User")

    class Meta:
        model = MisuseFlag
        fields = ["status", "kind", "username"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(closed=value == "closed")  # `closed` is annotated by the selector
