"""Reads of policy packs: the current version for an organisation, the recorded version of
a case, and the lists the policy pages show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404

from cases.models import Case, CaseStatus
from policies.models import PolicyPackVersion
from policies.schema import PolicyRules

if TYPE_CHECKING:
    from accounts.access import Acting
    from accounts.models import Organisation


class UnknownPolicyPack(ImproperlyConfigured):
    """An organisation or case names a pack code that has no stored version."""


def current_version(code: str) -> PolicyPackVersion:
    version = PolicyPackVersion.objects.filter(code=code).order_by("-version").first()
    if version is None:
        raise UnknownPolicyPack(f"policy pack {code!r} is not installed")
    return version


def pack_for_organisation(organisation: Organisation) -> PolicyPackVersion:
    """The newest version of the organisation's pack: what new cases start under."""
    return current_version(organisation.policy_pack)


# Stored pack versions never change (policies.models), so each process reads a version once
# and keeps it with its parsed rules: every case page asks for its case's rules, often more
# than once. A new or deleted version row clears the memo (tests roll rows back and forth).
_VERSIONS: dict[tuple[str, str, int], PolicyPackVersion] = {}


@receiver([post_save, post_delete], sender=PolicyPackVersion)
def _forget_versions(**kwargs: object) -> None:
    _VERSIONS.clear()


def pack_version(code: str, version: int) -> PolicyPackVersion:
    key = (connection.alias, code, version)
    found = _VERSIONS.get(key)
    if found is None:
        found = PolicyPackVersion.objects.filter(code=code, version=version).first()
        if found is None:
            raise UnknownPolicyPack(f"policy pack {code!r} version {version} is not installed")
        _VERSIONS[key] = found
    return found


def policy_for_case(case: Case) -> PolicyRules:
    """The rules of the pack version the case recorded, not the newest one (SPEC C11)."""
    return pack_version(case.policy_pack, case.policy_pack_version).parsed


def age_of_majority(case_or_organisation: Case | Organisation) -> int:
    if isinstance(case_or_organisation, Case):
        return policy_for_case(case_or_organisation).person.age_of_majority
    return pack_for_organisation(case_or_organisation).parsed.person.age_of_majority


def pack_versions() -> QuerySet[PolicyPackVersion]:
    return PolicyPackVersion.objects.order_by("code", "-version")


def versions_of(code: str) -> QuerySet[PolicyPackVersion]:
    return PolicyPackVersion.objects.filter(code=code).order_by("-version")


def cases_behind_current_pack(organisation: Organisation) -> QuerySet[Case]:
    """Open cases of the organisation not on its current pack version: they wait for an
    explicit migration (SPEC C11)."""
    current = pack_for_organisation(organisation)
    return (
        Case.objects.filter(organisation=organisation, status=CaseStatus.OPEN)
        .filter(~Q(policy_pack=current.code) | Q(policy_pack_version__lt=current.version))
        .select_related("case_manager")
        .order_by("received_at", "id")
    )


def case_for_policy_migration(acting: Acting, case_id: int) -> Case:
    """A case of the acting organisation. Only supervisors reach this (they see every case
    of their organisation, SPEC §2); a case elsewhere is a 404."""
    case = Case.objects.filter(pk=case_id, organisation=acting.organisation).first()
    if case is None:
        raise Http404
    return case
