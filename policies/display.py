"""Pack rules as labelled rows for the policy pages and the API, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lib.formatting import format_money
from policies.schema import ByAge, PolicyRules

SIGNATORIES = {
    "person": gettext_lazy("the person"),
    "case_manager": gettext_lazy("case manager"),
    "social_worker": gettext_lazy("social worker"),
    "legal_representative": gettext_lazy("legal representative"),
    "mayor": gettext_lazy("mayor"),
    "head_of_service": gettext_lazy("head of service"),
}
APPROVERS = {
    "none": gettext_lazy("no approval outside the case team"),
    "supervisor": gettext_lazy("supervisor of the organisation"),
    "coordinator": gettext_lazy("coordinator organisation (state fund / national coordinator)"),
}

STAGES = {
    "initial": gettext_lazy("initial plan"),
    "final": gettext_lazy("final plan with budget"),
}


@dataclass(frozen=True)
class RuleRow:
    key: str
    label: str
    value: str


def _days(value: int | None) -> str:
    if value is None:
        return _("no rule")
    return ngettext("%(n)d day", "%(n)d days", value) % {"n": value}


def _months(value: int | None) -> str:
    if value is None:
        return _("no rule")
    return ngettext("%(n)d month", "%(n)d months", value) % {"n": value}


def _by_age(value: ByAge) -> str:
    return _("adults: %(adult)s; minors: %(minor)s") % {
        "adult": _months(value.adult),
        "minor": _months(value.minor),
    }


def _signatories(names: Sequence[str]) -> str:
    return ", ".join(str(SIGNATORIES[name]) for name in names) or _("none")


# The programme phases the shipped packs name (002 L648-L650); a phase a pack adds under
# another key is shown by its number.
PHASE_LABELS = {
    "crisis": gettext_lazy("Crisis intervention"),
    "stabilisation": gettext_lazy("Stabilisation and transition"),
    "inclusion": gettext_lazy("Social inclusion and reintegration"),
}

# What each deadline rule is called where a person reads it (the rules list, "My work").
RULE_LABELS = {
    "assessment.comprehensive_due_days": gettext_lazy(
        "Comprehensive assessment due after reception"
    ),
    "plan.due_days": gettext_lazy("Plan due after reception"),
    "plan.review_interval_months": gettext_lazy("Plan review interval"),
    "plan.approval_due_days": gettext_lazy("Approval decision due within"),
    "reporting.expenditure_report_months": gettext_lazy(
        "Expenditure report to the coordinator every"
    ),
    "monitoring.contact_interval_days": gettext_lazy("Monitoring contact interval"),
    "monitoring.follow_up_interval_days": gettext_lazy("Follow-up contact after closure every"),
    "referrals.response_due_days": gettext_lazy("Referral answer expected within"),
}


def rule_label(source_rule: str) -> str:
    """``md-nrs@1:plan.due_days`` → "Plan due after reception": the rule's
    name in the reader's language, never its key."""
    key = source_rule.rpartition(":")[2]
    label = RULE_LABELS.get(key)
    if label is None:
        return _("Policy rule") if source_rule else ""
    return str(label)


def _phase_label(index: int, key: str) -> str:
    label = PHASE_LABELS.get(key)
    return str(label) if label is not None else _("Phase %(number)d") % {"number": index}


def rule_rows(rules: PolicyRules) -> list[RuleRow]:
    plan, monitoring = rules.plan, rules.monitoring
    cap = plan.budget_cap
    phases = "; ".join(
        _("%(key)s: months %(start)d to %(end)d, contact every %(every)s")
        % {
            "key": _phase_label(index, phase.key),
            "start": phase.from_month,
            "end": phase.to_month,
            "every": _days(phase.contact_interval_days),
        }
        for index, phase in enumerate(monitoring.phases, start=1)
    )
    consult = rules.person.consult_child_from_age
    return [
        RuleRow("person.age_of_majority", _("Age of majority"), str(rules.person.age_of_majority)),
        RuleRow(
            "person.consult_child_from_age",
            _("Child consulted on the plan from age"),
            _("no rule") if consult is None else str(consult),
        ),
        RuleRow(
            "assessment.comprehensive_due_days",
            _("Comprehensive assessment due after reception"),
            _days(rules.assessment.comprehensive_due_days),
        ),
        RuleRow(
            "plan.due_days",
            _("Plan due after reception")
            if plan.due_from == "reception"
            else _("Plan due after the comprehensive assessment is completed"),
            _days(plan.due_days),
        ),
        RuleRow(
            "plan.review_interval_months",
            _("Plan review interval"),
            _months(plan.review_interval_months),
        ),
        RuleRow("plan.max_term_months", _("Maximum plan term"), _by_age(plan.max_term_months)),
        RuleRow(
            "plan.final_approval_by",
            _("Final plan approved by"),
            str(APPROVERS[plan.final_approval_by]),
        ),
        RuleRow(
            "plan.approval_stages",
            _("Approval stages"),
            " → ".join(
                _("%(stage)s by the %(approver)s")
                % {"stage": STAGES[stage.key], "approver": APPROVERS[stage.decided_by]}
                + (
                    " (" + _("after the providers confirm the services") + ")"
                    if stage.needs_provider_confirmations
                    else ""
                )
                for stage in plan.stages()
            )
            or str(APPROVERS["none"]),
        ),
        RuleRow(
            "plan.requires_statutory_status",
            _("Plan only once formally identified (statutory victim)"),
            _("Yes") if plan.requires_statutory_status else _("No"),
        ),
        RuleRow(
            "plan.assistance_consent_in_writing",
            _("Consent to assistance in writing"),
            _("Yes") if plan.assistance_consent_in_writing else _("No"),
        ),
        RuleRow(
            "plan.approval_due_days",
            _("Approval decision due within"),
            _days(plan.approval_due_days),
        ),
        RuleRow(
            "plan.budget_cap",
            _("Budget cap per beneficiary"),
            _("no cap") if cap is None else format_money(cap.amount, cap.currency),
        ),
        RuleRow(
            "plan.signatures",
            _("Signatures on the plan"),
            _("adults: %(adult)s; minors: %(minor)s")
            % {
                "adult": _signatories(plan.signatures.adult),
                "minor": _signatories(plan.signatures.minor),
            },
        ),
        RuleRow(
            "reporting.expenditure_report_months",
            _("Expenditure report to the coordinator every"),
            _months(rules.reporting.expenditure_report_months),
        ),
        RuleRow(
            "reporting.service_list_renewal_months",
            _("Service list renewed every"),
            _months(rules.reporting.service_list_renewal_months),
        ),
        RuleRow(
            "monitoring.phases",
            _("Programme phases and monitoring frequency"),
            phases
            or _("no phases; contact every %(every)s")
            % {"every": _days(monitoring.contact_interval_days)},
        ),
        RuleRow(
            "monitoring.after_closure_months",
            _("Monitoring after closure"),
            _by_age(monitoring.after_closure_months),
        ),
        RuleRow(
            "monitoring.follow_up_interval_days",
            _("Follow-up contact after closure every"),
            _days(monitoring.follow_up_interval_days),
        ),
        RuleRow(
            "referrals.response_due_days",
            _("Referral answer expected within"),
            _days(rules.referrals.response_due_days),
        ),
        RuleRow(
            "caseload.max_open_cases_per_worker",
            _("Caseload threshold per worker"),
            str(rules.caseload.max_open_cases_per_worker),
        ),
        RuleRow(
            "complaints.response_due_days",
            _("Complaint answered within"),
            _days(rules.complaints.response_due_days),
        ),
        RuleRow(
            "retention.years_after_follow_up",
            _("Identity kept after follow-up ends"),
            ngettext("%(n)d year", "%(n)d years", rules.retention.years_after_follow_up)
            % {"n": rules.retention.years_after_follow_up},
        ),
    ]
