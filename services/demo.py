"""Demo services (``seed_demo``): invented providers and services across the demo countries,
a few of them deliberately stale so the renewal pages have something to show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.demo import DemoOrganisation
from accounts.models import Organisation, OrganisationType
from services.models import (
    SEX_COLUMNS,
    STATUS_COLUMNS,
    CostKind,
    IdentificationStatus,
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceLanguage,
    ServiceNationality,
    Sex,
)
from services.rules import confirmation_due
from services.services import renewal_period_months

# Providers that do not sign in but appear in the directory, as the state partners of
# 002 L1655-L1787 do.
PROVIDERS = (
    DemoOrganisation(
        "hospital_md",
        "Republican Clinical Hospital (demo)",
        "Clinical Hospital",
        OrganisationType.HEALTH,
        "MD",
        "md-nrs",
        "RCH",
    ),
    DemoOrganisation(
        "legal_al",
        "State Legal Aid Bureau Tirana (demo)",
        "Legal Aid Bureau",
        OrganisationType.STATE_AUTHORITY,
        "AL",
        "al-sop",
        "LAB",
    ),
    DemoOrganisation(
        "school_md",
        "Vocational School No. 3 Chișinău (demo)",
        "Vocational School 3",
        OrganisationType.EDUCATION,
        "MD",
        "md-nrs",
        "VS3",
    ),
    DemoOrganisation(
        "police_ge",
        "Anti-Trafficking Police Unit Tbilisi (demo)",
        "AT Police",
        OrganisationType.POLICE,
        "GE",
        "ge-fund",
        "ATP",
    ),
)

ALL_SEXES = tuple(Sex.values)
ALL_STATUSES = tuple(IdentificationStatus.values)
IDENTIFIED_ONLY = (IdentificationStatus.IDENTIFIED, IdentificationStatus.STATUTORY_VICTIM)


@dataclass(frozen=True)
class DemoService:
    provider: str
    category: ServiceCategory
    name: str
    language: str
    description: str
    areas: tuple[tuple[str, str], ...]
    languages: tuple[str, ...]
    age_min: int | None = None
    age_max: int | None = None
    sexes: tuple[str, ...] = ALL_SEXES
    statuses: tuple[str, ...] = ALL_STATUSES
    nationalities: tuple[str, ...] = ()
    capacity: int | None = None
    waiting_days: int = 0
    cost_kind: CostKind = CostKind.FREE
    fee: tuple[str, str] | None = None
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    opening_hours: str = ""
    # Days since the provider last confirmed; over a quarter makes the entry stale.
    confirmed_days_ago: int = 10


C = ServiceCategory
SERVICES = (
    DemoService(
        "ngo_md",
        C.SHELTER,
        "Safe house for women and children",
        "en",
        "Secret-address shelter with 24-hour staff, food, clothing and hygiene products. "
        "Stays of three to six months, longer for mothers with children.",
        (("MD", ""),),
        ("ro", "ru", "en"),
        sexes=(Sex.FEMALE,),
        capacity=14,
        waiting_days=3,
        contact_person="Duty coordinator",
        phone="+373 22 000 101",
        email="shelter@speranta.demo.invalid",
        opening_hours="24/7",
    ),
    DemoService(
        "ngo_md",
        C.PSYCHOLOGICAL,
        "Consiliere psihologică individuală",
        "ro",
        "Ședințe săptămânale cu psiholog pentru stabilizare și terapia traumei.",
        (("MD", "Chișinău"), ("MD", "Bălți")),
        ("ro", "ru"),
        age_min=12,
        capacity=30,
        waiting_days=7,
        contact_person="Ion Ceban",
        phone="+373 22 000 102",
        opening_hours="Mon-Fri 9:00-17:00",
    ),
    DemoService(
        "ngo_md",
        C.FAMILY_MEDIATION,
        "Family mediation before return",
        "en",
        "Prepares the family and the person for return; home visits by a social worker.",
        (("MD", ""),),
        ("ro", "ru"),
        waiting_days=14,
        contact_person="Ana Rusu",
        phone="+373 22 000 103",
        opening_hours="Mon-Fri 9:00-17:00",
    ),
    DemoService(
        "ngo_md",
        C.MATERIAL_AID,
        "Emergency material assistance",
        "en",
        "Food parcels, clothing, hygiene kits and small cash grants in the first weeks.",
        (("MD", ""),),
        ("ro", "ru"),
        waiting_days=1,
        contact_person="Ana Rusu",
        phone="+373 22 000 104",
        confirmed_days_ago=120,
    ),
    DemoService(
        "ngo_md",
        C.INTERPRETATION,
        "Interpreters for interviews and court",
        "en",
        "Interpreters trained in trauma-informed interviewing.",
        (("MD", "Chișinău"),),
        ("ro", "ru", "uk", "en", "tr"),
        waiting_days=2,
        cost_kind=CostKind.FUNDED,
        phone="+373 22 000 105",
    ),
    DemoService(
        "coord_md",
        C.REPATRIATION,
        "Assisted return coordination",
        "en",
        "Arranges documents, travel and reception for Moldovan nationals returning from "
        "abroad, with the destination country's referral mechanism.",
        (("MD", ""),),
        ("ro", "ru", "en"),
        nationalities=("MD",),
        statuses=(IdentificationStatus.POTENTIAL_VICTIM, *IDENTIFIED_ONLY),
        waiting_days=5,
        contact_person="NRS duty officer",
        phone="+373 22 000 201",
        email="nrs@coord.demo.invalid",
        opening_hours="Mon-Fri 8:00-17:00",
    ),
    DemoService(
        "coord_md",
        C.DOCUMENTS,
        "Identity documents and civil registration",
        "ro",
        "Ajutor pentru buletin de identitate, certificat de naștere și înregistrarea copiilor.",
        (("MD", ""),),
        ("ro", "ru"),
        waiting_days=21,
        contact_person="Registry liaison",
        phone="+373 22 000 202",
    ),
    DemoService(
        "fund_ge",
        C.SHELTER,
        "State shelter Tbilisi",
        "ka",
        "სახელმწიფო თავშესაფარი ტრეფიკინგის მსხვერპლთათვის: საცხოვრებელი, კვება, "
        "სამედიცინო და ფსიქოლოგიური დახმარება.",
        (("GE", "Tbilisi"),),
        ("ka", "ru", "en"),
        statuses=IDENTIFIED_ONLY,
        capacity=20,
        waiting_days=0,
        cost_kind=CostKind.FUNDED,
        contact_person="Shelter manager",
        phone="+995 32 000 301",
        opening_hours="24/7",
    ),
    DemoService(
        "fund_ge",
        C.SHELTER,
        "State shelter Batumi",
        "ka",
        "სახელმწიფო თავშესაფარი ბათუმში.",
        (("GE", "Batumi"),),
        ("ka", "ru", "tr"),
        statuses=IDENTIFIED_ONLY,
        capacity=12,
        waiting_days=4,
        cost_kind=CostKind.FUNDED,
        phone="+995 422 000 302",
        opening_hours="24/7",
    ),
    DemoService(
        "fund_ge",
        C.MATERIAL_AID,
        "One-off compensation for statutory victims",
        "en",
        "The Fund's one-off payment to statutory victims of trafficking.",
        (("GE", ""),),
        ("ka", "en"),
        statuses=(IdentificationStatus.STATUTORY_VICTIM,),
        waiting_days=30,
        cost_kind=CostKind.FUNDED,
        contact_person="Fund office",
        phone="+995 32 000 303",
        email="fund@sfv.demo.invalid",
    ),
    DemoService(
        "fund_ge",
        C.LEGAL_AID,
        "Legal consultation at the Fund",
        "en",
        "Lawyers advise on criminal proceedings and compensation claims.",
        (("GE", "Tbilisi"),),
        ("ka", "ru", "en"),
        waiting_days=7,
        cost_kind=CostKind.FUNDED,
        phone="+995 32 000 304",
        opening_hours="Mon-Fri 10:00-18:00",
        confirmed_days_ago=140,
    ),
    DemoService(
        "ngo_al",
        C.SHELTER,
        "Qendra e riintegrimit",
        "sq",
        "Qendër rezidenciale e sigurt për viktima dhe viktima të mundshme; qëndrim 3-6 muaj.",
        (("AL", "Tiranë"),),
        ("sq", "en", "it"),
        capacity=16,
        waiting_days=2,
        contact_person="Dritan Hoxha",
        phone="+355 4 000 401",
        opening_hours="24/7",
    ),
    DemoService(
        "ngo_al",
        C.HOUSING,
        "Protected apartments",
        "en",
        "Subsidised apartments for the second phase of reintegration, after the centre.",
        (("AL", "Tiranë"), ("AL", "Durrës")),
        ("sq", "en"),
        age_min=18,
        capacity=6,
        waiting_days=45,
        phone="+355 4 000 402",
    ),
    DemoService(
        "ngo_al",
        C.EMPLOYMENT,
        "Internship and on-the-job training",
        "en",
        "Paid internships with partner businesses and support writing a business plan.",
        (("AL", ""),),
        ("sq",),
        age_min=16,
        age_max=35,
        waiting_days=30,
        phone="+355 4 000 403",
        opening_hours="Mon-Fri 9:00-16:00",
    ),
    DemoService(
        "ngo_al",
        C.CHILD_CARE,
        "Afternoon day care for children of beneficiaries",
        "en",
        "Day care after kindergarten and school hours, Monday to Saturday.",
        (("AL", "Tiranë"),),
        ("sq",),
        age_max=10,
        capacity=15,
        waiting_days=10,
        opening_hours="Mon-Sat 14:00-20:00",
        confirmed_days_ago=100,
    ),
    DemoService(
        "ngo_al",
        C.SOCIAL_ASSISTANCE,
        "Mentoring programme",
        "en",
        "Weekly meetings with a trained mentor to rebuild trust and daily-life skills.",
        (("AL", ""),),
        ("sq", "en"),
        age_min=14,
        waiting_days=20,
    ),
    DemoService(
        "shelter_ro",
        C.SHELTER,
        "Adăpost de urgență",
        "ro",
        "Cazare de urgență, hrană și consiliere pentru victime adulte.",
        (("RO", "București"),),
        ("ro", "en", "hu"),
        age_min=18,
        capacity=10,
        waiting_days=0,
        contact_person="Ioana Marin",
        phone="+40 21 000 501",
        opening_hours="24/7",
    ),
    DemoService(
        "shelter_ro",
        C.COURT_SUPPORT,
        "Însoțire la audieri și în instanță",
        "ro",
        "Însoțirea victimelor la audieri, pregătire înainte de depoziție și sprijin după.",
        (("RO", ""),),
        ("ro", "en"),
        statuses=IDENTIFIED_ONLY,
        waiting_days=3,
        phone="+40 21 000 502",
    ),
    DemoService(
        "shelter_ro",
        C.PSYCHIATRIC,
        "Psychiatric assessment and follow-up",
        "en",
        "Psychiatrist visits at the shelter every second week.",
        (("RO", "București"),),
        ("ro",),
        age_min=18,
        capacity=8,
        waiting_days=14,
        cost_kind=CostKind.FEE,
        fee=("150.00", "RON"),
        phone="+40 21 000 503",
    ),
    DemoService(
        "hospital_md",
        C.MEDICAL,
        "Initial medical check-up",
        "en",
        "Examination, laboratory tests and referral to specialists; free with a health "
        "card from the referral mechanism.",
        (("MD", "Chișinău"),),
        ("ro", "ru"),
        waiting_days=2,
        contact_person="Admissions",
        phone="+373 22 000 601",
        opening_hours="Mon-Fri 8:00-15:00",
    ),
    DemoService(
        "hospital_md",
        C.PSYCHIATRIC,
        "Outpatient mental health service",
        "en",
        "Diagnosis and treatment by psychiatrists and clinical psychologists.",
        (("MD", "Chișinău"),),
        ("ro", "ru"),
        age_min=18,
        waiting_days=21,
        phone="+373 22 000 602",
        confirmed_days_ago=200,
    ),
    DemoService(
        "legal_al",
        C.LEGAL_AID,
        "Ndihmë juridike parësore dhe dytësore",
        "sq",
        "Këshillim juridik, hartim dokumentesh dhe përfaqësim në gjykatë pa pagesë për "
        "viktimat e trafikimit.",
        (("AL", ""),),
        ("sq", "en"),
        waiting_days=5,
        contact_person="Legal aid desk",
        phone="+355 4 000 701",
        opening_hours="Mon-Fri 8:00-16:00",
    ),
    DemoService(
        "legal_al",
        C.COURT_SUPPORT,
        "Representation in compensation claims",
        "en",
        "Lawyers represent victims claiming compensation from traffickers in court.",
        (("AL", ""),),
        ("sq",),
        statuses=IDENTIFIED_ONLY,
        waiting_days=15,
        phone="+355 4 000 702",
    ),
    DemoService(
        "school_md",
        C.VOCATIONAL_TRAINING,
        "Cursuri de croitorie și cofetărie",
        "ro",
        "Cursuri de 6 luni cu certificat; bursă și masă pentru cursanți.",
        (("MD", "Chișinău"),),
        ("ro", "ru"),
        age_min=16,
        age_max=45,
        capacity=25,
        waiting_days=60,
        contact_person="Secretariat",
        phone="+373 22 000 801",
        opening_hours="Mon-Fri 8:00-14:00",
    ),
    DemoService(
        "school_md",
        C.EDUCATION,
        "Second-chance schooling",
        "en",
        "Completes interrupted secondary education in evening classes.",
        (("MD", "Chișinău"),),
        ("ro",),
        age_min=14,
        age_max=25,
        capacity=20,
        waiting_days=30,
        cost_kind=CostKind.FEE,
        fee=("200.00", "MDL"),
    ),
    DemoService(
        "police_ge",
        C.PROTECTION,
        "Witness protection and safe escort",
        "en",
        "Risk assessment, escort and protection for victims who testify.",
        (("GE", ""),),
        ("ka", "ru", "en"),
        statuses=IDENTIFIED_ONLY,
        waiting_days=0,
        contact_person="Duty officer",
        phone="+995 32 000 901",
        opening_hours="24/7",
    ),
)


def _provider_organisations(existing: dict[str, Organisation]) -> dict[str, Organisation]:
    organisations = dict(existing)
    for spec in PROVIDERS:
        organisation, _created = Organisation.objects.get_or_create(
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
    return organisations


@transaction.atomic
def seed_services(organisations: dict[str, Organisation]) -> int:
    """Create the demo providers and services; running it again changes nothing. Returns the
    number of services created."""
    organisations = _provider_organisations(organisations)
    now = timezone.now()
    created_count = 0
    for spec in SERVICES:
        organisation = organisations[spec.provider]
        if Service.objects.filter(organisation=organisation, name=spec.name).exists():
            continue
        confirmed_at = now - datetime.timedelta(days=spec.confirmed_days_ago)
        service = Service(
            organisation=organisation,
            category=spec.category,
            name=spec.name,
            description=spec.description,
            language=spec.language,
            age_min=spec.age_min,
            age_max=spec.age_max,
            capacity=spec.capacity,
            waiting_days=spec.waiting_days,
            cost_kind=spec.cost_kind,
            fee_amount=Decimal(spec.fee[0]) if spec.fee else None,
            fee_currency=spec.fee[1] if spec.fee else "",
            contact_person=spec.contact_person,
            phone=spec.phone,
            email=spec.email,
            opening_hours=spec.opening_hours,
            last_confirmed_at=confirmed_at,
            confirmation_due_on=confirmation_due(
                timezone.localdate(confirmed_at), renewal_period_months(organisation)
            ),
        )
        for sex, column in SEX_COLUMNS.items():
            setattr(service, column, sex in spec.sexes)
        for status, column in STATUS_COLUMNS.items():
            setattr(service, column, status in spec.statuses)
        service.full_clean(exclude=["last_confirmed_by"])
        service.save()
        ServiceArea.objects.bulk_create(
            ServiceArea(service=service, country=country, region=region)
            for country, region in spec.areas
        )
        ServiceLanguage.objects.bulk_create(
            ServiceLanguage(service=service, code=code) for code in spec.languages
        )
        ServiceNationality.objects.bulk_create(
            ServiceNationality(service=service, country=code) for code in spec.nationalities
        )
        created_count += 1
    return created_count
