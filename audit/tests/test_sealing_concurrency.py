"""Writers append in parallel; only the sealer orders entries, so the chain never forks.

PostgreSQL only: SQLite serialises every writer at the database anyway.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from audit.models import AuditAction, AuditChainHead, AuditEntry
from audit.services import pending_count, record, seal_pending, verify_chain

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
]


def _in_thread(work, errors: list[BaseException]):
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_parallel_writers_get_every_entry_sealed_exactly_once():
    writers, per_writer = 8, 30
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(number: int) -> None:
        start.wait()
        for index in range(per_writer):
            # A read (one entry) or a write (its entry plus a second one), each in its own
            # transaction, sealed after commit by whichever writer gets the head first.
            with transaction.atomic():
                record(action=AuditAction.VIEW, target=("cases.case", number), case_id=number)
                if index % 3 == 0:
                    record(
                        action=AuditAction.UPDATE,
                        target=("cases.case", number),
                        case_id=number,
                        fields=["risk_level"],
                    )

    threads = [_in_thread(lambda n=n: write(n), errors) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = writers * (per_writer + per_writer // 3)
    sealed_by_writers = total - pending_count()
    # The writers sealed as they went (the final call below only mops up what the last
    # commits left behind while another writer held the head).
    assert sealed_by_writers > 0
    seal_pending()
    sequences = list(AuditEntry.objects.values_list("sequence", flat=True))
    assert len(sequences) == total
    assert None not in sequences
    assert sorted(int(sequence or 0) for sequence in sequences) == list(range(1, total + 1))
    assert AuditChainHead.objects.get(id=1).sequence == total
    assert verify_chain() == (total, None)


def test_a_held_chain_head_does_not_hold_up_writers():
    seal_pending()
    locked = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def hold_the_head() -> None:
        with transaction.atomic():
            AuditChainHead.objects.select_for_update().get(id=1)
            locked.set()
            release.wait(timeout=30)

    holder = _in_thread(hold_the_head, errors)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        began = time.monotonic()
        with transaction.atomic():
            entry = record(action=AuditAction.VIEW, target=("cases.case", 1))
        # Committed and its seal attempt skipped the busy head instead of waiting for it.
        assert time.monotonic() - began < 2
        assert AuditEntry.objects.get(pk=entry.pk).sequence is None
    finally:
        release.set()
        holder.join()
    assert errors == []
    assert seal_pending() == 1
    assert verify_chain() == (1, None)
