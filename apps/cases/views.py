"""Portal pages of case folders: the list, a new folder, a folder opened (audited) with its sharing,
a read filed from its page, a search filed from its results, a read's images and the evidential
export."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from apps.accounts.access import requires
from apps.audit.models import SearchAudit
from apps.reads.evidence import content_type, open_image
from apps.reads.models import Read
from apps.reads.refusals import refused_plainly
from apps.reads.selectors import SearchNotRecorded, SearchThrottled

from . import services
from .access import cases_visible_to
from .evidential_export import IMAGES, case_export
from .forms import CaseForm, FileReadForm, FileSearchForm, ShareForm
from .models import Case
from .package_seal import PackageTooLarge
from .selectors import case_for, case_members, case_opened, case_read

FOLDERS = ("cases.view_case", "reads.view_read")
REFUSED = (SearchThrottled, SearchNotRecorded)


@requires(*FOLDERS)
def case_list(request):
    """The folders this person may open: their own and those shared with them."""
    return render(request, "cases/list.html", {"cases": cases_visible_to(request.user)})


@requires("cases.add_case", *FOLDERS)
def case_create(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(owner=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(
                request, f"Case folder {case.reference} opened. File reads in it from their pages."
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/create.html", {"form": form}, status=400 if form.errors else 200)


@requires(*FOLDERS)
def case_detail(request, pk: int):
    """The folder opened: recorded in the audit trail before its reads are shown, each read only
    inside the viewer's own access window."""
    return _folder_page(request, _case_or_404(request, pk))


@requires(*FOLDERS)
@require_POST
def case_share(request, pk: int):
    """The owner names a colleague who may open the folder, or ends that."""
    case = _case_or_404(request, pk)
    if case.owner_id != request.user.pk:
        raise PermissionDenied("Only the folder's owner names who may open it.")
    form = ShareForm(request.POST)
    if form.is_valid():
        username = form.cleaned_data["username"]
        share = services.case_unshare if "unshare" in request.POST else services.case_share
        try:
            colleague = share(case=case, owner=request.user, username=username)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            done = "may no longer open" if "unshare" in request.POST else "may now open"
            messages.success(request, f"{colleague.get_username()} {done} this folder.")
            return redirect("cases:detail", pk=case.pk)
    return _folder_page(request, case, share_form=form, status=400)


@requires(*FOLDERS)
@require_POST
def file_read(request):
    """File a read, from its page, in a folder of one's own or shared with one, or in a new one."""
    form = FileReadForm(request.POST)
    if not form.is_valid():
        return _back_to_read(request, form, " ".join(_messages(form.errors)))
    data = form.cleaned_data
    read = {"search_id": data["search"], "day": data["day"], "read_id": data["read"], "note": data["note"]}
    try:
        if data["case"]:
            item = services.case_read_file(
                case=_case_or_404(request, data["case"]), actor=request.user, **read
            )
        else:
            item = services.case_start_with_read(owner=request.user, title=data["title"], **read)
    except (Case.DoesNotExist, Read.DoesNotExist, SearchAudit.DoesNotExist, PermissionDenied) as missing:
        raise Http404("No such read in your searches, or no such case folder of yours.") from missing
    except REFUSED as refused:
        return refused_plainly(refused)
    except ValidationError as invalid:
        return _back_to_read(request, form, " ".join(invalid.messages))
    messages.success(request, f"Read filed in case folder {item.case.reference}.")
    return redirect("cases:detail", pk=item.case_id)


@requires(*FOLDERS)
@require_POST
def file_search(request):
    """File one's own search, from its results, in a folder of one's own or shared with one."""
    form = FileSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The search was not filed. {' '.join(_messages(form.errors))}")
        return redirect("reads:search")
    data = form.cleaned_data
    try:
        filed = services.case_search_file(
            case=_case_or_404(request, data["case"]),
            actor=request.user,
            search_id=data["search"],
            note=data["note"],
        )
    except (Case.DoesNotExist, SearchAudit.DoesNotExist) as missing:
        raise Http404("No such search of yours, or no such case folder of yours.") from missing
    except ValidationError as invalid:
        messages.error(request, f"The search was not filed. {' '.join(invalid.messages)}")
        return redirect("cases:detail", pk=data["case"])
    messages.success(request, f"Search filed in case folder {filed.case.reference}.")
    return redirect("cases:detail", pk=filed.case_id)


@requires(*FOLDERS)
def case_image(request, pk: int, item_id: int, kind: str):
    """A filed read's plate patch or overview, opened under the folder (audited as an image)."""
    if kind not in IMAGES:
        raise Http404("No such image.")
    case = _case_or_404(request, pk)
    try:
        read = case_read(request.user, case, item_id=item_id, kind=SearchAudit.Kind.IMAGE)
    except Read.DoesNotExist as missing:
        raise Http404("No such read in this folder that you may see.") from missing
    except REFUSED as refused:
        return refused_plainly(refused)
    name = getattr(read, IMAGES[kind])
    if not name:
        raise Http404("No such image.")
    return FileResponse(open_image(name), content_type=content_type(name))


@requires("reads.export_read", *FOLDERS)
@require_POST
def export(request, pk: int):
    """The folder as an evidential package (a sealed ZIP), recorded before it is made and sent."""
    case = _case_or_404(request, pk)
    try:
        package = case_export(request.user, case)
    except REFUSED as refused:
        return refused_plainly(refused)
    except PackageTooLarge as too_large:
        messages.error(request, str(too_large))
        return redirect("cases:detail", pk=case.pk)
    return FileResponse(
        package.file, as_attachment=True, filename=package.name, content_type="application/zip"
    )


def _case_or_404(request, pk: int) -> Case:
    try:
        return case_for(request.user, pk)
    except Case.DoesNotExist as missing:
        raise Http404("No such case folder of yours.") from missing


def _folder_page(request, case: Case, *, share_form: ShareForm | None = None, status: int = 200):
    try:
        opened = case_opened(request.user, case)
    except REFUSED as refused:
        return refused_plainly(refused)
    owner = case.owner_id == request.user.pk
    context = {
        "case": case,
        "opened": opened,
        "members": case_members(case),
        "is_owner": owner,
        "share_form": (share_form or ShareForm()) if owner else None,
        "may_export": request.user.has_perm("reads.export_read"),
    }
    return render(request, "cases/detail.html", context, status=status)


def _back_to_read(request, form: FileReadForm, why: str):
    """Nothing filed: back to the read's page (opened again under its search), saying why."""
    messages.error(request, f"The read was not filed. {why}")
    search, day, read = (form.data.get(name, "") for name in ("search", "day", "read"))
    try:
        address = reverse("reads:detail", args=[day, int(read)])
    except (ValueError, TypeError, NoReverseMatch):  # not sent from a read's page
        return redirect("cases:list")
    return redirect(f"{address}?{urlencode({'search': search})}")


def _add_errors(form, invalid: ValidationError) -> None:
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _messages(errors) -> list[str]:
    return [message for field_errors in errors.values() for message in field_errors]
