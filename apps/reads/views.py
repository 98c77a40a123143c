"""Portal pages over the read store: search, one read, its images, export, vehicle history, convoy,
back-load."""

import csv
import io
import re
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from anpr_site.body_limits import body_limit
from apps.accounts.access import requires
from apps.audit.models import SearchAudit
from apps.cameras.disclosure import camera_as_disclosed, where_read_was_taken
from apps.core.colours import colour_label
from apps.core.plates import is_pattern
from apps.core.spreadsheets import safe_row
from apps.core.times import iso_local, shown

from .access_window import (
    AccessRequestNotUsable,
    OutsideAccessRequest,
    OutsideAccessWindow,
    access_request_choices,
)
from .back_load import BackLoadRejected, read_csv_upload
from .convoy import ConvoyTooCostly, described
from .evidence import IMAGES, content_type, open_image
from .filters import SCENE_CRITERIA, ConvoyFilter, HistoryFilter, ReadFilter, SearchPurposeForm, scene_filters
from .forms import BackLoadForm, ScenesPageForm
from .hooks import read_alerts, read_page_panels, search_page_panels
from .models import Read
from .paging import FROM, NEWEST, SORTS, Cursor, Page, keyset_page
from .refusals import refused_plainly as _refused_plain
from .scenes import MAX_SCENES, at_least_from
from .scenes import described as described_at_scenes
from .selectors import (
    SearchNotRecorded,
    SearchResult,
    SearchThrottled,
    convoy_search,
    history_search,
    read_from_search,
    reads_search,
    scenes_search,
    search_page,
    search_rerun,
)
from .services import BatchRejected, reads_ingest

PAGE_SIZE = 50
EXPORT_HEADER = [
    "Seen at",
    "Plate",
    "Plate as read",
    "Confidence",
    "Camera",
    "Area",
    "Direction",
    "Lane",
    "Source",
    "Read page",
    "Plate patch",
    "Overview image",
    "Latitude",
    "Longitude",
    "Colour",
]
# A search refused: outside the window, an unusable access request, too many, or not recorded.
REFUSALS = (OutsideAccessWindow, AccessRequestNotUsable, SearchThrottled, SearchNotRecorded)


@requires("reads.view_read")
def search(request):
    """The search form, and once searched the results above it. Criteria are posted, never put
    in the address (which browsers keep and servers log); the answer is the first page of
    results, audited before it is shown."""
    if request.method == "POST" and "search" in request.POST:
        return _search_page(request)
    if request.method == "POST" and "prefill" in request.POST:
        return _prefilled(request)
    filters = ReadFilter(request.POST or None)
    purpose = _purpose_form(request)
    context = {"filters": filters, "purpose": purpose, "tile_url": settings.MAP_TILE_URL}
    if request.method == "POST" and filters.is_valid() & purpose.is_valid():
        try:
            result = _search(request, filters, purpose, kind=SearchAudit.Kind.SEARCH)
        except OutsideAccessRequest as outside:
            return _outside_request(request, "reads/search.html", context, outside)
        except REFUSALS as refused:
            return _refused(request, "reads/search.html", context, refused)
        context |= _results(request, result, keyset_page(result.reads, size=PAGE_SIZE))
    return render(request, "reads/search.html", context, status=_status(request, filters, purpose))


def _prefilled(request):
    """The form filled in from another page (a video job's camera and time span), nothing searched:
    the officer states the purpose first."""
    given = {name: request.POST[name] for name in ReadFilter.base_filters if request.POST.get(name)}
    filters = ReadFilter()
    filters.form.initial = given
    purpose = _purpose_form(request, initial={"reference": request.POST.get("reference", "")})
    context = {"filters": filters, "purpose": purpose, "tile_url": settings.MAP_TILE_URL}
    return render(request, "reads/search.html", context)


def _search_page(request):
    """A page of an earlier search of the user's, either way and in the order asked, as it stood
    when made: part of that search, whose audit record covers it."""
    try:
        page, result = search_page(
            request.user,
            search_id=int(request.POST["search"]),
            size=PAGE_SIZE,
            sort=request.POST.get("sort", NEWEST),
            cursor=Cursor.parse(request.POST.get("page")),
        )
    except (ValueError, SearchAudit.DoesNotExist, PermissionDenied) as gone:
        raise Http404("That search is not one of yours to continue; search again.") from gone
    except (SearchThrottled, SearchNotRecorded) as refused:
        return _refused_plain(refused)
    audit = result.audit
    shown = {
        "purpose": audit.purpose,
        "purpose_detail": audit.purpose_detail or "",
        "reference": audit.reference,
        "access_request": audit.access_request_id,
    }
    context = {
        "filters": ReadFilter(audit.filters),
        "purpose": _purpose_form(request, initial=shown),
        "tile_url": settings.MAP_TILE_URL,
    }
    return render(request, "reads/search.html", context | _results(request, result, page))


@requires("reads.view_read")
def read_detail(request, day: date, read_id: int):
    """One read of the user's search (audited), with the way back to that search's results (from
    this read on, in the order they were sorted), to the vehicle's history and to its alerts, and
    what other apps offer on it (read_page_panels: filing it in a case folder)."""
    try:
        read, search_audit = _read_or_404(request, day, read_id, kind=SearchAudit.Kind.VIEW)
    except (SearchThrottled, SearchNotRecorded) as refused:
        return _refused_plain(refused)
    sort = request.GET.get("sort", NEWEST)
    return render(
        request,
        "reads/read_detail.html",
        {
            "read": read,
            "camera": camera_as_disclosed(read.camera, request.user),
            "search": search_audit,
            "position": where_read_was_taken(read),
            "results_from_here": Cursor.at(read, sort=sort if sort in SORTS else NEWEST, way=FROM),
            "alerts": read_alerts.of(request.user, read),
            "panels": read_page_panels.of(request.user, read, search_audit),
        },
    )


@requires("reads.view_read")
def read_image(request, day: date, read_id: int, kind: str):
    if kind not in IMAGES:
        raise Http404("No such image.")
    try:
        read, _ = _read_or_404(request, day, read_id, kind=SearchAudit.Kind.IMAGE)
    except (SearchThrottled, SearchNotRecorded) as refused:
        return _refused_plain(refused)
    name = getattr(read, IMAGES[kind])
    if not name:
        raise Http404("No such image.")
    return FileResponse(open_image(name), content_type=content_type(name))


@requires("reads.view_read", "reads.export_read")
@require_POST
def export(request):
    """An earlier search's results as CSV, up to READ_EXPORT_MAX_ROWS rows, audited as an export
    with the number of rows it holds."""
    try:
        result = search_rerun(
            request.user,
            search_id=int(request.POST.get("search", "")),
            kind=SearchAudit.Kind.EXPORT,
            count_cap=settings.READ_EXPORT_MAX_ROWS,
        )
    except (ValueError, SearchAudit.DoesNotExist) as gone:
        raise Http404("That search is not one of yours to export; search again.") from gone
    except (SearchThrottled, SearchNotRecorded) as refused:
        return _refused_plain(refused)
    except (OutsideAccessWindow, AccessRequestNotUsable) as refused:
        raise PermissionDenied(str(refused)) from refused
    except OutsideAccessRequest as refused:  # the request's period moved on since the search
        raise PermissionDenied(" ".join(refused.messages)) from refused
    rows = _export_rows(result.reads[: result.audit.result_count], result.audit)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_name(result.audit)}"'
    return response


def export_name(audit: SearchAudit) -> str:
    """What the file holds and when it was made: reads-search-CR-1234-26-2026-12-04T1005.csv."""
    reference = re.sub(r"[^A-Za-z0-9]+", "-", audit.reference).strip("-") or "no-reference"
    return f"reads-search-{reference}-{timezone.localtime(audit.at):%Y-%m-%dT%H%M}.csv"


@requires("reads.view_read")
def vehicle_history(request):
    """Every permitted read of one exact plate, as a timeline and on the map joined in time order,
    and its journey: the distance, time and speed from each read to the next, implausible jumps
    (a possible cloned plate) marked."""
    filters = HistoryFilter(request.POST or None)
    purpose = _purpose_form(request)
    context = {"filters": filters, "purpose": purpose}
    if request.method != "POST":
        return render(request, "reads/history.html", context)
    if not filters.is_valid() & purpose.is_valid():
        return render(request, "reads/history.html", context, status=400)
    try:
        history = history_search(request.user, filters=filters, **purpose.stated())
    except OutsideAccessRequest as outside:
        return _outside_request(request, "reads/history.html", context, outside)
    except REFUSALS as refused:
        return _refused(request, "reads/history.html", context, refused)
    result, newest_first = history.search, history.reads[::-1]
    context |= {
        "result": result,
        "searched": _searched(result.audit),
        "reads": newest_first,  # the timeline
        "legs": history.legs,  # the journey, oldest first
        "implausible": [leg for leg in history.legs if leg.implausible],
        "implausible_kmh": settings.JOURNEY_IMPLAUSIBLE_KMH,
        "min_km": settings.JOURNEY_MIN_KM,
        "markers": _markers(newest_first),
        "tile_url": settings.MAP_TILE_URL,
    }
    return render(request, "reads/history.html", context)


@requires("reads.view_read")
def convoy(request):
    """Vehicles travelling with one: seen at the same cameras close in time, at several cameras;
    the criteria posted, the answer audited before it is shown."""
    filters = ConvoyFilter(request.POST or None)
    purpose = _purpose_form(request)
    context = {"filters": filters, "purpose": purpose}
    if request.method != "POST":
        return render(request, "reads/convoy.html", context)
    if not filters.is_valid() & purpose.is_valid():
        return render(request, "reads/convoy.html", context, status=400)
    try:
        result = convoy_search(request.user, filters=filters, **purpose.stated())
    except (OutsideAccessRequest, ConvoyTooCostly) as outside:
        return _outside_request(request, "reads/convoy.html", context, outside)
    except REFUSALS as refused:
        return _refused(request, "reads/convoy.html", context, refused)
    context |= {"result": result, "companions": described(result.companions)}
    return render(request, "reads/convoy.html", context)


@requires("reads.view_read")
def scenes(request):
    """Vehicles seen at several scenes, each a place and a time (blank scenes are left out); the
    criteria posted, the answer audited before it is shown."""
    slots = [ReadFilter(request.POST or None, prefix=f"scene{number}") for number in range(1, MAX_SCENES + 1)]
    page = ScenesPageForm(request.POST or None)
    purpose = _purpose_form(request)
    context = {"slots": slots, "page": page, "purpose": purpose, "scene_fields": SCENE_CRITERIA}
    if request.method != "POST":
        return render(request, "reads/scenes.html", context)
    given = [{key: slot.form[key].data for key in SCENE_CRITERIA if slot.form[key].data} for slot in slots]
    used = [slot for slot, scene in zip(slots, given, strict=True) if scene]
    filters, faults = scene_filters([scene for scene in given if scene])
    problems = faults.get("scenes", {})
    if isinstance(problems, list):  # too few or too many scenes
        page.add_error(None, problems)
    else:
        for number, scene_faults in problems.items():
            form = used[int(number) - 1].form
            for field, messages_ in scene_faults.items():
                form.add_error(field if field in form.fields else None, messages_)
    try:
        at_least = at_least_from(request.POST.get("at_least"), len(used))
    except ValueError as wrong:
        page.add_error("at_least", str(wrong))
    if not purpose.is_valid() or faults or page.errors:
        return render(request, "reads/scenes.html", context, status=400)
    try:
        result = scenes_search(request.user, scenes=filters, at_least=at_least, **purpose.stated())
    except OutsideAccessRequest as outside:  # a scene outside the access request named
        page.add_error(None, outside.messages)
        return render(request, "reads/scenes.html", context, status=400)
    except REFUSALS as refused:
        return _refused(request, "reads/scenes.html", context, refused)
    context |= {"result": result, "vehicles": described_at_scenes(result.vehicles), "at_least": at_least}
    return render(request, "reads/scenes.html", context)


@requires("reads.add_read")
@body_limit("READ_BACK_LOAD_MAX_BYTES")
def back_load(request):
    """Upload a CSV of reads from a camera's own store; checked whole, stored all or nothing."""
    form = BackLoadForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"max_rows": settings.READ_BACK_LOAD_MAX_ROWS, "form": form}
    if request.method != "POST":
        return render(request, "reads/back_load.html", context)
    if form.is_valid():
        try:
            reads = read_csv_upload(form.cleaned_data["file"])
            result = reads_ingest(items=reads, source=Read.Source.UPLOAD)
        except BackLoadRejected as rejected:
            form.add_error("file", str(rejected))
        except BatchRejected as rejected:
            rows = [
                (line, field, " ".join(str(m) for m in messages_))
                for line, fields in rejected.errors.items()
                for field, messages_ in _flat(fields)
            ]
            context["row_errors"] = rows[:200]
            faulty = len({row for row, _, _ in rows})
            form.add_error(
                "file", f"Nothing was stored: {faulty} row{pluralize(faulty)} to fix, listed below the form."
            )
        else:
            messages.success(request, f"{result.stored} reads stored, {result.duplicates} already held.")
            return redirect("reads:back_load")
    return render(request, "reads/back_load.html", context, status=400)


def _purpose_form(request, initial=None) -> SearchPurposeForm:
    if initial is not None:  # shown, not yet asked: a further page of a search, or a filled-in form
        return SearchPurposeForm(initial=initial, access_request_choices=access_request_choices(request.user))
    data = request.POST if request.method == "POST" else None
    return SearchPurposeForm(data, access_request_choices=access_request_choices(request.user))


def _search(request, filters, purpose, *, kind):
    return reads_search(request.user, filters=filters, **purpose.stated(), kind=kind)


def _refused(request, template: str, context: dict, refused: Exception):
    status = {SearchThrottled: 429, SearchNotRecorded: 503}.get(type(refused), 403)
    response = render(request, template, context | {"refusal": str(refused)}, status=status)
    if isinstance(refused, SearchThrottled):
        response["Retry-After"] = str(refused.retry_after)
    return response


def _outside_request(request, template: str, context: dict, outside: ValidationError):
    """Criteria outside the access request named: shown by the fields they concern, like any
    other fault in the criteria (the refusal is already recorded)."""
    form = context["filters"].form
    for field, messages_ in outside.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)
    return render(request, template, context, status=400)


def _status(request, filters, purpose) -> int:
    # A posted search with errors is a 400, so scripts and tests can tell it from results.
    return 400 if request.method == "POST" and (filters.errors or purpose.errors) else 200


def _results(request, result: SearchResult, page: Page) -> dict:
    return {
        "result": result,
        "page": page,
        "searched": _searched(result.audit),
        "panels": search_page_panels.of(request.user, result.audit),
    }


def _searched(audit: SearchAudit) -> dict:
    """What a search asked for, in words, for its results' heading and for an empty answer
    (the template adds the stretches of time it covered)."""
    criteria = audit.filters
    codes = [code for code in str(criteria.get("camera") or "").split(",") if code]
    if codes:
        places = f"at camera{'s' if len(codes) > 1 else ''} {', '.join(codes)}"
    elif criteria.get("near"):
        latitude, longitude, radius = str(criteria["near"]).split(",")
        places = f"within {float(radius):,.0f} m of {latitude}, {longitude}"
    elif criteria.get("within"):
        places = f"inside the polygon drawn ({len(str(criteria['within']).split(';'))} corners)"
    else:
        places = f"in {criteria['area']}" if criteria.get("area") else "at any camera"
    return {
        "plate": audit.vrm if audit.vrm.strip("*") else "",
        "pattern": is_pattern(audit.vrm),
        "places": places,
        "min_confidence": criteria.get("min_confidence"),
        "colour": colour_label(criteria["colour"]).lower() if criteria.get("colour") else "",
    }


def _read_or_404(request, day: date, read_id: int, *, kind):
    try:
        search_id = int(request.GET.get("search", ""))
        return read_from_search(request.user, search_id=search_id, day=day, read_id=read_id, kind=kind)
    except (ValueError, Read.DoesNotExist, SearchAudit.DoesNotExist, PermissionDenied) as missing:
        raise Http404("No such read in your searches.") from missing


def _export_rows(reads, audit: SearchAudit):
    """The rows: each read, where it was taken, and links to its page and images in the portal
    (opened under this export, and audited as any opened read), never to where anything is stored."""
    portal = settings.PORTAL_URL  # never the Host the request named
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    for read in reads.iterator(chunk_size=2000):
        row = [
            iso_local(read.seen_at),
            read.vrm,
            read.vrm_as_read,
            f"{read.confidence:.3f}",
            read.camera.code,
            read.camera.area,
            read.direction,
            read.lane if read.lane is not None else "",
            read.source,
            f"{portal}{reverse('reads:detail', args=[read.day, read.id])}?search={audit.pk}",
            *(
                f"{portal}{reverse('reads:image', args=[read.day, read.id, kind])}?search={audit.pk}"
                if getattr(read, field)
                else ""
                for kind, field in IMAGES.items()
            ),
            *(where_read_was_taken(read) or (None, None)),
            read.colour or "",
        ]
        writer.writerow(safe_row(row))
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _markers(reads) -> list[dict]:
    """Where each read was taken, oldest first: the order the map's route joins them in."""
    markers = []
    for read in reversed(reads):
        position = where_read_was_taken(read)
        if position is not None:
            latitude, longitude = position
            label = f"{shown(read.seen_at)} · {read.camera.code}"
            markers.append(
                {"code": read.camera.code, "latitude": latitude, "longitude": longitude, "label": label}
            )
    return markers


def _flat(fields):
    for field, value in fields.items():
        if isinstance(value, dict):
            for sub, messages_ in _flat(value):
                yield f"{field}.{sub}", messages_
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for position, sub_fields in enumerate(value):
                for sub, messages_ in _flat(sub_fields):
                    yield f"{field}[{position}].{sub}", messages_
        else:
            yield field, value if isinstance(value, list) else [value]
