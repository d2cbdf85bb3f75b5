"""Writes of crisis interventions, case meetings and information requests (DESIGN rule 1):
keyword-only, typed, atomic, audited in the same transaction. Case records arrive through
``accounts.access.get_case_for``; an information request from the coordinator through
``accounts.access.funded_case_for``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, may_on_case
from accounts.access import require_case_action as _check
from accounts.models import User
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record_on_case as _audit
from cases.models import Case
from lib.errors import StaleEdit
from teamwork.models import CaseMeeting, CrisisIntervention, InformationRequest

TEXT_LIMIT = 8000


def _text(errors: dict[str, list[str]], name: str, value: str | None, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = [_("This field is required.")]
    elif len(text) > TEXT_LIMIT:
        errors[name] = [_("Keep this under %(limit)s characters.") % {"limit": TEXT_LIMIT}]
    return text


# ---------------------------------------------------------------- crisis intervention

CRISIS_TEXT = ("situation", "immediate_risks", "actions", "responders", "outcome")


@transaction.atomic
def crisis_record(
    *,
    acting: Acting,
    case: Case,
    occurred_at: datetime.datetime,
    situation: str,
    immediate_risks: str,
    actions: str,
    responders: str,
    outcome: str = "",
    follow_up_needed: bool = True,
) -> CrisisIntervention:
    """A crisis intervention (003 §5.2): situation, immediate risks, actions, who, outcome."""
    _check(acting, case, CaseAction.WORK)
    errors: dict[str, list[str]] = {}
    texts = {
        "situation": _text(errors, "situation", situation, required=True),
        "immediate_risks": _text(errors, "immediate_risks", immediate_risks, required=True),
        "actions": _text(errors, "actions", actions, required=True),
        "responders": _text(errors, "responders", responders, required=True),
        "outcome": _text(errors, "outcome", outcome, required=False),
    }
    if occurred_at > timezone.now():
        errors["occurred_at"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    crisis = CrisisIntervention(
        case=case,
        data_key=case.data_key,
        occurred_at=occurred_at,
        follow_up_needed=follow_up_needed,
        recorded_by=acting.user,
    )
    for name, text in texts.items():
        crisis.set_plain(name, text)
    crisis.save()
    _audit(
        acting,
        AuditAction.CREATE,
        crisis,
        case,
        fields=[*CRISIS_TEXT, "occurred_at", "follow_up_needed"],
    )
    return crisis


# ---------------------------------------------------------------- case meetings


@transaction.atomic
def meeting_record(
    *,
    acting: Acting,
    case: Case,
    held_on: datetime.date,
    participants: Sequence[User],
    minutes_due_on: datetime.date,
    purpose: str,
    decisions: str,
    other_participants: str = "",
    minutes: str = "",
) -> CaseMeeting:
    """A multidisciplinary case meeting (002 L2525-L2538) with its participants, decisions and
    the date by which the minutes are shared."""
    _check(acting, case, CaseAction.WORK)
    errors: dict[str, list[str]] = {}
    texts = {
        "purpose": _text(errors, "purpose", purpose, required=True),
        "decisions": _text(errors, "decisions", decisions, required=True),
        "other_participants": _text(
            errors, "other_participants", other_participants, required=False
        ),
        "minutes": _text(errors, "minutes", minutes, required=False),
    }
    if held_on > timezone.localdate():
        errors["held_on"] = [_("The date cannot be in the future.")]
    if minutes_due_on < held_on:
        errors["minutes_due_on"] = [_("The minutes cannot be due before the meeting.")]
    members = case.organisation.memberships.filter(is_active=True).values_list("user", flat=True)
    outsiders = [user for user in participants if user.pk not in set(members)]
    if outsiders:
        errors["participants"] = [_("Choose members of the organisation's staff.")]
    if not participants and not texts["other_participants"]:
        errors["participants"] = [_("Name who took part in the meeting.")]
    if errors:
        raise ValidationError(errors)
    meeting = CaseMeeting(
        case=case,
        data_key=case.data_key,
        held_on=held_on,
        minutes_due_on=minutes_due_on,
        recorded_by=acting.user,
    )
    for name, text in texts.items():
        meeting.set_plain(name, text)
    meeting.save()
    meeting.participants.set(participants)
    _audit(
        acting,
        AuditAction.CREATE,
        meeting,
        case,
        fields=[*texts, "held_on", "participants", "minutes_due_on"],
        detail={"participants": len(participants)},
    )
    return meeting


@transaction.atomic
def meeting_minutes_share(
    *,
    acting: Acting,
    meeting: CaseMeeting,
    expected_version: int,
    minutes: str,
    shared_on: datetime.date,
) -> CaseMeeting:
    """The assigned worker records the minutes and that they were disseminated to the
    participants (002 L2537-L2538); whether that was within the agreed time shows on the page."""
    _check(acting, meeting.case, CaseAction.WORK)
    locked = CaseMeeting.objects.select_for_update().select_related("data_key").get(pk=meeting.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked)
    errors: dict[str, list[str]] = {}
    text = _text(errors, "minutes", minutes, required=True)
    if shared_on > timezone.localdate():
        errors["shared_on"] = [_("The date cannot be in the future.")]
    elif shared_on < locked.held_on:
        errors["shared_on"] = [_("The minutes cannot be shared before the meeting.")]
    if errors:
        raise ValidationError(errors)
    locked.set_plain("minutes", text)
    locked.minutes_shared_on = shared_on
    locked.minutes_shared_by = acting.user
    locked.version += 1
    locked.save()
    _audit(
        acting,
        AuditAction.UPDATE,
        locked,
        meeting.case,
        fields=["minutes", "minutes_shared_on"],
        detail={"on_time": shared_on <= locked.minutes_due_on},
    )
    return locked


# ---------------------------------------------------------------- information requests


@transaction.atomic
def information_request_create(
    *,
    acting: Acting,
    case: Case,
    question: str,
    answer_by: datetime.date | None = None,
) -> InformationRequest:
    """The fund asks the case manager for information at any stage of the plan (001 §8.2).
    ``case`` comes from ``accounts.access.funded_case_for``."""
    if not acting.can(Capability.PLAN_APPROVE_FUNDED):
        raise PermissionDenied("only the coordinating fund asks for information")
    errors: dict[str, list[str]] = {}
    text = _text(errors, "question", question, required=True)
    if answer_by is not None and answer_by < timezone.localdate():
        errors["answer_by"] = [_("The answer cannot be expected in the past.")]
    if errors:
        raise ValidationError(errors)
    request = InformationRequest(
        case=case,
        data_key=case.data_key,
        organisation=acting.organisation,
        requested_by=acting.user,
        answer_by=answer_by,
    )
    request.set_plain("question", text)
    request.save()
    _audit(acting, AuditAction.CREATE, request, case, fields=["question", "answer_by"])
    return request


@transaction.atomic
def information_request_answer(
    *,
    acting: Acting,
    request: InformationRequest,
    expected_version: int,
    answer: str,
) -> InformationRequest:
    """The case manager (or a supervisor of the owning organisation) answers."""
    case = request.case
    if not may_on_case(acting, case, CaseAction.MANAGE):
        raise PermissionDenied("may not answer for this case")
    locked = (
        InformationRequest.objects.select_for_update().select_related("data_key").get(pk=request.pk)
    )
    if locked.version != expected_version:
        raise StaleEdit(locked)
    errors: dict[str, list[str]] = {}
    text = _text(errors, "answer", answer, required=True)
    if errors:
        raise ValidationError(errors)
    locked.set_plain("answer", text)
    locked.answered_by = acting.user
    locked.answered_at = timezone.now()
    locked.version += 1
    locked.save()
    _audit(acting, AuditAction.UPDATE, locked, case, fields=["answer"])
    return locked


def records_read(*, acting: Acting, case: Case, records: Sequence[Any]) -> None:
    """Reads of these records are case data: audited, one entry for the section."""
    _audit(
        acting, AuditAction.VIEW, None, case, detail={"section": "teamwork", "rows": len(records)}
    )
