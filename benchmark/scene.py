"""Who and what ``manage.py bench`` requests: built once per run from the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from assessments.models import Assessment
from cases.models import Case, CaseStatus
from people.models import Person
from plans.models import Plan
from referrals.models import OPEN_STATUSES, Referral


class NoScene(Exception):
    """The database has nothing to measure (no organisation with cases and a supervisor)."""


@dataclass
class Scene:
    organisation: Organisation
    cases_in_organisation: int
    # Signed-in actors by role key, each with the organisation they act in.
    actors: dict[str, tuple[User, Organisation]] = field(default_factory=dict)
    # Values the target paths are formatted with.
    values: dict[str, Any] = field(default_factory=dict)


def _busiest() -> tuple[Organisation, int]:
    with_supervisor = Membership.objects.active().filter(role=Role.SUPERVISOR)
    row = (
        Case.objects.filter(
            organisation__in=with_supervisor.values("organisation_id"),
            case_manager__isnull=False,
        )
        .values("organisation_id")
        .annotate(total=Count("id"))
        .order_by("-total")
        .first()
    )
    if row is None:
        raise NoScene("No cases to measure: run seed_demo and generate_synthetic first.")
    organisation = Organisation.objects.get(pk=row["organisation_id"])
    return organisation, Case.objects.filter(organisation=organisation).count()


def _common_family_name(organisation: Organisation, sample: int = 400) -> str:
    """The most frequent family name among the organisation's latest persons."""
    persons = (
        Person.objects.filter(cases__organisation=organisation)
        .select_related("data_key")
        .order_by("-pk")[:sample]
    )
    names = Counter(p.get_plain_or_erased("family_name") for p in persons)
    names.pop(None, None)
    names.pop("", None)
    return (names.most_common(1)[0][0] or "") if names else ""


def build_scene() -> Scene:
    organisation, total = _busiest()
    scene = Scene(organisation=organisation, cases_in_organisation=total)
    # A case manager with an open case that has a plan: the plan page is theirs to open.
    plan = (
        Plan.objects.filter(
            case__organisation=organisation,
            case__status=CaseStatus.OPEN,
            case__case_manager__isnull=False,
        )
        .select_related("case__case_manager")
        .order_by("-pk")
        .first()
    )
    if plan is not None:
        manager = plan.case.case_manager
    else:
        case = (
            Case.objects.filter(organisation=organisation, case_manager__isnull=False)
            .select_related("case_manager")
            .order_by("-pk")
            .first()
        )
        if case is None:
            raise NoScene(f"{organisation} has no managed case to measure.")
        manager = case.case_manager
    assert manager is not None
    case = (
        Case.objects.filter(organisation=organisation, case_manager=manager)
        .select_related("person__data_key")
        .order_by("-status", "-received_at", "-pk")  # open before closed, newest first
        .first()
    )
    assert case is not None
    supervisor = (
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.SUPERVISOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert supervisor is not None  # _busiest only picks organisations with one
    scene.actors["case_manager"] = (manager, organisation)
    scene.actors["supervisor"] = (supervisor.user, organisation)
    coordinator = (
        Membership.objects.active()
        .filter(role=Role.COORDINATOR)
        .select_related("user", "organisation")
        .order_by("pk")
        .first()
    )
    if coordinator is not None:
        scene.actors["coordinator"] = (coordinator.user, coordinator.organisation)
    given = case.person.get_plain_or_erased("given_name") or ""
    family = case.person.get_plain_or_erased("family_name") or ""
    scene.values.update(
        case=case.pk,
        full_name=f"{given} {family}".strip(),
        common_name=_common_family_name(organisation),
    )
    if plan is not None:
        scene.values["plan_case"] = plan.case_id
    assessed = (
        Assessment.objects.filter(case__case_manager=manager, case__organisation=organisation)
        .order_by("-pk")
        .values_list("case_id", flat=True)
        .first()
    )
    if assessed is not None:
        scene.values["assessed_case"] = assessed
    # Still open: the recipient's view ends with the referral (accounts.access.referral_for).
    received = (
        Referral.objects.filter(recipient=organisation, status__in=OPEN_STATUSES)
        .order_by("-sent_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if received is not None:
        scene.values["received"] = received
    return scene
