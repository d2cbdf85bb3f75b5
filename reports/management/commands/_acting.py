"""Who a command acts as: a named user in a named organisation, so that every export and import
from the command line is audited like one from the web."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from accounts.access import Acting, acting_for
from accounts.models import Organisation, User


def command_acting(username: str, organisation: str) -> Acting:
    org = Organisation.objects.filter(
        Q(case_prefix__iexact=organisation)
        | Q(name=organisation)
        | Q(pk=int(organisation) if organisation.isdigit() else None)
    ).first()
    if org is None:
        raise CommandError(f"No organisation with the case prefix, name or id {organisation!r}.")
    user = User.objects.filter(username=username).first()
    acting = acting_for(user, org) if user is not None else None
    if acting is None:
        raise CommandError(f"{username!r} holds no active role in {org.name}.")
    return acting
