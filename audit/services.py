"""Writing, sealing and verifying the audit log.

``audit.services.record(...)`` is the one-line helper every write and every read of case
data calls. It must run inside the caller's transaction so the entry commits or rolls back
with the change it describes. It only appends a row: no lock, so requests run in parallel.

``seal_pending`` then links committed entries into the chain in order — sequence, previous
link, HMAC (audit/chain.py) — in small batches, holding the chain head's row lock only while
it does. It runs after every commit in whichever process gets the lock without waiting, and
in ``audit_seal``, ``audit_verify``, ``audit_checkpoint`` and ``backup`` before they read
the chain. Only the sealer gives out sequences, so the chain never forks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from audit.chain import (
    GENESIS_HASH,
    ChainBreak,
    ChainVersion,
    canonical_entry,
    chain_hmac,
    checkpoint_mac,
    legacy_boundary_mac,
    link,
    macs_equal,
)
from audit.context import current_request
from audit.models import AuditAction, AuditChainHead, AuditEntry

# Entries sealed per transaction: the head's lock is held only while one batch is linked.
SEAL_BATCH = 500


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, actor.get_username()


def record(
    *,
    action: AuditAction | str,
    actor: Any = None,
    organisation: Any = None,
    target: models.Model | tuple[str, str | int] | None = None,
    case_id: int | None = None,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
    actor_username: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit log, in the current transaction.

    ``target`` is a model instance or an ``(object_type, object_id)`` pair. ``fields`` are
    the names of changed fields, never their values. ``detail`` holds non-identifying
    context such as a reason code or an old and new role.

    The entry is one INSERT and takes no lock: it commits or rolls back with the change it
    describes, and is sealed into the chain right after its transaction commits
    (:func:`seal_pending`).
    """
    if isinstance(target, models.Model):
        object_type = target._meta.label_lower
        object_id = str(target.pk)
    elif target is not None:
        object_type, object_id = target[0], str(target[1])
    else:
        object_type, object_id = "", ""
    actor_id, username = _actor_fields(actor)
    if actor_username is not None and not username:
        username = actor_username
    context = current_request.get()
    entry = AuditEntry(
        occurred_at=timezone.now(),
        actor_id=actor_id,
        actor_username=username[:150],
        organisation_id=getattr(organisation, "pk", organisation),
        action=str(action),
        object_type=object_type,
        object_id=object_id,
        case_id=case_id,
        fields=sorted(set(fields)),
        detail=detail or {},
        request_id=context.request_id,
        ip_address=context.ip_address,
    )
    entry.save(force_insert=True)
    _seal_after_commit()
    return entry


def record_on_case(
    acting: Any,
    action: AuditAction | str,
    target: models.Model | tuple[str, str | int] | None,
    case: models.Model,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """``record`` for a write or read on a case by ``acting`` (an ``accounts.access.Acting``)."""
    return record(
        action=action,
        actor=acting.user,
        organisation=acting.organisation,
        target=target,
        case_id=case.pk,
        fields=fields,
        detail=detail,
    )


def _canonical(entry: AuditEntry) -> bytes:
    return canonical_entry(
        # Only sealed entries (or one being sealed) are linked, so the sequence is set.
        sequence=entry.sequence or 0,
        occurred_at=entry.occurred_at,
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        organisation_id=entry.organisation_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        case_id=entry.case_id,
        fields=list(entry.fields),
        detail=dict(entry.detail),
        request_id=entry.request_id,
        ip_address=entry.ip_address,
    )


def _seal_on_commit() -> None:
    seal_pending(wait=False, max_batches=1)


def _seal_after_commit() -> None:
    """Seal once the current transaction commits (at once outside a transaction).

    One callback per transaction is enough: it seals every entry committed so far.
    """
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(item[1] is _seal_on_commit for item in pending):
        return
    # robust: a failed seal must not turn a committed request into an error; the entries
    # stay in the queue for the next seal (or ``audit_seal``).
    transaction.on_commit(_seal_on_commit, robust=True)


def _locked_head(*, wait: bool) -> AuditChainHead | None:
    """The chain head, locked for this transaction; None when another sealer holds it."""
    heads = AuditChainHead.objects.select_for_update(skip_locked=not wait)
    head = heads.filter(id=1).first()
    if head is not None:
        return head
    if AuditChainHead.objects.filter(id=1).exists():
        return None
    # No head at all (a flushed database): a fresh one allows no plain links, which can only
    # make verification stricter.
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                id=1,
                sequence=0,
                hash=GENESIS_HASH,
                legacy_sequence=0,
                legacy_hash=GENESIS_HASH,
                legacy_mac=legacy_boundary_mac(0, GENESIS_HASH),
            )
    except IntegrityError:
        pass
    return heads.filter(id=1).first()


def _seal_batch(*, wait: bool, batch: int) -> int | None:
    with transaction.atomic():
        head = _locked_head(wait=wait)
        if head is None:
            return None
        # Read after the lock: every entry committed before this point is visible, and no
        # other sealer can give out a sequence until this transaction ends.
        pending = list(AuditEntry.objects.filter(sequence__isnull=True).order_by("id")[:batch])
        if not pending:
            return 0
        sequence, prev_hash = head.sequence, head.hash
        rows = []
        for entry in pending:
            sequence += 1
            entry.sequence = sequence
            link = chain_hmac(prev_hash, _canonical(entry))
            rows.append((sequence, prev_hash, link, ChainVersion.HMAC.value, entry.pk))
            prev_hash = link
        table = _entry_table()
        with transaction.get_connection().cursor() as cursor:
            # The only UPDATE the append-only trigger and the application role allow.
            cursor.executemany(
                f"UPDATE {table} SET sequence = %s, prev_hash = %s, hash = %s, "  # noqa: S608
                "chain_version = %s WHERE id = %s AND sequence IS NULL",
                rows,
            )
        AuditChainHead.objects.filter(id=1).update(sequence=sequence, hash=prev_hash)
        return len(rows)


def _entry_table() -> str:
    return transaction.get_connection().ops.quote_name(AuditEntry._meta.db_table)


def seal_pending(
    *, wait: bool = True, batch: int = SEAL_BATCH, max_batches: int | None = None
) -> int:
    """Give committed, unsealed entries their place in the chain, oldest row first.

    Each batch holds the chain head's row lock only while it computes and writes its links.
    ``wait=False`` (after every commit) gives up at once when another process is sealing:
    that process, or the next commit, seals what is left. ``audit_seal``,
    ``audit_verify`` and ``audit_checkpoint`` wait, and seal until nothing is pending.
    Returns the number of entries sealed.
    """
    sealed = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        done = _seal_batch(wait=wait, batch=batch)
        if done is None:
            break
        sealed += done
        batches += 1
        if done < batch:
            break
    return sealed


def pending_count() -> int:
    """Entries committed but not yet sealed into the chain."""
    return AuditEntry.objects.filter(sequence__isnull=True).count()


def _entries_in_chain_order() -> Iterator[AuditEntry]:
    # Keyset pagination keeps memory flat on millions of rows.
    last_sequence = 0
    while True:
        batch = list(
            AuditEntry.objects.filter(sequence__gt=last_sequence).order_by("sequence")[:2000]
        )
        if not batch:
            return
        yield from batch
        last_sequence = batch[-1].sequence or last_sequence


@dataclass(frozen=True)
class ChainState:
    """What a verification saw: entries checked, the last link, and the first break."""

    checked: int
    head_hash: str
    broken: ChainBreak | None
    hashes_at: dict[int, str]


def _verify(*, remember: frozenset[int] = frozenset()) -> ChainState:
    head = AuditChainHead.objects.filter(id=1).first()
    legacy_sequence, legacy_hash = 0, GENESIS_HASH
    if head is not None:
        legacy_sequence = head.legacy_sequence
        legacy_hash = head.legacy_hash or GENESIS_HASH
        if not macs_equal(head.legacy_mac, legacy_boundary_mac(legacy_sequence, legacy_hash)):
            return ChainState(
                0,
                GENESIS_HASH,
                ChainBreak(
                    0,
                    None,
                    "the record of where the keyed chain begins does not match the audit key "
                    "(the chain head was altered, or REINTEGRA_AUDIT_KEY is not this "
                    "installation's key)",
                ),
                {},
            )
    prev_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    hashes_at: dict[int, str] = {}

    def broken(reason: str, entry: AuditEntry | None = None) -> ChainState:
        sequence = entry.sequence if entry is not None else expected_sequence
        return ChainState(
            checked,
            prev_hash,
            ChainBreak(sequence or expected_sequence, entry.pk if entry else None, reason),
            hashes_at,
        )

    for entry in _entries_in_chain_order():
        if entry.sequence != expected_sequence:
            return broken(
                f"entry #{expected_sequence} is missing (next present is #{entry.sequence})"
            )
        if entry.prev_hash != prev_hash:
            return broken("its link to the previous entry does not match", entry)
        version = entry.chain_version
        if version == ChainVersion.SHA256 and expected_sequence > legacy_sequence:
            return broken(
                "it carries a plain SHA-256 link where the chain is keyed: it was rewritten",
                entry,
            )
        if version == ChainVersion.HMAC and expected_sequence <= legacy_sequence:
            return broken("it carries a keyed link inside the plain part of the chain", entry)
        if version not in (ChainVersion.SHA256, ChainVersion.HMAC):
            return broken(f"it names an unknown chain version {version!r}", entry)
        expected = link(version, prev_hash, _canonical(entry))
        if not macs_equal(expected, entry.hash or ""):
            return broken("its content does not match its link", entry)
        if expected_sequence == legacy_sequence and not macs_equal(entry.hash or "", legacy_hash):
            return broken("it is not the entry the keyed chain was started from", entry)
        prev_hash = expected
        if expected_sequence in remember:
            hashes_at[expected_sequence] = expected
        expected_sequence += 1
        checked += 1
    if checked < legacy_sequence:
        return broken(
            f"the chain ends at #{checked} but the plain chain was recorded to reach "
            f"#{legacy_sequence}: entries were removed"
        )
    if head is None:
        if checked:
            return broken("the chain head is missing")
    elif head.sequence != checked or not macs_equal(head.hash, prev_hash):
        return ChainState(
            checked,
            prev_hash,
            ChainBreak(
                checked + 1 if head.sequence > checked else checked,
                None,
                f"the chain ends at #{checked} but the head records #{head.sequence}: "
                "entries after it were removed",
            ),
            hashes_at,
        )
    return ChainState(checked, prev_hash, None, hashes_at)


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Recompute every sealed link. Returns the number of entries checked and the first break.

    Unsealed entries are not part of the chain yet: callers seal first (``audit_verify``
    does), and what is still unsealed afterwards committed after the seal began.
    """
    state = _verify()
    return state.checked, state.broken


# Checkpoints: the head of the chain, signed with the audit key, kept outside the database.

CHECKPOINT_FORMAT = "reintegra-audit-checkpoint/1"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read or was not made with this audit key."""


def take_checkpoint() -> dict[str, Any]:
    """Seal what is pending, verify the chain, and describe its head for safe keeping.

    Refuses (``CheckpointError``) when the chain is broken: a checkpoint vouches for it.
    """
    seal_pending(wait=True)
    state = _verify()
    if state.broken is not None:
        raise CheckpointError(
            f"the audit chain is broken at entry #{state.broken.sequence}: {state.broken.reason}"
        )
    taken_at = timezone.now().astimezone(UTC).isoformat(timespec="seconds")
    return {
        "format": CHECKPOINT_FORMAT,
        "sequence": state.checked,
        "count": state.checked,
        "hash": state.head_hash,
        "taken_at": taken_at,
        "mac": checkpoint_mac(state.checked, state.checked, state.head_hash, taken_at),
    }


def read_checkpoint(raw: str) -> dict[str, Any]:
    try:
        checkpoint = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"the checkpoint is not JSON ({exc.msg})") from exc
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"the checkpoint is not a {CHECKPOINT_FORMAT} document")
    sequence, count = checkpoint.get("sequence"), checkpoint.get("count")
    head_hash, taken_at, mac = (
        checkpoint.get("hash"),
        checkpoint.get("taken_at"),
        checkpoint.get("mac"),
    )
    if not (
        isinstance(sequence, int)
        and isinstance(count, int)
        and isinstance(head_hash, str)
        and isinstance(taken_at, str)
        and isinstance(mac, str)
    ):
        raise CheckpointError("the checkpoint lacks sequence, count, hash, taken_at or mac")
    if not macs_equal(mac, checkpoint_mac(sequence, count, head_hash, taken_at)):
        raise CheckpointError(
            "the checkpoint's MAC does not match: it was altered, or made with another "
            "REINTEGRA_AUDIT_KEY"
        )
    return checkpoint


def verify_against_checkpoints(
    checkpoints: list[dict[str, Any]],
) -> tuple[int, ChainBreak | None]:
    """Verify the chain and that it still passes through each checkpoint's head.

    An intact chain whose entry at a checkpoint's sequence carries the checkpoint's link
    extends the checkpoint: every entry up to it is the one the checkpoint vouched for, so
    neither a rewrite re-linked with plain hashes nor a cut-off tail goes unnoticed.
    """
    state = _verify(remember=frozenset(int(c["sequence"]) for c in checkpoints))
    if state.broken is not None:
        return state.checked, state.broken
    for checkpoint in checkpoints:
        sequence = int(checkpoint["sequence"])
        if sequence == 0:
            continue
        if sequence not in state.hashes_at:
            return state.checked, ChainBreak(
                state.checked + 1,
                None,
                f"the checkpoint of {checkpoint['taken_at']} vouches for {sequence} entries "
                f"but the chain holds {state.checked}: entries were removed",
            )
        if not macs_equal(state.hashes_at[sequence], str(checkpoint["hash"])):
            return state.checked, ChainBreak(
                sequence,
                None,
                f"the chain no longer passes through the checkpoint of "
                f"{checkpoint['taken_at']}: it was rewritten and re-linked",
            )
    return state.checked, None
