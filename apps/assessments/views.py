"""Portal pages: assessments (list, draft section by section, submit, decide, print) and camera
reviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from apps.accounts.access import requires
from apps.cameras.disclosure import camera_as_disclosed, may_see_locations
from apps.cameras.models import Camera

from . import services
from .factors import FACTORS, WEIGHTS
from .forms import DecisionForm, DraftSection, ReviewForm
from .models import SECTIONS, Assessment
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
    """A new draft starts with its first section, the camera and the need."""
    draft = DraftSection("need", None, request.POST or None, camera=request.GET.get("camera"))
    if request.method == "POST" and draft.is_valid():
        try:
            assessment = services.assessment_create(author=request.user, **draft.changes())
        except ValidationError as invalid:
            _refused(request, draft, invalid)
        else:
            messages.success(
                request, f"Draft assessment #{assessment.pk} saved. Submit it when it is complete."
            )
            return _after_save(request, assessment, "need")
    return _section_page(request, draft, None)


@requires("assessments.add_assessment")
def assessment_edit(request, pk: int, section: str):
    """One section of a draft, saved on its own; the others are left as they are."""
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    if assessment.author_id != request.user.pk or assessment.status != Assessment.Status.DRAFT:
        raise PermissionDenied("Only the author changes an assessment, and only while it is a draft.")
    if section not in SECTIONS:
        raise Http404("No such section.")
    draft = DraftSection(section, assessment, request.POST or None)
    if request.method == "POST" and draft.is_valid():
        try:
            services.assessment_update(assessment=assessment, actor=request.user, **draft.changes())
        except ValidationError as invalid:
            _refused(request, draft, invalid)
        else:
            messages.success(request, f"{draft.heading}: saved.")
            return _after_save(request, assessment, section)
    return _section_page(request, draft, assessment)


@requires("assessments.view_assessment")
def assessment_detail(request, pk: int):
    assessment = get_object_or_404(assessments_visible_to(request.user), pk=pk)
    may_decide = (
        request.user.has_perm(services.APPROVE)
        and assessment.author_id != request.user.pk
        and assessment.status == Assessment.Status.SUBMITTED
    )
    decision = DecisionForm(request.POST or None) if may_decide else None
    # A decision without its reasons comes back to this page, with the error beside the field.
    unreasoned = (
        decision is not None
        and request.POST.get("action") in ("approve", "reject")
        and not decision.is_valid()
    )
    if request.method == "POST" and not unreasoned:
        return _act(request, assessment, decision)
    sections = _sections(assessment) if assessment.status == Assessment.Status.DRAFT else []
    context = _record_context(request, assessment) | {
        "decision": decision,
        "may_edit": assessment.author_id == request.user.pk and assessment.status == Assessment.Status.DRAFT,
        "sections": sections,
        "draft_complete": not any(missing for _, _, missing in sections),
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


def _section_page(request, draft: DraftSection, assessment: Assessment | None):
    context = {
        "draft": draft,
        "assessment": assessment,
        "number": list(SECTIONS).index(draft.name) + 1,
        "sections": _sections(assessment),
        **draft.forms,  # in the page's own order, for its error summary
    }
    return render(request, "assessments/section.html", context)


def _sections(assessment: Assessment | None) -> list[tuple[str, str, list[str]]]:
    """Each section of the draft: its name, heading and what it still lacks (nothing for a new one)."""
    missing = services.incomplete_sections(assessment) if assessment else {}
    return [(name, heading, missing.get(name, [])) for name, heading in SECTIONS.items()]


def _after_save(request, assessment: Assessment, section: str):
    """Saved: on to the next section ("Save and continue"), or this one again ("Save"); after the
    last, the draft's page, where it is submitted."""
    names = list(SECTIONS)
    if request.POST.get("then") == "stay":
        return redirect("assessments:edit", pk=assessment.pk, section=section)
    following = names[names.index(section) + 1 :]
    if following:
        return redirect("assessments:edit", pk=assessment.pk, section=following[0])
    return redirect("assessments:detail", pk=assessment.pk)


def _refused(request, draft: DraftSection, invalid: ValidationError) -> None:
    """A service's refusal of a section, on its form; a section of rows alone has none."""
    form = draft.forms.get("form")
    if isinstance(form, BaseForm):
        _add_errors(form, invalid)
    else:
        for message in invalid.messages:
            messages.error(request, message)


def _add_errors(form, invalid: ValidationError) -> None:
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid.messages)
