"""Portal pages: assessments (list, draft, edit, submit, decide, print) and camera reviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from apps.accounts.access import requires
from apps.cameras.disclosure import camera_as_disclosed, may_see_locations
from apps.cameras.models import Camera

from . import services
from .factors import FACTORS, WEIGHTS
from .forms import (
    AssessmentForm,
    ConsultationForm,
    ConsultationFormSet,
    DecisionForm,
    ReviewForm,
    RiskForm,
    RiskFormSet,
    rows,
)
from .models import Assessment
from .selectors import approved_assessment_for, assessments_visible_to, awaiting_decision, reviews_due


@requires("assessments.view_assessment")
def assessment_list(request):
    assessments = assessments_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Assessment.Status.values:
        assessments = assessments.filter(status=status)
    return render(
        request,
        "assessments/list.html",
        {
            "assessments": assessments[:200],
            "awaiting": awaiting_decision(request.user),
            "statuses": Assessment.Status.choices,
            "status": status,
        },
    )


@requires("assessments.add_assessment")
def assessment_create(request):
    form = AssessmentForm(request.POST or None, initial={"camera": request.GET.get("camera")})

    def save(draft: dict) -> Assessment:
        assessment = services.assessment_create(
            camera=form.cleaned_data["camera"], author=request.user, **draft
        )
        messages.success(request, f"Draft assessment #{assessment.pk} saved. Submit it when it is complete.")
        return assessment

    return _draft_page(
        request,
        form,
        RiskFormSet(request.POST or None, prefix="risks"),
        ConsultationFormSet(request.POST or None, prefix="consultations"),
        None,
        save,
    )


@requires("assessments.add_assessment")
def assessment_edit(request, pk: int):
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    if assessment.author_id != request.user.pk or assessment.status != Assessment.Status.DRAFT:
        raise PermissionDenied("Only the author changes an assessment, and only while it is a draft.")

    def save(draft: dict) -> Assessment:
        services.assessment_update(assessment=assessment, actor=request.user, **draft)
        messages.success(request, "Draft saved.")
        return assessment

    # The stubs type a ModelForm's _meta.fields per instance and as optional; here it is a list.
    risks = assessment.risks.values(*RiskForm._meta.fields)  # type: ignore[misc]
    consultations = assessment.consultations.values(*ConsultationForm._meta.fields)  # type: ignore[misc]
    return _draft_page(
        request,
        AssessmentForm(request.POST or None, instance=assessment, editing=True),
        RiskFormSet(request.POST or None, prefix="risks", initial=list(risks)),
        ConsultationFormSet(request.POST or None, prefix="consultations", initial=list(consultations)),
        assessment,
        save,
    )


@requires("assessments.view_assessment")
def assessment_detail(request, pk: int):
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    may_decide = (
        request.user.has_perm(services.APPROVE)
        and assessment.author_id != request.user.pk
        and assessment.status == Assessment.Status.SUBMITTED
    )
    decision = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        return _act(request, assessment, decision)
    context = _record_context(request, assessment) | {
        "decision": decision,
        "may_edit": assessment.author_id == request.user.pk and assessment.status == Assessment.Status.DRAFT,
        "missing": services.incomplete(assessment) if assessment.status == Assessment.Status.DRAFT else [],
    }
    return render(request, "assessments/detail.html", context)


@requires("assessments.view_assessment")
def assessment_print(request, pk: int):
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    return render(request, "assessments/print.html", _record_context(request, assessment))


@requires("assessments.add_review")
def review_list(request):
    today = timezone.localdate()
    return render(request, "assessments/reviews.html", {"cameras": reviews_due(today), "today": today})


@requires("assessments.add_review")
def review_create(request, code: str):
    camera = get_object_or_404(Camera.objects.all(), code=code)
    current = approved_assessment_for(camera)
    form = ReviewForm(request.POST or None, factors=current.factors if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_record(
                camera=camera,
                reviewer=request.user,
                factors=form.factors,
                privacy_impact=form.cleaned_data["privacy_impact"],
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, f"Review recorded: {review.get_outcome_display().lower()}.")
            return redirect("assessments:reviews")
    return render(
        request,
        "assessments/review_form.html",
        {
            "camera": camera,
            "shown": camera_as_disclosed(camera, request.user),
            "current": current,
            "form": form,
        },
    )


def _act(request, assessment: Assessment, decision: DecisionForm | None):
    action = request.POST.get("action")
    try:
        if action == "submit":
            services.assessment_submit(assessment=assessment, actor=request.user)
            messages.success(request, "Submitted for decision.")
        elif action in ("approve", "reject") and decision is not None:
            if not decision.is_valid():
                raise ValidationError("Give the reasons for the decision.")
            decide = services.assessment_approve if action == "approve" else services.assessment_reject
            with transaction.atomic():
                decide(assessment=assessment, approver=request.user, reason=decision.cleaned_data["reason"])
            messages.success(request, f"Assessment {action}d.")
        else:
            raise PermissionDenied("You may not do that to this assessment.")
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
    return redirect("assessments:detail", pk=assessment.pk)


def _record_context(request, assessment: Assessment) -> dict:
    factors = [
        (
            label,
            assessment.factors.get(key, {}),
            WEIGHTS.get(assessment.factors.get(key, {}).get("weight"), "—"),
        )
        for key, label in FACTORS.items()
    ]
    return {
        "assessment": assessment,
        # Camera positions follow the registry's disclosure rule (approvers may not hold it).
        "camera": camera_as_disclosed(assessment.camera, request.user),
        "site": (assessment.latitude, assessment.longitude) if may_see_locations(request.user) else None,
        "factors": factors,
        "risks": assessment.risks.all(),
        "consultations": assessment.consultations.all(),
        "reviews": assessment.reviews.select_related("reviewer"),
    }


def _draft_page(request, form, risks, consultations, assessment, save):
    """The draft form (new or edited): on a valid POST, `save` the draft and show its page."""
    if request.method == "POST" and _all_valid(form, risks, consultations):
        draft = {k: v for k, v in form.cleaned_data.items() if k in services.FIELDS}
        draft |= {"factors": form.factors, "risks": rows(risks), "consultations": rows(consultations)}
        try:
            saved = save(draft)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            return redirect("assessments:detail", pk=saved.pk)
    context = {"form": form, "risks": risks, "consultations": consultations, "assessment": assessment}
    return render(request, "assessments/form.html", context)


def _all_valid(*forms) -> bool:
    return all([form.is_valid() for form in forms])


def _add_errors(form, invalid: ValidationError) -> None:
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)
