"""Plan pages (SPEC C5 item 8): built on a tablet with htmx — objectives, activities, budget
lines and progress are added in place, each form answered with the refreshed plan body.
Without htmx every form still works as a plain POST with a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import Acting, CaseAction, may_decide_plan, may_on_case, plans_for_approval
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.models import Case
from cases.services import record_case_read
from cases.views.common import apply_errors, case_for, render_section
from consent.services import ConsentRequired
from lib.views import acting_or_403, capability_required, login_required_verified
from plans.codes import PlanDomain, PlanStatus, Signatory
from plans.forms import (
    AcknowledgeForm,
    ActivityEditForm,
    ActivityForm,
    BudgetLineForm,
    ConfirmationForm,
    DecisionForm,
    ExclusionForm,
    ModificationForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PaperSignatureForm,
    PlanDetailsForm,
    PlanForm,
    PrintForm,
    ProgressForm,
    ReviewForm,
    SettingsForm,
)
from plans.models import Plan
from plans.presenters import (
    MINOR_BASIS_LABELS,
    approval_out,
    compare,
    plan_view,
    review_labels,
)
from plans.printing import person_language, plan_pdf, summary_pdf
from plans.selectors import (
    accepted_referrals_of,
    activity_of,
    assessment_of,
    budget_line_of,
    decisions_of,
    dependant_of,
    dependants_of,
    objective_of,
    organisations_for_choice,
    plan_for_approver,
    plan_of,
    require_plan,
    settings_for,
    signature_of,
    signatures_of,
    staff_of,
    submitted_plans,
    versions_of,
)
from plans.services import (
    OBJECTIVE_TEXT_FIELDS,
    PLAN_TEXT_FIELDS,
    StaleEdit,
    activity_add,
    activity_confirm,
    activity_delete,
    activity_progress,
    activity_update,
    budget_line_add,
    budget_line_delete,
    domain_exclusion_set,
    objective_add,
    objective_delete,
    objective_update,
    plan_create,
    plan_decide,
    plan_modification_start,
    plan_print_record,
    plan_review_record,
    plan_settings_update,
    plan_submit,
    plan_update,
    signature_acknowledge,
    signature_record_paper,
    signature_scan_read,
)

APPROVALS_PAGE_SIZE = 25
STALE = gettext_lazy(
    "Someone changed this plan while you were editing it; the current version is shown."
)


# ---------------------------------------------------------------- building the page


def _need_choices(view: Any) -> list[tuple[int, str]]:
    return [(need.assessment_id, f"{need.domain_label} — {need.level}") for need in view.needs]


def _dependant_choices(case: Case) -> list[tuple[int, str]]:
    return [
        (person.pk, person.get_plain_or_erased("name") or _("Identity erased"))
        for person in dependants_of(case)
    ]


def _body_context(
    acting: Acting, case: Case, plan: Plan, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    # The case already read (with its person) serves the plan's pages; the signatures of the
    # current version are read once for the page and the signature state.
    plan.case = case
    signatures = signatures_of(plan, plan.version_number)
    view = plan_view(plan, signatures)
    editable = plan.is_editable and may_on_case(acting, case, CaseAction.WORK)
    staff = staff_of(plan.organisation)
    organisations = organisations_for_choice()
    needs = _need_choices(view)
    # The edit forms are shown only while the plan is editable: an approved plan (most of
    # them) needs no choice lists.
    dependants = _dependant_choices(case) if editable else []
    referrals = accepted_referrals_of(case)
    if not editable:
        staff, organisations = staff.none(), organisations.none()
    for objective in view.objectives:
        objective.edit_form = bound.get(  # type: ignore[attr-defined]  # page-only attribute
            f"objective-{objective.pk}",
            ObjectiveEditForm(
                prefix=f"e{objective.pk}",
                needs=needs,
                dependants=dependants,
                initial={
                    "expected_version": objective.version,
                    "domain": objective.domain,
                    "priority": objective.priority,
                    "assessment": objective.assessment_id,
                    "dependant": objective.dependant_id,
                    **{name: objective.get_plain_or_erased(name) for name in OBJECTIVE_TEXT_FIELDS},
                },
            ),
        )
        objective.activity_form = bound.get(  # type: ignore[attr-defined]  # page-only attribute
            f"activity-{objective.pk}",
            ActivityForm(prefix=f"a{objective.pk}", staff=staff, organisations=organisations),
        )
        for activity in objective.activities.all():
            activity.edit_form = bound.get(  # type: ignore[attr-defined]  # page-only attribute
                f"activity-edit-{activity.pk}",
                ActivityEditForm(
                    prefix=f"d{activity.pk}",
                    staff=staff,
                    organisations=organisations,
                    initial={
                        "expected_version": activity.version,
                        "description": activity.get_plain_or_erased("description"),
                        "responsible_kind": activity.responsible_kind,
                        "responsible_user": activity.responsible_user_id,
                        "responsible_organisation": activity.responsible_organisation_id,
                        "responsible_name": activity.get_plain_or_erased("responsible_name"),
                        "starts_on": activity.starts_on,
                        "due_on": activity.due_on,
                        "review_on": activity.review_on,
                    },
                ),
            )
            activity.budget_form = bound.get(  # type: ignore[attr-defined]  # page-only attribute
                f"budget-{activity.pk}",
                BudgetLineForm(
                    prefix=f"b{activity.pk}",
                    organisations=organisations,
                    country=case.organisation.country,
                ),
            )
            activity.confirmation_form = bound.get(  # type: ignore[attr-defined]  # page-only
                f"confirmation-{activity.pk}",
                ConfirmationForm(
                    prefix=f"c{activity.pk}", organisations=organisations, referrals=referrals
                ),
            )
            activity.progress_form = bound.get(  # type: ignore[attr-defined]  # page-only attribute
                f"progress-{activity.pk}",
                ProgressForm(
                    prefix=f"p{activity.pk}",
                    initial={
                        "expected_version": activity.version,
                        "status": activity.status,
                        "reason": activity.not_delivered_reason,
                    },
                ),
            )
    labels = dict(Signatory.choices)
    return {
        "case": case,
        "plan": plan,
        "view": view,
        "editable": editable,
        "manages": may_on_case(acting, case, CaseAction.MANAGE),
        "plan_form": bound.get(
            "plan",
            PlanForm(
                initial={
                    "expected_version": plan.version,
                    "ultimate_goal": plan.ultimate_goal,
                    "goal_details": plan.get_plain_or_erased("goal_details"),
                    "notes": plan.get_plain_or_erased("notes"),
                    "starts_on": plan.starts_on,
                    "layout": plan.layout,
                }
            ),
        ),
        "details_form": bound.get(
            "details",
            PlanDetailsForm(
                prefix="f",
                initial={
                    "expected_version": plan.version,
                    **{
                        name: plan.get_plain_or_erased(name)
                        for name in PLAN_TEXT_FIELDS
                        if name not in ("goal_details", "notes")
                    },
                },
            ),
        ),
        "details": [
            (PlanDetailsForm.base_fields[name].label, plan.get_plain_or_erased(name))
            for name in PLAN_TEXT_FIELDS
            if name in PlanDetailsForm.base_fields and plan.get_plain_or_erased(name)
        ],
        "objective_form": bound.get(
            "objective", ObjectiveForm(prefix="o", needs=needs, dependants=dependants)
        ),
        "exclusion_form": bound.get("exclusion", ExclusionForm(prefix="x")),
        "modification_form": bound.get(
            "modification",
            ModificationForm(prefix="m", initial={"expected_version": plan.version}),
        ),
        "paper_form": bound.get("paper", PaperSignatureForm(prefix="s")),
        "acknowledge_form": bound.get("acknowledge", AcknowledgeForm(prefix="k")),
        "review_form": bound.get("review", ReviewForm(prefix="r")),
        "print_form": PrintForm(
            initial={
                "layout": plan.layout,
                "language": person_language(plan, acting.user.language),
            }
        ),
        "submit_error": bound.get("submit"),
        "minor_basis": MINOR_BASIS_LABELS.get(view.minor.basis, ""),
        "reviews": [
            {
                "reviewed_on": review.reviewed_on,
                "labels": review_labels(review),
                "legal_support": review.get_plain_or_erased("legal_support") or "",
                "note": review.get_plain_or_erased("note") or "",
            }
            for review in view.reviews
        ],
        "budget_by_domain": [
            (PlanDomain(domain).label, currency, amount)
            for (domain, currency), amount in view.budget.by_domain.items()
        ],
        "signatures": [
            {
                "id": signature.pk,
                "role": labels.get(signature.role, signature.role),
                "name": signature.get_plain_or_erased("signer_name") or "",
                "method": signature.get_method_display(),
                "signed_on": signature.signed_on,
                "has_scan": bool(signature.scan_name),
            }
            for signature in signatures
        ],
        "missing_signatures": [labels.get(role, role) for role in view.missing_signatures],
        "versions": [
            {
                "number": version.number,
                "reason": version.get_plain_or_erased("reason") or "",
                "anticipated_result": version.get_plain_or_erased("anticipated_result") or "",
                "requested_by": version.get_requested_by_display(),
                "approved_at": version.approved_at,
            }
            for version in versions_of(plan)
        ],
        "decisions": [
            {
                "decision": decision.get_decision_display(),
                "stage": decision.get_stage_display(),
                "comment": decision.get_plain_or_erased("comment") or "",
                "by": decision.decided_by.get_full_name() or decision.decided_by.username,
                "organisation": decision.organisation.name,
                "at": decision.decided_at,
            }
            for decision in decisions_of(plan)
        ],
    }


def _page(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    plan: Plan,
    *,
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    context = _body_context(acting, case, plan, bound)
    # Every answer that shows the plan is a read of it — after a write, a refused form or a
    # print link without its choices alike (issue 15, item 4).
    record_case_read(acting=acting, case=case, section="plan")
    if getattr(request, "htmx", False):
        # The plan body only; the page around it stays (SPEC C5 item 8).
        return render(request, "plans/_body.html", context)
    return render_section(request, "plans/plan.html", acting, case, "plan", context, audit=False)


def _done(request: HttpRequest, acting: Acting, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    if getattr(request, "htmx", False):
        # The refreshed body shows the message; the page is not reloaded.
        return _page(request, acting, case, require_plan(case))
    return redirect("plans:plan", case_id=case.pk)


def _handle(
    request: HttpRequest,
    case_id: int,
    *,
    key: str,
    form: Callable[[Acting, Case, Plan], Any],
    perform: Callable[[Acting, Plan, dict[str, Any]], object],
    message: str,
    action: CaseAction = CaseAction.WORK,
) -> HttpResponse:
    """One form on the plan page: validate, call the service, answer with the refreshed plan
    or the form with its errors by field."""
    acting, case = case_for(request, case_id, action)
    plan = require_plan(case)
    bound = form(acting, case, plan)
    if bound.is_valid():
        try:
            perform(acting, plan, bound.cleaned_data)
        except StaleEdit:
            bound.add_error(None, STALE)
        except ValidationError as error:
            apply_errors(bound, error)
        else:
            return _done(request, acting, case, message)
    return _page(request, acting, case, require_plan(case), bound={key: bound})


# ---------------------------------------------------------------- the plan page


@login_required_verified
@require_http_methods(["GET", "POST"])
def plan_page(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(
        request, case_id, CaseAction.VIEW if request.method == "GET" else CaseAction.MANAGE
    )
    plan = plan_of(case)
    if request.method == "POST" and plan is None:
        try:
            plan_create(acting=acting, case=case)
        except ConsentRequired:
            messages.error(
                request,
                _("Record the person's consent to assistance before drafting the plan."),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Plan started."))
        return redirect("plans:plan", case_id=case.pk)
    if plan is None:
        return render_section(
            request,
            "plans/start.html",
            acting,
            case,
            "plan",
            {"manages": may_on_case(acting, case, CaseAction.MANAGE)},
        )
    return render_section(
        request, "plans/plan.html", acting, case, "plan", _body_context(acting, case, plan)
    )


@login_required_verified
@require_POST
def plan_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        version = data.pop("expected_version")
        return plan_update(acting=acting, plan=plan, expected_version=version, values=data)

    return _handle(
        request,
        case_id,
        key="plan",
        form=lambda acting, case, plan: PlanForm(request.POST),
        perform=perform,
        message=_("Plan saved."),
    )


@login_required_verified
@require_POST
def plan_details(request: HttpRequest, case_id: int) -> HttpResponse:
    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        version = data.pop("expected_version")
        return plan_update(acting=acting, plan=plan, expected_version=version, values=data)

    return _handle(
        request,
        case_id,
        key="details",
        form=lambda acting, case, plan: PlanDetailsForm(request.POST, prefix="f"),
        perform=perform,
        message=_("Plan saved."),
    )


@login_required_verified
@require_POST
def activity_confirmation(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        return activity_confirm(
            acting=acting,
            activity=activity_of(plan, activity_id),
            confirmed_on=data["confirmed_on"],
            provider=data["provider"],
            provider_name=data["provider_name"],
            referral_id=data["referral"],
            note=data["note"],
        )

    return _handle(
        request,
        case_id,
        key=f"confirmation-{activity_id}",
        form=lambda acting, case, plan: ConfirmationForm(
            request.POST,
            prefix=f"c{activity_id}",
            organisations=organisations_for_choice(),
            referrals=accepted_referrals_of(case),
        ),
        perform=perform,
        message=_("Confirmation recorded."),
    )


@login_required_verified
@require_POST
def objective_create(request: HttpRequest, case_id: int) -> HttpResponse:
    def make(acting: Acting, case: Case, plan: Plan) -> ObjectiveForm:
        view = plan_view(plan)
        return ObjectiveForm(
            request.POST,
            prefix="o",
            needs=_need_choices(view),
            dependants=_dependant_choices(case),
        )

    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        data["assessment"] = assessment_of(plan.case, data["assessment"])
        data["dependant"] = dependant_of(plan.case, data["dependant"])
        return objective_add(acting=acting, plan=plan, values=data)

    return _handle(
        request,
        case_id,
        key="objective",
        form=make,
        perform=perform,
        message=_("Objective added."),
    )


@login_required_verified
@require_POST
def objective_priority(request: HttpRequest, case_id: int, objective_id: int) -> HttpResponse:
    """Switch an objective between necessary and desired (001 §5.2)."""
    acting, case = case_for(request, case_id, CaseAction.WORK)
    plan = require_plan(case)
    objective = objective_of(plan, objective_id)
    try:
        objective_update(
            acting=acting,
            objective=objective,
            expected_version=int(request.POST.get("expected_version", "0") or 0),
            values={"priority": request.POST.get("priority", "")},
        )
    except StaleEdit:
        messages.error(request, STALE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return _done(request, acting, case, _("Priority changed."))
    return _page(request, acting, case, require_plan(case))


@login_required_verified
@require_POST
def objective_edit(request: HttpRequest, case_id: int, objective_id: int) -> HttpResponse:
    def make(acting: Acting, case: Case, plan: Plan) -> ObjectiveEditForm:
        objective_of(plan, objective_id)
        return ObjectiveEditForm(
            request.POST,
            prefix=f"e{objective_id}",
            needs=_need_choices(plan_view(plan)),
            dependants=_dependant_choices(case),
        )

    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        version = data.pop("expected_version")
        data["assessment"] = assessment_of(plan.case, data["assessment"])
        data["dependant"] = dependant_of(plan.case, data["dependant"])
        return objective_update(
            acting=acting,
            objective=objective_of(plan, objective_id),
            expected_version=version,
            values=data,
        )

    return _handle(
        request,
        case_id,
        key=f"objective-{objective_id}",
        form=make,
        perform=perform,
        message=_("Objective saved."),
    )


@login_required_verified
@require_POST
def activity_edit(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    def make(acting: Acting, case: Case, plan: Plan) -> ActivityEditForm:
        activity_of(plan, activity_id)
        return ActivityEditForm(
            request.POST,
            prefix=f"d{activity_id}",
            staff=staff_of(plan.organisation),
            organisations=organisations_for_choice(),
        )

    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        version = data.pop("expected_version")
        return activity_update(
            acting=acting,
            activity=activity_of(plan, activity_id),
            expected_version=version,
            values=data,
        )

    return _handle(
        request,
        case_id,
        key=f"activity-edit-{activity_id}",
        form=make,
        perform=perform,
        message=_("Activity saved."),
    )


@login_required_verified
@require_POST
def objective_remove(request: HttpRequest, case_id: int, objective_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    plan = require_plan(case)
    try:
        objective_delete(acting=acting, objective=objective_of(plan, objective_id))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _done(request, acting, case, _("Objective removed."))


@login_required_verified
@require_POST
def activity_create(request: HttpRequest, case_id: int, objective_id: int) -> HttpResponse:
    def make(acting: Acting, case: Case, plan: Plan) -> ActivityForm:
        objective_of(plan, objective_id)
        return ActivityForm(
            request.POST,
            prefix=f"a{objective_id}",
            staff=staff_of(plan.organisation),
            organisations=organisations_for_choice(),
        )

    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        return activity_add(acting=acting, objective=objective_of(plan, objective_id), values=data)

    return _handle(
        request,
        case_id,
        key=f"activity-{objective_id}",
        form=make,
        perform=perform,
        message=_("Activity added."),
    )


@login_required_verified
@require_POST
def activity_remove(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    plan = require_plan(case)
    try:
        activity_delete(acting=acting, activity=activity_of(plan, activity_id))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _done(request, acting, case, _("Activity removed."))


@login_required_verified
@require_POST
def activity_progress_set(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        return activity_progress(
            acting=acting,
            activity=activity_of(plan, activity_id),
            expected_version=data["expected_version"],
            status=data["status"],
            reason=data["reason"],
            note=data["note"],
        )

    return _handle(
        request,
        case_id,
        key=f"progress-{activity_id}",
        form=lambda acting, case, plan: ProgressForm(request.POST, prefix=f"p{activity_id}"),
        perform=perform,
        message=_("Progress recorded."),
    )


@login_required_verified
@require_POST
def budget_create(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    def perform(acting: Acting, plan: Plan, data: dict[str, Any]) -> object:
        return budget_line_add(acting=acting, activity=activity_of(plan, activity_id), **data)

    return _handle(
        request,
        case_id,
        key=f"budget-{activity_id}",
        form=lambda acting, case, plan: BudgetLineForm(
            request.POST,
            prefix=f"b{activity_id}",
            organisations=organisations_for_choice(),
            country=case.organisation.country,
        ),
        perform=perform,
        message=_("Budget line added."),
    )


@login_required_verified
@require_POST
def budget_remove(request: HttpRequest, case_id: int, line_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    plan = require_plan(case)
    try:
        budget_line_delete(acting=acting, line=budget_line_of(plan, line_id))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _done(request, acting, case, _("Budget line removed."))


@login_required_verified
@require_POST
def exclusion_set(request: HttpRequest, case_id: int) -> HttpResponse:
    return _handle(
        request,
        case_id,
        key="exclusion",
        form=lambda acting, case, plan: ExclusionForm(request.POST, prefix="x"),
        perform=lambda acting, plan, data: domain_exclusion_set(
            acting=acting, plan=plan, domain=data["domain"], reason=data["reason"]
        ),
        message=_("Reason recorded."),
    )


@login_required_verified
@require_POST
def submit(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    plan = require_plan(case)
    try:
        plan_submit(
            acting=acting,
            plan=plan,
            expected_version=int(request.POST.get("expected_version", "0") or 0),
            stage=request.POST.get("stage") or None,
        )
    except StaleEdit:
        return _page(request, acting, case, require_plan(case), bound={"submit": [STALE]})
    except ValidationError as error:
        problems = [message for messages_ in error.message_dict.values() for message in messages_]
        return _page(request, acting, case, require_plan(case), bound={"submit": problems})
    return _done(request, acting, case, _("Plan submitted."))


@login_required_verified
@require_POST
def modification_start(request: HttpRequest, case_id: int) -> HttpResponse:
    return _handle(
        request,
        case_id,
        key="modification",
        form=lambda acting, case, plan: ModificationForm(request.POST, prefix="m"),
        perform=lambda acting, plan, data: plan_modification_start(
            acting=acting,
            plan=plan,
            expected_version=data["expected_version"],
            reason=data["reason"],
            anticipated_result=data["anticipated_result"],
            requested_by=data["requested_by"],
        ),
        message=_("Modification opened as a new version."),
        action=CaseAction.MANAGE,
    )


@login_required_verified
@require_POST
def signature_paper(request: HttpRequest, case_id: int) -> HttpResponse:
    return _handle(
        request,
        case_id,
        key="paper",
        form=lambda acting, case, plan: PaperSignatureForm(request.POST, request.FILES, prefix="s"),
        perform=lambda acting, plan, data: signature_record_paper(
            acting=acting,
            plan=plan,
            role=data["role"],
            signer_name=data["signer_name"],
            signed_on=data["signed_on"],
            upload=data["scan"],
        ),
        message=_("Signature recorded."),
        action=CaseAction.MANAGE,
    )


@login_required_verified
@require_POST
def signature_on_screen(request: HttpRequest, case_id: int) -> HttpResponse:
    return _handle(
        request,
        case_id,
        key="acknowledge",
        form=lambda acting, case, plan: AcknowledgeForm(request.POST, prefix="k"),
        perform=lambda acting, plan, data: signature_acknowledge(
            acting=acting, plan=plan, role=data["role"], otp_code=data["otp_code"]
        ),
        message=_("Signed."),
    )


@login_required_verified
@require_GET
def signature_scan(request: HttpRequest, case_id: int, signature_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    signature = signature_of(require_plan(case), signature_id)
    data = signature_scan_read(acting=acting, signature=signature)
    response = HttpResponse(data, content_type=signature.scan_content_type)
    response["Content-Disposition"] = f'attachment; filename="signature-{signature.pk}"'
    return response


@login_required_verified
@require_POST
def review(request: HttpRequest, case_id: int) -> HttpResponse:
    return _handle(
        request,
        case_id,
        key="review",
        form=lambda acting, case, plan: ReviewForm(request.POST, prefix="r"),
        perform=lambda acting, plan, data: plan_review_record(acting=acting, plan=plan, **data),
        message=_("Review recorded."),
        action=CaseAction.MANAGE,
    )


@login_required_verified
@require_GET
def print_plan(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    plan = require_plan(case)
    form = PrintForm(request.GET)
    if not form.is_valid():
        return _page(request, acting, case, plan)
    layout, language = form.cleaned_data["layout"], form.cleaned_data["language"]
    plan_print_record(acting=acting, plan=plan, layout=layout, language=language)
    data = (
        summary_pdf(plan, language=language)
        if layout == "summary"
        else plan_pdf(plan, layout=layout, language=language)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{case.code}-{layout}.pdf"'
    return response


@login_required_verified
@require_GET
def version_diff(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    plan = require_plan(case)
    numbers = [version.number for version in versions_of(plan)]

    def number(name: str, default: int | None) -> int | None:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isdigit() and int(raw) in numbers else default

    older = number("from", max(plan.version_number - 1, 1))
    newer = number("to", None)
    changes = compare(plan, older or 1, newer)
    return render_section(
        request,
        "plans/diff.html",
        acting,
        case,
        "plan",
        {"plan": plan, "numbers": numbers, "older": older, "newer": newer, "changes": changes},
    )


# ---------------------------------------------------------------- the approver


def _approver(request: HttpRequest) -> Acting:
    """Supervisors approve within their organisation, coordinators what is submitted to
    their fund; nobody else has an approval page."""
    acting = acting_or_403(request)
    if not (acting.can(Capability.PLAN_APPROVE) or acting.can(Capability.PLAN_APPROVE_FUNDED)):
        raise PermissionDenied
    return acting


@login_required_verified
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    acting = _approver(request)
    page = Paginator(
        submitted_plans(plans_for_approval(acting).filter(status=PlanStatus.SUBMITTED)),
        APPROVALS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "plans/approvals.html", {"page": page})


@login_required_verified
@require_http_methods(["GET", "POST"])
def approval(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The approver's view: the plan, budget, pseudonymous code, age band and needs — no
    name, contact or address (SPEC C5)."""
    acting = _approver(request)
    plan = plan_for_approver(plans_for_approval(acting), plan_id)
    form = DecisionForm(
        request.POST or None, initial={"expected_version": plan.version, "stage": plan.stage}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_decide(
                acting=acting,
                plan=plan,
                expected_version=form.cleaned_data["expected_version"],
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                stage=form.cleaned_data["stage"] or None,
            )
        except StaleEdit:
            form.add_error(None, STALE)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("plans:approvals")
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=plan,
        case_id=plan.case_id,
        detail={"section": "plan_approval"},
    )
    return render(
        request,
        "plans/approval.html",
        {
            "approval": approval_out(plan_view(plan)),
            "stage_label": plan.get_stage_display(),
            "status_label": plan.get_status_display(),
            "form": form,
            "may_decide": may_decide_plan(acting, plan),
        },
    )


# ---------------------------------------------------------------- organisation settings


@capability_required(Capability.ORGANISATION_SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request, Capability.ORGANISATION_SETTINGS_MANAGE)
    current = settings_for(acting.organisation)
    form = SettingsForm(
        request.POST or None, initial={"version": current.version, "layout": current.layout}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_settings_update(
                acting=acting,
                expected_version=form.cleaned_data["version"],
                layout=form.cleaned_data["layout"],
            )
        except StaleEdit:
            form.add_error(None, STALE)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("plans:settings")
    return render(request, "plans/settings.html", {"form": form})
