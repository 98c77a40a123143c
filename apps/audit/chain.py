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
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .database import APPEND_ONLY_TABLES

GENESIS = "0" * 64
CHECKPOINT_GLOB = "audit-checkpoint-*.json"
BATCH = 5000


@dataclass
class ChainHead:
    """Where one chain stood when it was checked: its last row's place, hash and time."""

    table: str
    rows: int
    seq: int
    hash: str
    at: datetime | None


@dataclass
class Verification:
    """Every chain checked; `problem` names the first row found not to match (None: intact)."""

    heads: list[ChainHead] = field(default_factory=list)
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None

    def as_record(self) -> dict:
        """For the job's record and the checkpoint file."""
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
        problem = _against_checkpoints(checkpoint_dir or _checkpoint_dir(), verification.heads)
        verification.problem = problem
    return verification


def write_checkpoint(verification: Verification, checkpoint_dir: Path | None = None) -> Path:
    """Write the heads of an intact verification to a new file the database cannot reach."""
    if not verification.intact:
        raise ChainBroken("A broken chain is not checkpointed: " + verification.problem)
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
    head = _head(table, rows, expected_seq - 1, expected_prev, last_at)
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


def _against_checkpoints(directory: Path, heads: list[ChainHead]) -> str | None:
    """Every head a checkpoint recorded is still in its chain, unless retention has removed it:
    and retention may remove a row only once it is past the audit retention period."""
    now = timezone.now()
    expirable_before = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    anchors = {table: _chain_row(table)[0] for table in APPEND_ONLY_TABLES}
    for path in sorted(directory.glob(CHECKPOINT_GLOB)):
        try:
            chains = json.loads(path.read_text())["chains"]
            recorded = {
                table: (int(head["seq"]), str(head["hash"]), parse_datetime(head["at"] or ""))
                for table, head in chains.items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            return f"checkpoint {path.name} cannot be read ({error})"
        for table, (seq, hash_, at) in recorded.items():
            if table not in APPEND_ONLY_TABLES or seq == 0:
                continue
            if seq <= anchors[table]:
                if at is not None and at >= expirable_before:
                    return (
                        f"{table}: place {seq}, recorded by checkpoint {path.name}, was removed "
                        "before its retention period ended"
                    )
                continue
            if _hash_at(table, seq) != hash_:
                return (
                    f"{table}: place {seq} no longer matches checkpoint {path.name} "
                    "(the chain was rewritten or cut back since)"
                )
    return None


def _hash_at(table: str, seq: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_hash FROM {table} WHERE chain_seq = %s", [seq])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def _checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)
