"""Search criteria for reads: one definition for the portal's search page and GET /api/v1/reads/.

`ReadFilter` validates and applies the filters; `SearchPurposeForm` holds what every search
must state (purpose and reference) and the optional access request it is made under.
"""

from decimal import Decimal

import django_filters
from django import forms

from .models import Read
from .plates import is_pattern, normalise_pattern, normalise_vrm, pattern_to_like


class ReadFilter(django_filters.FilterSet):
    vrm = django_filters.CharFilter(
        method="filter_vrm",
        label="Plate",
        help_text="Exact plate, or a pattern: * for any run of characters, ? for one (AB12*, A?12CDE).",
    )
    seen_after = django_filters.IsoDateTimeFilter(
        field_name="seen_at",
        lookup_expr="gte",
        label="Seen after",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    seen_before = django_filters.IsoDateTimeFilter(
        field_name="seen_at",
        lookup_expr="lte",
        label="Seen before",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    camera = django_filters.CharFilter(
        method="filter_cameras", label="Cameras", help_text="Camera codes, separated by commas."
    )
    area = django_filters.CharFilter(field_name="camera__area", lookup_expr="iexact", label="Area")
    min_confidence = django_filters.NumberFilter(
        field_name="confidence",
        lookup_expr="gte",
        label="Minimum confidence",
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )

    def __init__(self, data=None, **kwargs) -> None:
        # Its own queryset is empty on purpose: results come only from the selector, which
        # applies these filters to reads already scoped to the user's access window.
        super().__init__(data, queryset=Read.objects.none(), **kwargs)

    def filter_vrm(self, queryset, name, value):
        if is_pattern(value):
            pattern = normalise_pattern(value)
            if pattern.strip("*?") == "":
                return queryset  # '*' alone asks for everything: no plate filter
            return queryset.filter(vrm__like=pattern_to_like(pattern))
        return queryset.filter(vrm=normalise_vrm(value))

    def filter_cameras(self, queryset, name, value):
        codes = [code.strip().upper() for code in value.split(",") if code.strip()]
        return queryset.filter(camera__code__in=codes) if codes else queryset

    @property
    def criteria(self) -> dict:
        """The filters asked for, as recorded in the audit trail."""
        return {
            key: _as_json(value) for key, value in self.form.cleaned_data.items() if value not in (None, "")
        }


class SearchPurposeForm(forms.Form):
    purpose = forms.CharField(
        max_length=500, label="Purpose", help_text="Why you are searching. Recorded with the search."
    )
    reference = forms.CharField(
        max_length=100, label="Reference", help_text="Incident, crime or case number."
    )
    access_request = forms.IntegerField(
        required=False,
        min_value=1,
        label="Access request",
        help_text="An approved request, to search reads older than the standard window.",
    )

    def __init__(self, *args, access_request_choices: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if access_request_choices is not None:  # the portal offers the user's usable requests
            self.fields["access_request"] = forms.TypedChoiceField(
                choices=access_request_choices,
                coerce=int,
                empty_value=None,
                required=False,
                label="Access request",
                help_text="An approved request of yours, to reach older reads.",
            )

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if len(purpose) < 5:
            raise forms.ValidationError("Say why you are searching (at least a few words).")
        return purpose


def _as_json(value):
    if isinstance(value, Decimal):
        return float(value)
    return value.isoformat() if hasattr(value, "isoformat") else value
