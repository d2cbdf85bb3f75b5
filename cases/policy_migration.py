"""Moving a case to another version of its organisation's policy pack (SPEC C11).

Case work on top of the pure rule engine in ``policies/``: which open cases run under an
older version, and the audited move that recomputes their work items.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import require
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.models import Case, CaseStatus
from policies.selectors import UnknownPolicyPack, pack_for_organisation, pack_version
from work.services import work_items_recompute

if TYPE_CHECKING:
    from accounts.access import Acting
    from accounts.models import Organisation, User


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
