"""Portal forms for hotlists, entries, imports, alert outcomes and cloned-plate reviews. Validation only."""

from django import forms

from apps.core.plate_formats import NotAPlate, checked_plate

from .models import Alert, ClonedPlateSuspicion, Hotlist, HotlistEntry


class HotlistForm(forms.ModelForm):
    class Meta:
        model = Hotlist
        fields = ["name", "source", "priority", "active", "covert"]


class EntryForm(forms.ModelForm):
    markers = forms.CharField(
        required=False, help_text="Separate markers with semicolons, e.g. weapons; violent."
    )

    class Meta:
        model = HotlistEntry
        fields = ["vrm", "foreign", "reason", "action", "markers", "information", "expires_at"]
        widgets = {"expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["markers"] = "; ".join(self.instance.markers)

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("vrm") is not None:
            try:
                cleaned["vrm"] = checked_plate(cleaned["vrm"], foreign=cleaned.get("foreign", False))
            except NotAPlate as refused:
                self.add_error("vrm", str(refused))
        return cleaned

    def clean_markers(self) -> list[str]:
        return [m.strip() for m in self.cleaned_data["markers"].split(";") if m.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )
    mode = forms.ChoiceField(
        choices=[
            ("merge", "Merge: add and update, keep the rest"),
            ("replace", "Replace: the file becomes the list"),
        ],
        widget=forms.RadioSelect,
        initial="merge",
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Alert.Outcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ClonedPlateReviewForm(forms.Form):
    # On the alert's page beside the alert's own outcome form, whose fields have the same names.
    prefix = "review"

    outcome = forms.ChoiceField(choices=ClonedPlateSuspicion.Outcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean(self):
        data = super().clean() or {}
        if data.get("outcome") == ClonedPlateSuspicion.Outcome.NOT_CLONED and not data.get("notes"):
            self.add_error("notes", "Say why it is not a clone: the reads were too far apart for the time.")
        return data
