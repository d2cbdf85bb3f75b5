"""Invented assistance for ``generate_synthetic``: ledger items for a realistic share of the
new cases, in bulk (one insert per batch), the free text (funder's name, off-plan reason)
encrypted with each person's key."""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

from assistance.codes import AcknowledgementMethod, ItemCategory, Provision, Unit
from assistance.models import LedgerItem
from cases.models import Case
from crypto.services import encrypt_text

# Most assisted people receive something from the ledger; those still being identified do not.
SHARE_WITH_ASSISTANCE = 0.45
CURRENCY_BY_COUNTRY = {"MD": "MDL", "GE": "GEL", "AL": "ALL", "RO": "RON"}
# (category, unit, low, high) in whole units of a local currency, weighted by how often the
# seeds' forms list them (000 IOM blank forms: food and hygiene packages, transport, ...).
KINDS = (
    (ItemCategory.FOOD_HYGIENE, Unit.PACKAGE, 40, 160, 30),
    (ItemCategory.TRANSPORT, Unit.TRIP, 5, 60, 25),
    (ItemCategory.MEDICAL, Unit.PIECE, 20, 400, 12),
    (ItemCategory.CLOTHING, Unit.PACKAGE, 30, 200, 10),
    (ItemCategory.RENT, Unit.MONTH, 150, 400, 8),
    (ItemCategory.SCHOLARSHIP, Unit.MONTH, 100, 300, 5),
    (ItemCategory.MATERIAL_AID, Unit.PIECE, 50, 600, 7),
    (ItemCategory.CASH, Unit.LUMP_SUM, 50, 300, 3),
)
REASONS = (
    "Emergency aid at admission",
    "Needed before the plan was approved",
    "Immediate need after a crisis",
)


def ledger_items_bulk_seed(rng: random.Random, cases: list[Case], today: datetime.date) -> int:
    items: list[LedgerItem] = []
    weights = [kind[4] for kind in KINDS]
    for case in cases:
        if case.case_manager_id is None or rng.random() >= SHARE_WITH_ASSISTANCE:
            continue
        currency = CURRENCY_BY_COUNTRY.get(case.organisation.country, "EUR")
        span = max(0, (today - case.received_at).days)
        for _ in range(rng.randint(1, 6)):
            category, unit, low, high, _weight = rng.choices(KINDS, weights=weights)[0]
            given_on = case.received_at + datetime.timedelta(days=rng.randint(0, min(span, 365)))
            item = LedgerItem(
                uuid=uuid.uuid4(),
                case=case,
                organisation_id=case.organisation_id,
                data_key=case.data_key,
                category=category,
                given_on=given_on,
                quantity=Decimal(rng.randint(1, 3)),
                unit=unit,
                amount=Decimal(rng.randint(low, high)),
                currency=currency,
                provision=Provision.IN_KIND if rng.random() < 0.15 else Provision.PAID,
                recorded_by_id=case.case_manager_id,
            )
            # Free text under the person's key, as ``LedgerItem.set_plain`` stores it.
            item.funding_source_name_enc = encrypt_text(
                case.data_key,
                "Programme budget",
                table=LedgerItem._meta.db_table,
                column="funding_source_name_enc",
                row=str(item.uuid),
            )
            item.off_plan_reason_enc = encrypt_text(
                case.data_key,
                rng.choice(REASONS),
                table=LedgerItem._meta.db_table,
                column="off_plan_reason_enc",
                row=str(item.uuid),
            )
            if rng.random() < 0.8:
                item.acknowledgement = AcknowledgementMethod.ON_SCREEN
                item.acknowledged_on = given_on
            items.append(item)
    LedgerItem.objects.bulk_create(items, batch_size=5000)
    return len(items)
