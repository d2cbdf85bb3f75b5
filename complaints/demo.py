"""Demo complaints (``seed_demo``): an anonymous one from the shelter's box, still open, and
a named one linked to a case at the person's request and answered. Organisations that already
have complaints are left alone."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.access import acting_for
from accounts.models import Organisation, User
from cases.models import Case
from complaints.models import Complaint
from complaints.services import complaint_answer, complaint_record


@transaction.atomic
def seed_complaints(organisations: dict[str, Organisation]) -> int:
    today = timezone.localdate()
    seeded = 0
    for key, recorder_name, handler_name in (
        ("ngo_md", "ana.case", "lina.complaints"),
        ("ngo_al", "dritan.case", "dritan.case"),
    ):
        organisation = organisations.get(key)
        recorder = User.objects.filter(username=recorder_name).first()
        handler = User.objects.filter(username=handler_name).first()
        if organisation is None or recorder is None or handler is None:
            continue
        if Complaint.objects.filter(organisation=organisation).exists():
            continue
        worker = acting_for(recorder, organisation)
        handling = acting_for(handler, organisation)
        if worker is None or handling is None:
            continue
        complaint_record(
            acting=worker,
            received_on=today - datetime.timedelta(days=3),
            channel="box",
            subject="accommodation",
            details="The hot water in the shelter has not worked for a week.",
            anonymous=True,
        )
        case = (
            Case.objects.filter(organisation=organisation, case_manager=recorder)
            .order_by("received_at")
            .first()
        )
        named = complaint_record(
            acting=worker,
            received_on=today - datetime.timedelta(days=20),
            channel="in_person",
            subject="service_not_received",
            details="The vocational course promised in my plan has not started.",
            complainant="(the person of the linked case)",
            case_id=case.pk if case else None,
        )
        complaint_answer(
            acting=handling,
            complaint=named,
            expected_version=named.version,
            handler=handler,
            response="The course starts next month; the place is reserved.",
            responded_on=today - datetime.timedelta(days=12),
            outcome="upheld",
        )
        seeded += 2
    return seeded
