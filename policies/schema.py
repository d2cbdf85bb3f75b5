"""The schema of a jurisdiction policy pack (SPEC C11), as typed Python.

A pack file is YAML; it is validated against these models at start-up
(``PoliciesConfig.ready``) and in tests. Unknown keys, wrong types and negative periods are
refused, and the error names the file and the key path, so a typo in a pack stops the
service instead of silently dropping a legal deadline.

Periods carry their unit in the key name (``_days``, ``_months``, ``_years``); ``null``
means the jurisdiction sets no such rule, and no deadline is computed from it.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

Count = Annotated[StrictInt, Field(ge=0)]
Period = Annotated[StrictInt, Field(ge=0)]
PositivePeriod = Annotated[StrictInt, Field(ge=1)]

Approver = Literal["none", "supervisor", "coordinator"]
Signatory = Literal[
    "person", "case_manager", "social_worker", "legal_representative", "mayor", "head_of_service"
]


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ByAge(Rules):
    """A value for adults and one for minors (the pack's age of majority decides)."""

    adult: Period | None
    minor: Period | None

    def for_person(self, *, is_minor: bool) -> int | None:
        return self.minor if is_minor else self.adult


class PersonRules(Rules):
    age_of_majority: Annotated[StrictInt, Field(ge=14, le=21)]
    # Age from which a child is consulted on their plan; null when the pack says nothing.
    consult_child_from_age: Annotated[StrictInt, Field(ge=0, le=21)] | None

    @model_validator(mode="after")
    def _child_consulted_before_majority(self) -> PersonRules:
        if (
            self.consult_child_from_age is not None
            and self.consult_child_from_age >= self.age_of_majority
        ):
            raise ValueError("consult_child_from_age must be below age_of_majority")
        return self


class AssessmentRules(Rules):
    # Comprehensive assessment due this many days after reception.
    comprehensive_due_days: Period | None


class BudgetCap(Rules):
    # Whole currency units per beneficiary.
    amount: Count
    currency: Annotated[StrictStr, Field(pattern=r"^[A-Z]{3}$")]


class Signatures(Rules):
    adult: list[Signatory]
    minor: list[Signatory]


StageKey = Literal["initial", "final"]


class ApprovalStage(Rules):
    """One decision on the plan (001 §3.4, §7.3-§7.6): the initial plan agreed with the
    approver, then the final plan with its budget approved."""

    key: StageKey
    decided_by: Literal["supervisor", "coordinator"]
    # Before this stage is submitted, every activity run by another organisation has the
    # provider's confirmation (001 §7.5-§7.6: the final plan follows the providers' answers).
    needs_provider_confirmations: bool = False


class PlanRules(Rules):
    due_days: Period | None
    # What the drafting period counts from: the reception, or the completion of the
    # comprehensive assessment (000 L76: "20 days upon case review, after detailed evaluation").
    due_from: Literal["reception", "assessment_completed"] = "reception"
    review_interval_months: PositivePeriod | None
    max_term_months: ByAge
    final_approval_by: Approver
    # How long the approver has to decide once the final plan is submitted.
    approval_due_days: Period | None
    budget_cap: BudgetCap | None
    signatures: Signatures
    # The decisions a plan goes through, in order; absent = one decision by
    # ``final_approval_by`` (or none). The last stage is the final plan.
    approval_stages: list[ApprovalStage] | None = None
    # 001 §3.1, §7.2: rehabilitation starts once the person has the status of a (statutory)
    # victim; a plan is not submitted before the formal identification.
    requires_statutory_status: bool = False
    # 001 §3.2: reintegration measures only on the person's written consent; a consent
    # recorded as oral does not satisfy it.
    assistance_consent_in_writing: bool = False

    @model_validator(mode="after")
    def _approval_period_needs_an_approver(self) -> PlanRules:
        if self.final_approval_by == "none" and self.approval_due_days is not None:
            raise ValueError("approval_due_days needs final_approval_by other than 'none'")
        return self

    @model_validator(mode="after")
    def _stages_end_with_the_final_approver(self) -> PlanRules:
        stages = self.approval_stages
        if stages is None:
            return self
        keys = [stage.key for stage in stages]
        if not stages or keys[-1] != "final" or len(set(keys)) != len(keys):
            raise ValueError("approval_stages must be distinct and end with the 'final' stage")
        if stages[-1].decided_by != self.final_approval_by:
            raise ValueError("the 'final' stage must be decided by final_approval_by")
        return self

    def stages(self) -> list[ApprovalStage]:
        """The decisions of the pack, in order; none where nobody approves the plan."""
        if self.approval_stages is not None:
            return list(self.approval_stages)
        if self.final_approval_by == "none":
            return []
        return [ApprovalStage(key="final", decided_by=self.final_approval_by)]


class ReportingRules(Rules):
    expenditure_report_months: PositivePeriod | None
    service_list_renewal_months: PositivePeriod | None


class Phase(Rules):
    key: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    # Months after reception: the phase runs from ``from_month`` to ``to_month``.
    from_month: Period
    to_month: PositivePeriod
    # Minimum frequency of monitoring contacts in this phase; null = none required.
    contact_interval_days: PositivePeriod | None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Phase:
        if self.to_month <= self.from_month:
            raise ValueError("to_month must be after from_month")
        return self


class MonitoringRules(Rules):
    phases: list[Phase]
    # Contact frequency while the case is open, for packs without programme phases.
    contact_interval_days: PositivePeriod | None
    # How long contact continues after closure (SPEC C9 follow-up).
    after_closure_months: ByAge
    follow_up_interval_days: PositivePeriod | None

    @field_validator("phases")
    @classmethod
    def _phases_follow_each_other(cls, phases: list[Phase]) -> list[Phase]:
        keys = [phase.key for phase in phases]
        if len(set(keys)) != len(keys):
            raise ValueError("phase keys must be unique")
        for earlier, later in pairwise(phases):
            if later.from_month != earlier.to_month:
                raise ValueError(
                    f"phase {later.key!r} must start when {earlier.key!r} ends "
                    f"(month {earlier.to_month})"
                )
        return phases

    @model_validator(mode="after")
    def _one_frequency_source(self) -> MonitoringRules:
        if self.phases and self.contact_interval_days is not None:
            raise ValueError("give contact_interval_days per phase when phases are defined")
        return self


class ReferralRules(Rules):
    response_due_days: Period | None


class ComplaintRules(Rules):
    # How long the organisation has to answer a complaint (SPEC C8 complaints register).
    response_due_days: PositivePeriod | None


class CaseloadRules(Rules):
    max_open_cases_per_worker: Annotated[StrictInt, Field(ge=1)]


class RetentionRules(Rules):
    # Identity is erased this long after follow-up ends (SPEC C9 retention).
    years_after_follow_up: Period


class PolicyRules(Rules):
    code: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9-]{0,31}$")]
    name: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    # ISO 3166-1 alpha-2, or null for the generic default pack.
    country: Annotated[StrictStr, Field(pattern=r"^[A-Z]{2}$")] | None
    person: PersonRules
    assessment: AssessmentRules
    plan: PlanRules
    reporting: ReportingRules
    monitoring: MonitoringRules
    referrals: ReferralRules
    caseload: CaseloadRules
    complaints: ComplaintRules
    retention: RetentionRules
