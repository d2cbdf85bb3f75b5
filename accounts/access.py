"""The access chokepoints (DESIGN rule 2).

Every view, API endpoint and service asks here whether the acting user may do something in
an organisation. Access is denied unless a rule below grants it. Case-level rules
(``cases_visible_to``, ``get_case_for``) build on ``capabilities_in``: each rule that lets a
user see a case sits on its own line with a comment naming why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.roles import Capability, Role

if TYPE_CHECKING:
    from accounts.models import User
    from cases.models import Case
    from referrals.models import CaseTransfer, Referral


@dataclass(frozen=True)
class Acting:
    """Who is acting, in which organisation, with which roles — resolved once per request."""

    user: User
    organisation: Organisation
    roles: frozenset[Role]

    @property
    def capabilities(self) -> frozenset[Capability]:
        granted: set[Capability] = set()
        for role in self.roles:
            granted |= role.capabilities
        return frozenset(granted)

    @property
    def capability_values(self) -> frozenset[str]:
        """For templates, which cannot compare enums."""
        return frozenset(c.value for c in self.capabilities)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def sees_identity(self) -> bool:
        return any(role.sees_identity for role in self.roles)


def roles_in(user: Any, organisation: Organisation | int | None) -> frozenset[Role]:
    """The roles the user actively holds in the organisation; empty when none."""
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if not user.is_active:
        return frozenset()
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    roles = (
        Membership.objects.active()
        .filter(user=user, organisation_id=organisation_id)
        .values_list("role", flat=True)
    )
    return frozenset(Role(role) for role in roles)


def capabilities_in(user: Any, organisation: Organisation | int | None) -> frozenset[Capability]:
    granted: set[Capability] = set()
    for role in roles_in(user, organisation):
        granted |= role.capabilities
    return frozenset(granted)


def has_capability(
    user: Any, capability: Capability, organisation: Organisation | int | None
) -> bool:
    return capability in capabilities_in(user, organisation)


def require(user: Any, capability: Capability, organisation: Organisation | int | None) -> None:
    """Raise ``PermissionDenied`` unless a membership of the user in ``organisation`` grants
    ``capability``. Deny by default: no organisation, no membership, an inactive user, an
    inactive organisation or a role without the capability all refuse."""
    if not has_capability(user, capability, organisation):
        raise PermissionDenied(f"missing capability {capability.value}")


def require_acting(acting: Acting | None, capability: Capability) -> Acting:
    """The same check for an already-resolved ``Acting`` (no extra query)."""
    if acting is None or not acting.can(capability):
        raise PermissionDenied(f"missing capability {capability.value}")
    return acting


def organisations_of(user: Any) -> list[Organisation]:
    """Organisations in which the user holds at least one active role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            memberships__in=Membership.objects.active().filter(user=user)
        ).distinct()
    )


def acting_for(user: Any, organisation: Organisation | None) -> Acting | None:
    roles = roles_in(user, organisation)
    if organisation is None or not roles:
        return None
    return Acting(user=user, organisation=organisation, roles=roles)


def acting_in(user: Any, organisation_id: Any) -> Acting | None:
    """``acting_for`` from an organisation id (e.g. the session's), in one query."""
    if not isinstance(organisation_id, int) or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_active:
        return None
    memberships = list(
        Membership.objects.active()
        .filter(user=user, organisation_id=organisation_id)
        .select_related("organisation")
    )
    if not memberships:
        return None
    return Acting(
        user=user,
        organisation=memberships[0].organisation,
        roles=frozenset(Role(m.role) for m in memberships),
    )


# ---------------------------------------------------------------- cases


class CaseAction(Enum):
    """What a user wants to do with a case they can see."""

    VIEW = "view"  # read the case file
    WORK = "work"  # notes, documents, screening, interview, profile, person details
    MANAGE = (
        "manage"  # identification decisions, consents, team, admission: case manager or supervisor
    )
    ASSIGN = "assign"  # assign or reassign the case manager, decide change requests
    OVERRIDE_CONSENT = "override_consent"  # proceed without consent, with a reason
    # After closure only these writes remain (SPEC C9): follow-up contacts, reopening, erasure.
    FOLLOW_UP = "follow_up"  # follow-up contacts and their end, on a closed case
    REOPEN = "reopen"  # reopen a closed case: case manager or supervisor


# A case rule takes the acting user and returns the condition on ``Case`` under which it
# grants sight of a case, or None when it grants nothing to this user. The rules are OR-ed.
# Later rules (a referral shares sections with the receiving organisation; the coordinator sees
# what a plan approval needs) are added to ``CASE_RULES`` as one more function each.
CaseRule = Callable[[Acting], Q | None]


def _rule_supervisor_sees_organisation(acting: Acting) -> Q | None:
    # Owner organisation, supervisor: every case of the organisation (SPEC §2).
    if not acting.can(Capability.CASE_VIEW_ALL_IN_ORGANISATION):
        return None
    return Q(organisation=acting.organisation)


def _rule_own_and_team(acting: Acting) -> Q | None:
    # Owner organisation, case manager: the cases they manage. Owner organisation, team:
    # cases where the user is on the multidisciplinary team (case managers and specialists
    # alike). Both are written as one list of case ids (a UNION of two indexed lookups) so
    # that the database starts from the user's few hundred cases instead of filtering every
    # case of the organisation (SPEC §5: the case manager's list at 100,000 cases).
    from cases.models import Case, TeamMember

    sources: list[QuerySet[Any, Any]] = []
    if acting.can(Capability.CASE_WORK_OWN):
        sources.append(Case.objects.filter(case_manager=acting.user).order_by().values("pk"))
    if acting.can(Capability.CASE_WORK_TEAM):
        sources.append(
            TeamMember.objects.filter(user=acting.user, removed_at__isnull=True)
            .order_by()
            .values("case_id")
        )
    if not sources:
        return None
    ids = sources[0].union(*sources[1:]) if len(sources) > 1 else sources[0]
    return Q(organisation=acting.organisation, pk__in=ids)


CASE_RULES: list[CaseRule] = [
    _rule_supervisor_sees_organisation,
    _rule_own_and_team,
]


def cases_visible_to(acting: Acting | None) -> QuerySet[Case]:
    """The cases ``acting`` may know exist. Roles that never see identity (analysts,
    coordinators, administrators) get none: the case file is identity."""
    from cases.models import Case

    if acting is None or not acting.sees_identity:
        return Case.objects.none()
    condition: Q | None = None
    for rule in CASE_RULES:
        granted = rule(acting)
        if granted is not None:
            condition = granted if condition is None else condition | granted
    if condition is None:
        return Case.objects.none()
    return Case.objects.filter(condition)


# A closed case accepts no write other than follow-up, reopening and erasure (SPEC C9); the
# rule sits here so that every view, endpoint and service that asks is refused alike.
WRITES_REFUSED_WHEN_CLOSED = frozenset({"work", "manage", "assign", "override_consent"})


def _may(acting: Acting, case: Case, action: CaseAction) -> bool:
    supervisor = acting.can(Capability.CASE_VIEW_ALL_IN_ORGANISATION)
    manages = case.case_manager_id == acting.user.pk
    closed = case.status == "closed"
    if closed and action.value in WRITES_REFUSED_WHEN_CLOSED:
        return False
    if action is CaseAction.FOLLOW_UP:
        return closed
    if action is CaseAction.REOPEN:
        return closed and (supervisor or (manages and acting.can(Capability.CASE_WORK_OWN)))
    if action in (CaseAction.VIEW, CaseAction.WORK):
        # Visible through a rule above is enough to read and to work (notes, documents).
        return True
    if action is CaseAction.MANAGE:
        return (
            supervisor
            or (manages and acting.can(Capability.CASE_WORK_OWN))
            or (case.case_manager_id is None and acting.can(Capability.CASE_CREATE))
        )
    if action is CaseAction.ASSIGN:
        return acting.can(Capability.CASE_ASSIGN)
    if action is CaseAction.OVERRIDE_CONSENT:
        return acting.can(Capability.CONSENT_OVERRIDE)
    return False


def get_case_for(acting: Acting | None, case_id: int, *, action: CaseAction) -> Case:
    """The case, if ``acting`` may see it: 404 when they may not know it exists, 403 when
    they see it but may not do ``action``."""
    case = (
        cases_visible_to(acting)
        .select_related(
            "person__data_key",
            "data_key",
            "case_manager",
            "organisation",
            "referring_organisation",
            # The programme phase shown in the case header (monitoring).
            "programme_phase",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None or acting is None:
        raise Http404
    if not _may(acting, case, action):
        raise PermissionDenied(f"may not {action.value} this case")
    return case


def require_case_action(acting: Acting, case: Case, action: CaseAction) -> None:
    """For services given a case already fetched: refuse ``action`` unless ``may_on_case``."""
    if not may_on_case(acting, case, action):
        raise PermissionDenied(f"may not {action.value} this case")


def may_on_case(acting: Acting, case: Case, action: CaseAction) -> bool:
    """For templates: whether to offer an action on a case already fetched through
    ``get_case_for``."""
    return _may(acting, case, action)


# ---------------------------------------------------------------- referrals and transfers
#
# A referral does not widen ``cases_visible_to``: the receiving organisation never gets the
# case file, only the sections the sender chose, through ``referral_for``. Its conditions are
# evaluated in SQL on every request, so a withdrawn consent or an ended referral cuts access
# at once (issue 7 part 3).


def _may_see_shared_data(acting: Acting | None) -> bool:
    # Only roles that see identity and do case work open shared case data (SPEC §2).
    return acting is not None and acting.sees_identity and acting.can(Capability.CASE_WORK_TEAM)


def referrals_received_by(acting: Acting | None) -> QuerySet[Referral]:
    """The recipient's inbox: every referral addressed to the acting organisation, open or
    ended. It lists case codes and statuses; shared content needs ``referral_for``."""
    from referrals.models import Referral

    if acting is None or not _may_see_shared_data(acting):
        return Referral.objects.none()
    return Referral.objects.filter(recipient=acting.organisation)


def referral_for(acting: Acting | None, referral_id: int) -> Referral:
    """The referral with the sections shared with the acting organisation; 404 otherwise."""
    from consent.models import Consent, ConsentPurpose
    from referrals.models import OPEN_STATUSES, Referral

    if acting is None or not _may_see_shared_data(acting):
        raise Http404
    today = timezone.localdate()
    live_consent = Consent.objects.filter(
        case=OuterRef("case"),
        purpose=ConsentPurpose.SHARING,
        recipient=OuterRef("recipient"),
        given_on__lte=today,
    ).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today),
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
    )
    referral = (
        Referral.objects.select_related("case__data_key", "case__person__data_key", "data_key")
        .select_related("sender", "recipient", "service", "sent_by")
        .prefetch_related("sections")
        # Addressed to the acting organisation.
        .filter(pk=referral_id, recipient=acting.organisation)
        # Still open: an answer of "declined", "completed" or "not delivered" ends access.
        .filter(status__in=OPEN_STATUSES)
        # A consent to share with this recipient is current today; or the referral went out
        # under a supervisor's override (SPEC C3), which stands until the referral ends.
        .filter(Exists(live_consent) | Q(consent__isnull=True, consent_override__isnull=False))
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def referral_answerable_by(acting: Acting | None, referral_id: int) -> Referral:
    """A referral to an organisation not on the system: its sender records the answer. For a
    recipient on the system this is ``referral_for``."""
    from referrals.models import OPEN_STATUSES, Referral

    if acting is None or not _may_see_shared_data(acting):
        raise Http404
    referral = (
        Referral.objects.select_related("case", "recipient", "sender")
        # Sent by the acting organisation, which still owns the case.
        .filter(pk=referral_id, sender=acting.organisation, case__organisation=acting.organisation)
        # The recipient has nobody on the system to answer.
        .exclude(recipient__memberships__in=Membership.objects.active())
        .filter(status__in=OPEN_STATUSES)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def transfers_for(acting: Acting | None) -> QuerySet[CaseTransfer]:
    """Transfers into or out of the acting organisation (codes and statuses only)."""
    from referrals.models import CaseTransfer

    if acting is None or not _may_see_shared_data(acting):
        return CaseTransfer.objects.none()
    return CaseTransfer.objects.filter(
        Q(to_organisation=acting.organisation) | Q(from_organisation=acting.organisation)
    )


def handover_notes_readable(acting: Acting | None, transfers: list[CaseTransfer]) -> set[int]:
    """The transfers (of ``transfers_for``) whose handover note ``acting`` may read: the note
    is case data, so it goes only to whoever may see the case (issue 15, item 4). One query
    for the whole list."""
    from referrals.models import TransferStatus

    if acting is None or not transfers:
        return set()
    visible = set(
        cases_visible_to(acting)
        .filter(pk__in={t.case_id for t in transfers})
        .values_list("pk", flat=True)
    )
    readable = set()
    for transfer in transfers:
        # Whoever sees the case where it is now: the sender's team before the transfer is
        # decided, the receiver's after it is accepted.
        if (
            transfer.case_id in visible
            or transfer.requested_by_id == acting.user.pk
            or (
                transfer.to_organisation_id == acting.organisation.pk
                and transfer.status == TransferStatus.PENDING
                and acting.can(Capability.CASE_ASSIGN)
            )
        ):
            readable.add(transfer.pk)
    return readable


def transfer_to_decide(acting: Acting | None, transfer_id: int) -> CaseTransfer:
    """A pending transfer into the acting organisation, for a user who may assign its cases."""
    from referrals.models import CaseTransfer, TransferStatus

    if acting is None or not _may_see_shared_data(acting):
        raise Http404
    transfer = (
        CaseTransfer.objects.select_related("case", "data_key", "from_organisation")
        # Addressed to the acting organisation and not decided yet.
        .filter(pk=transfer_id, to_organisation=acting.organisation, status=TransferStatus.PENDING)
        .first()
    )
    if transfer is None:
        raise Http404
    if not acting.can(Capability.CASE_ASSIGN):
        raise PermissionDenied("may not accept transfers")
    return transfer


def transferred_records_for(acting: Acting | None, transfer_id: int) -> CaseTransfer:
    """After a transfer the sending organisation reads only what it wrote before (issue 7
    part 4): the notes and documents retained on the accepted transfer, nothing new."""
    from referrals.models import CaseTransfer, TransferStatus

    if acting is None or not _may_see_shared_data(acting):
        raise Http404
    transfer = (
        CaseTransfer.objects.select_related("case__data_key", "to_organisation")
        # Sent by the acting organisation and accepted by the other.
        .filter(
            pk=transfer_id,
            from_organisation=acting.organisation,
            status=TransferStatus.ACCEPTED,
        )
        .first()
    )
    if transfer is None:
        raise Http404
    # Within the sender, the same people who could see the case before: its supervisors,
    # and whoever wrote a retained record.
    if not acting.can(Capability.CASE_VIEW_ALL_IN_ORGANISATION) and not (
        transfer.retained_notes.filter(author=acting.user).exists()
        or transfer.retained_documents.filter(uploaded_by=acting.user).exists()
    ):
        raise Http404
    return transfer


def transfer_to_cancel(acting: Acting | None, transfer_id: int) -> CaseTransfer:
    """A pending transfer out of the acting organisation, for a user who manages its case."""
    from referrals.models import CaseTransfer, TransferStatus

    if acting is None or not _may_see_shared_data(acting):
        raise Http404
    transfer = (
        CaseTransfer.objects.select_related("case", "data_key", "to_organisation")
        # Sent by the acting organisation and not decided yet.
        .filter(
            pk=transfer_id, from_organisation=acting.organisation, status=TransferStatus.PENDING
        )
        .first()
    )
    if transfer is None:
        raise Http404
    if not may_on_case(acting, transfer.case, CaseAction.MANAGE):
        raise PermissionDenied("may not cancel this transfer")
    return transfer


# ---------------------------------------------------------------- plan approval


def plans_for_approval(acting: Acting | None) -> QuerySet[Any]:
    """The plans ``acting`` may review as approver. This is the coordinator's approval view
    (SPEC C5): it grants the plan, its budget, the pseudonymous code, the age band and the
    needs — never the case file, which stays behind ``cases_visible_to``. Only a plan now
    submitted to the acting organisation at the stage it decides is granted: a draft, a plan
    returned or decided, or one never submitted to it is not."""
    from plans.codes import PlanStatus
    from plans.models import Plan

    if acting is None:
        return Plan.objects.none()
    rules: list[Q] = []
    # Coordinator / state fund: plans submitted to their organisation (001 §3.4(b), §7.5).
    if acting.can(Capability.PLAN_APPROVE_FUNDED):
        rules.append(Q(approving_organisation=acting.organisation))
    # Supervisor: plans of their own organisation that the pack has them approve.
    if acting.can(Capability.PLAN_APPROVE):
        rules.append(
            Q(approving_organisation=acting.organisation, organisation=acting.organisation)
        )
    if not rules:
        return Plan.objects.none()
    condition = rules[0]
    for rule in rules[1:]:
        condition |= rule
    # Submitted and waiting: ``approving_organisation`` is set at each stage's submission to
    # the organisation that decides that stage (001 §3.4).
    return Plan.objects.filter(condition, status=PlanStatus.SUBMITTED)


def may_decide_plan(acting: Acting | None, plan: Any) -> bool:
    """Whether ``acting`` may approve or return ``plan`` now: it is submitted to them."""
    from plans.codes import PlanStatus

    if acting is None or plan.status != PlanStatus.SUBMITTED:
        return False
    return plans_for_approval(acting).filter(pk=plan.pk).exists()


# ---------------------------------------------------------------- the coordinator's requests


def cases_funded_by(acting: Acting | None) -> QuerySet[Case]:
    """Coordinator rule (001 §8.2): the cases whose plan is submitted to, agreed with or
    approved by the acting fund. It grants the pseudonymous code and the information requests
    on the case, never the case file."""
    from cases.models import Case
    from plans.codes import PlanStatus

    if acting is None or not acting.can(Capability.PLAN_APPROVE_FUNDED):
        return Case.objects.none()
    return Case.objects.filter(
        plan__approving_organisation=acting.organisation,
        plan__status__in=[PlanStatus.SUBMITTED, PlanStatus.AGREED, PlanStatus.APPROVED],
    )


def funded_case_for(acting: Acting | None, case_id: int) -> Case:
    """A case the acting fund may ask about; 404 for any other."""
    case = cases_funded_by(acting).select_related("data_key").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def information_requests_for(acting: Acting | None) -> QuerySet[Any]:
    """Information requests ``acting`` may read: the coordinator those its organisation asked;
    a case worker those on cases visible to them."""
    from teamwork.models import InformationRequest

    if acting is None:
        return InformationRequest.objects.none()
    rules: list[Q] = []
    # Coordinator: requests its own organisation made (001 §8.2).
    if acting.can(Capability.PLAN_APPROVE_FUNDED):
        rules.append(Q(organisation=acting.organisation))
    # Case worker: requests on the cases they see.
    if acting.sees_identity and acting.can(Capability.CASE_WORK_TEAM):
        rules.append(Q(case__in=cases_visible_to(acting)))
    if not rules:
        return InformationRequest.objects.none()
    condition = rules[0]
    for rule in rules[1:]:
        condition |= rule
    return InformationRequest.objects.filter(condition)
