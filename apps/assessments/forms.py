"""Assessment and review forms: a draft's sections (the need, the need by national factor, the
PIA, risks, consultations), each saved on its own, and the review of a live camera."""

from typing import TYPE_CHECKING, Any

from django import forms

from apps.cameras.models import Camera

from .factors import FACTORS, WEIGHTS
from .models import NEED, PIA, SECTIONS, Assessment, Consultation, PrivacyRisk, Review

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


class NeedForm(forms.ModelForm):
    """The need; on a new draft, the camera too (its first section creates the draft)."""

    camera = forms.ModelChoiceField(
        queryset=Camera.objects.filter(kind=Camera.Kind.FIXED)
        .exclude(status=Camera.Status.DECOMMISSIONED)
        .order_by("code"),
        to_field_name="code",
        help_text="A proposed camera (a new deployment) or a live one (a change to it).",
    )

    class Meta:
        model = Assessment
        fields = ["camera", *NEED]
        widgets = {name: TEXTAREA for name in NEED}

    def __init__(self, *args, drafting: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not drafting:
            del self.fields["camera"]
        _drafts_may_be_incomplete(self, NEED)


class FactorsForm(FactorsMixin, forms.Form):
    def __init__(self, *args, factors: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_factor_fields(factors)
        _drafts_may_be_incomplete(self, [f"{key}_weight" for key in FACTORS])


class PrivacyImpactForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = list(PIA)
        widgets = {name: TEXTAREA for name in PIA if name != "residual_risk"}
        labels = {"residual_risk": "Overall residual risk to privacy"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _drafts_may_be_incomplete(self, PIA)


class ConsultationWaiverForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["consultation_waiver"]
        widgets = {"consultation_waiver": TEXTAREA}


def _drafts_may_be_incomplete(form: forms.BaseForm, names) -> None:
    # A draft is saved incomplete; completeness is checked on submission. So none of these is
    # marked "(optional)" either (templates/portal/field.html): each is needed in the end.
    for name in names:
        form.fields[name].required = False
    form.optional_unmarked = True  # type: ignore[attr-defined]


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


class DraftSection:
    """One section of a draft (models.SECTIONS) as its page holds it: its forms, bound to what was
    sent, and the changes a save of it makes. The other sections are left as they are."""

    def __init__(
        self, name: str, assessment: Assessment | None, data=None, camera: str | None = None
    ) -> None:
        self.name, self.heading = name, SECTIONS[name]
        self.forms: dict[str, forms.BaseForm | forms.BaseFormSet] = _section_forms(
            name, assessment, data, camera
        )

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms.values()])

    def changes(self) -> dict:
        """What a save of this section writes, as the services take it."""
        return _section_changes(self.name, self.forms)


def _section_forms(name: str, assessment: Assessment | None, data, camera: str | None) -> dict:
    if name == "need":
        drafting = assessment is None
        return {"form": NeedForm(data, instance=assessment, drafting=drafting, initial={"camera": camera})}
    assert assessment is not None  # only the need's section makes a new draft
    if name == "factors":
        return {"form": FactorsForm(data, factors=assessment.factors)}
    if name == "privacy":
        return {"form": PrivacyImpactForm(data, instance=assessment)}
    # The stubs type a ModelForm's _meta.fields per instance and as optional; here it is a list.
    if name == "risks":
        risks = assessment.risks.values(*RiskForm._meta.fields)  # type: ignore[misc]
        return {"risks": RiskFormSet(data, prefix="risks", initial=list(risks))}
    consultations = assessment.consultations.values(*ConsultationForm._meta.fields)  # type: ignore[misc]
    return {
        "consultations": ConsultationFormSet(data, prefix="consultations", initial=list(consultations)),
        "form": ConsultationWaiverForm(data, instance=assessment),
    }


def _section_changes(name: str, bound: dict) -> dict:
    if name == "factors":
        return {"factors": bound["form"].factors}
    if name == "risks":
        return {"risks": rows(bound["risks"])}
    changes = dict(bound["form"].cleaned_data)  # a new draft's camera too
    if name == "consultation":
        changes["consultations"] = rows(bound["consultations"])
    return changes


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
