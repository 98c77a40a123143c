"""Access request forms. Validation only; every step goes through services."""

from django import forms

from .models import AccessRequest
from .services import DAYS_NEEDED_MAX

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


class FileForm(forms.Form):
    investigation_reference = forms.CharField(max_length=100, label="Investigation reference")
    offence = forms.ChoiceField(choices=AccessRequest.Offence.choices, label="Offence category")
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why reads older than the standard window are necessary and proportionate.",
    )
    vrms = forms.CharField(
        required=False, label="Plates", help_text="Separate with commas; empty for any plate."
    )
    camera_codes = forms.CharField(
        required=False, label="Cameras", help_text="Camera codes; empty for any camera."
    )
    areas = forms.CharField(required=False, label="Areas", help_text="Areas; empty for any area.")
    period_start = forms.DateTimeField(widget=DATETIME, label="Reads from")
    period_end = forms.DateTimeField(widget=DATETIME, label="Reads until")
    # The bounds are the service's to check (for the API too); the browser is only told them.
    days_needed = forms.IntegerField(
        initial=14,
        label="Access needed for (days)",
        widget=forms.NumberInput(attrs={"min": 1, "max": DAYS_NEEDED_MAX}),
    )

    def clean_vrms(self):
        return _list(self.cleaned_data["vrms"])

    def clean_camera_codes(self):
        return _list(self.cleaned_data["camera_codes"])

    def clean_areas(self):
        return _list(self.cleaned_data["areas"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("refuse", "Refuse")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Recorded with the decision."
    )
    days = forms.IntegerField(
        required=False,
        min_value=1,
        label="Approve for (days)",
        help_text="Leave empty for the time asked for; fewer to shorten it.",
    )
    vrms = forms.CharField(
        required=False,
        label="Approve only these plates",
        help_text="Leave empty to keep the plates asked for.",
    )

    def clean_vrms(self):
        return _list(self.cleaned_data["vrms"]) or None


class RevokeForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
