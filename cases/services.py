"""Writes for the case file (DESIGN rule 1): keyword-only, typed, atomic, audited in the same
transaction. Every function receives the case already fetched through
``accounts.access.get_case_for`` and checks the action again, so a caller that forgets the
chokepoint is still refused."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction
from accounts.access import require_case_action as _check
from accounts.models import Membership, Organisation, User
from accounts.roles import Capability, Role
from audit.models import AuditAction
from audit.services import record
from audit.services import record_on_case as _audit
from cases.codes import (
    PROFILE_CODE_CHOICES,
    AssignmentReason,
    ChangeRequestStatus,
    ChecklistItem,
    CompensationStatus,
    IdentificationStatus,
    IdentifyingBody,
    InterviewPrinciple,
    NoteKind,
    ProceedingsRole,
    ProceedingsStatus,
    ProfileCodeList,
    RelationshipToTrafficker,
    RiskLevel,
)
from cases.duplicates import DuplicateReport, find_duplicates
from cases.models import (
    Case,
    CaseDocument,
    CaseManagerAssignment,
    CaseManagerChangeRequest,
    CaseNote,
    CaseNumberSequence,
    IdentificationDecision,
    IdentificationInterview,
    InterviewPrincipleCheck,
    Screening,
    TeamMember,
    TraffickingIndicator,
    TraffickingProfile,
)
from cases.policy import age_of_majority, is_minor
from consent.models import ConsentPurpose
from consent.services import require_consent
from crypto.files import read_encrypted
from lib.errors import StaleEdit
from lib.uploads import store_upload
from people.models import Person
from people.services import PersonInput, person_create
from policies.services import case_policy_assign
from work.models import MilestoneKind
from work.services import milestone_record

# Team role of the worker who registered the case; stored as data, so not translated.
INTAKE_ROLE = "intake"


class PossibleDuplicate(Exception):
    """Registration found a possible match; the worker must look and confirm."""

    def __init__(self, report: DuplicateReport) -> None:
        super().__init__(_("This person may already be known."))
        self.report = report


# ---------------------------------------------------------------- numbers and codes

# Crockford's base32 without I, L, O, U: codes read aloud over the phone are not misheard.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_case_code() -> str:
    """A pseudonymous code such as "R-7KQ4-X9M2": random, so it says nothing about the
    organisation, the date or the person."""
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"R-{body[:4]}-{body[4:]}"


def next_case_number(organisation: Organisation, year: int) -> str:
    """ "<prefix>-<year>-<serial>", gap-tolerant and race-free: the serial is incremented in the
    database under the row lock of the (organisation, year) counter, created once per year in a
    savepoint so two first registrations of a year cannot both insert it."""
    updated = CaseNumberSequence.objects.filter(organisation=organisation, year=year).update(
        last_serial=F("last_serial") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                CaseNumberSequence.objects.create(
                    organisation=organisation, year=year, last_serial=1
                )
        except IntegrityError:
            CaseNumberSequence.objects.filter(organisation=organisation, year=year).update(
                last_serial=F("last_serial") + 1
            )
    serial = CaseNumberSequence.objects.values_list("last_serial", flat=True).get(
        organisation=organisation, year=year
    )
    return f"{organisation.case_prefix}-{year}-{serial:04d}"


# ---------------------------------------------------------------- registration


@dataclass
class CaseInput:
    received_at: datetime.date
    first_contact_on: datetime.date | None = None
    referring_organisation: Organisation | None = None
    referring_party: str = ""
    risk_level: str = ""
    security_alert: bool = False
    in_proceedings: bool = False
    emergency_needs: str = ""
    immediate_assistance: str = ""


@transaction.atomic
def case_register(
    *,
    acting: Acting,
    person: PersonInput,
    case: CaseInput,
    confirmed_not_duplicate: bool = False,
    existing_person: Person | None = None,
) -> Case:
    """Register a person and open their case (SPEC C1, C2): the reception of the case, on
    ``received_at``. The one place a case is received: the deadline milestones of the policy
    engine that count from reception hook in here. The registering worker joins the team so
    they keep sight of the case until a case manager is assigned (002 L990-L1000)."""
    if not acting.can(Capability.CASE_CREATE):
        raise PermissionDenied("may not register cases")
    person.validate()
    if case.received_at > timezone.localdate():
        raise ValidationError({"received_at": [_("The date received cannot be in the future.")]})
    if case.risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": [_("Choose one of the listed values.")]})
    report = find_duplicates(
        organisation_id=acting.organisation.pk,
        names=[person.given_name, person.family_name, *person.aliases],
        date_of_birth=person.date_of_birth,
    )
    # A returning person (SPEC C9): a new episode on the person already known, not a new person.
    if existing_person is not None:
        report = DuplicateReport()
    if report.found:
        # The announcement itself is audited: who learnt that a match exists, without its data.
        record(
            action=AuditAction.VIEW,
            actor=acting.user,
            organisation=acting.organisation,
            target=("cases.duplicate_check", "registration"),
            detail={
                "same_organisation_matches": len(report.same_organisation),
                "match_elsewhere": report.elsewhere,
                "confirmed": confirmed_not_duplicate,
            },
        )
        if not confirmed_not_duplicate:
            raise PossibleDuplicate(report)
    created = existing_person or person_create(data=person)
    organisation = acting.organisation
    citizenships = {c.upper() for c in person.citizenships}
    minor = is_minor(
        date_of_birth=person.date_of_birth,
        birth_year=person.effective_birth_year,
        on=case.received_at,
        majority=age_of_majority(organisation),
    )
    new = Case(
        organisation=organisation,
        number=next_case_number(organisation, case.received_at.year),
        code=new_case_code(),
        received_at=case.received_at,
        policy_pack=organisation.policy_pack,
        person=created,
        data_key=created.data_key,
        registered_by=acting.user,
        first_contact_on=case.first_contact_on or case.received_at,
        referring_organisation=case.referring_organisation,
        risk_level=case.risk_level,
        security_alert=case.security_alert,
        in_proceedings=case.in_proceedings,
        minor_at_reception=bool(minor),
        foreign_national=bool(citizenships) and organisation.country.upper() not in citizenships,
    )
    new.set_plain("emergency_needs", case.emergency_needs.strip() or None)
    new.set_plain("referring_party", case.referring_party.strip()[:200] or None)
    new.set_plain("immediate_assistance", case.immediate_assistance.strip() or None)
    # The case runs under the organisation's current pack version until explicitly migrated.
    case_policy_assign(new)
    new.save()
    TraffickingProfile.objects.create(case=new, data_key=created.data_key)
    TeamMember.objects.create(case=new, user=acting.user, role=INTAKE_ROLE, added_by=acting.user)
    _audit(
        acting,
        AuditAction.CREATE,
        new,
        new,
        fields=[
            "person",
            "received_at",
            "referring_organisation",
            "flags",
            "emergency_needs",
            "immediate_assistance",
        ],
        detail={"number": new.number},
    )
    # Reception starts the pack's clocks (assessment due, plan due, ...): the registering
    # worker holds them until a case manager is assigned.
    milestone_record(
        case=new,
        kind=MilestoneKind.RECEPTION,
        occurred_on=new.received_at,
        actor=acting.user,
        responsible=acting.user,
    )
    return new


CASE_DETAIL_FIELDS = (
    "received_at",
    "first_contact_on",
    "referring_organisation",
    "risk_level",
    "security_alert",
    "in_proceedings",
    "immediate_needs_met_on",
    "minor_at_reception",
)


@transaction.atomic
def case_update(
    *, acting: Acting, case: Case, expected_version: int, values: dict[str, Any]
) -> Case:
    """Key dates, referral and flags, with the version check (DESIGN rule 4). Emergency needs and
    immediate assistance are encrypted text fields in ``values`` too."""
    _check(acting, case, CaseAction.WORK)
    locked = (
        Case.objects.select_for_update()
        .select_related("data_key", "person__data_key")
        .get(pk=case.pk)
    )
    if locked.version != expected_version:
        raise StaleEdit(locked)
    if values.get("risk_level", locked.risk_level) not in RiskLevel.values:
        raise ValidationError({"risk_level": [_("Choose one of the listed values.")]})
    for day in ("received_at", "first_contact_on", "immediate_needs_met_on"):
        value = values.get(day)
        if value is not None and value > timezone.localdate():
            raise ValidationError({day: [_("The date cannot be in the future.")]})
    if (
        "minor_at_reception" in values
        and values["minor_at_reception"] != locked.minor_at_reception
        and (locked.person.date_of_birth is not None or locked.person.birth_year is not None)
    ):
        # The flag decides only where no date or year of birth is known (cases.policy).
        raise ValidationError(
            {
                "minor_at_reception": [
                    _("Minor status follows the date or year of birth; correct those instead.")
                ]
            }
        )
    changed = [k for k in CASE_DETAIL_FIELDS if k in values and getattr(locked, k) != values[k]]
    for name in changed:
        setattr(locked, name, values[name])
    for column in Case.ENCRYPTED:
        if column in values:
            new_text = (values[column] or "").strip() or None
            if new_text != locked.get_plain(column):
                locked.set_plain(column, new_text)
                changed.append(column)
    if changed:
        locked.version += 1
        locked.save()
        _audit(acting, AuditAction.UPDATE, locked, locked, fields=changed)
    return locked


# ---------------------------------------------------------------- trafficking profile

PROFILE_FIELDS = (
    "recruitment_country",
    "exploitation_started_on",
    "exploitation_ended_on",
    "relationship_to_trafficker",
    "has_debts",
    "other_victims_known",
    "other_victims_count",
    "criminal_proceedings",
    "civil_proceedings",
    "role_in_proceedings",
    "compensation",
)


def _validate_profile(values: dict[str, Any], codes: dict[str, list[str]]) -> None:
    errors: dict[str, list[str]] = {}
    choices = {
        "relationship_to_trafficker": RelationshipToTrafficker,
        "criminal_proceedings": ProceedingsStatus,
        "role_in_proceedings": ProceedingsRole,
        "compensation": CompensationStatus,
    }
    for name, enum in choices.items():
        if name in values and values[name] not in enum.values:
            errors[name] = [_("Choose one of the listed values.")]
    country = values.get("recruitment_country") or ""
    if country and (len(country) != 2 or not country.isalpha()):
        errors["recruitment_country"] = [_("Use the two-letter ISO country code.")]
    start, end = values.get("exploitation_started_on"), values.get("exploitation_ended_on")
    if start and end and end < start:
        errors["exploitation_ended_on"] = [_("The end of exploitation is before its start.")]
    for list_name, picked in codes.items():
        if list_name not in ProfileCodeList.values:
            errors[list_name] = [_("Unknown list.")]
            continue
        code_list = PROFILE_CODE_CHOICES[list_name]
        for code in picked:
            if code_list is not None:
                valid = code in code_list.values
            else:
                valid = len(code) == 2 and code.isalpha()
            if not valid:
                errors[list_name] = [_("%(code)s is not a value of this list.") % {"code": code}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def profile_update(
    *,
    acting: Acting,
    case: Case,
    expected_version: int,
    values: dict[str, Any],
    codes: dict[str, list[str]],
    texts: dict[str, str | None],
) -> TraffickingProfile:
    """The trafficking profile (SPEC C1): plain codes and dates, encrypted free text
    (``texts``: places, routes, traffickers, debts, other_victims)."""
    _check(acting, case, CaseAction.WORK)
    _validate_profile(values, codes)
    profile = (
        TraffickingProfile.objects.select_for_update().select_related("data_key").get(case=case)
    )
    if profile.version != expected_version:
        raise StaleEdit(profile)
    changed = [k for k in PROFILE_FIELDS if k in values and getattr(profile, k) != values[k]]
    for name in changed:
        value = values[name]
        setattr(profile, name, value.upper() if name == "recruitment_country" and value else value)
    for column, text in texts.items():
        if column not in TraffickingProfile.ENCRYPTED:
            raise ValidationError({column: [_("Unknown field.")]})
        new_text = (text or "").strip() or None
        if new_text != profile.get_plain(column):
            profile.set_plain(column, new_text)
            changed.append(column)
    existing = {(c.list, c.code) for c in profile.codes.all()}
    wanted = {
        (list_name, code.upper() if PROFILE_CODE_CHOICES[list_name] is None else code)
        for list_name, picked in codes.items()
        for code in picked
    }
    wanted |= {pair for pair in existing if pair[0] not in codes}
    if wanted != existing:
        profile.codes.all().delete()
        profile.codes.model.objects.bulk_create(
            profile.codes.model(profile=profile, list=list_name, code=code)
            for list_name, code in sorted(wanted)
        )
        changed.extend(sorted({pair[0] for pair in wanted ^ existing}))
    profile.version += 1
    profile.save()
    if profile.criminal_proceedings != ProceedingsStatus.NONE and not case.in_proceedings:
        # The case flag follows the profile, so lists can filter on it without a join.
        Case.objects.filter(pk=case.pk).update(in_proceedings=True, version=F("version") + 1)
        changed.append("in_proceedings")
    _audit(acting, AuditAction.UPDATE, profile, case, fields=changed)
    return profile


# ---------------------------------------------------------------- identification and intake


@transaction.atomic
def screening_record(
    *,
    acting: Acting,
    case: Case,
    screened_on: datetime.date,
    indicator_ids: list[int],
    notes: str = "",
) -> Screening:
    """Trafficking-indicator screening (003 L146-L147; the list is configurable)."""
    _check(acting, case, CaseAction.WORK)
    if screened_on > timezone.localdate():
        raise ValidationError({"screened_on": [_("The date cannot be in the future.")]})
    indicators = list(TraffickingIndicator.objects.filter(pk__in=indicator_ids, is_active=True))
    if len(indicators) != len(set(indicator_ids)):
        raise ValidationError({"indicators": [_("Choose indicators from the list.")]})
    screening = Screening(
        case=case, data_key=case.data_key, screened_on=screened_on, screened_by=acting.user
    )
    screening.set_plain("notes", notes.strip() or None)
    screening.save()
    screening.indicators.set(indicators)
    _audit(
        acting,
        AuditAction.CREATE,
        screening,
        case,
        fields=["screened_on", "indicators", "notes"],
        detail={"indicators_present": len(indicators)},
    )
    return screening


@transaction.atomic
def interview_record(
    *,
    acting: Acting,
    case: Case,
    held_on: datetime.date,
    language: str,
    interpreter_present: bool,
    personal_information: str,
    medical_history: str,
    trafficking_information: str,
    principles: list[str],
) -> IdentificationInterview:
    """The initial identification interview (003 L152-L155) and the WHO principles checklist
    (003 L156-L179)."""
    _check(acting, case, CaseAction.WORK)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("The date cannot be in the future.")]
    if language and (not 2 <= len(language) <= 3 or not language.isalpha()):
        errors["language"] = [_("Use an ISO 639 language code, e.g. ro, ru, ka, sq.")]
    unknown = [p for p in principles if p not in InterviewPrinciple.values]
    if unknown:
        errors["principles"] = [_("Choose principles from the list.")]
    if errors:
        raise ValidationError(errors)
    # 003 §5.1 (WHO principle 1); 002 L890-L892: the interview is recorded only with the
    # person's informed consent.
    require_consent(case, ConsentPurpose.INTERVIEW)
    interview = IdentificationInterview(
        case=case,
        data_key=case.data_key,
        held_on=held_on,
        interviewer=acting.user,
        language=language.lower(),
        interpreter_present=interpreter_present,
    )
    interview.set_plain("personal_information", personal_information.strip() or None)
    interview.set_plain("medical_history", medical_history.strip() or None)
    interview.set_plain("trafficking_information", trafficking_information.strip() or None)
    interview.save()
    InterviewPrincipleCheck.objects.bulk_create(
        InterviewPrincipleCheck(interview=interview, principle=p) for p in dict.fromkeys(principles)
    )
    _audit(
        acting,
        AuditAction.CREATE,
        interview,
        case,
        fields=[
            "held_on",
            "language",
            "personal_information",
            "medical_history",
            "trafficking_information",
            "principles",
        ],
    )
    return interview


# 001 §3.1; 002 L1114-L1142. A person is at risk, then a potential (presumed) victim, then
# formally identified; "not a victim" may be reached from either earlier stage and a person
# referred elsewhere can be screened again (re-identification, SPEC C1).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    IdentificationStatus.AT_RISK: frozenset(
        {IdentificationStatus.POTENTIAL, IdentificationStatus.NOT_VICTIM}
    ),
    IdentificationStatus.POTENTIAL: frozenset(
        {IdentificationStatus.IDENTIFIED, IdentificationStatus.NOT_VICTIM}
    ),
    IdentificationStatus.NOT_VICTIM: frozenset({IdentificationStatus.AT_RISK}),
    IdentificationStatus.IDENTIFIED: frozenset(),
}


def transition_refusal(
    *,
    current: str,
    target: str,
    decided_on: datetime.date | None,
    today: datetime.date,
    identifying_body: str,
    identifying_authority: str,
    has_decision_document: bool,
    referred_to: str,
) -> dict[str, str] | None:
    """Why a change of identification status is refused (field → message), or None. Pure."""
    if target not in IdentificationStatus.values:
        return {"to_status": _("Choose one of the listed statuses.")}
    if target == current:
        return {"to_status": _("The case already has this status.")}
    if target not in ALLOWED_TRANSITIONS[current]:
        return {
            "to_status": _("A case cannot go from “%(current)s” to “%(target)s”.")
            % {
                "current": IdentificationStatus(current).label,
                "target": IdentificationStatus(target).label,
            }
        }
    if decided_on is None:
        return {"decided_on": _("Enter the date of the decision.")}
    if decided_on > today:
        return {"decided_on": _("The date cannot be in the future.")}
    if target == IdentificationStatus.IDENTIFIED:
        # Formal identification says who identified, when, and on what document (001 §3.1).
        if identifying_body not in IdentifyingBody.values:
            return {"identifying_body": _("Say which body formally identified the person.")}
        if not identifying_authority.strip():
            return {"identifying_authority": _("Name the identifying authority.")}
        if not has_decision_document:
            return {"decision_document": _("Attach the decision document.")}
    if target == IdentificationStatus.NOT_VICTIM and not referred_to.strip():
        # 003 L151: a person not identified is referred to other support services.
        return {"referred_to": _("Say where the person was referred.")}
    return None


@transaction.atomic
def identification_transition(
    *,
    acting: Acting,
    case: Case,
    to_status: str,
    decided_on: datetime.date | None,
    identifying_body: str = "",
    identifying_authority: str = "",
    referred_to: str = "",
    reason: str = "",
    decision_document: Any = None,
    expected_version: int,
    decided_elsewhere: bool = False,
) -> IdentificationDecision:
    """Record a change of identification status.

    ``decided_elsewhere`` records a decision another organisation already took (an HTCDS
    import): nobody here refers the person to formal identification, so the consent gate for
    that referral does not apply to it.
    """
    _check(acting, case, CaseAction.MANAGE)
    locked = Case.objects.select_for_update().select_related("data_key").get(pk=case.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked)
    refusal = transition_refusal(
        current=locked.identification_status,
        target=to_status,
        decided_on=decided_on,
        today=timezone.localdate(),
        identifying_body=identifying_body,
        identifying_authority=identifying_authority,
        has_decision_document=decision_document is not None,
        referred_to=referred_to,
    )
    if refusal:
        raise ValidationError({k: [v] for k, v in refusal.items()})
    assert decided_on is not None  # checked by transition_refusal
    if to_status == IdentificationStatus.IDENTIFIED and not decided_elsewhere:
        # SPEC C3 "formal identification"; 002 Step 2: the person is referred to formal
        # identification only with their consent.
        require_consent(locked, ConsentPurpose.FORMAL_IDENTIFICATION)
    decision = IdentificationDecision(
        case=locked,
        data_key=locked.data_key,
        from_status=locked.identification_status,
        to_status=to_status,
        decided_on=decided_on,
        identifying_body=identifying_body if to_status == IdentificationStatus.IDENTIFIED else "",
        identifying_authority=identifying_authority.strip()
        if to_status == IdentificationStatus.IDENTIFIED
        else "",
        referred_to=referred_to.strip() if to_status == IdentificationStatus.NOT_VICTIM else "",
        recorded_by=acting.user,
    )
    decision.set_plain("reason", reason.strip() or None)
    if decision_document is not None:
        stored = store_upload(
            decision_document,
            key=locked.data_key,
            table=IdentificationDecision._meta.db_table,
            column="decision_file",
            row=str(decision.uuid),
            field="decision_document",
        )
        decision.decision_file = stored.name
        decision.set_plain("decision_file_name", stored.original_name)
    decision.save()
    locked.identification_status = to_status
    if to_status == IdentificationStatus.IDENTIFIED:
        locked.identified_on = decided_on
    locked.version += 1
    locked.save()
    _audit(
        acting,
        AuditAction.TRANSITION,
        decision,
        locked,
        fields=["identification_status"],
        detail={"from": decision.from_status, "to": to_status},
    )
    return decision


# ---------------------------------------------------------------- reception and assignment


@transaction.atomic
def case_admit(
    *, acting: Acting, case: Case, admitted_on: datetime.date, expected_version: int
) -> Case:
    """Admission to the programme (002 L990; the admission statement is checklist item f)."""
    _check(acting, case, CaseAction.MANAGE)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked)
    if locked.admitted_on is not None:
        raise ValidationError({"admitted_on": [_("The person was already admitted.")]})
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": [_("The date cannot be in the future.")]})
    if admitted_on < locked.received_at:
        raise ValidationError(
            {"admitted_on": [_("Admission cannot be before the case was received.")]}
        )
    locked.admitted_on = admitted_on
    locked.version += 1
    locked.save()
    _audit(
        acting,
        AuditAction.TRANSITION,
        locked,
        locked,
        fields=["admitted_on"],
        detail={"to": "admitted"},
    )
    return locked


def eligible_case_managers(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(
                organisation=organisation, role__in=[Role.CASE_MANAGER, Role.SUPERVISOR]
            )
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@transaction.atomic
def case_assign_manager(
    *,
    acting: Acting,
    case: Case,
    case_manager: User,
    reason: str,
    expected_version: int,
) -> Case:
    """Assign or reassign the case manager, keeping the history. The one place a case manager is
    set: the deadline milestones of the policy engine hook in here.

    002 L996-L1000: a case manager is assigned once the immediate needs are assessed and met.
    """
    _check(acting, case, CaseAction.ASSIGN)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.version != expected_version:
        raise StaleEdit(locked)
    if reason not in AssignmentReason.values:
        raise ValidationError({"reason": [_("Choose one of the listed reasons.")]})
    if locked.immediate_needs_met_on is None:
        raise ValidationError(
            {
                "case_manager": [
                    _(
                        "First record the date the immediate needs were met: on the case "
                        'overview, under "Edit details, referral and flags", '
                        'field "Immediate needs met on". Then assign the case manager.'
                    )
                ]
            }
        )
    if case_manager.pk not in {u.pk for u in eligible_case_managers(locked.organisation)}:
        raise ValidationError({"case_manager": [_("Choose a case manager of this organisation.")]})
    if locked.case_manager_id == case_manager.pk:
        raise ValidationError({"case_manager": [_("This person already manages the case.")]})
    now = timezone.now()
    previous = locked.case_manager_id
    CaseManagerAssignment.objects.filter(case=locked, ended_at__isnull=True).update(ended_at=now)
    CaseManagerAssignment.objects.create(
        case=locked,
        case_manager=case_manager,
        reason=reason,
        assigned_by=acting.user,
        assigned_at=now,
    )
    locked.case_manager = case_manager
    if locked.case_manager_assigned_on is None:
        locked.case_manager_assigned_on = timezone.localdate()
    locked.version += 1
    locked.save()
    _audit(
        acting,
        AuditAction.UPDATE,
        locked,
        locked,
        fields=["case_manager"],
        detail={"from_user": previous, "to_user": case_manager.pk, "reason": reason},
    )
    # Hands the case's open work items to the new case manager.
    milestone_record(
        case=locked,
        kind=MilestoneKind.CASE_MANAGER_ASSIGNED,
        occurred_on=timezone.localdate(),
        actor=acting.user,
        responsible=case_manager,
    )
    return locked


@transaction.atomic
def team_add(*, acting: Acting, case: Case, user: User, role: str) -> TeamMember:
    _check(acting, case, CaseAction.MANAGE)
    if not role.strip():
        raise ValidationError({"role": [_("Say what the member does on the team.")]})
    if not Membership.objects.active().filter(user=user, organisation=case.organisation).exists():
        raise ValidationError({"user": [_("Choose a member of this organisation.")]})
    if TeamMember.objects.filter(case=case, user=user, removed_at__isnull=True).exists():
        raise ValidationError({"user": [_("This person is already on the team.")]})
    member = TeamMember.objects.create(
        case=case, user=user, role=role.strip()[:32], added_by=acting.user
    )
    _audit(
        acting, AuditAction.CREATE, member, case, fields=["user", "role"], detail={"user": user.pk}
    )
    return member


@transaction.atomic
def team_remove(*, acting: Acting, case: Case, member: TeamMember) -> None:
    _check(acting, case, CaseAction.MANAGE)
    if member.case_id != case.pk or member.removed_at is not None:
        raise ValidationError({"member": [_("This person is not on the team.")]})
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at"])
    _audit(
        acting,
        AuditAction.DELETE,
        member,
        case,
        fields=["removed_at"],
        detail={"user": member.user_id},
    )


@transaction.atomic
def change_request_record(
    *, acting: Acting, case: Case, requested_on: datetime.date, reason: str
) -> CaseManagerChangeRequest:
    """The person asks for another case manager (002 L1007-L1017): any team member records it,
    and it carries no consequence for the person's assistance."""
    _check(acting, case, CaseAction.WORK)
    if not reason.strip():
        raise ValidationError({"reason": [_("Write down the person's reason in their words.")]})
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": [_("The date cannot be in the future.")]})
    request = CaseManagerChangeRequest(
        case=case, data_key=case.data_key, requested_on=requested_on, recorded_by=acting.user
    )
    request.set_plain("reason", reason.strip())
    request.save()
    _audit(acting, AuditAction.CREATE, request, case, fields=["requested_on", "reason"])
    return request


@transaction.atomic
def change_request_decide(
    *,
    acting: Acting,
    case: Case,
    request: CaseManagerChangeRequest,
    grant: bool,
    new_case_manager: User | None,
) -> CaseManagerChangeRequest:
    _check(acting, case, CaseAction.ASSIGN)
    if request.case_id != case.pk or request.status != ChangeRequestStatus.OPEN:
        raise ValidationError({"request": [_("This request is already decided.")]})
    if grant:
        if new_case_manager is None:
            raise ValidationError({"case_manager": [_("Choose the new case manager.")]})
        case_assign_manager(
            acting=acting,
            case=case,
            case_manager=new_case_manager,
            reason=AssignmentReason.PERSON_REQUEST,
            expected_version=Case.objects.values_list("version", flat=True).get(pk=case.pk),
        )
    request.status = ChangeRequestStatus.GRANTED if grant else ChangeRequestStatus.DECLINED
    request.resolved_by = acting.user
    request.resolved_at = timezone.now()
    request.save(update_fields=["status", "resolved_by", "resolved_at"])
    _audit(
        acting,
        AuditAction.TRANSITION,
        request,
        case,
        fields=["status"],
        detail={"to": request.status},
    )
    return request


# ---------------------------------------------------------------- notes and documents


@transaction.atomic
def note_add(
    *,
    acting: Acting,
    case: Case,
    kind: str,
    occurred_at: datetime.datetime,
    text: str,
    participants: str = "",
    follow_up: str = "",
    follow_up_on: datetime.date | None = None,
) -> CaseNote:
    _check(acting, case, CaseAction.WORK)
    errors: dict[str, list[str]] = {}
    if kind not in NoteKind.values:
        errors["kind"] = [_("Choose one of the listed kinds.")]
    if not text.strip():
        errors["text"] = [_("Write the note.")]
    if timezone.is_naive(occurred_at):
        errors["occurred_at"] = [_("Enter a date and time.")]
    elif occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["occurred_at"] = [_("The contact cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    note = CaseNote(
        case=case,
        data_key=case.data_key,
        kind=kind,
        occurred_at=occurred_at,
        author=acting.user,
        follow_up_on=follow_up_on,
    )
    note.set_plain("text", text.strip())
    note.set_plain("participants", participants.strip() or None)
    note.set_plain("follow_up", follow_up.strip() or None)
    note.save()
    _audit(
        acting,
        AuditAction.CREATE,
        note,
        case,
        fields=["kind", "occurred_at", "text", "participants", "follow_up"],
    )
    return note


@transaction.atomic
def document_upload(
    *, acting: Acting, case: Case, item: str, upload: Any, received_on: datetime.date
) -> CaseDocument:
    """A document of the case-file checklist (002 L1545-L1594), encrypted at rest."""
    _check(acting, case, CaseAction.WORK)
    if item not in ChecklistItem.values:
        raise ValidationError({"item": [_("Choose an item of the checklist.")]})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("The date cannot be in the future.")]})
    document = CaseDocument(
        case=case,
        data_key=case.data_key,
        item=item,
        received_on=received_on,
        uploaded_by=acting.user,
    )
    stored = store_upload(
        upload,
        key=case.data_key,
        table=CaseDocument._meta.db_table,
        column="file",
        row=str(document.uuid),
    )
    document.file = stored.name
    document.content_type = stored.content_type
    document.size = stored.size
    document.set_plain("file_name", stored.original_name)
    document.save()
    _audit(acting, AuditAction.CREATE, document, case, fields=["item", "file"])
    return document


@transaction.atomic
def document_read(*, acting: Acting, case: Case, document: CaseDocument) -> bytes:
    """The decrypted bytes; every download is audited (SPEC §1.3)."""
    _check(acting, case, CaseAction.VIEW)
    if document.case_id != case.pk:
        raise PermissionDenied("document of another case")
    data = read_encrypted(
        case.data_key,
        document.file,
        table=CaseDocument._meta.db_table,
        column="file",
        row=str(document.uuid),
    )
    _audit(acting, AuditAction.DOWNLOAD, document, case, fields=["file"])
    return data


def record_case_read(*, acting: Acting, case: Case, section: str) -> None:
    """Every read of a case page or its API is audited (SPEC §1.3, DESIGN)."""
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=case,
        case_id=case.pk,
        detail={"section": section},
    )


def record_case_list_read(*, acting: Acting, case_ids: list[int]) -> None:
    """A list page shows names too: one entry names the cases that were on it."""
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=("cases.case_list", ""),
        detail={"cases": case_ids},
    )
