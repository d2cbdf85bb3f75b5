"""Writes for policy packs: syncing the files into versions, assigning a pack to a new case
and migrating a case to another version (SPEC C11)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import require
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.models import Case, CaseStatus
from policies.models import PolicyPackVersion
from policies.packs import content_hash, shipped_packs
from policies.schema import PolicyRules
from policies.selectors import UnknownPolicyPack, pack_for_organisation, pack_version
from work.services import work_items_recompute

if TYPE_CHECKING:
    from accounts.models import User


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


def case_policy_assign(case: Case) -> PolicyPackVersion:
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


class StalePolicyMigration(Exception):
    def __init__(self, case: Case) -> None:
        super().__init__(_("Someone else changed this case while you were looking at it."))
        self.current = case


@transaction.atomic
def case_policy_migrate(
    *, acting_user: User, case: Case, to_version: int, expected_version: int | None = None
) -> Case:
    """Move an open case to a version of its organisation's current pack, on purpose and
    audited; its work items are recomputed under the new rules in the same transaction."""
    require(acting_user, Capability.CASE_POLICY_MIGRATE, case.organisation_id)
    locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StalePolicyMigration(locked)
    if locked.status != CaseStatus.OPEN:
        raise ValidationError({"to_version": _("Only open cases move to another pack version.")})
    code = locked.organisation.policy_pack
    try:
        target = pack_version(code, to_version)
    except UnknownPolicyPack:
        raise ValidationError(
            {
                "to_version": _("Version %(version)s of pack %(code)s does not exist.")
                % {"version": to_version, "code": code}
            }
        ) from None
    if code == locked.policy_pack and to_version <= locked.policy_pack_version:
        raise ValidationError(
            {"to_version": _("The case already runs under this version or a newer one.")}
        )
    previous = {"code": locked.policy_pack, "version": locked.policy_pack_version}
    locked.policy_pack = target.code
    locked.policy_pack_version = target.version
    locked.version += 1
    locked.save(update_fields=["policy_pack", "policy_pack_version", "version", "updated_at"])
    record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        organisation=locked.organisation_id,
        target=locked,
        case_id=locked.pk,
        fields=["policy_pack", "policy_pack_version"],
        detail={"from": previous, "to": {"code": target.code, "version": target.version}},
    )
    work_items_recompute(case=locked)
    return locked
