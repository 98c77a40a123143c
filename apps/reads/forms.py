"""The back-load page's form: one file, whose faults (of the whole file, or of rows) are the
field's errors, so the page's error summary names them and leads to the field."""

from django import forms


class BackLoadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to upload."},
    )
