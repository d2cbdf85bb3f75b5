"""Reads of policy packs: the current version for an organisation, the version a case
recorded, and the lists the policy pages show.

The rule engine knows no case model: a case is anything that records a pack and a version
(:class:`RecordsPolicyPack`). Queries over cases live with the case file
(``cases/policy_migration.py``, ``cases/policy.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from policies.models import PolicyPackVersion
from policies.schema import PolicyRules

if TYPE_CHECKING:
    from accounts.models import Organisation


class RecordsPolicyPack(Protocol):
    """What the engine reads of a case: the pack and version it runs under (SPEC C11)."""

    policy_pack: str
    policy_pack_version: int


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


def policy_for_case(case: RecordsPolicyPack) -> PolicyRules:
    """The rules of the pack version the case recorded, not the newest one (SPEC C11)."""
    return pack_version(case.policy_pack, case.policy_pack_version).parsed


def pack_versions() -> QuerySet[PolicyPackVersion]:
    return PolicyPackVersion.objects.order_by("code", "-version")


def versions_of(code: str) -> QuerySet[PolicyPackVersion]:
    return PolicyPackVersion.objects.filter(code=code).order_by("-version")
