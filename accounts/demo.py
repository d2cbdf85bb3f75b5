"""Demo organisations and accounts (``seed_demo``). Invented people, invented organisations."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organisation, OrganisationType, User
from accounts.roles import Discipline, Role

DEMO_PASSWORD = "demo-reintegra-2026"  # noqa: S105  (published demo password, demo data only)

# The demo accounts share one enrolled authenticator, so that what asks for the second factor
# even in demo mode (signing a plan on screen) can be shown. The key is the published RFC 6238
# test secret ("12345678901234567890"); add DEMO_TOTP_SECRET to any authenticator app.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()
DEMO_TOTP_NAME = "Demo authenticator"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    short_name: str
    type: OrganisationType
    country: str
    policy_pack: str
    case_prefix: str


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    language: str
    roles: tuple[tuple[str, Role, str], ...]  # (organisation key, role, discipline)
    description: str


ORGANISATIONS = (
    DemoOrganisation(
        "ngo_md",
        "Casa Speranței (demo NGO)",
        "Speranța",
        OrganisationType.NGO,
        "MD",
        "md-nrs",
        "CSP",
    ),
    DemoOrganisation(
        "coord_md",
        "National Referral Coordination Unit (demo)",
        "NRS Unit",
        OrganisationType.STATE_AUTHORITY,
        "MD",
        "md-nrs",
        "NRS",
    ),
    DemoOrganisation(
        "fund_ge",
        "State Fund for Victims (demo)",
        "State Fund",
        OrganisationType.STATE_FUND,
        "GE",
        "ge-fund",
        "SFV",
    ),
    # A Georgian NGO under the State Fund's pack: its plans go to the fund for approval.
    DemoOrganisation(
        "ngo_ge",
        "ახალი გზა — Akhali Gza (demo NGO)",
        "ახალი გზა",
        OrganisationType.NGO,
        "GE",
        "ge-fund",
        "AGZ",
    ),
    DemoOrganisation(
        "ngo_al", "Rruga e Re (demo NGO)", "Rruga e Re", OrganisationType.NGO, "AL", "al-sop", "RRE"
    ),
    DemoOrganisation(
        "shelter_ro",
        "Adăpost Nou (demo shelter)",
        "Adăpost",
        OrganisationType.SHELTER,
        "RO",
        "ro-guide",
        "ADN",
    ),
    DemoOrganisation(
        "hosting",
        "Reintegra hosting team (demo)",
        "Hosting",
        OrganisationType.OTHER,
        "MD",
        "default",
        "HST",
    ),
)

ACCOUNTS = (
    DemoAccount(
        "ana.case",
        "Ana",
        "Rusu",
        "ro",
        (("ngo_md", Role.CASE_MANAGER, Discipline.SOCIAL_WORKER),),
        "case manager",
    ),
    DemoAccount(
        "ion.psych",
        "Ion",
        "Ceban",
        "ro",
        (("ngo_md", Role.SPECIALIST, Discipline.PSYCHOLOGIST),),
        "psychologist",
    ),
    DemoAccount(
        "maria.doctor",
        "Maria",
        "Lungu",
        "ru",
        (("ngo_md", Role.SPECIALIST, Discipline.DOCTOR),),
        "doctor",
    ),
    DemoAccount(
        "victor.lawyer",
        "Victor",
        "Popa",
        "ro",
        (("ngo_md", Role.SPECIALIST, Discipline.LAWYER),),
        "lawyer",
    ),
    DemoAccount(
        "elena.super", "Elena", "Cojocaru", "en", (("ngo_md", Role.SUPERVISOR, ""),), "supervisor"
    ),
    DemoAccount(
        "nino.coord",
        "Nino",
        "Beridze",
        "ka",
        (("fund_ge", Role.COORDINATOR, ""), ("coord_md", Role.COORDINATOR, "")),
        "coordinator (Georgian fund and Moldovan unit)",
    ),
    DemoAccount(
        "dritan.case",
        "Dritan",
        "Hoxha",
        "sq",
        (("ngo_al", Role.CASE_MANAGER, Discipline.SOCIAL_WORKER), ("ngo_al", Role.SUPERVISOR, "")),
        "case manager and supervisor at another organisation",
    ),
    DemoAccount(
        "ioana.case",
        "Ioana",
        "Marin",
        "ro",
        (("shelter_ro", Role.CASE_MANAGER, Discipline.SOCIAL_WORKER),),
        "shelter case manager",
    ),
    DemoAccount(
        "tamar.case",
        "Tamar",
        "Kapanadze",
        "ka",
        (("ngo_ge", Role.CASE_MANAGER, Discipline.SOCIAL_WORKER),),
        "case manager in Georgia (plans go to the State Fund)",
    ),
    DemoAccount(
        "eka.psych",
        "Eka",
        "Gelashvili",
        "ka",
        (("ngo_ge", Role.SPECIALIST, Discipline.PSYCHOLOGIST),),
        "psychologist in Georgia",
    ),
    DemoAccount(
        "giorgi.super",
        "Giorgi",
        "Lomidze",
        "ka",
        (("ngo_ge", Role.SUPERVISOR, ""),),
        "supervisor in Georgia",
    ),
    DemoAccount(
        "vera.analyst", "Vera", "Moraru", "en", (("coord_md", Role.ANALYST, ""),), "analyst"
    ),
    DemoAccount(
        "olga.admin",
        "Olga",
        "Munteanu",
        "ro",
        (("ngo_md", Role.ORGANISATION_ADMIN, ""),),
        "organisation administrator",
    ),
    DemoAccount(
        "lina.complaints",
        "Lina",
        "Ciobanu",
        "ro",
        (("ngo_md", Role.COMPLAINTS_OFFICER, ""),),
        "complaints officer",
    ),
    DemoAccount(
        "sys.admin",
        "Sam",
        "Admin",
        "en",
        (("hosting", Role.SYSTEM_ADMIN, ""),),
        "system administrator",
    ),
)


@transaction.atomic
def seed_accounts() -> dict[str, Organisation]:
    """Create the demo organisations and accounts; running it again changes nothing."""
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=spec.name,
            defaults={
                "short_name": spec.short_name,
                "type": spec.type,
                "country": spec.country,
                "policy_pack": spec.policy_pack,
                "case_prefix": spec.case_prefix,
            },
        )
        organisations[spec.key] = organisation
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "language": account.language,
                "email": f"{account.username}@demo.invalid",
                "is_demo_account": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if not TOTPDevice.objects.filter(user=user, name=DEMO_TOTP_NAME).exists():
            TOTPDevice.objects.create(
                user=user, name=DEMO_TOTP_NAME, key=DEMO_TOTP_KEY_HEX, confirmed=True
            )
        for organisation_key, role, discipline in account.roles:
            Membership.objects.get_or_create(
                user=user,
                organisation=organisations[organisation_key],
                role=role,
                defaults={"discipline": discipline},
            )
    return organisations


def demo_sign_in() -> dict[str, Any]:
    """What the login page shows in demo mode: the shared password, the authenticator key and
    each demo account with its roles in the reader's language."""
    organisations = {spec.key: spec.short_name for spec in ORGANISATIONS}
    return {
        "password": DEMO_PASSWORD,
        "totp_secret": DEMO_TOTP_SECRET,
        "accounts": [
            {
                "username": account.username,
                "name": f"{account.first_name} {account.last_name}",
                "roles": [
                    _("%(role)s, %(organisation)s")
                    % {"role": role.label, "organisation": organisations[key]}
                    for key, role, _discipline in account.roles
                ],
            }
            for account in ACCOUNTS
        ],
    }
