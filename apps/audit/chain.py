"""Checking the audit trail's hash chains, and the checkpoints that anchor them outside the database.

Each append-only table is a chain (migration 0010): as a row is appended, the owner's trigger
gives it the next place (`chain_seq`), the hash of the row before (`prev_hash`) and
`row_hash` = sha256(prev_hash + the row's content as canonical JSON, without the two hashes
and without NULL columns, so that a nullable column added later leaves older rows' hashes alone).
`verify_chains()` walks every chain from its anchor (the genesis, or the last row audit
retention removed) and reports the first row whose content or link does not match: a row
changed, removed or slipped in behind the application's back, even by a superuser with the
triggers off.

Someone who can write the database could rewrite a whole chain from some row on, hashes and
all. A checkpoint stops that: the daily verification writes every chain's head to a file under
AUDIT_CHECKPOINT_DIR, outside the database's reach, and each later verification checks that
every checkpointed head is still there, unchanged, unless retention has since removed it (which
it may only once the row is past AUDIT_RETENTION_DAYS).
"""

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .database import APPEND_ONLY_TABLES
from .models import JobRun

GENESIS = "0" * 64
CHECKPOINT_GLOB = "audit-checkpoint-*.json"
BATCH = 5000
CHECKPOINT_MAX_BYTES = 16 * 1024 * 1024


@dataclass
class ChainHead:
    """Where one chain stood when it was checked: its last row's place, hash and time."""

    table: str
    rows: int
    seq: int
    hash: str
    at: datetime | None
    # The place of the first row of each UTC day: a later check can tell when a removed row was
    # written, and so whether retention could have removed it.
    days: dict[str, int] = field(default_factory=dict)


@dataclass
class Verification:
    """Every chain checked; `problem` names the first row found not to match (None: intact)."""

    heads: list[ChainHead] = field(default_factory=list)
    problem: str | None = None
    checkpoints: int = 0  # how many checkpoint files were held against the chains

    @property
    def intact(self) -> bool:
        return self.problem is None

    def as_record(self, *, days: bool = True) -> dict:
        """For the checkpoint file, and (without the days, which only a checkpoint needs) for
        the job's record."""
        return {
            "intact": self.intact,
            "problem": self.problem,
            "chains": {
                head.table: {
                    "rows": head.rows,
                    "seq": head.seq,
                    "hash": head.hash,
                    "at": head.at.isoformat() if head.at else None,
                }
                | ({"days": head.days} if days else {})
                for head in self.heads
            },
        }


class ChainBroken(Exception):
    """The audit trail does not match its chain (the message names where)."""


def row_hash(prev_hash: str, content: str) -> str:
    """The chain's formula (the database's audit_chain_hash): content is the row as jsonb text."""
    return hashlib.sha256((prev_hash + content).encode()).hexdigest()


def verify_chains(checkpoint_dir: Path | None = None) -> Verification:
    """Walk every chain, then hold it against every checkpoint on file."""
    verification = Verification()
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:  # one snapshot of every table at once
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # Timestamps rendered as the trigger rendered them (these end with the transaction).
        cursor.execute("SET LOCAL TimeZone = 'UTC'")
        cursor.execute("SET LOCAL extra_float_digits = 1")
        for table, written in APPEND_ONLY_TABLES.items():
            head, problem = _walk(table, written)
            verification.heads.append(head)
            if problem:
                verification.problem = f"{table}: {problem}"
                return verification
        verification.checkpoints, verification.problem = _against_checkpoints(
            checkpoint_dir or _checkpoint_dir()
        )
    return verification


def write_checkpoint(verification: Verification, checkpoint_dir: Path | None = None) -> Path:
    """Write the heads of an intact verification to a new file the database cannot reach."""
    if not verification.intact:
        raise ChainBroken(f"A broken chain is not checkpointed: {verification.problem}")
    directory = checkpoint_dir or _checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    path = directory / f"audit-checkpoint-{now:%Y%m%dT%H%M%S%fZ}.json"
    record = {"written_at": now.isoformat(), **verification.as_record()}
    # O_EXCL: a checkpoint is never overwritten; read-only once written.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(descriptor, "w") as checkpoint:
        json.dump(record, checkpoint, indent=1, sort_keys=True)
    return path


def _walk(table: str, written: str) -> tuple[ChainHead, str | None]:
    anchor_seq, anchor_hash, head_seq, head_hash = _chain_row(table)
    days: dict[str, int] = {}
    expected_seq, expected_prev, rows, last_at = anchor_seq + 1, anchor_hash, 0, None
    with connection.connection.cursor(name=f"walk_{table}") as rows_cursor:  # server-side: any size
        rows_cursor.itersize = BATCH
        rows_cursor.execute(
            f"SELECT id, chain_seq, prev_hash, row_hash, {written}, "  # noqa: S608 (names from code)
            f"audit_chain_content(to_jsonb(t))::text FROM {table} t "
            "ORDER BY chain_seq NULLS FIRST, id"
        )
        for row_id, seq, prev, stored, at, content in rows_cursor:
            where = f"row id {row_id}"
            if seq is None or prev is None or stored is None:
                return _head(table, rows, expected_seq - 1, expected_prev, last_at), (
                    f"{where} is not in the chain (written with the chain's trigger off)"
                )
            if seq != expected_seq:
                missing = "removed" if seq > expected_seq else "repeated"
                return _head(table, rows, expected_seq - 1, expected_prev, last_at), (
                    f"{where} (place {seq}): the chain expected place {expected_seq}; rows {missing}"
                )
            if prev != expected_prev:
                return _head(table, rows, seq - 1, expected_prev, last_at), (
                    f"{where} (place {seq}) does not link to the row before it"
                )
            if row_hash(prev, content) != stored:
                return _head(table, rows, seq - 1, expected_prev, last_at), (
                    f"{where} (place {seq}): its content does not match its hash (changed)"
                )
            rows, expected_seq, expected_prev, last_at = rows + 1, seq + 1, stored, at
            days.setdefault(at.astimezone(UTC).date().isoformat(), seq)
    head = _head(table, rows, expected_seq - 1, expected_prev, last_at)
    head.days = days
    if (head.seq, head.hash) != (head_seq, head_hash):
        return head, (
            f"the chain's head is place {head_seq} but its last row is place {head.seq}: "
            "rows removed from the end, or the head rewritten"
        )
    return head, None


def _chain_row(table: str) -> tuple[int, str, int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT anchor_seq, anchor_hash, head_seq, head_hash FROM audit_auditchain WHERE name = %s",
            [table],
        )
        row = cursor.fetchone()
    return row or (0, GENESIS, 0, GENESIS)


def _head(table: str, rows: int, seq: int, hash_: str, at: datetime | None) -> ChainHead:
    return ChainHead(table=table, rows=rows, seq=seq, hash=hash_, at=at)


def _against_checkpoints(directory: Path) -> tuple[int, str | None]:
    """Every head a checkpoint recorded is still in its chain, unless retention has removed it,
    and no day a checkpoint saw has lost rows before its period ended (retention may remove a row
    only once it is past the audit period: the database's own floor and clock decide). A trail
    once checkpointed with none on file now fails too: the files were lost or never kept."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now(), (SELECT days FROM audit_retention_floor WHERE name = 'audit')")
        now, floor_days = cursor.fetchone()
    cut_off = now - timedelta(days=floor_days or settings.AUDIT_RETENTION_DAYS)
    anchors = {table: _chain_row(table)[0] for table in APPEND_ONLY_TABLES}
    paths = sorted(directory.glob(CHECKPOINT_GLOB))
    if not paths and _checkpointed_before():
        return 0, f"no checkpoint on file in {directory}, though the trail was checkpointed before"
    for path in paths:
        try:
            recorded = _read_checkpoint(path)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            return len(paths), f"checkpoint {path.name} cannot be read ({error})"
        for table, (seq, hash_, at, days) in recorded.items():
            if table not in APPEND_ONLY_TABLES or seq == 0:
                continue
            anchor = anchors[table]
            early = [day for day, first in days.items() if first <= anchor and _day_start(day) >= cut_off]
            if seq <= anchor and at >= cut_off:
                early.append(at.date().isoformat())
            if early:
                return len(paths), (
                    f"{table}: rows of {min(early)}, recorded by checkpoint {path.name}, were removed "
                    "before their retention period ended"
                )
            if seq > anchor and _hash_at(table, seq) != hash_:
                return len(paths), (
                    f"{table}: place {seq} no longer matches checkpoint {path.name} "
                    "(the chain was rewritten or cut back since)"
                )
    return len(paths), None


def _read_checkpoint(path: Path) -> dict[str, tuple[int, str, datetime, dict[str, int]]]:
    # Only a plain file of modest size: a link or a pipe planted in the directory is refused.
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor) as checkpoint:
        status = os.fstat(checkpoint.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > CHECKPOINT_MAX_BYTES:
            raise ValueError("not a plain checkpoint file")
        chains = json.load(checkpoint)["chains"]
    recorded = {}
    for table, head in chains.items():
        at = parse_datetime(head["at"]) if head["at"] else datetime.min.replace(tzinfo=UTC)
        if at is None:
            raise ValueError(f"{table}: its time cannot be read")
        days = {str(day): int(first) for day, first in head.get("days", {}).items()}
        recorded[table] = (int(head["seq"]), str(head["hash"]), at, days)
    return recorded


def checkpoint_confirms(run_details: dict) -> bool:
    """Whether the checkpoint a verification run names is on file, recording the heads the run
    recorded: the run's row alone proves nothing (the application may append one)."""
    name = str(run_details.get("checkpoint", ""))
    if not name or Path(name).name != name:
        return False
    try:
        recorded = _read_checkpoint(_checkpoint_dir() / name)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    claimed = run_details.get("chains", {})
    return bool(recorded) and all(
        table in claimed and (claimed[table]["seq"], claimed[table]["hash"]) == (seq, hash_)
        for table, (seq, hash_, _, _) in recorded.items()
    )


def _checkpointed_before() -> bool:
    runs = JobRun.objects.filter(job="audit-verify", outcome=JobRun.Outcome.OK)
    return runs.filter(details__has_key="checkpoint").exists()


def _day_start(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _hash_at(table: str, seq: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_hash FROM {table} WHERE chain_seq = %s", [seq])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)
