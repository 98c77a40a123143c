"""Pages of a search's results, both ways, in the orders a person may sort them by.

Keyset pages: a page is named by a cursor (the order, the way to go, and the read to go from), so
pages stay stable while reads arrive and no page costs more than the one before it. A cursor
names its read by seen_at (in microseconds since 1970, UTC: a key, not a time for people) and
id, never by plate, so one in an address names no vehicle; where
the order needs more of that read (its plate, its camera), it is looked up inside the same query,
among the search's own results only, so a cursor naming any other read gives an empty page and
tells nothing of it.

Every order ends in seen_at and id (unique together), so no two reads tie. Any order costs one
top-N sort of the reads the search matches, which the plate and camera indexes find and the
search's count reads anyway: measured over six million reads, a page of a prefix pattern took
about 10 ms and one of an infix pattern 300 to 600 ms, whichever the order, newest first included.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone

from .models import Read

# Each order by name, as the results table offers it: its fields, most significant first.
NEWEST_FIRST = ("-seen_at", "-id")
SORTS = {
    "newest": NEWEST_FIRST,
    "oldest": ("seen_at", "id"),
    "plate": ("vrm", "-seen_at", "-id"),
    "camera": ("camera__code", "-seen_at", "-id"),
}
NEWEST = "newest"
# Each order in words, as the audit trail records a page of it.
SORT_WORDS = {"newest": "newest first", "oldest": "oldest first", "plate": "by plate", "camera": "by camera"}
# Which way a cursor goes from its read: the reads after it, those before it, or it and those after.
AFTER, BEFORE, FROM = "after", "before", "from"
EPOCH, MICROSECOND = datetime(1970, 1, 1, tzinfo=UTC), timedelta(microseconds=1)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: in `sort` order, the reads `way` of the read (seen_at, read_id)."""

    sort: str
    way: str
    seen_at: datetime
    read_id: int

    def __str__(self) -> str:
        return f"{self.sort}~{self.way}~{(self.seen_at - EPOCH) // MICROSECOND}~{self.read_id}"

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """A cursor as __str__ wrote it; None for anything else (the first page is shown)."""
        parts = (text or "").split("~")
        if len(parts) != 4 or parts[0] not in SORTS or parts[1] not in (AFTER, BEFORE, FROM):
            return None
        try:
            seen_at, read_id = EPOCH + int(parts[2]) * MICROSECOND, int(parts[3])
        except (ValueError, OverflowError):
            return None
        if not EPOCH <= seen_at <= timezone.now() + timedelta(days=1):
            return None  # no read was seen then: a cursor no page gave
        return cls(sort=parts[0], way=parts[1], seen_at=seen_at, read_id=read_id)

    @classmethod
    def at(cls, read: Read, *, sort: str, way: str) -> "Cursor":
        return cls(sort=sort, way=way, seen_at=read.seen_at, read_id=read.id)


def shown_page(page: "Page") -> dict[str, object]:
    """What a page showed, for the audit trail to record in words: its order and its first and
    last reads (by number and when seen), taken from the reads themselves, not from the cursor
    asked with (a cursor's text is a key, not for people, and may name no read of the search)."""
    described: dict[str, object] = {"order": SORT_WORDS[page.sort]}
    if not page.reads:
        return described | {"shown": "no reads"}
    first, last = page.reads[0], page.reads[-1]
    return described | {
        "first_read": first.id,
        "first_seen": first.seen_at.isoformat(),
        "last_read": last.id,
        "last_seen": last.seen_at.isoformat(),
    }


@dataclass(frozen=True)
class Page:
    """Some reads of a search in `sort` order, with the cursors of the pages either side (None: none)."""

    reads: list[Read]
    sort: str
    previous: Cursor | None
    next: Cursor | None


def keyset_page(
    reads: QuerySet[Read], *, size: int, sort: str = NEWEST, cursor: Cursor | None = None
) -> Page:
    """The page of `reads` a cursor names (its own order), or the first page in `sort` order.

    One query; two where it must also learn whether reads come before the page (a page opened from
    one of its reads) or where the page a cursor names is empty or short of a first page (the
    first page is then shown)."""
    if cursor is None:
        return _first(reads, sort if sort in SORTS else NEWEST, size)
    order = SORTS[cursor.sort]
    if cursor.way == BEFORE:
        rows = list(
            reads.filter(_beyond(reads, order, cursor, forward=False)).order_by(*_reverse(order))[: size + 1]
        )
        if len(rows) <= size:  # back at the start: the first page, whole
            return _first(reads, cursor.sort, size)
        rows = rows[:size][::-1]
        return Page(
            rows, cursor.sort, Cursor.at(rows[0], sort=cursor.sort, way=BEFORE), _after(rows[-1], cursor)
        )
    beyond = _beyond(reads, order, cursor, forward=True, inclusive=cursor.way == FROM)
    rows = list(reads.filter(beyond).order_by(*order)[: size + 1])
    if not rows:
        return _first(reads, cursor.sort, size)
    earlier = (
        cursor.way == AFTER
        or reads.filter(
            _beyond(reads, order, Cursor.at(rows[0], sort=cursor.sort, way=BEFORE), forward=False)
        ).exists()
    )
    previous = Cursor.at(rows[0], sort=cursor.sort, way=BEFORE) if earlier else None
    return Page(
        rows[:size], cursor.sort, previous, _after(rows[size - 1], cursor) if len(rows) > size else None
    )


def _first(reads: QuerySet[Read], sort: str, size: int) -> Page:
    rows = list(reads.order_by(*SORTS[sort])[: size + 1])
    following = Cursor.at(rows[size - 1], sort=sort, way=AFTER) if len(rows) > size else None
    return Page(rows[:size], sort, None, following)


def _after(read: Read, cursor: Cursor) -> Cursor:
    return Cursor.at(read, sort=cursor.sort, way=AFTER)


def _beyond(
    reads: QuerySet[Read], order: tuple[str, ...], cursor: Cursor, *, forward: bool, inclusive: bool = False
) -> Q:
    """The reads past the cursor's read in `order` (before it when not `forward`): the usual
    keyset condition, one field at a time, for orders that mix ascending and descending fields."""
    anchor = reads.filter(id=cursor.read_id, seen_at=cursor.seen_at).order_by()
    known = {"seen_at": cursor.seen_at, "id": cursor.read_id}
    past, tied = Q(), Q()
    for field in order:
        name, descending = field.lstrip("-"), field.startswith("-")
        value = known[name] if name in known else Subquery(anchor.values(name)[:1])
        past |= tied & Q(**{f"{name}__{'lt' if descending == forward else 'gt'}": value})
        tied &= Q(**{name: value})
    return past | tied if inclusive else past


def _reverse(order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(field[1:] if field.startswith("-") else f"-{field}" for field in order)
