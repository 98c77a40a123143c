"""Portal pages: hotlists and their entries, CSV import, the live alert desk, historic hits and
cloned-plate suspicions, one alert with its read's images and place (and its suspicion's review)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from anpr_site.body_limits import body_limit
from apps.accounts.access import requires
from apps.audit.models import SearchAudit
from apps.cameras.disclosure import camera_as_disclosed, where_read_was_taken
from apps.reads.access_window import OutsideAccessWindow
from apps.reads.evidence import content_type, open_image
from apps.reads.models import Read
from apps.reads.selectors import SearchNotRecorded, SearchThrottled

from . import services
from .filters import AlertFilter
from .forms import ClonedPlateReviewForm, EntryForm, HotlistForm, ImportForm, OutcomeForm
from .imports import ImportRejected, checked_rows
from .models import Alert, Hotlist
from .selectors import (
    CLONED,
    DESK,
    HISTORIC,
    alert_open,
    alert_read,
    alert_read_search,
    alerts_listed,
    alerts_visible_to,
    cloned_plate_of,
    cloned_plates_visible_to,
    desk_alerts,
    entries_of,
    historic_hits,
    hotlists_visible_to,
    may_manage_entries,
    may_review,
)

DESK_PAGE = 50  # alerts a page: the desk's first page is what every officer on duty watches


@requires("hotlists.view_hotlist")
def hotlist_list(request):
    return render(request, "hotlists/hotlist_list.html", {"hotlists": hotlists_visible_to(request.user)})


@requires("hotlists.add_hotlist")
def hotlist_create(request):
    form = HotlistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hotlist = services.hotlist_create(actor=request.user, **form.cleaned_data)
        messages.success(request, f"Hotlist {hotlist.name} created.")
        return redirect("hotlists:detail", pk=hotlist.pk)
    return render(request, "hotlists/hotlist_form.html", {"form": form})


@requires("hotlists.change_hotlist")
def hotlist_edit(request, pk: int):
    hotlist = get_object_or_404(hotlists_visible_to(request.user), pk=pk)
    form = HotlistForm(request.POST or None, instance=hotlist)
    if request.method == "POST" and form.is_valid():
        services.hotlist_update(hotlist=Hotlist.objects.get(pk=pk), **form.cleaned_data)
        messages.success(request, "Hotlist saved.")
        return redirect("hotlists:detail", pk=pk)
    return render(request, "hotlists/hotlist_form.html", {"form": form, "hotlist": hotlist})


@requires("hotlists.view_hotlist")
def hotlist_detail(request, pk: int):
    hotlist = get_object_or_404(hotlists_visible_to(request.user), pk=pk)
    manage = may_manage_entries(request.user, hotlist)
    entry_form = EntryForm(request.POST or None) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied("Only administrators and the list's owners change its entries.")
        assert entry_form is not None  # made for those who manage the list
        if entry_form.is_valid():
            if hotlist.entries.filter(vrm=entry_form.cleaned_data["vrm"]).exists():
                entry_form.add_error("vrm", "That plate is already on this list.")
            else:
                services.entry_create(hotlist=hotlist, actor=request.user, **entry_form.cleaned_data)
                messages.success(request, f"{entry_form.cleaned_data['vrm']} added.")
                return redirect("hotlists:detail", pk=pk)
    vrm = request.GET.get("vrm", "").strip()
    page = Paginator(entries_of(hotlist, vrm=vrm), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "hotlists/hotlist_detail.html",
        {
            "hotlist": hotlist,
            "page": page,
            "manage": manage,
            "entry_form": entry_form,
            "import_form": ImportForm() if manage else None,
            "vrm": vrm,
            "query": f"vrm={vrm}" if vrm else "",
        },
    )


@requires("hotlists.view_hotlist")
@body_limit("HOTLIST_IMPORT_MAX_BYTES")
def hotlist_import(request, pk: int):
    hotlist = get_object_or_404(hotlists_visible_to(request.user), pk=pk)
    if not may_manage_entries(request.user, hotlist):
        raise PermissionDenied("Only administrators and the list's owners change its entries.")
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"hotlist": hotlist, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            rows = checked_rows(form.cleaned_data["file"])
        except ImportRejected as rejected:
            context["problems"] = rejected.problems[:500]
            context["problem_count"] = len(rejected.problems)
        else:
            result = services.entries_import(
                hotlist=hotlist, rows=rows, replace=form.cleaned_data["mode"] == "replace", actor=request.user
            )
            messages.success(
                request,
                f"Imported: {result.added} added, {result.updated} updated, {result.removed} removed, "
                f"{result.unchanged} unchanged.",
            )
            return redirect("hotlists:detail", pk=pk)
    return render(request, "hotlists/import.html", context)


@requires("hotlists.view_hotlist")
def entry_edit(request, pk: int, entry_pk: int):
    hotlist = get_object_or_404(hotlists_visible_to(request.user), pk=pk)
    if not may_manage_entries(request.user, hotlist):
        raise PermissionDenied("Only administrators and the list's owners change its entries.")
    entry = get_object_or_404(hotlist.entries, pk=entry_pk)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and "delete" in request.POST:
        services.entry_delete(entry=entry)
        messages.success(request, f"{entry.vrm} removed.")
        return redirect("hotlists:detail", pk=pk)
    if request.method == "POST" and form.is_valid():
        services.entry_update(entry=get_object_or_404(hotlist.entries, pk=entry_pk), **form.cleaned_data)
        messages.success(request, "Entry saved.")
        return redirect("hotlists:detail", pk=pk)
    return render(request, "hotlists/entry_form.html", {"hotlist": hotlist, "entry": entry, "form": form})


@requires("hotlists.view_alert")
def alert_list(request):
    """The live desk, most recently seen first; its first page takes new alerts as they are
    raised (those its filters would list), later pages stay as they are."""
    return _alert_page(request, desk_alerts(request.user), DESK, "hotlists/alert_list.html")


@requires("hotlists.view_alert")
def historic_alerts(request):
    return _alert_page(request, historic_hits(request.user), HISTORIC, "hotlists/historic_alerts.html")


@requires("hotlists.view_alert")
def alert_detail(request, pk: int):
    form = OutcomeForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("hotlists.change_alert"):
            raise PermissionDenied("You may not record outcomes.")
        # Nothing of the alert leaves on these redirects: the page they lead to is audited.
        alert = get_object_or_404(alerts_visible_to(request.user), pk=pk)
        if "acknowledge" in request.POST:
            services.alert_acknowledge(alert=alert, actor=request.user)
            return redirect("hotlists:alert_detail", pk=pk)
        if form.is_valid():
            services.alert_record_outcome(
                alert=alert,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
            messages.success(request, "Outcome recorded.")
            return redirect("hotlists:alert_detail", pk=pk)
    try:
        alert = alert_open(request.user, alert_id=pk, via="portal")
    except Alert.DoesNotExist as missing:
        raise Http404("No such alert.") from missing
    except SearchNotRecorded as failure:
        return _not_recorded(failure)
    cloned = cloned_plate_of(request.user, alert)
    context = {
        "alert": alert,
        "form": form,
        "camera": camera_as_disclosed(alert.camera, request.user),
        "cloned": cloned,
        "review_form": ClonedPlateReviewForm() if cloned and may_review(request.user, cloned) else None,
    }
    try:  # the page stands without its read: the alert itself holds what an officer acts on
        read = alert_read(request.user, alert=alert, kind=SearchAudit.Kind.VIEW, via="portal")
    except Read.DoesNotExist:
        context["read_missing"] = "The read is no longer held."
    except (SearchThrottled, SearchNotRecorded) as refused:
        context["read_missing"] = str(refused)
    else:
        context |= {"read": read, "position": where_read_was_taken(read)}
    return render(request, "hotlists/alert_detail.html", context)


@requires("hotlists.view_alert")
def cloned_plates(request):
    """Hits whose plate was read shortly before too far away for the time (possible cloned
    plates), those not yet reviewed first; each look is audited, as historic hits are."""
    suspicions = cloned_plates_visible_to(request.user)
    page = Paginator(suspicions, DESK_PAGE).get_page(request.GET.get("page"))
    try:
        alerts_listed(
            request.user,
            alerts=[suspicion.alert for suspicion in page.object_list],
            listing=CLONED,
            further={"page": page.number},
            via="portal",
        )
    except SearchNotRecorded as failure:
        return _not_recorded(failure)
    return render(
        request,
        "hotlists/cloned_plates.html",
        {"page": page, "window_days": settings.READ_ACCESS_STANDARD_DAYS, "query": ""},
    )


@requires("hotlists.view_alert", "hotlists.change_alert")
@require_POST
def cloned_plate_review(request, pk: int):
    """A list owner records what they found of the suspicion alert `pk` raised."""
    suspicion = get_object_or_404(cloned_plates_visible_to(request.user), alert_id=pk)
    if not may_review(request.user, suspicion):
        raise PermissionDenied("Only the list's owners review its possible cloned plates.")
    form = ClonedPlateReviewForm(request.POST)
    if form.is_valid():
        services.cloned_plate_review(
            suspicion=suspicion,
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
            actor=request.user,
        )
        messages.success(request, "Review recorded.")
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    # Nothing of the suspicion leaves on this redirect: the alert's page it leads to is audited.
    return redirect("hotlists:alert_detail", pk=pk)


@requires("hotlists.view_alert")
def alert_overview(request, pk: int):
    """The overview image of the alert's read, opened under the alert (audited as an image)."""
    alert = get_object_or_404(alerts_visible_to(request.user), pk=pk)
    try:
        read = alert_read(request.user, alert=alert, kind=SearchAudit.Kind.IMAGE, via="portal")
    except Read.DoesNotExist as missing:
        raise Http404("The read is no longer held.") from missing
    except (SearchThrottled, SearchNotRecorded) as refused:
        return _not_recorded(refused)
    if not read.overview_image:
        raise Http404("No overview image.")
    return FileResponse(open_image(read.overview_image), content_type=content_type(read.overview_image))


@requires("hotlists.view_alert", "reads.view_read")
@require_POST
def alert_read_open(request, pk: int):
    """The alert's read on its own page: a search for exactly that read, under the alert's
    reference, whose results it then belongs to (its page, images and links as from any search)."""
    alert = get_object_or_404(alerts_visible_to(request.user), pk=pk)
    try:
        result = alert_read_search(request.user, alert=alert, via="portal")
        read = result.reads.get(id=alert.read_id)
    except Read.DoesNotExist:
        messages.error(request, "The read is no longer held.")
    except (SearchThrottled, SearchNotRecorded, OutsideAccessWindow) as refused:
        messages.error(request, str(refused))
    except ValidationError as refused:
        reason = " ".join(refused.messages)
        messages.error(request, f"The read cannot be opened from here; search for it. {reason}")
    else:
        address = reverse("reads:detail", args=[read.day, read.id])
        return redirect(f"{address}?{urlencode({'search': result.audit.pk})}")
    return redirect("hotlists:alert_detail", pk=pk)


@requires("hotlists.view_alert")
def alert_plate(request, pk: int):
    # Within the window like the alert. A patch on the desk's first page is not audited on its
    # own (the desk shows each beside its plate, as the unaudited first page does); any other
    # alert's patch is an opening of that alert, audited first, or ids could be walked.
    on_desk = desk_alerts(request.user).values_list("pk", flat=True)[:DESK_PAGE]
    if pk in set(on_desk):
        alert = get_object_or_404(alerts_visible_to(request.user), pk=pk)
    else:
        try:
            alert = alert_open(request.user, alert_id=pk, via="portal")
        except Alert.DoesNotExist as missing:
            raise Http404("No such alert.") from missing
        except SearchNotRecorded as failure:
            return _not_recorded(failure)
    if not alert.plate_image:
        raise Http404("No plate patch.")
    return FileResponse(open_image(alert.plate_image), content_type=content_type(alert.plate_image))


def _alert_page(request, alerts, listing: str, template: str):
    filters = AlertFilter(request.GET, queryset=alerts, request=request)
    context = {
        "filters": filters,
        "window_days": settings.READ_ACCESS_STANDARD_DAYS,
        "live_max_age": settings.ALERT_LIVE_MAX_AGE_MINUTES,
    }
    if not filters.is_valid():
        return render(request, template, context | {"page": None}, status=400)
    page = Paginator(filters.qs, DESK_PAGE).get_page(request.GET.get("page"))
    further = filters.criteria | ({"page": page.number} if page.number > 1 else {})
    try:
        alerts_listed(
            request.user, alerts=list(page.object_list), listing=listing, further=further, via="portal"
        )
    except SearchNotRecorded as failure:
        return _not_recorded(failure)
    return render(
        request,
        template,
        context
        | {
            "page": page,
            "query": filters.query,
            "filtered": bool(filters.criteria),
            "live": listing == DESK and page.number == 1,  # new alerts join the first page only
        },
    )


def _not_recorded(failure: Exception) -> HttpResponse:
    """Nothing shown: the audit row could not be written (503), or the hour's allowance is spent (429)."""
    if isinstance(failure, SearchThrottled):
        response = HttpResponse(str(failure), status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(failure.retry_after)
        return response
    return HttpResponse(str(failure), status=503, content_type="text/plain; charset=utf-8")
