"""Demo cases for ``seed_demo``: invented people at the demo organisations, at different
stages, written through the same services as the pages (so they are encrypted, indexed and
audited like real records). Added once per organisation; running again changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.access import Acting, acting_for
from accounts.models import Organisation, User
from cases.codes import ProfileCodeList
from cases.models import Case, TraffickingIndicator, TraffickingProfile
from cases.services import (
    CaseInput,
    case_admit,
    case_assign_manager,
    case_register,
    case_update,
    identification_transition,
    interview_record,
    note_add,
    profile_update,
    screening_record,
    team_add,
)
from consent.services import consent_record
from people.services import PersonInput, related_person_add

# A one-page PDF with no content: the demo's stand-in for scanned documents.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass(frozen=True)
class DemoCase:
    organisation: str  # key in accounts.demo.ORGANISATIONS
    registrar: str
    given_name: str
    family_name: str
    sex: str
    age: int
    citizenships: tuple[str, ...]
    languages: tuple[str, ...]
    days_ago: int
    stage: str  # at_risk, potential, identified, not_victim
    exploitation: tuple[str, ...] = ()
    control: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    case_manager: str = ""
    team: tuple[tuple[str, str], ...] = ()
    guardian: str = ""
    risk_level: str = ""
    security_alert: bool = False
    notes: tuple[str, ...] = field(default=())


CASES = (
    # Georgia: a statutory victim whose plan goes to the State Fund (seed_plans).
    DemoCase(
        "ngo_ge",
        "giorgi.super",
        "მარიამ",
        "ქავთარაძე",
        "female",
        23,
        ("GE",),
        ("ka", "ru"),
        60,
        "identified",
        ("SexualExploitation",),
        ("DebtBondage", "WithholdsDocuments"),
        ("TR",),
        "tamar.case",
        (("eka.psych", "psychologist"),),
        risk_level="moderate",
        notes=("First meeting at the crisis centre; wants to return to her studies.",),
    ),
    DemoCase(
        "ngo_ge",
        "giorgi.super",
        "Levan",
        "Beridze",
        "male",
        31,
        ("GE",),
        ("ka",),
        12,
        "potential",
        ("ForcedLabour",),
        ("TakesEarnings",),
        ("RU",),
        "tamar.case",
    ),
    DemoCase(
        "ngo_md",
        "elena.super",
        "Natalia",
        "Ceban",
        "female",
        24,
        ("MD",),
        ("ro", "ru"),
        200,
        "identified",
        ("SexualExploitation",),
        ("DebtBondage", "WithholdsDocuments"),
        ("TR",),
        "ana.case",
        (("ion.psych", "psychologist"), ("maria.doctor", "doctor")),
        risk_level="moderate",
        notes=(
            "First counselling session; sleeps badly, wants to find work.",
            "Accompanied to the clinic.",
        ),
    ),
    DemoCase(
        "ngo_md",
        "elena.super",
        "Ion",
        "Rotari",
        "male",
        41,
        ("MD",),
        ("ro",),
        150,
        "identified",
        ("ForcedLabour",),
        ("TakesEarnings", "ExcessiveWorkingHours"),
        ("RU",),
        "ana.case",
        (("victor.lawyer", "lawyer"),),
        notes=("Statement for the prosecutor prepared with the lawyer.",),
    ),
    DemoCase(
        "ngo_md",
        "ana.case",
        "Olena",
        "Petrenko",
        "female",
        19,
        ("UA",),
        ("uk", "ru"),
        40,
        "potential",
        ("SexualExploitation",),
        ("FalsePromises", "PsychologicalAbuse"),
        ("MD",),
        risk_level="high",
        security_alert=True,
    ),
    DemoCase(
        "ngo_md",
        "elena.super",
        "Cristina",
        "Lungu",
        "female",
        16,
        ("MD",),
        ("ro",),
        90,
        "identified",
        ("SexualExploitation",),
        ("ThreatensChildrenFamily",),
        ("RU", "AE"),
        "ana.case",
        (("ion.psych", "psychologist"),),
        guardian="Maria Lungu",
        risk_level="high",
    ),
    DemoCase("ngo_md", "ana.case", "Vasile", "Moraru", "male", 33, ("MD",), ("ro",), 10, "at_risk"),
    DemoCase(
        "ngo_md",
        "elena.super",
        "Tatiana",
        "Rusu",
        "female",
        28,
        ("MD",),
        ("ro", "ru"),
        400,
        "not_victim",
    ),
    DemoCase(
        "ngo_md",
        "elena.super",
        "Irina",
        "Cojocaru",
        "female",
        15,
        ("MD",),
        ("ro",),
        60,
        "potential",
        ("ForcedBegging",),
        ("PhysicalAbuse",),
        ("RO",),
        "ana.case",
        guardian="Vera Cojocaru",
    ),
    DemoCase(
        "ngo_md",
        "elena.super",
        "Ольга",
        "Иванова",
        "female",
        35,
        ("RU",),
        ("ru",),
        120,
        "identified",
        ("ForcedLabour", "SexualExploitation"),
        ("WithholdsDocuments",),
        ("MD",),
        "ana.case",
    ),
    DemoCase(
        "ngo_al",
        "dritan.case",
        "Arta",
        "Hoxha",
        "female",
        22,
        ("AL",),
        ("sq",),
        300,
        "identified",
        ("SexualExploitation",),
        ("FalsePromises", "DebtBondage"),
        ("IT",),
        "dritan.case",
        risk_level="moderate",
        notes=("Moved to the semi-independent apartment.",),
    ),
    DemoCase(
        "ngo_al",
        "dritan.case",
        "Besnik",
        "Shehu",
        "male",
        17,
        ("AL",),
        ("sq",),
        45,
        "potential",
        ("ForcedCriminality",),
        ("PhysicalThreats",),
        ("GR",),
        "dritan.case",
        guardian="Drita Shehu",
    ),
    DemoCase(
        "ngo_al", "dritan.case", "Elira", "Leka", "female", 30, ("AL",), ("sq", "it"), 20, "at_risk"
    ),
    DemoCase(
        "ngo_al",
        "dritan.case",
        "Klea",
        "Gashi",
        "female",
        26,
        ("XK",),
        ("sq",),
        500,
        "identified",
        ("ForcedMarriage",),
        ("PsychologicalAbuse",),
        ("AL",),
        "dritan.case",
    ),
    DemoCase(
        "shelter_ro",
        "ioana.case",
        "Andreea",
        "Stan",
        "female",
        20,
        ("RO",),
        ("ro",),
        70,
        "identified",
        ("SexualExploitation",),
        ("SexualAbuse",),
        ("DE",),
    ),
    DemoCase(
        "shelter_ro",
        "ioana.case",
        "Mihai",
        "Popescu",
        "male",
        38,
        ("RO",),
        ("ro",),
        15,
        "potential",
        ("ForcedLabour",),
        ("WithholdsNecessities",),
        ("ES",),
    ),
    DemoCase(
        "shelter_ro",
        "ioana.case",
        "ნინო",
        "ბერიძე",
        "female",
        27,
        ("GE",),
        ("ka", "ru"),
        35,
        "potential",
        ("Servitude",),
        ("WithholdsDocuments",),
        ("RO",),
        security_alert=True,
    ),
    DemoCase(
        "shelter_ro",
        "ioana.case",
        "Roxana",
        "Marin",
        "female",
        17,
        ("RO",),
        ("ro",),
        5,
        "at_risk",
        guardian="Elena Marin",
    ),
)


# Who assigns case managers in each demo organisation.
SUPERVISORS = {"ngo_md": "elena.super", "ngo_ge": "giorgi.super"}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _refresh(case: Case) -> Case:
    return Case.objects.select_related("data_key", "person__data_key", "case_manager").get(
        pk=case.pk
    )


def _acting(username: str, organisation: Organisation) -> Acting:
    acting = acting_for(User.objects.get(username=username), organisation)
    if acting is None:
        raise ValueError(f"{username} has no role at {organisation}")
    return acting


def _seed_case(spec: DemoCase, organisation: Organisation, today: datetime.date) -> Case:
    registrar = _acting(spec.registrar, organisation)
    received = today - datetime.timedelta(days=spec.days_ago)
    born = received.replace(year=received.year - spec.age) - datetime.timedelta(
        days=40 + spec.days_ago % 200
    )
    case = case_register(
        acting=registrar,
        person=PersonInput(
            given_name=spec.given_name,
            family_name=spec.family_name,
            sex=spec.sex,
            date_of_birth=born,
            citizenships=list(spec.citizenships),
            languages=list(spec.languages),
            education="LowerSecondaryEducation",
        ),
        case=CaseInput(
            received_at=received,
            risk_level=spec.risk_level,
            security_alert=spec.security_alert,
            emergency_needs="Shelter, food, a medical check.",
            immediate_assistance="Admitted to the shelter the same day.",
        ),
        confirmed_not_duplicate=True,
    )
    case = _refresh(case)
    guardian = None
    if spec.guardian:
        guardian = related_person_add(
            acting_user=registrar.user,
            organisation=organisation,
            case_id=case.pk,
            person=case.person,
            relationship="parent",
            name=spec.guardian,
            contact="+000 000 000",
            is_legal_representative=True,
            authority_document="parental",
            authority_upload=_pdf("birth-certificate.pdf"),
        )
    consent_record(
        acting=registrar,
        case=case,
        purpose="assistance",
        given_by="legal_representative" if guardian else "person",
        legal_representative=guardian,
        method="signed_paper",
        given_on=received,
        document=_pdf("consent.pdf"),
    )
    # The interview and the formal identification each need the person's consent (SPEC C3).
    for purpose in ("data_processing", "interview", "formal_identification"):
        consent_record(
            acting=registrar,
            case=case,
            purpose=purpose,
            given_by="legal_representative" if guardian else "person",
            legal_representative=guardian,
            method="oral_witnessed",
            given_on=received,
        )
    indicators = list(
        TraffickingIndicator.objects.filter(is_active=True).values_list("pk", flat=True)
    )
    screening_record(
        acting=registrar,
        case=case,
        screened_on=received,
        indicator_ids=indicators[: 3 + spec.age % 5],
        notes="Screened at first contact.",
    )
    if spec.stage != "at_risk":
        interview_record(
            acting=registrar,
            case=case,
            held_on=received,
            language=spec.languages[0],
            interpreter_present=False,
            personal_information="Recorded with the person.",
            medical_history="No chronic illness reported.",
            trafficking_information="Recruited with a promise of work abroad.",
            principles=[
                "informed_consent",
                "date_agreed",
                "safety",
                "rights_explained",
                "language",
                "private",
            ],
        )
        case = _refresh(case)
        target = "not_victim" if spec.stage == "not_victim" else "potential"
        identification_transition(
            acting=registrar,
            case=case,
            to_status=target,
            decided_on=received,
            referred_to="Social assistance office" if target == "not_victim" else "",
            expected_version=case.version,
        )
        if spec.stage == "identified":
            case = _refresh(case)
            identification_transition(
                acting=registrar,
                case=case,
                to_status="identified",
                decided_on=received + datetime.timedelta(days=7),
                identifying_body="Police",
                identifying_authority="Formal identification group",
                decision_document=_pdf("decision.pdf"),
                expected_version=case.version,
            )
    if spec.exploitation:
        profile = TraffickingProfile.objects.get(case=case)
        profile_update(
            acting=registrar,
            case=_refresh(case),
            expected_version=profile.version,
            values={"has_debts": "DebtBondage" in spec.control},
            codes={
                ProfileCodeList.EXPLOITATION: list(spec.exploitation),
                ProfileCodeList.CONTROL: list(spec.control),
                ProfileCodeList.EXPLOITATION_COUNTRY: list(spec.countries),
            },
            texts={"traffickers": "A recruiter known by a first name only."},
        )
    if spec.case_manager:
        case = _refresh(case)
        case = case_update(
            acting=registrar,
            case=case,
            expected_version=case.version,
            values={"immediate_needs_met_on": received + datetime.timedelta(days=1)},
        )
        supervisor = SUPERVISORS.get(spec.organisation, "dritan.case")
        assigner = _acting(supervisor, organisation)
        case = _refresh(case)
        case_assign_manager(
            acting=assigner,
            case=case,
            case_manager=User.objects.get(username=spec.case_manager),
            reason="initial",
            expected_version=case.version,
        )
        case = _refresh(case)
        case_admit(
            acting=assigner,
            case=case,
            admitted_on=received + datetime.timedelta(days=1),
            expected_version=case.version,
        )
        for username, role in spec.team:
            team_add(
                acting=assigner,
                case=_refresh(case),
                user=User.objects.get(username=username),
                role=role,
            )
    author = _acting(spec.case_manager or spec.registrar, organisation)
    for index, text in enumerate(spec.notes):
        occurred = timezone.make_aware(
            datetime.datetime.combine(
                received + datetime.timedelta(days=3 + 7 * index), datetime.time(10)
            )
        )
        note_add(
            acting=author,
            case=_refresh(case),
            kind="counselling" if index == 0 else "visit",
            occurred_at=occurred,
            text=text,
        )
    return case


@transaction.atomic
def seed_cases(organisations: dict[str, Organisation]) -> int:
    """Add the demo cases to demo organisations that have none yet; returns how many."""
    today = timezone.localdate()
    created = 0
    for key in dict.fromkeys(spec.organisation for spec in CASES):
        organisation = organisations[key]
        if Case.objects.filter(organisation=organisation).exists():
            continue
        for spec in CASES:
            if spec.organisation == key:
                _seed_case(spec, organisation, today)
                created += 1
    return created
