"""Every read of the read table goes through here, scoped to the user's access window and audited.

No view, serializer, export, admin page or task queries Read directly.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import DatabaseError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.audit.models import SearchAudit
from apps.audit.services import search_record

from .access_window import access_grants, check_range_reachable, visible_q
from .filters import ReadFilter
from .models import Read

COUNT_CAP = 10_000
NEWEST_FIRST = ("-seen_at", "-id")


class SearchNotRecorded(Exception):
    """The audit row could not be written, so the search is refused."""


@dataclass(frozen=True)
class SearchResult:
    reads: QuerySet[Read]
    audit: SearchAudit


def search_reads(
    user,
    *,
    filters: ReadFilter,
    purpose: str,
    reference: str,
    access_request: int | None = None,
    kind: SearchAudit.Kind = SearchAudit.Kind.SEARCH,
    via: str = "portal",
) -> SearchResult:
    """Reads matching valid `filters` that the user may see, newest first; audited before returning.

    Refuses (PermissionDenied) an unusable access request or a range wholly outside the window.
    If the audit row cannot be written, the search fails with it.
    """
    if not purpose.strip() or not reference.strip():
        raise ValueError("Every search needs a purpose and a reference.")
    now = timezone.now()
    grants = access_grants(user, access_request=access_request, now=now)
    check_range_reachable(grants, filters.form.cleaned_data.get("seen_before"))
    reads = filters.filter_queryset(_visible(grants)).order_by(*NEWEST_FIRST)
    try:
        with transaction.atomic():
            count = reads.order_by().values("id")[: COUNT_CAP + 1].count()
            audit = search_record(
                user=user,
                kind=kind,
                purpose=purpose,
                reference=reference,
                filters=filters.criteria,
                result_count=min(count, COUNT_CAP),
                result_count_capped=count > COUNT_CAP,
                access_request_id=access_request,
                via=via,
            )
    except DatabaseError as failure:
        raise SearchNotRecorded(
            "The search could not be recorded in the audit trail, so it was not run."
        ) from failure
    return SearchResult(reads=reads.select_related("camera"), audit=audit)


def read_from_search(
    user, *, search_id: int, day: date, read_id: int, record_view: bool
) -> tuple[Read, SearchAudit]:
    """One read reached from the user's own earlier search, still inside what they may see.

    Raises Read.DoesNotExist or SearchAudit.DoesNotExist when either is not theirs to open.
    """
    search = SearchAudit.objects.get(pk=search_id, user_id=user.pk)
    grants = access_grants(user, access_request=search.access_request_id, now=timezone.now())
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    read = (
        _visible(grants)
        .select_related("camera")
        .get(id=read_id, seen_at__gte=start, seen_at__lt=start + timedelta(days=1))
    )
    if record_view:
        search_record(
            user=user,
            kind=SearchAudit.Kind.VIEW,
            purpose=search.purpose,
            reference=search.reference,
            filters={"vrm": read.vrm, "read": read.id, "search": search.pk},
            result_count=1,
            access_request_id=search.access_request_id,
        )
    return read, search


def _visible(grants) -> QuerySet[Read]:
    return Read.objects.filter(visible_q(grants))


def reads_held_from(camera_codes: list[str], *, within: timedelta = timedelta(days=7)) -> bool:
    """Whether these cameras sent any read lately (a system question: no read leaves).

    Bounded in time, like every query of the read table, so only a few partitions are touched.
    """
    since = timezone.now() - within
    return Read.objects.filter(camera__code__in=camera_codes, seen_at__gte=since).exists()


def reads_for_national_export(day: date, fields: tuple[str, ...]) -> Iterator[tuple]:
    """Every read of one UTC day in a fixed order, for the national export. A system job's
    read, not a person's search: it is recorded as a job run (audit.JobRun), not a search."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return (
        Read.objects.filter(seen_at__gte=start, seen_at__lt=start + timedelta(days=1))
        .order_by("seen_at", "id")
        .values_list(*fields)
        .iterator(chunk_size=5000)
    )


def oldest_read_held() -> datetime | None:
    """When the oldest read still stored was seen: anyone can check retention is kept."""
    from .partitions import existing_partition_days

    for day in sorted(existing_partition_days()):
        start = datetime.combine(day, time.min, tzinfo=UTC)
        oldest = (
            Read.objects.filter(seen_at__gte=start, seen_at__lt=start + timedelta(days=1))
            .order_by("seen_at")
            .values_list("seen_at", flat=True)
            .first()
        )
        if oldest:
            return oldest
    return None
