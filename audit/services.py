"""Writing and verifying the audit log.

``audit.services.record(...)`` is the one-line helper every write and every read of case
data calls. It must run inside the caller's transaction so the entry commits or rolls back
with the change it describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, ChainBreak, canonical_entry, chain_hash
from audit.context import current_request
from audit.models import AuditAction, AuditChainHead, AuditEntry


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
    """Append one entry to the audit chain, in the current transaction.

    ``target`` is a model instance or an ``(object_type, object_id)`` pair. ``fields`` are
    the names of changed fields, never their values. ``detail`` holds non-identifying
    context such as a reason code or an old and new role.
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
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"sequence": 0, "hash": GENESIS_HASH}
        )
        sequence = head.sequence + 1
        entry = AuditEntry(
            sequence=sequence,
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
            prev_hash=head.hash,
        )
        entry.hash = chain_hash(entry.prev_hash, _canonical(entry))
        entry.save(force_insert=True)
        AuditChainHead.objects.filter(id=1).update(sequence=sequence, hash=entry.hash)
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
        sequence=entry.sequence,
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
        last_sequence = batch[-1].sequence


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Recompute the chain. Returns the number of entries checked and the first break."""
    prev_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in _entries_in_chain_order():
        if entry.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence,
                None,
                f"entry #{expected_sequence} is missing (next present is #{entry.sequence})",
            )
        if entry.prev_hash != prev_hash:
            return checked, ChainBreak(
                entry.sequence, entry.pk, "its link to the previous entry does not match"
            )
        if chain_hash(prev_hash, _canonical(entry)) != entry.hash:
            return checked, ChainBreak(
                entry.sequence, entry.pk, "its content does not match its hash"
            )
        prev_hash = entry.hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.sequence != checked or head.hash != prev_hash):
        return checked, ChainBreak(
            checked + 1 if head.sequence > checked else checked,
            None,
            f"the chain ends at #{checked} but the head records #{head.sequence}: "
            "entries after it were removed",
        )
    return checked, None
