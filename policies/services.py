"""Writes for policy packs: syncing the files into versions and recording the pack of a new
case (SPEC C11). Moving a case to another version is case work: ``cases/policy_migration.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record
from policies.models import PolicyPackVersion
from policies.packs import content_hash, shipped_packs
from policies.schema import PolicyRules
from policies.selectors import UnknownPolicyPack, pack_for_organisation

if TYPE_CHECKING:
    from accounts.models import Organisation


class NewCase(Protocol):
    """A case about to be saved: its organisation, and the pack fields to fill in."""

    organisation: Organisation
    policy_pack: str
    policy_pack_version: int


@transaction.atomic
def sync_policy_packs(packs: Mapping[str, PolicyRules] | None = None) -> list[PolicyPackVersion]:
    """Store a new version of every pack whose validated content changed; return them.

    Versions are never edited: cases keep pointing at the content they started under.
    """
    packs = shipped_packs() if packs is None else packs
    created = []
    for code, rules in sorted(packs.items()):
        digest = content_hash(rules)
        latest = (
            PolicyPackVersion.objects.select_for_update()
            .filter(code=code)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.content_hash == digest:
            continue
        version = PolicyPackVersion.objects.create(
            code=code,
            version=(latest.version + 1) if latest else 1,
            name=rules.name,
            rules=rules.model_dump(mode="json"),
            content_hash=digest,
        )
        if latest is not None:
            # The first version ships with the code and is installed by ``migrate``; each
            # later change of a pack's rules is a policy decision and is audited.
            record(
                action=AuditAction.CREATE,
                target=version,
                detail={"code": code, "version": version.version},
                actor_username="system",
            )
        created.append(version)
    return created


def sync_after_migrate(**kwargs: Any) -> None:
    """post_migrate hook: the shipped packs are in the database before anything reads them."""
    sync_policy_packs()


def case_policy_assign(case: NewCase) -> PolicyPackVersion:
    """Record on a new (unsaved or just created) case the organisation's current pack and
    version. The caller saves the case in its own transaction."""
    try:
        version = pack_for_organisation(case.organisation)
    except UnknownPolicyPack:
        raise ValidationError(
            {"policy_pack": _("The organisation's policy pack is not installed.")}
        ) from None
    case.policy_pack = version.code
    case.policy_pack_version = version.version
    return version
