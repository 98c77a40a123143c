"""The back-load page's form: one file, whose faults (of the whole file, or of rows) are the
field's errors, so the page's error summary names them and leads to the field."""

from django import forms


class BackLoadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to upload."},
    )


class ScenesPageForm(forms.Form):
    """What a multi-place search asks beside its scenes (the scenes are ReadFilters of their own):
    how many of them a vehicle must be seen at; faults of the scenes as a whole go here too, so
    the page's error summary lists them with the rest."""

    at_least = forms.CharField(
        required=False,
        label="Seen at (scenes, at least)",
        help_text="Every scene unless you choose fewer (never fewer than two).",
        widget=forms.NumberInput(attrs={"min": 2, "max": 5}),
    )
