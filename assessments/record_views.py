"""The "Assessments" section of the case file: rounds and their domains, filling in a
domain's form (htmx: conditional questions appear as answers change; progress is saved),
reading, comparing rounds over time, disagreement and printing in the person's language.

Every page goes through the case chokepoint (``cases.views.common.case_for``) and every read
is audited; writes go through ``assessments.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import Acting, CaseAction, may_on_case
from assessments import selectors, services
from assessments.display import answer_sections, summary_lines
from assessments.inputs import (
    PROBLEM_SLOTS,
    AssignForm,
    ComprehensiveForm,
    DisagreementForm,
    StartForm,
)
from assessments.models import Assessment, RoundStatus
from assessments.rendering import answers_from_post, build_form_view, summary_from_post
from cases.models import Case
from cases.views.common import apply_errors, case_for, render_section
from lib.views import login_required_verified


def _decision(case: Case, decision_id: int | None) -> Any:
    if decision_id is None:
        return None
    for decision in selectors.identification_decisions(case):
        if decision.pk == decision_id:
            return decision
    raise ValidationError({"identification_decision": [_("Choose a decision of this case.")]})


def _overview(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    *,
    assign_form: AssignForm | None = None,
    start_form: StartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rounds = selectors.comprehensive_rounds(case)
    current = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    can_manage = may_on_case(acting, case, CaseAction.MANAGE)
    decisions = selectors.identification_decisions(case) if can_manage else []
    if can_manage and current is not None and assign_form is None:
        assign_form = AssignForm(assignees=_team(case))
    changes = (
        selectors.round_changes(rounds[0], rounds[1] if len(rounds) > 1 else None) if rounds else []
    )
    return render_section(
        request,
        "assessments/case_assessments.html",
        acting,
        case,
        "assessments",
        {
            "rounds": rounds,
            "current": current,
            "changes": changes,
            "can_manage": can_manage,
            "assign_form": assign_form,
            "start_form": start_form or StartForm(decisions=decisions),
            "can_reassess": can_manage
            and bool(rounds)
            and rounds[0].status == RoundStatus.COMPLETED,
            "user_id": acting.user.pk,
        },
        status=status,
    )


def _team(case: Case) -> list[Any]:
    """Everyone who may be assigned some form on the case (the form decides who fits)."""
    team = selectors.team_disciplines(case)
    seen: dict[int, Any] = {}
    for definition in selectors.latest_forms():
        for user in selectors.eligible_assignees(case, definition, team):
            seen.setdefault(user.pk, user)
    return sorted(seen.values(), key=lambda user: user.username)


@login_required_verified
@require_GET
def case_assessments_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    return _overview(request, acting, case)


@login_required_verified
@require_POST
def round_start_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    form = StartForm(request.POST, decisions=selectors.identification_decisions(case))
    if form.is_valid():
        try:
            services.comprehensive_start(
                acting=acting,
                case=case,
                identification_decision=_decision(
                    case, form.cleaned_data["identification_decision"]
                ),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Assessment started. Assign its domains."))
            return redirect("assessments:case", case_id=case.pk)
    return _overview(request, acting, case, start_form=form, status=422)


@login_required_verified
@require_POST
def assign_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    current = selectors.open_round(case)
    if current is None:
        raise Http404
    assignees = _team(case)
    form = AssignForm(request.POST, assignees=assignees)
    if form.is_valid():
        assignee = next(u for u in assignees if u.pk == form.cleaned_data["assignee"])
        try:
            services.assessment_assign(
                acting=acting,
                case=case,
                comprehensive=current,
                form_code=form.cleaned_data["form"],
                assignee=assignee,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Domain assigned."))
            return redirect("assessments:case", case_id=case.pk)
    return _overview(request, acting, case, assign_form=form, status=422)


@login_required_verified
@require_POST
def reassess_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    try:
        services.comprehensive_reassess(acting=acting, case=case)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Reassessment started with the domains of the last round."))
    return redirect("assessments:case", case_id=case.pk)


@login_required_verified
@require_http_methods(["GET", "POST"])
def round_edit_view(request: HttpRequest, case_id: int, round_id: int) -> HttpResponse:
    """The person's own view and the problem ranking of a round (000 IOM parts II and III)."""
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    comprehensive = selectors.comprehensive_of_case(case, round_id)
    decisions = selectors.identification_decisions(case)
    if request.method == "POST":
        form = ComprehensiveForm(request.POST, decisions=decisions)
        if form.is_valid():
            data = form.cleaned_data
            problems = [
                services.RankedProblem(
                    data[f"problem_{slot}_domain"] or "", data[f"problem_{slot}"] or ""
                )
                for slot in range(1, PROBLEM_SLOTS + 1)
            ]
            try:
                services.comprehensive_update(
                    acting=acting,
                    case=case,
                    comprehensive=comprehensive,
                    own_view=data["own_view"],
                    desired_situation=data["desired_situation"],
                    problems=problems,
                    identification_decision=_decision(case, data["identification_decision"]),
                    expected_version=data["version"],
                )
            except services.StaleEdit as stale:
                form = ComprehensiveForm(initial=_round_initial(stale.current), decisions=decisions)
                form.add_error(
                    None,
                    _(
                        "Someone changed this while you were editing it. "
                        "The current values are shown; make your change again."
                    ),
                )
                return _round_page(request, acting, case, comprehensive, form, status=409)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("assessments:case", case_id=case.pk)
        return _round_page(request, acting, case, comprehensive, form, status=422)
    form = ComprehensiveForm(initial=_round_initial(comprehensive), decisions=decisions)
    return _round_page(request, acting, case, comprehensive, form)


def _round_initial(comprehensive: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "version": comprehensive.version,
        "own_view": comprehensive.get_plain_or_erased("own_view") or "",
        "desired_situation": comprehensive.get_plain_or_erased("desired_situation") or "",
        "identification_decision": comprehensive.identification_decision_id,
    }
    for rank in comprehensive.problems.select_related("data_key"):
        initial[f"problem_{rank.position}"] = rank.get_plain_or_erased("problem") or ""
        initial[f"problem_{rank.position}_domain"] = rank.domain
    return initial


def _round_page(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    comprehensive: Any,
    form: ComprehensiveForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render_section(
        request,
        "assessments/round_edit.html",
        acting,
        case,
        "assessments",
        {"comprehensive": comprehensive, "form": form},
        status=status,
    )


# ---------------------------------------------------------------- one domain


def _fill_context(
    case: Case,
    assessment: Assessment,
    answers: dict[str, Any],
    summary: dict[str, Any],
    errors: list[Any] | None = None,
) -> dict[str, Any]:
    definition = selectors.definition_of(assessment)
    base = reverse("assessments:assessment", args=[case.pk, assessment.pk])
    return {
        "assessment": assessment,
        "definition": definition,
        "form": build_form_view(definition, answers, summary, errors),
        "action_url": base,
        "refresh_url": reverse("assessments:assessment_fields", args=[case.pk, assessment.pk]),
    }


@login_required_verified
@require_http_methods(["GET", "POST"])
def assessment_view(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    """Fill in (the assigned member, until completed) or read one domain's assessment."""
    acting, case = case_for(
        request, case_id, CaseAction.VIEW if request.method == "GET" else CaseAction.WORK
    )
    assessment = selectors.assessment_of_case(case, assessment_id)
    editing = selectors.may_edit(acting, assessment)
    if request.method == "GET":
        services.assessment_read_record(
            acting=acting, case=case, assessment=assessment, section="assessment"
        )
        if editing:
            answers = selectors.stored_answers(assessment) or {}
            context = _fill_context(case, assessment, answers, selectors.stored_summary(assessment))
            return render_section(
                request, "assessments/fill.html", acting, case, "assessments", context, audit=False
            )
        return _read_page(request, acting, case, assessment)
    if not editing:
        raise PermissionDenied
    definition = selectors.definition_of(assessment)
    answers = answers_from_post(definition, request.POST)
    summary = summary_from_post(definition, request.POST)
    if "add_row" in request.POST or "remove_row" in request.POST:
        # Without JavaScript the row buttons post the whole form: show it again, unsaved.
        context = _fill_context(case, assessment, answers, summary)
        return render_section(
            request, "assessments/fill.html", acting, case, "assessments", context
        )
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    complete = "complete" in request.POST
    save = services.assessment_complete if complete else services.assessment_save
    try:
        save(
            acting=acting,
            case=case,
            assessment=assessment,
            answers=answers,
            summary=summary,
            expected_version=version,
        )
    except services.AnswersRefused as refused:
        context = _fill_context(case, assessment, answers, summary, refused.errors)
        return render_section(
            request,
            "assessments/fill.html",
            acting,
            case,
            "assessments",
            context,
            status=422,
        )
    except services.StaleEdit as stale:
        current = stale.current
        context = _fill_context(
            case,
            current,
            selectors.stored_answers(current) or {},
            selectors.stored_summary(current),
        )
        context["stale"] = True
        return render_section(
            request,
            "assessments/fill.html",
            acting,
            case,
            "assessments",
            context,
            status=409,
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("assessments:assessment", case_id=case.pk, assessment_id=assessment.pk)
    if complete:
        messages.success(request, _("Assessment completed."))
        return redirect("assessments:case", case_id=case.pk)
    messages.success(request, _("Progress saved."))
    return redirect("assessments:assessment", case_id=case.pk, assessment_id=assessment.pk)


@login_required_verified
@require_POST
def assessment_fields_view(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    """The form body again with the posted answers, nothing saved (htmx target): conditional
    questions appear or disappear, rows are added or removed."""
    acting, case = case_for(request, case_id, CaseAction.WORK)
    assessment = selectors.assessment_of_case(case, assessment_id)
    if not selectors.may_edit(acting, assessment):
        raise PermissionDenied
    definition = selectors.definition_of(assessment)
    answers = answers_from_post(definition, request.POST)
    summary = summary_from_post(definition, request.POST)
    return render(
        request,
        "assessments/partials/form_body.html",
        _fill_context(case, assessment, answers, summary),
    )


def _read_context(acting: Acting, case: Case, assessment: Assessment) -> dict[str, Any]:
    definition = selectors.definition_of(assessment)
    readable = selectors.may_read_answers(acting, case, assessment)
    answers = selectors.stored_answers(assessment) if readable else None
    return {
        "assessment": assessment,
        "definition": definition,
        "readable": readable,
        "erased": readable and answers is None,
        "sections": answer_sections(definition, answers or {}) if answers is not None else [],
        "summary": summary_lines(definition, selectors.stored_summary(assessment))
        if readable
        else None,
        "disagreements": selectors.disagreements_of(assessment),
    }


def _read_page(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    assessment: Assessment,
    *,
    form: DisagreementForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _read_context(acting, case, assessment)
    context["disagreement_form"] = form or DisagreementForm()
    return render_section(
        request,
        "assessments/read.html",
        acting,
        case,
        "assessments",
        context,
        status=status,
        audit=False,
    )


@login_required_verified
@require_POST
def disagreement_view(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    assessment = selectors.assessment_of_case(case, assessment_id)
    form = DisagreementForm(request.POST)
    if form.is_valid():
        try:
            services.disagreement_record(
                acting=acting, case=case, assessment=assessment, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your disagreement is recorded."))
            return redirect("assessments:assessment", case_id=case.pk, assessment_id=assessment.pk)
    return _read_page(request, acting, case, assessment, form=form, status=422)


@login_required_verified
@require_GET
def assessment_print_view(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    """The assessment as PDF in the person's language (or ?lang=)."""
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    assessment = selectors.assessment_of_case(case, assessment_id)
    if not selectors.may_read_answers(acting, case, assessment):
        raise PermissionDenied
    language = request.GET.get("lang") or selectors.print_language(case, acting.user)
    pdf = services.assessment_print(
        acting=acting, case=case, assessment=assessment, language=language
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="assessment-{case.code}-{assessment.form_code}.pdf"'
    )
    return response


@login_required_verified
@require_GET
def compare_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The need level per domain in every round, oldest first: change over time."""
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    rounds = list(reversed(selectors.comprehensive_rounds(case)))
    return render_section(
        request,
        "assessments/compare.html",
        acting,
        case,
        "assessments",
        {"rounds": rounds, "table": selectors.level_table(rounds)},
    )
