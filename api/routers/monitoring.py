"""Monitoring over the API (SPEC C8): phases, contacts, outcome scores and trajectory,
setbacks, and the work-queue views. The same chokepoints, services and audit as the pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from accounts.access import CaseAction
from accounts.roles import Capability
from api.case_access import case_for, case_worker
from api.monitoring_schemas import (
    MonitoringContactCreatedOut,
    MonitoringContactIn,
    MonitoringContactOut,
    MonitoringContactPage,
    MonitoringContactPatch,
    MonitoringNextContactOut,
    MonitoringNoteIO,
    MonitoringOverdueWorkerOut,
    MonitoringPhaseTransitionCreatedOut,
    MonitoringPhaseTransitionIn,
    MonitoringSummaryOut,
    OutcomeFrameworkOut,
    OutcomeMeasurementIn,
    OutcomeMeasurementOut,
    OutcomeTrajectoryOut,
    SetbackIn,
    SetbackOut,
)
from api.schemas import Problem, ValidationProblem
from assessments.selectors import chosen_print_language
from cases.services import record_case_read
from lib.errors import StaleEdit
from lib.views import acting_or_403
from monitoring import selectors
from monitoring.charts import trajectory_svg
from monitoring.framework import current_framework
from monitoring.models import MonitoringContact, OutcomeMeasurement, PhaseTransition, Setback
from monitoring.printing import trajectory_pdf
from monitoring.services import (
    NoteInput,
    ScoreInput,
    contact_record,
    contact_update,
    outcome_scores_record,
    phase_transition_record,
    setback_record,
    trajectory_print_record,
)
from work.models import WorkItem

router = Router(tags=["monitoring"])
PAGE_SIZE = 50


# ---------------------------------------------------------------- helpers


def _due(item: WorkItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"kind": item.kind, "due_on": item.due_on, "rule": item.source_rule}


def _transition(transition: PhaseTransition) -> dict[str, Any]:
    return {
        "id": transition.pk,
        "phase": transition.phase,
        "label": transition.phase_label,
        "previous_phase": transition.previous_phase,
        "started_on": transition.started_on,
        "out_of_order": transition.out_of_order,
        "reason": transition.get_plain_or_erased("reason") or "",
        "decided_by_id": transition.decided_by_id,
    }


def _contact(contact: MonitoringContact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "case_id": contact.case_id,
        "purpose": contact.purpose,
        "occurred_on": contact.occurred_on,
        "mode": contact.mode,
        "report": contact.report,
        "phase": contact.phase,
        "participants": contact.get_plain_or_erased("participants") or "",
        "notes": [
            {
                "heading": note.heading,
                "text": note.get_plain_or_erased("text") or "",
                "rating": note.rating,
            }
            for note in contact.notes.all()
        ],
        "version": contact.version,
    }


def _notes(notes: list[MonitoringNoteIO]) -> dict[str, NoteInput]:
    return {note.heading: NoteInput(text=note.text, rating=note.rating) for note in notes}


def _measurement(measurement: OutcomeMeasurement) -> dict[str, Any]:
    return {
        "id": measurement.pk,
        "occasion": measurement.occasion,
        "taken_on": measurement.taken_on,
        "framework_code": measurement.framework_code,
        "framework_version": measurement.framework_version,
        "phase": measurement.phase,
        "notes": measurement.get_plain_or_erased("notes") or "",
        "scores": [
            {
                "domain": score.domain,
                "worker_score": score.worker_score,
                "person_score": score.person_score,
            }
            for score in measurement.scores.all()
        ],
    }


def _setback(setback: Setback) -> dict[str, Any]:
    return {
        "id": setback.pk,
        "occurred_on": setback.occurred_on,
        "triggers": [row.trigger for row in setback.triggers.all()],
        "severity": setback.severity,
        "description": setback.get_plain_or_erased("description") or "",
        "response": setback.get_plain_or_erased("response") or "",
        "led_to_reassessment": setback.led_to_reassessment,
        "led_to_plan_modification": setback.led_to_plan_modification,
        "returned_to_phase": setback.phase_transition.phase if setback.phase_transition else "",
        "re_trafficking": setback.re_trafficking,
        "re_trafficked_on": setback.re_trafficked_on,
        "circumstances": setback.get_plain_or_erased("circumstances") or "",
    }


# ---------------------------------------------------------------- framework


@router.get(
    "/outcome-framework",
    response={200: OutcomeFrameworkOut, 404: Problem},
    summary="The outcome framework new scores are taken with: domains, scale, indicators",
)
def outcome_framework(request: HttpRequest) -> dict[str, Any]:
    case_worker(request)
    framework = current_framework()
    return {
        "code": framework.code,
        "version": framework.version,
        "title": framework.title.text(),
        "levels": [
            {"score": lv.score, "label": lv.label.text(), "description": lv.description.text()}
            for lv in framework.levels
        ],
        "domains": [
            {
                "code": d.code,
                "label": d.label.text(),
                "indicators": [i.text() for i in d.indicators],
            }
            for d in framework.domains
        ],
    }


# ---------------------------------------------------------------- the section and phases


@router.get(
    "/cases/{case_id}/monitoring",
    response={200: MonitoringSummaryOut, 404: Problem},
    summary="The case's programme phase, next contact due and counts",
)
def monitoring_summary(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:monitoring")
    summary = selectors.phase_summary(case, today=timezone.localdate())
    return {
        "case_id": case.pk,
        "phase": {
            "has_phases": summary.has_phases,
            "phase": summary.key,
            "label": summary.label,
            "started_on": summary.started_on,
            "recorded": summary.recorded,
            "contact_interval_days": summary.contact_interval_days,
            "choices": [
                {
                    "phase": c.key,
                    "label": c.label,
                    "in_order": c.in_order,
                    "contact_interval_days": c.contact_interval_days,
                }
                for c in summary.choices
            ],
            "transitions": [_transition(t) for t in summary.transitions],
        },
        "next_due": _due(selectors.next_contact_due(case)),
        **selectors.record_counts(case),
    }


@router.post(
    "/cases/{case_id}/monitoring/phase-transitions",
    response={
        201: MonitoringPhaseTransitionCreatedOut,
        403: Problem,
        404: Problem,
        422: ValidationProblem,
    },
    summary="Record a phase transition (a reason is needed to skip or reverse the order)",
)
def phase_transition_create(
    request: HttpRequest, case_id: int, payload: MonitoringPhaseTransitionIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    transition = phase_transition_record(
        acting=acting,
        case=case,
        phase=payload.phase,
        started_on=payload.started_on,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            **_transition(transition),
            "reassessment_offered": True,
            "reassessment_path": f"/api/v1/cases/{case.pk}/assessments/reassess",
            "next_due": _due(selectors.next_contact_due(case)),
        },
    )


# ---------------------------------------------------------------- contacts


@router.get(
    "/cases/{case_id}/monitoring/contacts",
    response={200: MonitoringContactPage, 404: Problem},
    summary="The case's monitoring and follow-up contacts, newest first",
)
def contact_list(request: HttpRequest, case_id: int, page: int = 1) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:monitoring-contacts")
    paginator = Paginator(selectors.contacts_of(case), PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [_contact(contact) for contact in current],
    }


@router.post(
    "/cases/{case_id}/monitoring/contacts",
    response={201: MonitoringContactCreatedOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Record a contact or visit; it meets the contact due and schedules the next",
)
def contact_create(
    request: HttpRequest, case_id: int, payload: MonitoringContactIn
) -> Status[dict[str, Any]]:
    # The service checks work, or follow-up once the case is closed.
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    contact = contact_record(
        acting=acting,
        case=case,
        occurred_on=payload.occurred_on,
        mode=payload.mode,
        purpose=payload.purpose,
        report=payload.report,
        participants=payload.participants,
        notes=_notes(payload.notes),
    )
    fresh = selectors.contact_of(case, contact.pk)
    return Status(201, {**_contact(fresh), "next_due": _due(selectors.next_contact_due(case))})


@router.get(
    "/cases/{case_id}/monitoring/contacts/{contact_id}",
    response={200: MonitoringContactOut, 404: Problem},
    summary="One contact with its notes",
)
def contact_detail(request: HttpRequest, case_id: int, contact_id: int) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:monitoring-contact")
    return _contact(selectors.contact_of(case, contact_id))


@router.patch(
    "/cases/{case_id}/monitoring/contacts/{contact_id}",
    response={
        200: MonitoringContactOut,
        404: Problem,
        409: MonitoringContactOut,
        422: ValidationProblem,
    },
    summary="Correct a contact's mode, participants or notes (409 when stale)",
)
def contact_patch(
    request: HttpRequest, case_id: int, contact_id: int, payload: MonitoringContactPatch
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    contact = selectors.contact_of(case, contact_id)
    try:
        contact_update(
            acting=acting,
            contact=contact,
            expected_version=payload.expected_version,
            mode=payload.mode,
            participants=payload.participants,
            notes=_notes(payload.notes) if payload.notes is not None else None,
        )
    except StaleEdit:
        return Status(409, _contact(selectors.contact_of(case, contact_id)))
    return Status(200, _contact(selectors.contact_of(case, contact_id)))


# ---------------------------------------------------------------- outcomes


@router.get(
    "/cases/{case_id}/monitoring/outcomes",
    response={200: OutcomeTrajectoryOut, 404: Problem},
    summary="Every domain's scores over time, change since baseline, worsened domains",
)
def outcome_trajectory(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:outcomes")
    outcome = selectors.trajectory(case)
    return {
        "framework_code": outcome.framework.code,
        "framework_version": outcome.framework.version,
        "domains": [
            {
                "domain": d.code,
                "label": d.label,
                "baseline": d.baseline,
                "latest": d.latest,
                "change": d.change,
                "person_baseline": d.person_baseline,
                "person_latest": d.person_latest,
                "person_change": d.person_change,
                "worsened": d.worsened,
                "points": [
                    {
                        "taken_on": p.taken_on,
                        "occasion": p.occasion,
                        "worker_score": p.worker,
                        "person_score": p.person,
                    }
                    for p in d.points
                ],
            }
            for d in outcome.domains
        ],
        "worsened": [d.code for d in outcome.worsened],
    }


@router.post(
    "/cases/{case_id}/monitoring/outcomes",
    response={201: OutcomeMeasurementOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Score the outcome domains (worker's and the person's own score)",
)
def outcome_create(
    request: HttpRequest, case_id: int, payload: OutcomeMeasurementIn
) -> Status[dict[str, Any]]:
    # The service checks work, or follow-up once the case is closed.
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    contact = (
        selectors.contact_of(case, payload.contact_id) if payload.contact_id is not None else None
    )
    measurement = outcome_scores_record(
        acting=acting,
        case=case,
        occasion=payload.occasion,
        taken_on=payload.taken_on,
        scores={
            s.domain: ScoreInput(worker=s.worker_score, person=s.person_score)
            for s in payload.scores
        },
        notes=payload.notes,
        contact=contact,
    )
    fresh = selectors.measurements_of(case).get(pk=measurement.pk)
    return Status(201, _measurement(fresh))


@router.get(
    "/cases/{case_id}/monitoring/outcomes/chart.svg",
    response={200: None, 404: Problem},
    summary="The trajectory chart as SVG",
)
def outcome_chart(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:outcomes-chart")
    return HttpResponse(
        str(trajectory_svg(selectors.trajectory(case))), content_type="image/svg+xml"
    )


@router.get(
    "/cases/{case_id}/monitoring/outcomes/print",
    response={200: None, 404: Problem, 422: Problem},
    summary="The trajectory as PDF in the person's language (or ?lang=)",
)
def outcome_print(request: HttpRequest, case_id: int, lang: str = "") -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    language = chosen_print_language(case, acting.user, lang)
    pdf = trajectory_pdf(case, language=language)
    trajectory_print_record(acting=acting, case=case, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{case.code}.pdf"'
    return response


# ---------------------------------------------------------------- setbacks


@router.get(
    "/cases/{case_id}/monitoring/setbacks",
    response={200: list[SetbackOut], 404: Problem},
    summary="The case's setbacks and crises, newest first",
)
def setback_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:setbacks")
    return [_setback(s) for s in selectors.setbacks_of(case)]


@router.post(
    "/cases/{case_id}/monitoring/setbacks",
    response={201: SetbackOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Record a setback or crisis, re-trafficking, and a return to an earlier phase",
)
def setback_create(
    request: HttpRequest, case_id: int, payload: SetbackIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    setback = setback_record(acting=acting, case=case, **payload.dict())
    return Status(201, _setback(selectors.setbacks_of(case).get(pk=setback.pk)))


# ---------------------------------------------------------------- work queue


@router.get(
    "/monitoring/next-contacts",
    response={200: list[MonitoringNextContactOut], 403: Problem},
    summary="My work: the next monitoring or follow-up contact due on each of my cases",
)
def next_contacts(request: HttpRequest) -> list[Any]:
    acting = case_worker(request)
    acting_or_403(request, Capability.WORK_QUEUE)
    return list(selectors.next_contacts_for(acting, today=timezone.localdate()))


@router.get(
    "/monitoring/overdue-by-worker",
    response={200: list[MonitoringOverdueWorkerOut], 403: Problem},
    summary="Supervisors: overdue monitoring contacts per worker",
)
def overdue_by_worker(request: HttpRequest) -> list[Any]:
    acting = case_worker(request)
    acting_or_403(request, Capability.CASELOAD_VIEW)
    return list(
        selectors.overdue_monitoring_by_worker(acting.organisation, today=timezone.localdate())
    )
