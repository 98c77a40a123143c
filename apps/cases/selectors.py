"""Reads of case folders: which a person may open, who else may, and a folder opened with its reads
and searches, each read shown only inside the viewer's own access window and only once the opening
(naming the searches shown) is audited."""

from dataclasses import dataclass

from django.db.models import QuerySet
from guardian.shortcuts import get_users_with_perms

from apps.audit.models import SearchAudit
from apps.core.purposes import purpose_label
from apps.core.users import User
from apps.reads.models import Read
from apps.reads.selectors import NamedReads, ReadKey, reads_named

from .access import cases_visible_to
from .models import OPEN, Case, CaseItem, CaseSearch

# The newest folders the read and search pages offer to file in; older ones are filed from the API.
FILING_CHOICES = 50


@dataclass(frozen=True)
class FiledRead:
    """A folder's item and its read, or None where the viewer may not see it now (outside their
    access window) or it is no longer held (past read retention)."""

    item: CaseItem
    read: Read | None


@dataclass(frozen=True)
class FiledSearch:
    """A search filed in a folder and its audit record, or None once past audit retention."""

    filed: CaseSearch
    search: SearchAudit | None

    @property
    def purpose(self) -> str:
        """The search's purpose in words; its free-text detail stays in the audit trail."""
        return purpose_label(self.search.purpose) if self.search else ""


@dataclass(frozen=True)
class OpenedCase:
    """A folder as one person opened it: its items and searches in filing order, and the audit
    record of the opening (written before any read or search left)."""

    case: Case
    filed: list[FiledRead]
    audit: SearchAudit
    searches: list[FiledSearch]

    @property
    def shown(self) -> list[FiledRead]:
        return [filed for filed in self.filed if filed.read is not None]


def case_for(user: User, pk: int) -> Case:
    """One folder this person may open; Case.DoesNotExist for another's exactly as for none."""
    return cases_visible_to(user).get(pk=pk)


def case_members(case: Case) -> list[User]:
    """The colleagues the folder is shared with (its owner aside), by username."""
    holders = get_users_with_perms(case, only_with_perms_in=[OPEN])
    assert isinstance(holders, QuerySet)  # a queryset, unless asked for each one's permissions
    return list(holders.exclude(pk=case.owner_id).order_by("username"))


def case_opened(
    user: User, case: Case, *, kind: SearchAudit.Kind = SearchAudit.Kind.CASE, via: str = "portal"
) -> OpenedCase:
    """The folder's items, each with its read where the viewer may see it now (the standard
    window, or the access request it was filed under while the viewer may use it); recorded
    first as `kind` (the folder opened, or exported as evidence) under the folder's purpose and
    reference, naming the searches filed (shown to every member: what was asked, not why in
    free words). Raises SearchThrottled and SearchNotRecorded as any opening of reads."""
    items = list(case.items.select_related("added_by"))
    searches = list(case.searches.select_related("added_by"))
    named = _opening(user, case, items, kind=kind, via=via, searches=searches)
    filed = [FiledRead(item, named.reads.get((item.read_id, item.read_seen_at))) for item in items]
    return OpenedCase(case=case, filed=filed, audit=named.audit, searches=_with_records(searches))


def case_read(user: User, case: Case, *, item_id: int, kind: SearchAudit.Kind, via: str = "portal") -> Read:
    """The read of one of the folder's items (for its images: kind IMAGE), inside the viewer's
    window, recorded first; Read.DoesNotExist when the folder holds no such item or the viewer may
    not see its read now."""
    item = case.items.filter(pk=item_id).first()
    if item is None:
        raise Read.DoesNotExist("No such read in this folder.")
    named = _opening(user, case, [item], kind=kind, via=via)
    read = named.reads.get((item.read_id, item.read_seen_at))
    if read is None:
        raise Read.DoesNotExist("Outside your access window, or no longer held.")
    return read


def filing_choices(user: User) -> QuerySet[Case]:
    """The folders the read and search pages offer to file in: the newest this person may open."""
    return cases_visible_to(user)[:FILING_CHOICES]


def folders_holding(read: Read, *, among: list[Case]) -> set[int]:
    """Which of these folders already hold this read (their ids)."""
    items = CaseItem.objects.filter(case__in=among, read_id=read.id, read_seen_at=read.seen_at)
    return set(items.values_list("case_id", flat=True))


def folders_holding_search(search: SearchAudit, *, among: list[Case]) -> set[int]:
    """Which of these folders already hold this search (their ids)."""
    filed = CaseSearch.objects.filter(case__in=among, search_audit_id=search.pk)
    return set(filed.values_list("case_id", flat=True))


def _opening(
    user: User,
    case: Case,
    items: list[CaseItem],
    *,
    kind: SearchAudit.Kind,
    via: str,
    searches: list[CaseSearch] | None = None,
) -> NamedReads:
    # Recorded under the folder's purpose and reference, naming the folder and, where the folder
    # itself is opened, the searches it shows.
    named: dict[str, object] = {"case": case.pk}
    if searches is not None:
        named["searches"] = [filed.search_audit_id for filed in searches]
    return reads_named(
        user,
        keys=[ReadKey(item.read_id, item.read_seen_at, item.access_request_id) for item in items],
        kind=kind,
        purpose=case.purpose,
        purpose_detail=case.purpose_detail or None,
        reference=case.reference,
        filters=named,
        via=via,
    )


def _with_records(searches: list[CaseSearch]) -> list[FiledSearch]:
    # Any member sees a colleague's filed search: the folder's sharing is what allows it.
    ids = [filed.search_audit_id for filed in searches]
    records = SearchAudit.objects.in_bulk(ids)
    return [FiledSearch(filed, records.get(filed.search_audit_id)) for filed in searches]
