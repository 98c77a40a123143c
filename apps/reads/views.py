"""Portal pages over the read store: search, one read, its images, export, vehicle history, back-load."""

import csv
import io
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime

from anpr_site.body_limits import body_limit
from apps.accounts.access import requires
from apps.audit.models import SearchAudit
from apps.cameras.disclosure import camera_as_disclosed, may_see_locations

from .access_window import AccessRequestNotUsable, OutsideAccessWindow
from .back_load import BackLoadRejected, read_csv_upload
from .evidence import content_type, open_image
from .filters import ReadFilter, SearchPurposeForm
from .models import Read
from .selectors import SearchNotRecorded, read_from_search, search_reads
from .services import BatchRejected, ingest_reads

PAGE_SIZE = 50
HISTORY_LIMIT = 500


@requires("reads.view_read")
def search(request):
    """The search form; with a purpose and reference given, the results (audited)."""
    asked = bool(request.GET)
    filters = ReadFilter(request.GET or None)
    purpose = _purpose_form(request)
    context = {"filters": filters, "purpose": purpose, "asked": asked}
    if asked and filters.is_valid() & purpose.is_valid():
        try:
            result = _search(request, filters, purpose, kind=SearchAudit.Kind.SEARCH)
        except (OutsideAccessWindow, AccessRequestNotUsable) as refused:
            context["refusal"] = str(refused)
        except SearchNotRecorded as failure:
            return render(request, "reads/search.html", context | {"refusal": str(failure)}, status=503)
        else:
            page = _keyset_page(result.reads, request.GET.get("before"))
            context |= {
                "result": result,
                "reads": page["reads"],
                "next_before": page["next_before"],
                "query": _query_without(request, "before"),
                "show_location": may_see_locations(request.user),
            }
    return render(request, "reads/search.html", context)


@requires("reads.view_read")
def read_detail(request, day: date, read_id: int):
    read, search_audit = _read_or_404(request, day, read_id, record_view=True)
    return render(
        request,
        "reads/read_detail.html",
        {
            "read": read,
            "camera": camera_as_disclosed(read.camera, request.user),
            "search": search_audit,
            "show_location": may_see_locations(request.user),
        },
    )


@requires("reads.view_read")
def read_image(request, day: date, read_id: int, kind: str):
    read, _ = _read_or_404(request, day, read_id, record_view=False)
    name = {"plate": read.plate_image, "overview": read.overview_image}.get(kind)
    if not name:
        raise Http404("No such image.")
    response = FileResponse(open_image(name), content_type=content_type(name))
    response["Cache-Control"] = "private, max-age=600"
    return response


@requires("reads.view_read", "reads.export_read")
def export(request):
    """The search's results as CSV, up to READ_EXPORT_MAX_ROWS rows (audited as an export)."""
    filters, purpose = ReadFilter(request.GET), SearchPurposeForm(request.GET)
    if not (filters.is_valid() & purpose.is_valid()):
        messages.error(request, "An export needs the same purpose, reference and filters as a search.")
        return redirect("reads:search")
    try:
        result = _search(request, filters, purpose, kind=SearchAudit.Kind.EXPORT)
    except (OutsideAccessWindow, AccessRequestNotUsable) as refused:
        raise PermissionDenied(str(refused)) from refused
    except SearchNotRecorded as failure:
        return HttpResponse(str(failure), status=503, content_type="text/plain")
    rows = _export_rows(request.user, result.reads[: settings.READ_EXPORT_MAX_ROWS])
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reads-{result.audit.pk}.csv"'
    return response


@requires("reads.view_read")
def vehicle_history(request):
    """Every permitted read of one plate, as a timeline and (for those allowed) on the map."""
    filters = ReadFilter(request.GET or None)
    purpose = _purpose_form(request)
    context = {"filters": filters, "purpose": purpose}
    vrm = request.GET.get("vrm", "")
    if vrm and "*" not in vrm and "?" not in vrm and filters.is_valid() & purpose.is_valid():
        try:
            result = _search(request, filters, purpose, kind=SearchAudit.Kind.HISTORY)
        except (OutsideAccessWindow, AccessRequestNotUsable) as refused:
            context["refusal"] = str(refused)
        except SearchNotRecorded as failure:
            return render(request, "reads/history.html", context | {"refusal": str(failure)}, status=503)
        else:
            reads = list(result.reads[:HISTORY_LIMIT])
            context |= {
                "result": result,
                "reads": reads,
                "show_location": may_see_locations(request.user),
                "markers": _markers(request.user, reads),
                "tile_url": settings.MAP_TILE_URL,
            }
    elif vrm:
        context["refusal"] = "Vehicle history needs one exact plate, not a pattern."
    return render(request, "reads/history.html", context)


@requires("reads.add_read")
@body_limit("READ_BACK_LOAD_MAX_BYTES")
def back_load(request):
    """Upload a CSV of reads from a camera's own store; checked whole, stored all or nothing."""
    context = {"max_rows": settings.READ_BACK_LOAD_MAX_ROWS}
    if request.method == "POST":
        try:
            reads = read_csv_upload(request.FILES.get("file"))
            result = ingest_reads(items=reads, source=Read.Source.UPLOAD)
        except BackLoadRejected as rejected:
            context["problem"] = str(rejected)
        except BatchRejected as rejected:
            context["row_errors"] = [
                (index + 2, field, " ".join(str(m) for m in messages_))
                for index, fields in rejected.errors.items()
                for field, messages_ in _flat(fields)
            ][:200]
        else:
            messages.success(request, f"{result.stored} reads stored, {result.duplicates} already held.")
            return redirect("reads:back_load")
    return render(request, "reads/back_load.html", context)


def _purpose_form(request) -> SearchPurposeForm:
    from apps.access_requests.views import usable_choices

    return SearchPurposeForm(request.GET or None, access_request_choices=usable_choices(request.user))


def _search(request, filters, purpose, *, kind):
    return search_reads(
        request.user,
        filters=filters,
        purpose=purpose.cleaned_data["purpose"],
        reference=purpose.cleaned_data["reference"],
        access_request=purpose.cleaned_data["access_request"],
        kind=kind,
    )


def _keyset_page(reads, before: str | None) -> dict:
    # Newest first; "before" is the (seen_at, id) of the last read shown, so pages stay stable
    # while new reads arrive.
    if before:
        try:
            seen_at, _, read_id = before.rpartition("~")
            moment = parse_datetime(seen_at)
            reads = reads.filter(Q(seen_at__lt=moment) | Q(seen_at=moment, id__lt=int(read_id)))
        except (TypeError, ValueError):
            pass
    page = list(reads[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return {"reads": page, "next_before": f"{page[-1].seen_at.isoformat()}~{page[-1].id}" if more else None}


def _query_without(request, key: str) -> str:
    query = request.GET.copy()
    query.pop(key, None)
    return query.urlencode()


def _read_or_404(request, day: date, read_id: int, *, record_view: bool):
    try:
        search_id = int(request.GET.get("search", ""))
        return read_from_search(
            request.user, search_id=search_id, day=day, read_id=read_id, record_view=record_view
        )
    except (ValueError, Read.DoesNotExist, SearchAudit.DoesNotExist) as missing:
        raise Http404("No such read in your searches.") from missing


def _export_rows(user, reads):
    show_location = may_see_locations(user)
    header = [
        "seen_at",
        "vrm",
        "vrm_as_read",
        "confidence",
        "camera",
        "area",
        "direction",
        "lane",
        "source",
        "plate_image",
        "overview_image",
    ]
    if show_location:
        header += ["latitude", "longitude"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for read in reads.iterator(chunk_size=2000):
        row = [
            read.seen_at.isoformat(),
            read.vrm,
            read.vrm_as_read,
            f"{read.confidence:.3f}",
            read.camera.code,
            read.camera.area,
            read.direction,
            read.lane if read.lane is not None else "",
            read.source,
            read.plate_image,
            read.overview_image,
        ]
        if show_location:
            row += [
                read.latitude if read.latitude is not None else read.camera.latitude,
                read.longitude if read.longitude is not None else read.camera.longitude,
            ]
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _markers(user, reads) -> list[dict]:
    if not may_see_locations(user):
        return []
    markers = []
    for read in reads:
        latitude = read.latitude if read.latitude is not None else read.camera.latitude
        longitude = read.longitude if read.longitude is not None else read.camera.longitude
        if latitude is not None:
            label = f"{read.seen_at:%d %b %Y %H:%M} · {read.camera.code}"
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
