"""The administrator's camera form. Validation only; saving goes through services."""

from django import forms

from .models import Camera
from .services import EDITABLE_FIELDS


class CameraForm(forms.ModelForm):
    class Meta:
        model = Camera
        fields = ["code", *EDITABLE_FIELDS]
        widgets = {
            "installed_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


class CameraAccountForm(forms.Form):
    """Which cameras a machine account may post reads for; none ticked: it may post for none."""

    cameras = forms.ModelMultipleChoiceField(
        queryset=Camera.objects.exclude(status=Camera.Status.DECOMMISSIONED),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Reads naming any other camera are refused whole.",
    )
    in_vehicle_unit = forms.BooleanField(
        required=False,
        label="In-vehicle unit",
        help_text="Its ingest replies name hotlist hits (never covert ones), for the crew to act on.",
    )
