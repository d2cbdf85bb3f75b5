"""Reads of form definitions and assessment records.

Form definitions are files in the repository, loaded and validated once at start-up
(``AssessmentsConfig.ready``) and read-only afterwards."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, may_on_case
from accounts.models import Membership
from assessments.definitions import FormDefinition, NeedLevel
from assessments.loader import FORMS_DIRECTORY, FormRegistry, load_directory
from assessments.models import (
    Assessment,
    AssessmentDisagreement,
    AssessmentStatus,
    ComprehensiveAssessment,
    ProblemRank,
    RoundStatus,
    domain_label,
)
from assessments.records import assignee_fits, level_change, merge_text_answers
from cases.models import IdentificationDecision, TeamMember

if TYPE_CHECKING:
    from cases.models import Case

_loaded: dict[str, FormRegistry] = {"forms": FormRegistry()}


def load_forms(directory: Path = FORMS_DIRECTORY) -> FormRegistry:
    _loaded["forms"] = load_directory(directory)
    return _loaded["forms"]


def form_registry() -> FormRegistry:
    return _loaded["forms"]


def latest_forms() -> list[FormDefinition]:
    """The current version of every form, in the order staff meet them: by domain, then code."""
    forms = [form for code in form_registry().codes() if (form := form_registry().latest(code))]
    return sorted(forms, key=lambda form: (form.domain, form.code))


def get_form(code: str, version: int | None = None) -> FormDefinition | None:
    return form_registry().get(code, version)


def form_versions(code: str) -> list[int]:
    return form_registry().versions(code)


# ---------------------------------------------------------------- assessment records


@dataclass(frozen=True)
class AssessedNeed:
    """A domain conclusion the plan builds on (issue 6): the latest completed assessment of
    the domain and the level of need it concluded."""

    assessment_id: int
    domain: str
    domain_label: str
    level: str
    completed_on: datetime.date


def needs_for_case(case: Case) -> list[AssessedNeed]:
    """The latest completed conclusion per domain of ``case``, in domain order. The caller
    has already checked that the acting user may see the case."""
    completed = (
        Assessment.objects.filter(case=case, status=AssessmentStatus.COMPLETED)
        .order_by("domain", "-completed_on", "-id")
        .only("id", "domain", "need_level", "completed_on")
    )
    needs: dict[str, AssessedNeed] = {}
    for assessment in completed:
        if assessment.domain in needs or assessment.completed_on is None:
            continue
        needs[assessment.domain] = AssessedNeed(
            assessment_id=assessment.pk,
            domain=assessment.domain,
            domain_label=domain_label(assessment.domain),
            level=assessment.need_level,
            completed_on=assessment.completed_on,
        )
    return list(needs.values())


def stored_answers(assessment: Assessment) -> dict[str, Any] | None:
    """All answers of ``assessment`` (text decrypted); None once the person was erased."""
    blob = assessment.get_plain_or_erased("text_answers")
    if blob is None and assessment.identity_erased:
        return None
    return merge_text_answers(assessment.answers, json.loads(blob) if blob else {})


def stored_summary(assessment: Assessment) -> dict[str, Any]:
    conclusion: Any = assessment.conclusion
    definition = get_form(assessment.form_code, assessment.form_version)
    if definition is not None and not definition.summary.multiple:
        conclusion = conclusion[0] if conclusion else ""
    return {
        "category": conclusion,
        "need_level": assessment.need_level,
        "evidence": assessment.get_plain_or_erased("evidence") or "",
        "disagreement": assessment.get_plain_or_erased("team_disagreement") or "",
    }


def disciplines_on_case(case: Case, user_ids: set[int]) -> dict[int, set[str]]:
    disciplines: dict[int, set[str]] = {user_id: set() for user_id in user_ids}
    for user_id, discipline in (
        Membership.objects.active()
        .filter(organisation_id=case.organisation_id, user_id__in=user_ids)
        .values_list("user_id", "discipline")
    ):
        if discipline:
            disciplines[user_id].add(discipline)
    return disciplines


def team_disciplines(case: Case) -> tuple[list[Any], dict[int, set[str]]]:
    """The case's active team members and case manager, with their disciplines."""
    from accounts.models import User

    # One query for the people (the team as a subquery), one for their disciplines.
    on_team = Q(
        pk__in=TeamMember.objects.filter(case=case, removed_at__isnull=True).values("user_id")
    )
    if case.case_manager_id:
        on_team |= Q(pk=case.case_manager_id)
    users = list(User.objects.filter(on_team).order_by("username"))
    return users, disciplines_on_case(case, {user.pk for user in users})


def eligible_assignees(
    case: Case,
    definition: FormDefinition,
    team: tuple[list[Any], dict[int, set[str]]] | None = None,
) -> list[Any]:
    """Team members and the case manager whose discipline covers the form (002 L673-L677)."""
    users, disciplines = team or team_disciplines(case)
    return [
        user
        for user in users
        if assignee_fits(
            form_discipline=definition.discipline,
            disciplines=disciplines.get(user.pk, set()),
            is_case_manager=user.pk == case.case_manager_id,
        )
    ]


def comprehensive_rounds(case: Case) -> list[ComprehensiveAssessment]:
    """Every round of the case, newest first, with its domains, assignees, problems and
    disagreements preloaded (a constant number of queries however many there are)."""
    return list(
        ComprehensiveAssessment.objects.filter(case=case)
        .select_related("data_key", "identification_decision")
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related(
                    "assigned_to", "author", "data_key"
                ).prefetch_related(
                    Prefetch(
                        "disagreements",
                        queryset=AssessmentDisagreement.objects.select_related(
                            "member", "data_key"
                        ),
                    )
                ),
            ),
            Prefetch("problems", queryset=ProblemRank.objects.select_related("data_key")),
        )
        .order_by("-round")
    )


def case_assessments(case: Case) -> list[Assessment]:
    """Every assessment of the case, newest round first (for the API list)."""
    return list(
        Assessment.objects.filter(case=case)
        .select_related("assigned_to", "author", "comprehensive", "data_key")
        .prefetch_related(
            Prefetch(
                "disagreements",
                queryset=AssessmentDisagreement.objects.select_related("member", "data_key"),
            )
        )
        .order_by("-comprehensive__round", "domain", "form_code")
    )


def assessment_of_case(case: Case, assessment_id: int) -> Assessment:
    """One assessment of ``case`` (already fetched through the case chokepoint); 404 for an
    assessment of another case."""
    assessment = (
        Assessment.objects.select_related("assigned_to", "author", "comprehensive", "data_key")
        .filter(case=case, pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def comprehensive_of_case(case: Case, comprehensive_id: int) -> ComprehensiveAssessment:
    comprehensive = (
        ComprehensiveAssessment.objects.select_related("data_key")
        .filter(case=case, pk=comprehensive_id)
        .first()
    )
    if comprehensive is None:
        raise Http404
    return comprehensive


def open_round(case: Case) -> ComprehensiveAssessment | None:
    return (
        ComprehensiveAssessment.objects.select_related("data_key")
        .filter(case=case, status=RoundStatus.OPEN)
        .first()
    )


def identification_decisions(case: Case) -> list[IdentificationDecision]:
    """The case file's identification decisions, to link a round to (002 L1114-L1142)."""
    return list(IdentificationDecision.objects.filter(case=case).order_by("-decided_on", "-id"))


def may_read_answers(acting: Acting, case: Case, assessment: Assessment) -> bool:
    """The case manager and supervisors read every domain's answers; other team members
    the domains assigned to them, and of the rest the conclusion only (need to know: a
    lawyer on the team has no need for the medical answers)."""
    return assessment.assigned_to_id == acting.user.pk or may_on_case(
        acting, case, CaseAction.MANAGE
    )


def may_edit(acting: Acting, assessment: Assessment) -> bool:
    return (
        assessment.assigned_to_id == acting.user.pk
        and assessment.status != AssessmentStatus.COMPLETED
    )


@dataclass(frozen=True)
class DomainChange:
    """A domain's conclusion in one round against the round before (reassessment)."""

    domain: str
    domain_label: str
    previous_level: str
    current_level: str
    change: str  # records.level_change: lower / higher / same / ""

    @property
    def previous_label(self) -> str:
        return _level_label(self.previous_level)

    @property
    def current_label(self) -> str:
        return _level_label(self.current_level)


def _level_label(level: str) -> str:
    return str(NeedLevel(level).label) if level in NeedLevel.values else ""


def round_changes(
    current: ComprehensiveAssessment, previous: ComprehensiveAssessment | None
) -> list[DomainChange]:
    """Per domain of ``current``: its level against ``previous`` (both preloaded through
    ``comprehensive_rounds``)."""

    def levels(round_: ComprehensiveAssessment | None) -> dict[str, str]:
        if round_ is None:
            return {}
        found: dict[str, str] = {}
        for assessment in round_.assessments.all():
            if assessment.status == AssessmentStatus.COMPLETED:
                found[assessment.domain] = assessment.need_level
        return found

    now, before = levels(current), levels(previous)
    domains = sorted({a.domain for a in current.assessments.all()} | set(before))
    return [
        DomainChange(
            domain=domain,
            domain_label=domain_label(domain),
            previous_level=before.get(domain, ""),
            current_level=now.get(domain, ""),
            change=level_change(before.get(domain, ""), now.get(domain, "")),
        )
        for domain in domains
    ]


# ISO 639-2 codes people's languages may be recorded with (HTCDS prs_Language), mapped to
# the languages documents print in.
_THREE_LETTER = {
    "eng": "en",
    "ron": "ro",
    "rum": "ro",
    "rus": "ru",
    "kat": "ka",
    "geo": "ka",
    "sqi": "sq",
    "alb": "sq",
}


def chosen_print_language(case: Case, user: Any, requested: str) -> str:
    """``requested`` (a ``?lang=``) when it is a language documents print in, else the
    default of :func:`print_language`; an unknown code is refused naming it."""
    from django.conf import settings
    from django.core.exceptions import ValidationError

    if not requested:
        return print_language(case, user)
    if requested not in {code for code, _label in settings.LANGUAGES}:
        raise ValidationError(
            {"lang": [_("Documents are not printed in “%(code)s”.") % {"code": requested[:8]}]}
        )
    return requested


def print_language(case: Case, user: Any) -> str:
    """The language to print in: the person's (mother tongue first) when documents can be
    printed in it, else the user's, else English."""
    from django.conf import settings

    available = {code for code, _label in settings.LANGUAGES}
    for code in case.person.languages.values_list("language", flat=True):
        code = _THREE_LETTER.get(code.lower(), code.lower())
        if code in available:
            return code
    user_language = getattr(user, "language", "") or ""
    return user_language if user_language in available else "en"


def definition_of(assessment: Assessment) -> FormDefinition:
    """The exact form version the assessment was answered with."""
    definition = get_form(assessment.form_code, assessment.form_version)
    if definition is None:
        # Form files are never removed once answered (assessments/forms/README.md).
        raise LookupError(f"form {assessment.form_code} v{assessment.form_version} is missing")
    return definition


def disagreements_of(assessment: Assessment) -> list[AssessmentDisagreement]:
    return list(
        AssessmentDisagreement.objects.filter(assessment=assessment)
        .select_related("member", "data_key")
        .order_by("recorded_at", "id")
    )


@dataclass(frozen=True)
class LevelRow:
    domain: str
    domain_label: str
    levels: list[str]  # one per round, oldest first; "" where not assessed or not complete

    @property
    def labels(self) -> list[str]:
        return [_level_label(level) for level in self.levels]


def level_table(rounds: list[ComprehensiveAssessment]) -> list[LevelRow]:
    """Need level per domain and round (rounds preloaded, oldest first)."""
    by_round: list[dict[str, str]] = []
    for round_ in rounds:
        levels: dict[str, str] = {}
        for assessment in round_.assessments.all():
            if assessment.status == AssessmentStatus.COMPLETED:
                levels[assessment.domain] = assessment.need_level
            else:
                levels.setdefault(assessment.domain, "")
        by_round.append(levels)
    domains = sorted({domain for levels in by_round for domain in levels})
    return [
        LevelRow(domain, domain_label(domain), [levels.get(domain, "") for levels in by_round])
        for domain in domains
    ]
