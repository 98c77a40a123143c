"""Which alerts a desk or historic-hits page lists: by status, hotlist, action, camera and when
the read was seen. One definition for the pages and the live stream, so a live alert is added
to an open page only if the page's own filters would list it.

Every filter narrows what the user may already see (alerts_visible_to); none widens it.
"""

from urllib.parse import urlencode

import django_filters
from django import forms

from apps.cameras.models import Camera

from .models import Alert, HotlistEntry
from .selectors import hotlists_visible_to

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S")


class AlertCriteriaForm(forms.Form):
    def clean(self):
        data = super().clean() or {}  # the stubs allow None; Form.clean returns cleaned_data
        after, before = data.get("seen_after"), data.get("seen_before")
        if after and before and after > before:
            raise forms.ValidationError("'Seen from' is later than 'seen until': no alert could match.")
        return data


class CameraChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} ({obj.area})"


class CameraFilter(django_filters.ModelChoiceFilter):
    field_class = CameraChoiceField


class AlertFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Alert.Status.choices, method="filter_status", label="Status", empty_label="Any status"
    )
    hotlist = django_filters.ModelChoiceFilter(
        # django-filter takes a callable of the request here; its stubs say a queryset only.
        queryset=lambda request: hotlists_visible_to(request.user),  # type: ignore[arg-type]
        label="Hotlist",
        empty_label="Any list",
    )
    action = django_filters.ChoiceFilter(
        choices=HotlistEntry.Action.choices, label="Action", empty_label="Any action"
    )
    camera = CameraFilter(
        queryset=Camera.objects.order_by("code"),
        to_field_name="code",
        label="Camera",
        empty_label="Any camera",
    )
    seen_after = django_filters.IsoDateTimeFilter(
        field_name="read_seen_at", lookup_expr="gte", label="Seen from", widget=MOMENT
    )
    seen_before = django_filters.IsoDateTimeFilter(
        field_name="read_seen_at", lookup_expr="lte", label="Seen until", widget=MOMENT
    )

    class Meta:
        model = Alert
        fields: list[str] = []
        form = AlertCriteriaForm

    def __init__(self, data, *, queryset, request) -> None:
        # Only the filters' own names count: the page number and anything else are not criteria.
        self.asked = {name: data[name] for name in self.base_filters if data.get(name)}
        super().__init__(self.asked, queryset, request=request)

    def filter_status(self, queryset, name, value):
        return queryset.filter(Alert.in_status(value))

    @property
    def criteria(self) -> dict:
        """The filters asked for, as recorded in the audit trail (empty: none)."""
        return {
            name: _as_json(value) for name, value in self.form.cleaned_data.items() if value not in (None, "")
        }

    @property
    def query(self) -> str:
        """The filters asked for as they were sent, for the links to further pages and the stream."""
        return urlencode(self.asked)


def _as_json(value):
    if isinstance(value, Camera):
        return value.code
    if hasattr(value, "pk"):
        return value.pk
    return value.isoformat() if hasattr(value, "isoformat") else value
