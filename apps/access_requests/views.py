"""Portal pages: my requests, filing one, a request's page, the supervisor's queue and the
approvals they granted, the report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.access import requires

from . import services
from .forms import DecisionForm, FileForm, RevokeForm
from .selectors import (
    approvals_granted,
    extended_use_report,
    pending_queue,
    requests_visible_to,
    searches_under,
)


@requires("access_requests.add_accessrequest")
def my_requests(request):
    mine = requests_visible_to(request.user).filter(requester=request.user)
    return render(request, "access_requests/my_requests.html", {"requests": mine})


@requires("access_requests.add_accessrequest")
def file_request(request):
    form = FileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.request_file(requester=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Request #{filed.pk} filed. A supervisor will decide it.")
            return redirect("access_requests:detail", pk=filed.pk)
    return render(request, "access_requests/file.html", {"form": form})


@requires("access_requests.view_accessrequest")
def detail(request, pk: int):
    access_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    if access_request.requester_id == request.user.pk and not access_request.requester_informed:
        services.request_mark_seen(access_request=access_request)
    can_decide = (
        request.user.has_perm("access_requests.decide_accessrequest")
        and access_request.requester_id != request.user.pk
    )
    decision_form = DecisionForm(request.POST or None) if can_decide else None
    revoke_form = RevokeForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("Only a supervisor other than the requester decides a request.")
        assert revoke_form is not None and decision_form is not None  # made for those who decide
        try:
            if "revoke" in request.POST and revoke_form.is_valid():
                services.request_revoke(
                    access_request=access_request,
                    supervisor=request.user,
                    reason=revoke_form.cleaned_data["reason"],
                )
                messages.success(request, "Access revoked.")
                return redirect("access_requests:detail", pk=pk)
            if "revoke" not in request.POST and decision_form.is_valid():
                data = decision_form.cleaned_data
                if data["decision"] == "approve":
                    services.request_approve(
                        access_request=access_request,
                        approver=request.user,
                        reason=data["reason"],
                        days=data["days"],
                        vrms=data["vrms"],
                    )
                else:
                    services.request_refuse(
                        access_request=access_request, approver=request.user, reason=data["reason"]
                    )
                messages.success(request, "Decision recorded; the requester will see it in the portal.")
                return redirect("access_requests:detail", pk=pk)
        except ValidationError as invalid:
            messages.error(request, " ".join(invalid.messages))
    return render(
        request,
        "access_requests/detail.html",
        {
            "access_request": access_request,
            "events": access_request.events.all(),
            "searches": searches_under(access_request)[:200],
            "decision_form": decision_form,
            "revoke_form": revoke_form,
            "can_decide": can_decide,
        },
    )


@requires("access_requests.decide_accessrequest")
def queue(request):
    return render(request, "access_requests/queue.html", {"requests": pending_queue(request.user)})


@requires("access_requests.decide_accessrequest")
def granted(request):
    """The approvals this supervisor granted that are still in force, each with a revoke form."""
    approvals = approvals_granted(request.user, now=timezone.now())
    return render(request, "access_requests/granted.html", {"approvals": approvals})


@requires("access_requests.decide_accessrequest")
@require_POST
def revoke_granted(request, pk: int):
    """Revoke one of the approvals on that list: only one this supervisor granted, still in force
    (any other is answered as missing; a request's own page is where others are revoked)."""
    access_request = get_object_or_404(approvals_granted(request.user, now=timezone.now()), pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Say why you revoke request #{pk}: nothing was revoked.")
        return redirect("access_requests:granted")
    try:
        services.request_revoke(
            access_request=access_request, supervisor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as invalid:  # it ended or was revoked since the list was shown
        messages.error(request, f"Request #{pk}: {' '.join(invalid.messages)}")
    else:
        messages.success(request, f"Request #{pk} revoked: the access it gave ended now.")
    return redirect("access_requests:granted")


@requires("access_requests.report_accessrequest")
def report(request):
    return render(request, "access_requests/report.html", extended_use_report())
