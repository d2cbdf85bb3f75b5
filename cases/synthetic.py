"""Invented people and cases in bulk, for volume tests and benchmarks (SPEC §5).

Everything goes through ``bulk_create`` in batches, one data key per person, values encrypted
exactly as the services do; no audit entry per row (one summary entry per run), which is what
makes 100,000 cases practical.

The volume looks like a real deployment's (SPEC §5 "Scale"):

- names per country of citizenship in the country's script (``cases.synthetic_names``: at
  least 150 given and 200 family names each), drawn with Zipf-like weights by rank, so a few
  names are common and most are rare — what name search meets in a real register;
- cases received over five years, most of them closed: a case stays open while assistance
  lasts (the 12-month plan term of 001 §7.10, longer for some), so about a fifth are open;
- case managers hired per organisation so that each carries 10-40 open cases, and a
  supervisor over every team of about seven case managers;
- the milestones and work items the deadline engine derives, with monitoring and follow-up
  contacts mostly kept and some missed, so "My work" carries realistic volume.

Records that belong to later stages of case work (assessments, plans, referrals) are added by
an ``extend`` callable given to :func:`generate` (``benchmark.synthetic``), which keeps this
module free of the apps that build on cases.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import Discipline, Role
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
    CaseStatus,
    ProfileCode,
    TeamMember,
    TraffickingProfile,
)
from cases.policy import age_of_majority, age_on
from cases.services import new_case_code
from cases.synthetic_names import FAMILY, FAMILY_FEMININE, FEMALE_GIVEN, LANGUAGE, MALE_GIVEN
from consent.models import Consent, ConsentGivenBy, ConsentMethod, ConsentPurpose
from crypto.blind_index import dob_index, name_index
from crypto.models import DataKey
from crypto.services import data_keys_create_bulk, encrypt_text
from monitoring.synthetic import add_monitoring
from people.codes import Education, Sex
from people.models import Person, PersonCitizenship, PersonLanguage, PersonNameIndex
from policies.deadlines import Event, EventKind, WorkKind, compute_deadlines
from policies.schema import PolicyRules
from policies.selectors import pack_for_organisation
from work.models import CaseMilestone, MilestoneKind
from work.services import milestones_bulk_seed

# Citizenship of the persons assisted, and how often (the seed organisations' countries and
# their main countries of origin).
COUNTRY_WEIGHTS = {"MD": 30, "UA": 15, "RU": 8, "GE": 12, "AL": 20, "RO": 15}
PHONE_PREFIX = {"MD": "+373", "UA": "+380", "RU": "+7", "GE": "+995", "AL": "+355", "RO": "+40"}
# Zipf-Mandelbrot weights 1 / (rank + q): q keeps the most common family name near 3 % of its
# country (as the commonest surnames are), given names are more concentrated.
FAMILY_Q = 10
GIVEN_Q = 3
CASELOAD_MIN, CASELOAD_MAX = 10, 40
CASE_MANAGERS_PER_SUPERVISOR = 7
YEARS_OF_HISTORY = 5
NOTE_TEXTS = [
    "Met at the shelter; talked about her plans for the coming month.",
    "Phone call: feels safer, sleeping better, asked about vocational courses.",
    "Accompanied to the clinic for the follow-up examination.",
    "Group session on budgeting; participated actively.",
    "Counselling session: worked on anxiety when going out alone.",
    "Office meeting with the lawyer about the statement for the prosecutor.",
    "Home visit: the family welcomed the visit; discussed school enrolment for the child.",
    "Phone call with the employer about the trial period; first month went well.",
    "Accompanied to the civil registry to apply for a new identity card.",
    "Monitoring contact: no new risks reported; rent paid for the month.",
]


def _cumulative(count: int, q: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + q) for rank in range(1, count + 1)))


_GIVEN_WEIGHTS = {
    country: (
        _cumulative(len(FEMALE_GIVEN[country]), GIVEN_Q),
        _cumulative(len(MALE_GIVEN[country]), GIVEN_Q),
    )
    for country in COUNTRY_WEIGHTS
}
_FAMILY_WEIGHTS = {country: _cumulative(len(FAMILY[country]), FAMILY_Q) for country in FAMILY}


def draw_name(rng: random.Random, country: str, sex: str) -> tuple[str, str]:
    """A (given, family) name for a person of ``country``, common names more often."""
    female = sex == Sex.FEMALE
    givens = FEMALE_GIVEN[country] if female else MALE_GIVEN[country]
    given = rng.choices(givens, cum_weights=_GIVEN_WEIGHTS[country][0 if female else 1])[0]
    rank = rng.choices(range(len(FAMILY[country])), cum_weights=_FAMILY_WEIGHTS[country])[0]
    feminine = FAMILY_FEMININE.get(country)
    family = feminine[rank] if female and feminine and rank < len(feminine) else None
    return given, family or FAMILY[country][rank]


@dataclass
class _Staff:
    organisation: Organisation
    author: User
    # The organisation's current pack: what case_register records for a new case.
    pack_version: int
    rules: PolicyRules
    majority: int
    managers: list[User] = field(default_factory=list)
    supervisors: list[User] = field(default_factory=list)


@dataclass
class _Draft:
    """A case decided before anything is written: where it goes, when, open or closed."""

    unit: _Staff
    received: datetime.date
    closed_on: datetime.date | None
    manager: User | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@dataclass
class GeneratedCase:
    """What ``extend`` is given for each new case (the case is saved, with its pk)."""

    case: Case
    closed_on: datetime.date | None
    organisation: Organisation
    supervisor: User
    rules: PolicyRules


class CaseWork(Protocol):
    """Adds later stages of case work to a batch of new cases, in the batch's transaction,
    and returns the milestones they record (per case pk) for the deadline engine."""

    def __call__(
        self, rng: random.Random, cases: Sequence[GeneratedCase], today: datetime.date
    ) -> dict[int, list[CaseMilestone]]: ...


def _units() -> list[_Staff]:
    units: list[_Staff] = []
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        memberships = list(
            Membership.objects.active()
            .filter(organisation=organisation, role__in=[Role.CASE_MANAGER, Role.SUPERVISOR])
            .select_related("user")
            .order_by("pk")
        )
        if memberships:
            pack = pack_for_organisation(organisation)
            units.append(
                _Staff(
                    organisation=organisation,
                    author=memberships[0].user,
                    pack_version=pack.version,
                    rules=pack.parsed,
                    majority=age_of_majority(organisation),
                )
            )
    return units


def _draft(rng: random.Random, unit: _Staff, today: datetime.date) -> _Draft:
    received = today - datetime.timedelta(days=rng.randint(0, YEARS_OF_HISTORY * 365))
    age = (today - received).days
    # Assistance lasts about a year (001 §7.10), longer for some: the chance that a case is
    # still open falls with its age.
    still_open = 0.95 if age < 180 else 0.7 if age < 365 else 0.2 if age < 730 else 0.02
    closed_on = None
    if rng.random() >= still_open:
        closed_on = min(
            today - datetime.timedelta(days=1),
            received + datetime.timedelta(days=rng.randint(90, 540)),
        )
        closed_on = max(closed_on, received)
    return _Draft(unit=unit, received=received, closed_on=closed_on)


def _capacities(rng: random.Random, open_cases: int) -> list[int]:
    """Caseloads of 10-40 that add up to ``open_cases`` (fewer than 10 only when the whole
    organisation has fewer)."""
    if open_cases <= CASELOAD_MIN:
        return [open_cases] if open_cases else []
    loads: list[int] = []
    while sum(loads) < open_cases:
        loads.append(rng.randint(CASELOAD_MIN, CASELOAD_MAX))
    excess = sum(loads) - open_cases
    for index in range(len(loads)):
        cut = min(excess, loads[index] - CASELOAD_MIN)
        loads[index] -= cut
        excess -= cut
    return loads


def _hire(
    rng: random.Random, units: list[_Staff], drafts: list[_Draft], today: datetime.date
) -> int:
    """Create the case managers (and their supervisors) the new cases need, and give every
    draft its manager. Returns the number of accounts created."""
    # Unique across runs, including runs in parallel (several generators may fill one
    # database at once: see generate).
    run = uuid.uuid4().hex[:6]
    serial = 1
    users: list[User] = []
    roles: list[tuple[User, _Staff, Role]] = []
    plans: list[tuple[_Staff, list[_Draft], list[int], int]] = []
    for unit in units:
        mine = [d for d in drafts if d.unit is unit]
        if not mine:
            continue
        # A case registered in the last week may still wait for its case manager (002 L990).
        waiting = {
            id(d)
            for d in mine
            if d.is_open and d.received > today - datetime.timedelta(days=7) and rng.random() < 0.5
        }
        managed = [d for d in mine if d.is_open and id(d) not in waiting]
        loads = _capacities(rng, len(managed)) or [0]
        supervisors = math.ceil(len(loads) / CASE_MANAGERS_PER_SUPERVISOR)
        plans.append((unit, managed, loads, supervisors))
        country = unit.organisation.country if unit.organisation.country in FAMILY else "MD"
        for index in range(len(loads) + supervisors):
            role = Role.CASE_MANAGER if index < len(loads) else Role.SUPERVISOR
            sex = Sex.FEMALE if rng.random() < 0.8 else Sex.MALE
            given, family = draw_name(rng, country, sex)
            user = User(
                username=f"{unit.organisation.case_prefix.lower()}.{role[:4]}.{run}{serial}",
                first_name=given,
                last_name=family,
                password=make_password(None),
                language=LANGUAGE[country] if LANGUAGE[country] != "uk" else "ru",
            )
            serial += 1
            users.append(user)
            roles.append((user, unit, role))
    User.objects.bulk_create(users, batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                organisation=unit.organisation,
                role=role,
                discipline=Discipline.SOCIAL_WORKER,
            )
            for user, unit, role in roles
        ],
        batch_size=1000,
    )
    hired: dict[int, list[User]] = {}
    for user, unit, role in roles:
        if role == Role.CASE_MANAGER:
            hired.setdefault(id(unit), []).append(user)
        else:
            unit.supervisors.append(user)
    for unit, managed, loads, _supervisors in plans:
        managers = hired[id(unit)]
        unit.managers.extend(managers)
        slots = [m for m, load in zip(managers, loads, strict=True) for _ in range(load)]
        rng.shuffle(slots)
        for draft, manager in zip(managed, slots, strict=True):
            draft.manager = manager
        # Closed cases were managed by the same team over the years.
        for draft in (d for d in drafts if d.unit is unit and not d.is_open):
            draft.manager = rng.choice(managers)
    return len(users)


def _reserve_numbers(organisation: Organisation, year: int, count: int) -> int:
    """Reserve ``count`` serials for (organisation, year) and return the first."""
    sequence, _ = CaseNumberSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    first = sequence.last_serial + 1
    CaseNumberSequence.objects.filter(pk=sequence.pk).update(last_serial=F("last_serial") + count)
    return first


def _chunks(items: list[_Draft], size: int) -> Iterator[list[_Draft]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def generate(
    *,
    cases: int,
    seed: int | None = None,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    extend: CaseWork | None = None,
) -> int:
    """Create ``cases`` persons with their cases, profiles, consents, notes and work items,
    hiring the case managers and supervisors they need; ``extend`` adds later case work."""
    units = _units()
    if not units:
        raise ValueError("No organisation has a case manager or supervisor; run seed_demo first.")
    rng = random.Random(seed)  # noqa: S311  (invented demo data, not a secret)
    today = timezone.localdate()
    drafts = [_draft(rng, rng.choice(units), today) for _ in range(cases)]
    with transaction.atomic():
        staff = _hire(rng, units, drafts, today)
    created = 0
    for batch in _chunks(drafts, batch_size):
        # The case-number counters are locked only while a batch reserves its serials, so
        # that several generators can fill one database in parallel.
        with transaction.atomic():
            serials = _reserve_batch(batch)
        with transaction.atomic():
            _generate_batch(rng, batch, today, extend, serials)
        created += len(batch)
        if progress is not None:
            progress(created)
    record(
        action=AuditAction.CREATE,
        target=("cases.synthetic", "generate_synthetic"),
        detail={"cases": created, "staff": staff, "seed": seed},
    )
    return created


def _encrypt(
    key: DataKey, model: type[models.Model], column: str, row: uuid.UUID, value: str | None
) -> bytes | None:
    return encrypt_text(
        key, value, table=model._meta.db_table, column=f"{column}_enc", row=str(row)
    )


def keep_up_contacts(
    rng: random.Random,
    events: list[Event],
    rules: PolicyRules,
    *,
    is_minor: bool,
    today: datetime.date,
    pending: float = 0.2,
) -> list[Event]:
    """The monitoring and follow-up contacts a case worker made on a case: every contact the
    pack asked for was made, most on the day, some a few days late; of those due in the last
    month a share ``pending`` is still to be made (what "My work" shows as due or overdue).
    Returns the contact events to add."""
    added: list[Event] = []
    kinds = {
        WorkKind.MONITORING_CONTACT: EventKind.MONITORING_CONTACT,
        WorkKind.FOLLOW_UP_CONTACT: EventKind.FOLLOW_UP_CONTACT,
    }
    recent = today - datetime.timedelta(days=30)
    for _ in range(400):  # bounded: a chain of weekly contacts over a long case
        due = [
            d
            for d in compute_deadlines(events=events + added, rules=rules, is_minor=is_minor)
            if d.kind in kinds and d.done_on is None and d.due_on <= today
        ]
        made = [
            Event(
                kind=kinds[d.kind],
                occurred_on=min(
                    today, d.due_on + datetime.timedelta(days=rng.choice([0, 0, 0, 0, 1, 3, 7]))
                ),
            )
            for d in due
            if d.due_on < recent or rng.random() >= pending
        ]
        if not made:
            break
        added += made
    return added


def _reserve_batch(drafts: list[_Draft]) -> dict[tuple[int, int], int]:
    """The first serial reserved for each (organisation, year received) of the batch."""
    serials: dict[tuple[int, int], int] = {}
    for draft in drafts:
        slot = (draft.unit.organisation.pk, draft.received.year)
        serials[slot] = serials.get(slot, 0) + 1
    by_pk = {draft.unit.organisation.pk: draft.unit.organisation for draft in drafts}
    # Always in the same order, so that generators running in parallel cannot deadlock.
    return {
        slot: _reserve_numbers(by_pk[slot[0]], slot[1], serials[slot]) for slot in sorted(serials)
    }


def _generate_batch(
    rng: random.Random,
    drafts: list[_Draft],
    today: datetime.date,
    extend: CaseWork | None,
    next_serial: dict[tuple[int, int], int],
) -> None:
    keys = data_keys_create_bulk(len(drafts))
    people: list[Person] = []
    details: list[tuple[str, str, str, datetime.date]] = []
    for key, draft in zip(keys, drafts, strict=True):
        country = rng.choices(list(COUNTRY_WEIGHTS), weights=list(COUNTRY_WEIGHTS.values()))[0]
        sex = rng.choices([Sex.FEMALE, Sex.MALE], weights=[72, 28])[0]
        given, family = draw_name(rng, country, sex)
        born = draft.received - datetime.timedelta(days=rng.randint(13 * 365, 45 * 365))
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
            f"{PHONE_PREFIX[country]} {rng.randint(10, 99)} {rng.randint(100000, 999999)}",
        )
        people.append(person)
        details.append((country, given, family, born))
    Person.objects.bulk_create(people, batch_size=len(people))
    PersonNameIndex.objects.bulk_create(
        [
            PersonNameIndex(person=person, token_hash=token)
            for person, (_country, given, family, _born) in zip(people, details, strict=True)
            for token in sorted(set(name_index(given)) | set(name_index(family)))
        ],
        batch_size=5000,
    )
    PersonCitizenship.objects.bulk_create(
        [PersonCitizenship(person=p, country=d[0]) for p, d in zip(people, details, strict=True)],
        batch_size=5000,
    )
    PersonLanguage.objects.bulk_create(
        [
            PersonLanguage(person=p, language=LANGUAGE[d[0]], is_mother_tongue=True)
            for p, d in zip(people, details, strict=True)
        ],
        batch_size=5000,
    )
    new_cases: list[Case] = []
    for person, draft, (country, _given, _family, born) in zip(
        people, drafts, details, strict=True
    ):
        unit, received, manager = draft.unit, draft.received, draft.manager
        slot = (unit.organisation.pk, received.year)
        serial = next_serial[slot]
        next_serial[slot] = serial + 1
        status = rng.choices(IdentificationStatus.values, weights=[10, 35, 50, 5])[0]
        assigned_on = (
            min(today, received + datetime.timedelta(days=rng.randint(1, 10))) if manager else None
        )
        new_cases.append(
            Case(
                uuid=uuid.uuid4(),
                organisation=unit.organisation,
                number=f"{unit.organisation.case_prefix}-{received.year}-{serial:04d}",
                code=new_case_code(),
                status=CaseStatus.OPEN if draft.is_open else CaseStatus.CLOSED,
                received_at=received,
                policy_pack=unit.organisation.policy_pack,
                policy_pack_version=unit.pack_version,
                person=person,
                data_key=person.data_key,
                registered_by=unit.author,
                case_manager=manager,
                first_contact_on=received,
                identification_status=status,
                identified_on=min(today, received + datetime.timedelta(days=rng.randint(1, 60)))
                if status == IdentificationStatus.IDENTIFIED
                else None,
                immediate_needs_met_on=received + datetime.timedelta(days=rng.randint(0, 5))
                if manager
                else None,
                case_manager_assigned_on=assigned_on,
                admitted_on=min(today, received + datetime.timedelta(days=rng.randint(0, 10)))
                if manager
                else None,
                risk_level=rng.choice(RiskLevel.values),
                security_alert=rng.random() < 0.08,
                minor_at_reception=age_on(born, received) < unit.majority,
                foreign_national=country != unit.organisation.country,
                in_proceedings=rng.random() < 0.3,
            )
        )
    Case.objects.bulk_create(new_cases, batch_size=len(new_cases))
    _profiles(rng, new_cases)
    TeamMember.objects.bulk_create(
        [
            TeamMember(case=c, user=c.case_manager, role="case manager", added_by=c.registered_by)
            for c in new_cases
            if c.case_manager
        ],
        batch_size=5000,
    )
    _consents_and_notes(rng, new_cases, drafts, today)
    generated = [
        GeneratedCase(
            case=case,
            closed_on=draft.closed_on,
            organisation=draft.unit.organisation,
            supervisor=rng.choice(draft.unit.supervisors or [draft.unit.author]),
            rules=draft.unit.rules,
        )
        for case, draft in zip(new_cases, drafts, strict=True)
    ]
    later = extend(rng, generated, today) if extend is not None else {}
    milestones = _milestones(rng, generated, drafts, later, today)
    # Phases, monitoring contacts and outcome scores for a share of the cases; their
    # milestones join the map so the work items follow them.
    add_monitoring(rng, new_cases, milestones, today)
    milestones_bulk_seed(new_cases, milestones=milestones)
    # Assistance given to a realistic share of the cases (assistance.synthetic).
    ledger_items_bulk_seed(rng, new_cases, today)


def _profiles(rng: random.Random, new_cases: list[Case]) -> None:
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
            f"recruiter known as {rng.choice(['Sasha', 'Beni', 'Gio', 'Vali', 'Toma', 'Ardi'])}",
        )
    TraffickingProfile.objects.bulk_create(profiles, batch_size=len(profiles))
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


def _consents_and_notes(
    rng: random.Random, new_cases: list[Case], drafts: list[_Draft], today: datetime.date
) -> None:
    consents: list[Consent] = []
    notes: list[CaseNote] = []
    for case, draft in zip(new_cases, drafts, strict=True):
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
        last_day = draft.closed_on or today
        span = max(0, (last_day - case.received_at).days)
        for _ in range(rng.randint(3, 12) if draft.is_open else rng.randint(2, 8)):
            note = CaseNote(
                uuid=uuid.uuid4(),
                case=case,
                data_key=case.data_key,
                kind=rng.choice(NoteKind.values),
                occurred_at=timezone.make_aware(
                    datetime.datetime.combine(
                        case.received_at + datetime.timedelta(days=rng.randint(0, span)),
                        datetime.time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
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


def _milestones(
    rng: random.Random,
    generated: list[GeneratedCase],
    drafts: list[_Draft],
    later: dict[int, list[CaseMilestone]],
    today: datetime.date,
) -> dict[int, list[CaseMilestone]]:
    """The milestones case_register, case_assign_manager and the later stages record, the
    closure of closed cases, and the monitoring and follow-up contacts made."""
    from work.services import case_is_minor

    milestones: dict[int, list[CaseMilestone]] = {}
    for item, draft in zip(generated, drafts, strict=True):
        case = item.case
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
        recorded += later.get(case.pk, [])
        if draft.closed_on is not None:
            recorded.append(
                CaseMilestone(
                    case=case,
                    kind=MilestoneKind.CLOSURE,
                    occurred_on=draft.closed_on,
                    recorded_by=case.case_manager,
                )
            )
        events = [
            Event(
                kind=EventKind(m.kind),
                occurred_on=m.occurred_on,
                ref=m.ref,
                responsible_id=m.responsible_id,
                responsible_organisation_id=m.responsible_organisation_id,
            )
            for m in recorded
        ]
        contacts = keep_up_contacts(
            rng, events, draft.unit.rules, is_minor=case_is_minor(case), today=today
        )
        recorded += [
            CaseMilestone(
                case=case,
                kind=MilestoneKind(event.kind.value),
                occurred_on=event.occurred_on,
                recorded_by=case.case_manager,
            )
            for event in contacts
        ]
        milestones[case.pk] = recorded
    return milestones
