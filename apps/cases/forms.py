"""Case folder forms. Validation of shape only; the rules are the services' (for the API alike)."""

from django import forms

from apps.core.purposes import DETAIL_MAX_LENGTH, purpose_choices

from .services import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH


class CaseForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH, help_text="What the investigation is, in a few words."
    )
    purpose = forms.ChoiceField(
        choices=lambda: [("", "Choose why the reads are needed"), *purpose_choices()],
        help_text="Recorded with every opening and export of the folder.",
    )
    purpose_detail = forms.CharField(
        required=False,
        max_length=DETAIL_MAX_LENGTH,
        label="Purpose described",
        help_text="Only for 'Other': say why the reads are needed.",
    )
    reference = forms.CharField(max_length=100, help_text="Incident, crime or case number.")


class ShareForm(forms.Form):
    username = forms.CharField(
        max_length=150, label="Colleague's username", help_text="Someone who may search reads."
    )


class FileReadForm(forms.Form):
    """A read filed from its page: the search it was opened under, its day and id, and either the
    folder to file it in or the title of a new one (under the search's purpose and reference)."""

    search = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(widget=forms.HiddenInput)
    read = forms.IntegerField(widget=forms.HiddenInput)
    case = forms.IntegerField(required=False, label="Case folder")
    title = forms.CharField(required=False, max_length=TITLE_MAX_LENGTH, label="New folder's title")
    note = forms.CharField(
        required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = self.cleaned_data
        if not cleaned.get("case") and not (cleaned.get("title") or "").strip():
            raise forms.ValidationError("Choose a case folder, or give a new folder's title.")
        return cleaned


class FileSearchForm(forms.Form):
    """One's own search filed from its results: its audit record and the folder to file it in."""

    search = forms.IntegerField(widget=forms.HiddenInput)
    case = forms.IntegerField(label="Case folder")
    note = forms.CharField(
        required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
