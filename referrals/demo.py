"""Demo referrals between the demo organisations, through the services: one waiting for an
answer at the Albanian NGO, one completed by the Romanian shelter, one declined for a waiting
list (so the register and the coordinator's gap counts have an entry). Safe to run again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.access import Acting, acting_for
from accounts.models import Organisation, User
from cases.models import Case
from consent.services import consent_record
from referrals.models import Referral, ReferralStatus, UnmetReason
from referrals.services import referral_answer, referral_send


def _acting(username: str, organisation: Organisation) -> Acting:
    acting = acting_for(User.objects.get(username=username), organisation)
    if acting is None:
        raise ValueError(f"{username} has no role at {organisation}")
    return acting


def _consent(acting: Acting, case: Case, recipient: Organisation) -> None:
    consent_record(
        acting=acting,
        case=case,
        purpose="sharing",
        given_by="person",
        method="electronic",
        given_on=timezone.localdate(),
        recipient=recipient,
    )


@transaction.atomic
def seed_referrals(organisations: dict[str, Organisation]) -> int:
    sender_org = organisations["ngo_md"]
    if Referral.objects.filter(sender=sender_org).exists():
        return 0
    adults = list(
        Case.objects.select_related("data_key", "person__data_key", "case_manager")
        .filter(organisation=sender_org, minor_at_reception=False, case_manager__isnull=False)
        .order_by("id")[:3]
    )
    if len(adults) < 3:
        return 0
    sender = _acting("elena.super", sender_org)
    albania, shelter = organisations["ngo_al"], organisations["shelter_ro"]
    plans = (
        (adults[0], albania, "vocational_training", "Tailoring course near her family"),
        (adults[1], shelter, "shelter", "Safe accommodation while the court case runs"),
        (adults[2], albania, "employment", "Help finding work after the course"),
    )
    sent = []
    for case, recipient, category, purpose in plans:
        _consent(sender, case, recipient)
        sent.append(
            referral_send(
                acting=sender,
                case=case,
                recipient=recipient,
                category=category,
                purpose=purpose,
                sections=["summary", "needs"],
                options_offered="Two providers were offered; the person chose this one.",
                chosen_by_person=True,
            )
        )
    ioana = _acting("ioana.case", shelter)
    accepted = referral_answer(
        acting=ioana,
        referral=sent[1],
        status=ReferralStatus.ACCEPTED,
        answer="A room is ready from Monday.",
        expected_version=sent[1].version,
    )
    referral_answer(
        acting=ioana,
        referral=accepted,
        status=ReferralStatus.COMPLETED,
        feedback="Stayed six weeks, moved to protected housing.",
        expected_version=accepted.version,
    )
    referral_answer(
        acting=_acting("dritan.case", albania),
        referral=sent[2],
        status=ReferralStatus.DECLINED,
        reason=UnmetReason.WAITING_LIST,
        answer="No placements until spring.",
        expected_version=sent[2].version,
    )
    return len(sent)
