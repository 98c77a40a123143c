"""The auditor's form for closing a misuse flag."""

from django import forms


class CloseFlagForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        label="Finding",
        help_text="What you found and did. Kept with the flag in the audit trail; it cannot be changed.",
    )
