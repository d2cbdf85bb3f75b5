"""Invented people and cases in bulk, for volume tests and benchmarks (SPEC §5).

Everything goes through ``bulk_create`` in batches, one data key per person, values encrypted
exactly as the services do; no audit entry per row (one summary entry per run), which is what
makes 100,000 cases practical. Names are drawn per country so that the transliteration and
duplicate paths see Latin, Cyrillic and Georgian spellings.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from assistance.synthetic import ledger_items_bulk_seed
from audit.models import AuditAction
from audit.services import record
from cases.codes import (
    ExploitationForm,
    IdentificationStatus,
    MeansOfControl,
    NoteKind,
    ProfileCodeList,
    RecruitmentMethod,
    RiskLevel,
)
from cases.models import (
    Case,
    CaseNote,
    CaseNumberSequence,
    ProfileCode,
    TeamMember,
    TraffickingProfile,
)
from cases.policy import age_of_majority, age_on
from cases.services import new_case_code
from consent.models import Consent, ConsentGivenBy, ConsentMethod, ConsentPurpose
from crypto.blind_index import dob_index, name_index
from crypto.models import DataKey
from crypto.services import data_keys_create_bulk, encrypt_text
from monitoring.synthetic import add_monitoring
from people.codes import Education, Sex
from people.models import Person, PersonCitizenship, PersonLanguage, PersonNameIndex
from policies.selectors import pack_for_organisation
from work.models import CaseMilestone, MilestoneKind
from work.services import milestones_bulk_seed

NAMES: dict[str, tuple[list[str], list[str], list[str], str]] = {
    # country: (female given names, male given names, family names, language)
    "MD": (
        [
            "Ana",
            "Maria",
            "Elena",
            "Natalia",
            "Olga",
            "Cristina",
            "Tatiana",
            "Irina",
            "Doina",
            "Ludmila",
        ],
        ["Ion", "Vasile", "Sergiu", "Andrei", "Iurie", "Victor", "Nicolae", "Dumitru"],
        [
            "Rusu",
            "Ceban",
            "Lungu",
            "Popa",
            "Cojocaru",
            "Munteanu",
            "Ciobanu",
            "Moraru",
            "Rotari",
            "Turcan",
        ],
        "ro",
    ),
    "UA": (
        ["Олена", "Наталія", "Оксана", "Ірина", "Тетяна", "Юлія", "Світлана"],
        ["Іван", "Сергій", "Олександр", "Андрій", "Юрій", "Микола"],
        ["Петренко", "Коваленко", "Шевченко", "Бондаренко", "Мельник", "Гнатюк", "Ткаченко"],
        "uk",
    ),
    "RU": (
        ["Ольга", "Наталья", "Елена", "Анна", "Мария", "Светлана"],
        ["Иван", "Сергей", "Алексей", "Дмитрий", "Юрий"],
        ["Иванова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Волкова"],
        "ru",
    ),
    "GE": (
        ["ნინო", "მარიამ", "თამარ", "ანა", "ეკა", "ქეთევან"],
        ["გიორგი", "დავით", "ლევან", "ნიკა", "ზურაბ"],
        ["ბერიძე", "კაპანაძე", "გელაშვილი", "მაისურაძე", "ლომიძე"],
        "ka",
    ),
    "AL": (
        ["Arta", "Elira", "Blerta", "Drita", "Ermira", "Klea", "Anisa"],
        ["Arben", "Dritan", "Besnik", "Ilir", "Gent", "Erion"],
        ["Hoxha", "Shehu", "Leka", "Krasniqi", "Gashi", "Berisha", "Dervishi"],
        "sq",
    ),
    "RO": (
        ["Ioana", "Andreea", "Mihaela", "Alina", "Roxana", "Gabriela"],
        ["Mihai", "Alexandru", "Florin", "Marius", "Adrian"],
        ["Popescu", "Ionescu", "Stan", "Dumitrescu", "Marin", "Stoica"],
        "ro",
    ),
}
NOTE_TEXTS = [
    "Met at the shelter; talked about her plans for the coming month.",
    "Phone call: feels safer, sleeping better, asked about vocational courses.",
    "Accompanied to the clinic for the follow-up examination.",
    "Group session on budgeting; participated actively.",
    "Counselling session: worked on anxiety when going out alone.",
    "Office meeting with the lawyer about the statement for the prosecutor.",
]


@dataclass
class _Staff:
    organisation: Organisation
    managers: list[User]
    author: User
    # The organisation's current pack: what case_register records for a new case.
    pack_version: int
    majority: int


def _staff() -> list[_Staff]:
    staff: list[_Staff] = []
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        memberships = list(
            Membership.objects.active()
            .filter(organisation=organisation, role__in=[Role.CASE_MANAGER, Role.SUPERVISOR])
            .select_related("user")
            .order_by("pk")
        )
        managers = [m.user for m in memberships if m.role == Role.CASE_MANAGER] or [
            m.user for m in memberships
        ]
        if managers:
            staff.append(
                _Staff(
                    organisation=organisation,
                    managers=managers,
                    author=memberships[0].user,
                    pack_version=pack_for_organisation(organisation).version,
                    majority=age_of_majority(organisation),
                )
            )
    return staff


def _reserve_numbers(organisation: Organisation, year: int, count: int) -> int:
    """Reserve ``count`` serials for (organisation, year) and return the first."""
    sequence, _ = CaseNumberSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    first = sequence.last_serial + 1
    CaseNumberSequence.objects.filter(pk=sequence.pk).update(last_serial=F("last_serial") + count)
    return first


def _batches(total: int, size: int) -> Iterator[int]:
    done = 0
    while done < total:
        yield min(size, total - done)
        done += size


def generate(
    *,
    cases: int,
    seed: int | None = None,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create ``cases`` persons with their cases, profiles, consents and notes."""
    staff = _staff()
    if not staff:
        raise ValueError("No organisation has a case manager or supervisor; run seed_demo first.")
    rng = random.Random(seed)  # noqa: S311  (invented demo data, not a secret)
    today = timezone.localdate()
    created = 0
    for size in _batches(cases, batch_size):
        with transaction.atomic():
            _generate_batch(rng, staff, size, today)
        created += size
        if progress is not None:
            progress(created)
    record(
        action=AuditAction.CREATE,
        target=("cases.synthetic", "generate_synthetic"),
        detail={"cases": created, "seed": seed},
    )
    return created


def _encrypt(
    key: DataKey, model: type[models.Model], column: str, row: uuid.UUID, value: str | None
) -> bytes | None:
    return encrypt_text(
        key, value, table=model._meta.db_table, column=f"{column}_enc", row=str(row)
    )


def _generate_batch(
    rng: random.Random, staff: list[_Staff], size: int, today: datetime.date
) -> None:
    keys = data_keys_create_bulk(size)
    people: list[Person] = []
    plans: list[tuple[_Staff, str, datetime.date, list[str]]] = []
    for key in keys:
        unit = rng.choice(staff)
        country = rng.choices(list(NAMES), weights=[30, 15, 8, 12, 20, 15])[0]
        female_names, male_names, families, language = NAMES[country]
        sex = rng.choices([Sex.FEMALE, Sex.MALE], weights=[72, 28])[0]
        given = rng.choice(female_names if sex == Sex.FEMALE else male_names)
        family = rng.choice(families)
        received = today - datetime.timedelta(days=rng.randint(0, 5 * 365))
        born = received - datetime.timedelta(days=rng.randint(13 * 365, 45 * 365))
        person = Person(
            uuid=uuid.uuid4(),
            data_key=key,
            sex=sex,
            birth_year=born.year,
            education=rng.choice(Education.values),
            dob_index=dob_index(born),
        )
        person.given_name_enc = _encrypt(key, Person, "given_name", person.uuid, given)
        person.family_name_enc = _encrypt(key, Person, "family_name", person.uuid, family)
        person.date_of_birth_enc = _encrypt(
            key, Person, "date_of_birth", person.uuid, born.isoformat()
        )
        person.phone_enc = _encrypt(
            key,
            Person,
            "phone",
            person.uuid,
            f"+373 6{rng.randint(0, 9)} {rng.randint(100000, 999999)}",
        )
        people.append(person)
        plans.append((unit, country, received, [given, family, language, born.isoformat()]))
    Person.objects.bulk_create(people, batch_size=size)
    PersonNameIndex.objects.bulk_create(
        [
            PersonNameIndex(person=person, token_hash=token)
            for person, (_unit, _country, _received, words) in zip(people, plans, strict=True)
            for token in sorted(set(name_index(words[0])) | set(name_index(words[1])))
        ],
        batch_size=5000,
    )
    PersonCitizenship.objects.bulk_create(
        [
            PersonCitizenship(person=p, country=plan[1])
            for p, plan in zip(people, plans, strict=True)
        ],
        batch_size=5000,
    )
    PersonLanguage.objects.bulk_create(
        [
            PersonLanguage(person=p, language=plan[3][2], is_mother_tongue=True)
            for p, plan in zip(people, plans, strict=True)
        ],
        batch_size=5000,
    )
    serials: dict[tuple[int, int], int] = {}
    for unit, _country, received, _words in plans:
        slot = (unit.organisation.pk, received.year)
        serials[slot] = serials.get(slot, 0) + 1
    next_serial = {}
    by_pk = {unit.organisation.pk: unit.organisation for unit in staff}
    for (organisation_id, year), count in serials.items():
        next_serial[(organisation_id, year)] = _reserve_numbers(by_pk[organisation_id], year, count)
    new_cases: list[Case] = []
    for person, (unit, country, received, words) in zip(people, plans, strict=True):
        slot = (unit.organisation.pk, received.year)
        serial = next_serial[slot]
        next_serial[slot] = serial + 1
        status = rng.choices(IdentificationStatus.values, weights=[10, 35, 50, 5])[0]
        manager = rng.choice(unit.managers) if rng.random() < 0.9 else None
        born = datetime.date.fromisoformat(words[3])
        case = Case(
            uuid=uuid.uuid4(),
            organisation=unit.organisation,
            number=f"{unit.organisation.case_prefix}-{received.year}-{serial:04d}",
            code=new_case_code(),
            received_at=received,
            policy_pack=unit.organisation.policy_pack,
            policy_pack_version=unit.pack_version,
            person=person,
            data_key=person.data_key,
            registered_by=unit.author,
            case_manager=manager,
            first_contact_on=received,
            identification_status=status,
            identified_on=received + datetime.timedelta(days=rng.randint(1, 60))
            if status == IdentificationStatus.IDENTIFIED
            else None,
            immediate_needs_met_on=received + datetime.timedelta(days=rng.randint(0, 5))
            if manager
            else None,
            case_manager_assigned_on=received + datetime.timedelta(days=rng.randint(1, 10))
            if manager
            else None,
            admitted_on=received + datetime.timedelta(days=rng.randint(0, 10)) if manager else None,
            risk_level=rng.choice(RiskLevel.values),
            security_alert=rng.random() < 0.08,
            minor_at_reception=age_on(born, received) < unit.majority,
            foreign_national=country != unit.organisation.country,
            in_proceedings=rng.random() < 0.3,
        )
        new_cases.append(case)
    Case.objects.bulk_create(new_cases, batch_size=size)
    profiles = [
        TraffickingProfile(uuid=uuid.uuid4(), case=case, data_key=case.data_key)
        for case in new_cases
    ]
    for profile in profiles:
        profile.traffickers_enc = _encrypt(
            profile.data_key,
            TraffickingProfile,
            "traffickers",
            profile.uuid,
            f"recruiter known as {rng.choice(['Sasha', 'Beni', 'Gio', 'Vali'])}",
        )
    TraffickingProfile.objects.bulk_create(profiles, batch_size=size)
    codes: list[ProfileCode] = []
    for profile in profiles:
        codes.append(
            ProfileCode(
                profile=profile,
                list=ProfileCodeList.EXPLOITATION,
                code=rng.choices(
                    [
                        ExploitationForm.SEXUAL,
                        ExploitationForm.FORCED_LABOUR,
                        ExploitationForm.FORCED_BEGGING,
                        ExploitationForm.FORCED_CRIMINALITY,
                    ],
                    weights=[55, 30, 8, 7],
                )[0],
            )
        )
        for control in rng.sample(MeansOfControl.values, k=2):
            codes.append(ProfileCode(profile=profile, list=ProfileCodeList.CONTROL, code=control))
        codes.append(
            ProfileCode(
                profile=profile,
                list=ProfileCodeList.RECRUITMENT,
                code=rng.choice(RecruitmentMethod.values),
            )
        )
        codes.append(
            ProfileCode(
                profile=profile,
                list=ProfileCodeList.EXPLOITATION_COUNTRY,
                code=rng.choice(["RU", "TR", "IT", "DE", "AE", "GR"]),
            )
        )
    ProfileCode.objects.bulk_create(codes, batch_size=5000)
    TeamMember.objects.bulk_create(
        [
            TeamMember(case=c, user=c.case_manager, role="case manager", added_by=c.registered_by)
            for c in new_cases
            if c.case_manager
        ],
        batch_size=5000,
    )
    consents: list[Consent] = []
    notes: list[CaseNote] = []
    for case in new_cases:
        for purpose in (ConsentPurpose.ASSISTANCE, ConsentPurpose.DATA_PROCESSING):
            consents.append(
                Consent(
                    uuid=uuid.uuid4(),
                    case=case,
                    data_key=case.data_key,
                    purpose=purpose,
                    given_by=ConsentGivenBy.PERSON,
                    method=ConsentMethod.ORAL_WITNESSED,
                    given_on=case.received_at,
                    recorded_by=case.registered_by,
                )
            )
        for _ in range(rng.randint(1, 4)):
            note = CaseNote(
                uuid=uuid.uuid4(),
                case=case,
                data_key=case.data_key,
                kind=rng.choice(NoteKind.values),
                occurred_at=timezone.make_aware(
                    datetime.datetime.combine(
                        case.received_at + datetime.timedelta(days=rng.randint(0, 90)),
                        datetime.time(rng.randint(8, 17)),
                    )
                ),
                author=case.case_manager or case.registered_by,
            )
            note.text_enc = _encrypt(
                case.data_key, CaseNote, "text", note.uuid, rng.choice(NOTE_TEXTS)
            )
            notes.append(note)
    Consent.objects.bulk_create(consents, batch_size=5000)
    CaseNote.objects.bulk_create(notes, batch_size=5000)
    # The milestones case_register and case_assign_manager record, and the work items the
    # pack derives from them, so that "My work" carries realistic volume too.
    milestones: dict[int, list[CaseMilestone]] = {}
    for case in new_cases:
        recorded = [
            CaseMilestone(
                case=case,
                kind=MilestoneKind.RECEPTION,
                occurred_on=case.received_at,
                responsible=case.registered_by,
                recorded_by=case.registered_by,
            )
        ]
        if case.case_manager_id is not None and case.case_manager_assigned_on is not None:
            recorded.append(
                CaseMilestone(
                    case=case,
                    kind=MilestoneKind.CASE_MANAGER_ASSIGNED,
                    occurred_on=case.case_manager_assigned_on,
                    responsible_id=case.case_manager_id,
                    recorded_by=case.registered_by,
                )
            )
        milestones[case.pk] = recorded
    # Phases, monitoring contacts and outcome scores for a share of the cases; their
    # milestones join the map so the work items follow them.
    add_monitoring(rng, new_cases, milestones, today)
    milestones_bulk_seed(new_cases, milestones=milestones)
    # Assistance given to a realistic share of the cases (assistance.synthetic).
    ledger_items_bulk_seed(rng, new_cases, today)
