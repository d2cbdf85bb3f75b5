"""Pure rules of the plan: who must sign, the budget and its cap, the dates the policy sets,
the age band the approver sees. No database access here; tested with fixed values."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from plans.codes import Priority, Signatory
from policies.deadlines import add_months
from policies.schema import PlanRules


def required_signatories(rules: PlanRules, *, is_minor: bool) -> list[str]:
    """The pack's list, completed with what every plan needs: the person and the case
    manager always (002 L1187), the legal representative for a child (002 L1188-L1189).
    A pack naming the social worker (001 §3.5) has the case manager's signature under that
    name."""
    named = list(rules.signatures.minor if is_minor else rules.signatures.adult)
    required: list[str] = []
    if Signatory.PERSON not in named:
        required.append(Signatory.PERSON.value)
    if Signatory.CASE_MANAGER not in named and Signatory.SOCIAL_WORKER not in named:
        required.append(Signatory.CASE_MANAGER.value)
    if is_minor and Signatory.LEGAL_REPRESENTATIVE not in named:
        required.append(Signatory.LEGAL_REPRESENTATIVE.value)
    for role in named:
        if role not in required:
            required.append(role)
    return required


def missing_signatories(required: list[str], signed: set[str]) -> list[str]:
    return [role for role in required if role not in signed]


@dataclass(frozen=True)
class LineAmount:
    """One budget line as the budget rules see it."""

    amount: Decimal
    currency: str
    priority: str
    domain: str
    funding: str


@dataclass
class BudgetSummary:
    total_by_currency: dict[str, Decimal] = field(default_factory=dict)
    by_source: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    by_domain: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    necessary_by_currency: dict[str, Decimal] = field(default_factory=dict)
    desired_by_currency: dict[str, Decimal] = field(default_factory=dict)


def summarise(lines: list[LineAmount]) -> BudgetSummary:
    """Totals per currency, per funding source and per domain (SPEC C5; 000 TdH annex)."""
    total: dict[str, Decimal] = defaultdict(Decimal)
    source: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    domain: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    necessary: dict[str, Decimal] = defaultdict(Decimal)
    desired: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        total[line.currency] += line.amount
        source[(line.funding, line.currency)] += line.amount
        domain[(line.domain, line.currency)] += line.amount
        bucket = necessary if line.priority == Priority.NECESSARY else desired
        bucket[line.currency] += line.amount
    return BudgetSummary(
        total_by_currency=dict(sorted(total.items())),
        by_source=dict(sorted(source.items())),
        by_domain=dict(sorted(domain.items())),
        necessary_by_currency=dict(necessary),
        desired_by_currency=dict(desired),
    )


@dataclass(frozen=True)
class CapCheck:
    """The budget against the pack's cap per beneficiary (001 §5.6 L56)."""

    cap: Decimal
    currency: str
    total: Decimal
    necessary: Decimal
    other_currencies: tuple[str, ...]

    @property
    def exceeded(self) -> bool:
        return self.total > self.cap

    @property
    def necessary_exceeds(self) -> bool:
        return self.necessary > self.cap

    @property
    def room_for_desired(self) -> Decimal:
        """What remains for desired services once the necessary ones are funded
        (001 §5.3 L53: necessary services first, desired ones within what is left)."""
        return max(self.cap - self.necessary, Decimal(0))


def check_cap(lines: list[LineAmount], *, cap: Decimal, currency: str) -> CapCheck:
    in_currency = [line for line in lines if line.currency == currency]
    return CapCheck(
        cap=cap,
        currency=currency,
        total=sum((line.amount for line in in_currency), Decimal(0)),
        necessary=sum(
            (line.amount for line in in_currency if line.priority == Priority.NECESSARY),
            Decimal(0),
        ),
        other_currencies=tuple(sorted({line.currency for line in lines} - {currency})),
    )


@dataclass(frozen=True)
class PlanDates:
    """The dates the pack sets for a plan (SPEC C5 limits, C10)."""

    draft_due_on: date | None
    next_review_on: date | None
    term_ends_on: date | None
    max_term_months: int | None
    review_interval_months: int | None


def plan_dates(
    rules: PlanRules,
    *,
    received_on: date,
    in_force_since: date | None,
    last_review_on: date | None,
    is_minor: bool,
    assessment_completed_on: date | None = None,
) -> PlanDates:
    """Draft due N days after reception or, where the pack counts from the case review, after
    the comprehensive assessment is completed (000 L76; none until then); reviews every N
    months from the plan's entry into force or its last review (000 L75); the term ends N
    months after entry into force (001 §7.10 L75)."""
    anchor = received_on if rules.due_from == "reception" else assessment_completed_on
    draft_due = (
        None
        if rules.due_days is None or anchor is None
        else anchor + timedelta(days=rules.due_days)
    )
    term = rules.max_term_months.for_person(is_minor=is_minor)
    review = None
    term_end = None
    if in_force_since is not None:
        if rules.review_interval_months is not None:
            anchor = max(in_force_since, last_review_on) if last_review_on else in_force_since
            review = add_months(anchor, rules.review_interval_months)
        if term is not None:
            term_end = add_months(in_force_since, term)
    return PlanDates(
        draft_due_on=draft_due,
        next_review_on=review,
        term_ends_on=term_end,
        max_term_months=term,
        review_interval_months=rules.review_interval_months,
    )


# Bands wide enough that, with a pseudonymous code, they do not single anyone out.
_AGE_BANDS = ((0, 13), (14, 17), (18, 24), (25, 34), (35, 49), (50, 64))


def age_band(birth_year: int | None, *, on: date) -> str:
    """The age band the coordinator sees instead of the date of birth (SPEC C5)."""
    if birth_year is None:
        return "?"
    age = on.year - birth_year
    for low, high in _AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "65+"
