"""The printed plan (SPEC C5 item 7): the four layouts of the seed organisations (000) and a
plain-language summary for the person, rendered to PDF in the person's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from lib.pdf import render_pdf
from plans.codes import (
    ActivityStatus,
    PlanDomain,
    PrintLayout,
    Priority,
    Signatory,
    SignatureMethod,
    UltimateGoal,
)
from plans.models import Plan
from plans.presenters import compare, plan_view, responsible_label, review_labels
from plans.selectors import latest_own_view, signatures_of, versions_of
from plans.services import OBJECTIVE_TEXT_FIELDS, PLAN_TEXT_FIELDS


def _own_view(case: Any) -> dict[str, Any]:
    """The person's own words from the latest assessment round (000 IOM parts II-III):
    the desired situation they described and their ranking of their problems."""
    round_ = latest_own_view(case)
    if round_ is None:
        return {"own_view": "", "desired_situation": "", "problems": []}
    return {
        "own_view": round_.get_plain_or_erased("own_view") or "",
        "desired_situation": round_.get_plain_or_erased("desired_situation") or "",
        "problems": [
            {"domain": rank.domain_label, "problem": rank.get_plain_or_erased("problem") or ""}
            for rank in round_.problems.all()
        ],
    }


def _team(case: Any) -> list[dict[str, str]]:
    """000 UNDP IPP "team members and institution": the case's active team."""
    members = case.team.filter(removed_at__isnull=True).select_related("user")
    return [
        {
            "name": member.user.get_full_name() or member.user.username,
            "role": member.role.replace("_", " "),
            "institution": case.organisation.name,
        }
        for member in members
    ]


def _legal_representatives(person: Any) -> list[str]:
    """000 UNDP IPP "child's legal representative": names of the parents or representative."""
    from people.models import RelatedPerson

    return [
        related.get_plain_or_erased("name") or ""
        for related in RelatedPerson.objects.filter(
            person=person, is_legal_representative=True
        ).select_related("data_key")
    ]


TEMPLATES = {
    PrintLayout.NRS: "print/plans/nrs.html",
    PrintLayout.IOM: "print/plans/iom.html",
    PrintLayout.UNDP: "print/plans/undp.html",
    PrintLayout.TDH: "print/plans/tdh.html",
    PrintLayout.CPTW: "print/plans/cptw.html",
}
SUMMARY_TEMPLATE = "print/plans/summary.html"


def person_language(plan: Plan, fallback: str) -> str:
    """The first language of the person that the documents are translated into, mother
    tongue first; otherwise ``fallback``."""
    available = dict(settings.LANGUAGES)
    for language in plan.case.person.languages.all():
        if language.language in available:
            return str(language.language)
    return fallback if fallback in available else settings.LANGUAGE_CODE


def print_context(plan: Plan) -> dict[str, Any]:
    view = plan_view(plan)
    case = plan.case
    person = case.person
    objectives = []
    rows = []
    for objective in view.objectives:
        activities: list[dict[str, Any]] = []
        entry: dict[str, Any] = {
            "domain": PlanDomain(objective.domain).label,
            "priority": Priority(objective.priority).label,
            "necessary": objective.priority == Priority.NECESSARY,
            "for_person_in_care": objective.dependant_id is not None,
            **{name: objective.get_plain_or_erased(name) or "" for name in OBJECTIVE_TEXT_FIELDS},
            "activities": activities,
        }
        for activity in objective.activities.all():
            row = {
                "objective": entry,
                "description": activity.get_plain_or_erased("description") or "",
                "responsible": responsible_label(activity, with_identity=True),
                "responsible_kind": activity.responsible_kind,
                "responsible_organisation": activity.responsible_organisation,
                "starts_on": activity.starts_on,
                "due_on": activity.due_on,
                "review_on": activity.review_on,
                "status": ActivityStatus(activity.status).label,
                "lines": list(activity.budget_lines.all()),
                "domain_code": objective.domain,
            }
            activities.append(row)
            rows.append(row)
        objectives.append(entry)
    modifications = [
        {
            "number": version.number,
            "reason": version.get_plain_or_erased("reason") or "",
            "anticipated_result": version.get_plain_or_erased("anticipated_result") or "",
            "requested_by": version.get_requested_by_display(),
            "started_at": version.started_at,
            "changes": compare(plan, version.number - 1, version.number),
        }
        for version in versions_of(plan)
        if version.number > 1
    ]
    signatures = [
        {
            "role": Signatory(signature.role).label,
            "name": signature.get_plain_or_erased("signer_name") or "",
            "method": SignatureMethod(signature.method).label,
            "signed_on": signature.signed_on,
        }
        for signature in signatures_of(plan, plan.version_number)
    ]
    profile = getattr(case, "profile", None)
    return {
        **_own_view(case),
        **{name: plan.get_plain_or_erased(name) or "" for name in PLAN_TEXT_FIELDS},
        "team": _team(case),
        "team_external": [
            line.strip()
            for line in (plan.get_plain_or_erased("team_external") or "").splitlines()
            if line.strip()
        ],
        "legal_representatives": [] if person.is_erased else _legal_representatives(person),
        "place_of_residence": None if person.is_erased else person.get_plain_or_erased("address"),
        "legal_rows": [row for row in rows if row["domain_code"] == PlanDomain.LEGAL],
        "proceedings": (
            {
                "criminal": profile.get_criminal_proceedings_display(),
                "role": profile.get_role_in_proceedings_display(),
                "civil": profile.civil_proceedings,
            }
            if profile is not None
            else None
        ),
        "reviews": [
            {
                "reviewed_on": review.reviewed_on,
                "labels": review_labels(review),
                "legal_support": review.get_plain_or_erased("legal_support") or "",
                "note": review.get_plain_or_erased("note") or "",
            }
            for review in view.reviews
        ],
        "plan": plan,
        "view": view,
        "case": case,
        "person_name": None if person.is_erased else person.full_name,
        "date_of_birth": None if person.is_erased else person.date_of_birth,
        "organisation": case.organisation,
        "case_manager": case.case_manager,
        "objectives": objectives,
        "rows": rows,
        "ultimate_goal": UltimateGoal(plan.ultimate_goal).label if plan.ultimate_goal else "",
        "exclusions": [
            (PlanDomain(block.code).label, block.exclusion)
            for block in view.domains
            if block.exclusion
        ],
        "modifications": modifications,
        "signatures": signatures,
        "missing_signatures": [Signatory(role).label for role in view.missing_signatures],
        "budget_by_source": [
            (source, currency, amount)
            for (source, currency), amount in view.budget.by_source.items()
        ],
        "printed_on": timezone.localdate(),
    }


def plan_pdf(plan: Plan, *, layout: str, language: str) -> bytes:
    return render_pdf(TEMPLATES[PrintLayout(layout)], print_context(plan), language=language)


def summary_pdf(plan: Plan, *, language: str) -> bytes:
    return render_pdf(SUMMARY_TEMPLATE, print_context(plan), language=language)
