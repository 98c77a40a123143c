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
            "review_due": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
