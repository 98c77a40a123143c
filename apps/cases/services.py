"""Every write to case folders: opening one, sharing it with a named colleague and ending that, and
filing a read or one's own search in it. Keyword-only and atomic; the portal and the API both call these."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from apps.audit.models import SearchAudit
from apps.core.purposes import state_purpose
from apps.core.users import User
from apps.reads.models import Read
from apps.reads.selectors import read_from_search, search_of

from .access import OPEN, OPEN_PERMISSION, cases_visible_to, may_hold_folders
from .models import Case, CaseItem, CaseSearch

# A folder gathers the reads an investigation relies on, not a search's results: those are
# exported as CSV. The bound keeps each opening and export of a folder one modest query and file.
CASE_ITEMS_MAX = 500
CASE_SEARCHES_MAX = CASE_ITEMS_MAX
TITLE_MAX_LENGTH = Case._meta.get_field("title").max_length or 200
TITLE_RULE = f"Give the folder a title of at most {TITLE_MAX_LENGTH} characters."
NOTE_MAX_LENGTH = 2000


@transaction.atomic
def case_create(
    *, owner: User, title: str, purpose: str, reference: str, purpose_detail: str | None = None
) -> Case:
    """Open a case folder under a purpose and reference, checked as a search's are (every opening
    and export of the folder is recorded under them); its owner may open it."""
    if not may_hold_folders(owner):
        raise PermissionDenied("Only those who may search reads keep case folders.")
    errors: dict[str, list[str]] = {}
    try:
        stated = state_purpose(purpose=purpose, reference=reference, detail=purpose_detail)
    except ValidationError as invalid:
        errors |= invalid.message_dict
    if not _title_fits(title):
        errors["title"] = [TITLE_RULE]
    if errors:
        raise ValidationError(errors)
    case = Case.objects.create(
        owner=owner,
        title=title.strip(),
        purpose=stated.code,
        purpose_detail=stated.detail or "",
        reference=stated.reference,
    )
    assign_perm(OPEN_PERMISSION, owner, case)
    return case


@transaction.atomic
def case_share(*, case: Case, owner: User, username: str) -> User:
    """Let a named colleague open the folder (its reads, each within the colleague's own access
    window); only its owner names colleagues, and only those who may search reads."""
    colleague = _colleague(case, owner, username)
    assign_perm(OPEN_PERMISSION, colleague, case)
    return colleague


@transaction.atomic
def case_unshare(*, case: Case, owner: User, username: str) -> User:
    """Stop a colleague opening the folder; the reads they filed in it stay."""
    colleague = _colleague(case, owner, username, leaving=True)
    remove_perm(OPEN_PERMISSION, colleague, case)
    return colleague


def case_read_file(
    *,
    case: Case,
    actor: User,
    search_id: int,
    day: date,
    read_id: int,
    note: str = "",
    via: str = "portal",
) -> CaseItem:
    """File a read in a folder the actor may open, as they open it now from their own earlier
    search (read_from_search: inside their window, and recorded as a read opened), so a folder
    holds only reads its filers could see. Raises Case.DoesNotExist for a folder not theirs to
    open, as read_from_search when the read is not theirs to open, and ValidationError when it
    is already filed, the folder is full or the note too long."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise Case.DoesNotExist("No such case folder of yours.")
    note = _checked_note(note)
    read, search = read_from_search(actor, search_id=search_id, day=day, read_id=read_id, via=via)
    return _file(case, actor, read, search, note)


def case_start_with_read(
    *, owner: User, title: str, search_id: int, day: date, read_id: int, note: str = "", via: str = "portal"
) -> CaseItem:
    """Open a folder with its first read, under the purpose and reference of the search the read
    was opened from (as case_read_file checks and records it); returns the read's item."""
    note = _checked_note(note)
    if not _title_fits(title):
        raise ValidationError({"title": [TITLE_RULE]})
    # Opened outside the folder's transaction: a refusal (the hour's allowance spent) is recorded
    # as a security event, which a rollback would take with it.
    read, search = read_from_search(owner, search_id=search_id, day=day, read_id=read_id, via=via)
    with transaction.atomic():
        case = case_create(
            owner=owner,
            title=title,
            purpose=search.purpose,
            purpose_detail=search.purpose_detail,
            reference=search.reference,
        )
        return _file(case, owner, read, search, note)


@transaction.atomic
def case_search_file(*, case: Case, actor: User, search_id: int, note: str = "") -> CaseSearch:
    """File the actor's own earlier search (search_of: a search, export or vehicle history of
    theirs) in a folder they may open, so its members see what was asked and how much was found.
    Raises Case.DoesNotExist for a folder not theirs to open, SearchAudit.DoesNotExist for a
    search not theirs exactly as for none, and ValidationError when it is already filed, the
    folder holds its most searches or the note is too long."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise Case.DoesNotExist("No such case folder of yours.")
    note = _checked_note(note)
    search = search_of(actor, search_id)
    locked = Case.objects.select_for_update().get(pk=case.pk)  # one filing at a time counts
    if locked.searches.filter(search_audit_id=search.pk).exists():
        raise ValidationError({"search": ["This search is already in the folder."]})
    if locked.searches.count() >= CASE_SEARCHES_MAX:
        raise ValidationError({"case": [f"A folder holds at most {CASE_SEARCHES_MAX} searches."]})
    return CaseSearch.objects.create(case=locked, search_audit_id=search.pk, added_by=actor, note=note)


def _file(case: Case, actor: User, read: Read, search: SearchAudit, note: str) -> CaseItem:
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)  # one filing at a time counts
        if locked.items.filter(read_id=read.id, read_seen_at=read.seen_at).exists():
            raise ValidationError({"read": ["This read is already in the folder."]})
        if locked.items.count() >= CASE_ITEMS_MAX:
            raise ValidationError({"case": [f"A folder holds at most {CASE_ITEMS_MAX} reads."]})
        return CaseItem.objects.create(
            case=locked,
            read_id=read.id,
            read_seen_at=read.seen_at,
            search_audit_id=search.pk,
            access_request_id=search.access_request_id,
            added_by=actor,
            note=note,
        )


def _title_fits(title: str) -> bool:
    return 0 < len((title or "").strip()) <= TITLE_MAX_LENGTH


def _checked_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [f"At most {NOTE_MAX_LENGTH} characters."]})
    return note


def _colleague(case: Case, owner: User, username: str, *, leaving: bool = False) -> User:
    if case.owner_id != owner.pk:
        raise PermissionDenied("Only the folder's owner names who may open it.")
    found = get_user_model().objects.filter(username=(username or "").strip()).first()
    # The same words whether the name is unknown, its holder may not search reads or (leaving) is
    # not named on this folder: a folder's form is no way to learn who holds an account.
    allowed = _named_on(case, found) if leaving else found is not None and may_hold_folders(found)
    if found is None or found.pk == owner.pk or not allowed:
        raise ValidationError({"username": ["No colleague of that name may be named on a case folder."]})
    return found


def _named_on(case: Case, user: User | None) -> bool:
    if user is None:
        return False
    holders = get_users_with_perms(case, only_with_perms_in=[OPEN])
    assert isinstance(holders, QuerySet)  # a queryset, unless asked for each one's permissions
    return holders.filter(pk=user.pk).exists()
