"""Assessment and review forms: the statement of need by factor, the PIA, risks, consultations."""

from typing import TYPE_CHECKING, Any

from django import forms

from apps.cameras.models import Camera

from .factors import FACTORS, WEIGHTS
from .models import NEED, PIA, Assessment, Consultation, PrivacyRisk, Review

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class FactorsMixin:
    """Three fields per national factor (weight, argument, evidence), gathered into `factors`."""

    if TYPE_CHECKING:  # what the form it is mixed into provides
        fields: dict[str, forms.Field]
        cleaned_data: dict[str, Any]

        def __getitem__(self, name: str) -> forms.BoundField: ...

    def add_factor_fields(self, factors: dict | None) -> None:
        factors = factors or {}
        for key, label in FACTORS.items():
            case = factors.get(key, {})
            self.fields[f"{key}_weight"] = forms.ChoiceField(
                label=f"{label}: weight",
                choices=[("", "Choose…"), *WEIGHTS.items()],
                initial=case.get("weight"),
            )
            self.fields[f"{key}_argument"] = forms.CharField(
                label=f"{label}: the case",
                required=False,
                widget=TEXTAREA,
                initial=case.get("argument"),
            )
            self.fields[f"{key}_evidence"] = forms.CharField(
                label=f"{label}: evidence",
                required=False,
                widget=TEXTAREA,
                initial=case.get("evidence"),
                help_text="For example crime figures for the area, intelligence reports, incidents.",
            )

    def factor_groups(self):
        return [
            (label, [self[f"{key}_{part}"] for part in ("weight", "argument", "evidence")])
            for key, label in FACTORS.items()
        ]

    @property
    def factors(self) -> dict:
        data = self.cleaned_data
        return {
            key: {part: data.get(f"{key}_{part}", "") for part in ("weight", "argument", "evidence")}
            for key in FACTORS
        }


class AssessmentForm(FactorsMixin, forms.ModelForm):
    camera = forms.ModelChoiceField(
        queryset=Camera.objects.filter(kind=Camera.Kind.FIXED)
        .exclude(status=Camera.Status.DECOMMISSIONED)
        .order_by("code"),
        to_field_name="code",
        help_text="A proposed camera (a new deployment) or a live one (a change to it).",
    )

    class Meta:
        model = Assessment
        fields = ["camera", *NEED, *PIA, "consultation_waiver"]
        widgets = {name: TEXTAREA for name in fields if name not in ("camera", "residual_risk")}
        labels = {"residual_risk": "Overall residual risk to privacy"}

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A draft is saved incomplete; completeness is checked on submission.
        for name in self.Meta.fields:
            if name != "camera":
                self.fields[name].required = False
        if editing:
            del self.fields["camera"]
        self.add_factor_fields(self.instance.factors if self.instance.pk else None)
        for key in FACTORS:
            self.fields[f"{key}_weight"].required = False

    def section(self, names):
        return [self[name] for name in names]

    def need_fields(self):
        return self.section(NEED)

    def pia_fields(self):
        return self.section(PIA)


class RiskForm(forms.ModelForm):
    class Meta:
        model = PrivacyRisk
        fields = ["description", "likelihood", "severity", "mitigation", "residual"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"description": "Risk", "residual": "Residual risk"}


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["consultee", "consulted_on", "said", "response"]
        widgets = {
            "consulted_on": forms.DateInput(attrs={"type": "date"}),
            "said": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"consulted_on": "Consulted on", "said": "What they said", "response": "Response"}


RiskFormSet = forms.formset_factory(RiskForm, extra=1, can_delete=True)
ConsultationFormSet = forms.formset_factory(ConsultationForm, extra=1, can_delete=True)


def rows(formset) -> list[dict]:
    """The filled-in, not deleted rows of a formset, as plain values for the services."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class DecisionForm(forms.Form):
    reason = forms.CharField(widget=TEXTAREA, help_text="Recorded with the decision and shown to the author.")


class ReviewForm(FactorsMixin, forms.Form):
    privacy_impact = forms.CharField(
        widget=TEXTAREA, label="Privacy impact now", help_text="What has changed since the assessment."
    )
    outcome = forms.ChoiceField(choices=Review.Outcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(widget=TEXTAREA, required=False)

    def __init__(self, *args, factors: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_factor_fields(factors)
