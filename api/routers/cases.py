"""The case file over the API: the same chokepoints, services and audit as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from accounts.access import Acting, CaseAction, require_acting
from accounts.roles import Capability
from api.case_access import case_for as _case
from api.case_access import case_worker as _worker
from api.case_access import stale_answer
from api.case_schemas import (
    PERSON_TEXT,
    AdmissionIn,
    CaseListOut,
    CaseManagerAssignIn,
    CaseOut,
    CasePatch,
    ChangeRequestDecisionIn,
    ChangeRequestIn,
    ChangeRequestOut,
    ConsentIn,
    ConsentOut,
    DocumentIn,
    DocumentOut,
    DuplicateOut,
    IdentificationDecisionIn,
    IdentificationOut,
    IdentityDocumentIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    InterviewIn,
    NoteIn,
    NoteListOut,
    NoteOut,
    OverrideIn,
    OverrideOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    ProfileIO,
    RegistrationIn,
    RelatedPersonIn,
    ScreeningIn,
    TeamIn,
    TeamMemberOut,
    WithdrawIn,
)
from api.schemas import Problem, ValidationProblem
from cases.attachments import attachment_read
from cases.codes import ProfileCodeList
from cases.indicators import indicator_create, indicator_of, indicator_set_active
from cases.models import Case, TraffickingProfile
from cases.policy import age_of_majority, is_minor
from cases.selectors import (
    CASE_LIST_ORDERING,
    CaseFilters,
    active_indicators,
    case_list,
    case_managers_of,
    case_overview,
    case_reloaded,
    change_request_of,
    document_of,
    documents_of,
    identification_of,
    identity_document_of,
    notes_of,
    person_with_details,
    profile_of,
    related_person_of,
    team_member_of,
    user_in_organisation,
)
from cases.services import (
    ALLOWED_TRANSITIONS,
    PROFILE_FIELDS,
    CaseInput,
    PossibleDuplicate,
    StaleEdit,
    case_admit,
    case_assign_manager,
    case_register,
    case_update,
    change_request_decide,
    change_request_record,
    document_read,
    document_upload,
    identification_transition,
    interview_record,
    note_add,
    profile_update,
    record_case_list_read,
    record_case_read,
    screening_record,
    team_add,
    team_remove,
)
from consent.selectors import consent_of, consents_of, organisation_by_id
from consent.services import StaleConsent, consent_override, consent_record, consent_withdraw
from lib.pagination import capped_count, encode_cursor, keyset_page
from people.models import Person
from people.services import (
    PersonInput,
    StalePerson,
    identity_document_add,
    identity_document_remove,
    person_update,
    related_person_add,
    related_person_remove,
)

router = Router(tags=["cases"])
MAX_LIMIT = 100


def _name(person: Person) -> str | None:
    return None if person.is_erased else person.full_name


def _person_values(data: dict[str, Any]) -> dict[str, Any]:
    # Reading a person returns null for empty fields; sending that back means "empty".
    return {k: "" if v is None and k in PERSON_TEXT else v for k, v in data.items()}


def _person_input(payload: PersonIn) -> PersonInput:
    return PersonInput(**_person_values(payload.dict(exclude={"version"})))


def _person_patched(current: dict[str, Any], payload: PersonPatch) -> PersonInput:
    """The person as read, with only the fields the PATCH sent changed."""
    fields = PersonInput.__dataclass_fields__
    values = _person_values({name: current[name] for name in fields})
    values.update(_person_values(payload.changes()))
    return PersonInput(**values)


def case_out(case: Case) -> dict[str, Any]:
    erased = case.person.is_erased
    return {
        **{
            name: getattr(case, name)
            for name in (
                "id",
                "number",
                "code",
                "version",
                "organisation_id",
                "status",
                "identification_status",
                "person_id",
                "received_at",
                "first_contact_on",
                "identified_on",
                "admitted_on",
                "immediate_needs_met_on",
                "case_manager_assigned_on",
                "case_manager_id",
                "referring_organisation_id",
                "referring_party",
                "risk_level",
                "security_alert",
                "minor_at_reception",
                "foreign_national",
                "in_proceedings",
            )
        },
        "name": _name(case.person),
        "identity_erased": erased,
        "emergency_needs": case.get_plain_or_erased("emergency_needs"),
        "immediate_assistance": case.get_plain_or_erased("immediate_assistance"),
        "team": [
            {
                "id": m.pk,
                "user_id": m.user_id,
                "name": m.user.get_full_name() or m.user.username,
                "role": m.role,
                "added_at": m.added_at,
            }
            for m in case.team.all()
        ],
        "assignments": [
            {
                "case_manager_id": a.case_manager_id,
                "reason": a.reason,
                "assigned_at": a.assigned_at,
                "ended_at": a.ended_at,
            }
            for a in case.assignments.all()
        ],
        "change_requests": [
            {
                "id": r.pk,
                "requested_on": r.requested_on,
                "reason": r.get_plain_or_erased("reason"),
                "status": r.status,
            }
            for r in case.change_requests.all()
        ],
    }


def _full_case(case_id: int) -> dict[str, Any]:
    return case_out(case_reloaded(case_id))


# ---------------------------------------------------------------- list and registration


@router.get(
    "/cases", response=CaseListOut, summary="Cases visible to you (paginated, filtered, searchable)"
)
def cases(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    identification_status: str = "",
    case_manager: int | None = None,
    risk_level: str = "",
    minor: bool | None = None,
    foreign_national: bool | None = None,
    security_alert: bool | None = None,
    in_proceedings: bool | None = None,
    offset: int = 0,
    limit: int = 25,
    after: str = "",
) -> dict[str, Any]:
    acting = _worker(request)
    filters = CaseFilters(
        q=q[:200],
        status=status,
        identification_status=identification_status,
        case_manager=case_manager,
        risk_level=risk_level,
        minor=minor,
        foreign_national=foreign_national,
        security_alert=security_alert,
        in_proceedings=in_proceedings,
    )
    queryset = case_list(acting, filters)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    if after or not offset:
        # Keyset page (lib.pagination): the index seeks to the cursor, no OFFSET scan.
        keyset = keyset_page(queryset, ordering=CASE_LIST_ORDERING, size=limit, after=after)
        page, next_after = keyset.items, keyset.next_cursor
        count, count_capped = keyset.count, keyset.count_capped
    else:
        rows = list(queryset[offset : offset + limit + 1])
        page = rows[:limit]
        next_after = encode_cursor(page[-1], CASE_LIST_ORDERING) if len(rows) > limit else ""
        count, count_capped = capped_count(queryset)
    items: list[dict[str, Any]] = [
        {
            "id": c.pk,
            "number": c.number,
            "code": c.code,
            "name": _name(c.person),
            "identity_erased": c.person.is_erased,
            "received_at": c.received_at,
            "status": c.status,
            "identification_status": c.identification_status,
            "case_manager_id": c.case_manager_id,
            "risk_level": c.risk_level,
            "security_alert": c.security_alert,
            "minor_at_reception": c.minor_at_reception,
            "foreign_national": c.foreign_national,
            "in_proceedings": c.in_proceedings,
        }
        for c in page
    ]
    record_case_list_read(acting=acting, case_ids=[c.pk for c in page])
    return {"count": count, "count_capped": count_capped, "items": items, "next_after": next_after}


@router.post(
    "/cases",
    response={201: CaseOut, 409: DuplicateOut, 422: ValidationProblem},
    summary="Register a person and open a case (409 when a possible duplicate needs confirming)",
)
def case_create(request: HttpRequest, payload: RegistrationIn) -> Status[dict[str, Any]]:
    acting = _worker(request)
    referring = None
    if payload.referring_organisation_id is not None:
        referring = organisation_by_id(payload.referring_organisation_id)
        if referring is None:
            raise ValidationError({"referring_organisation_id": [_("Unknown organisation.")]})
    try:
        case = case_register(
            acting=acting,
            person=_person_input(payload.person),
            case=CaseInput(
                received_at=payload.received_at,
                first_contact_on=payload.first_contact_on,
                referring_organisation=referring,
                referring_party=payload.referring_party,
                risk_level=payload.risk_level,
                security_alert=payload.security_alert,
                in_proceedings=payload.in_proceedings,
                emergency_needs=payload.emergency_needs,
                immediate_assistance=payload.immediate_assistance,
            ),
            confirmed_not_duplicate=payload.confirmed_not_duplicate,
        )
    except PossibleDuplicate as possible:
        return Status(
            409,
            {
                "detail": str(possible),
                "same_organisation": [
                    {"id": c.pk, "number": c.number, "code": c.code}
                    for c in possible.report.same_organisation
                ],
                "match_elsewhere": possible.report.elsewhere,
                "ask": _("Ask the national coordinator about a match at another organisation.")
                if possible.report.elsewhere
                else "",
            },
        )
    return Status(201, _full_case(case.pk))


# ---------------------------------------------------------------- the case


@router.get(
    "/cases/{case_id}", response={200: CaseOut, 404: Problem}, summary="A case (audited read)"
)
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:overview")
    return case_out(case_overview(case))


@router.patch(
    "/cases/{case_id}",
    response={200: CaseOut, 404: Problem, 409: CaseOut, 422: ValidationProblem},
    summary="Key dates, referral, flags, intake; `version` must be the one you read",
)
def case_patch(request: HttpRequest, case_id: int, payload: CasePatch) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    values = payload.changes()
    if "referring_organisation_id" in values:
        organisation_id = values.pop("referring_organisation_id")
        values["referring_organisation"] = organisation_by_id(organisation_id)
        if organisation_id is not None and values["referring_organisation"] is None:
            raise ValidationError({"referring_organisation_id": [_("Unknown organisation.")]})
    try:
        case_update(acting=acting, case=case, expected_version=payload.version, values=values)
    except StaleEdit:
        return stale_answer(acting, case, _full_case(case.pk), section="api:overview")
    return Status(200, _full_case(case.pk))


@router.post(
    "/cases/{case_id}/admission",
    response={200: CaseOut, 404: Problem, 409: CaseOut, 422: ValidationProblem},
)
def case_admission(
    request: HttpRequest, case_id: int, payload: AdmissionIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    try:
        case_admit(
            acting=acting,
            case=case,
            admitted_on=payload.admitted_on,
            expected_version=payload.version,
        )
    except StaleEdit:
        return stale_answer(acting, case, _full_case(case.pk), section="api:overview")
    return Status(200, _full_case(case.pk))


@router.put(
    "/cases/{case_id}/case-manager",
    response={200: CaseOut, 403: Problem, 404: Problem, 409: CaseOut, 422: ValidationProblem},
    summary="Assign or reassign the case manager (supervisors)",
)
def case_manager_assign(
    request: HttpRequest, case_id: int, payload: CaseManagerAssignIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.ASSIGN)
    manager = case_managers_of(case.organisation).filter(pk=payload.case_manager_id).first()
    if manager is None:
        raise ValidationError(
            {"case_manager_id": [_("Choose a case manager of this organisation.")]}
        )
    try:
        case_assign_manager(
            acting=acting,
            case=case,
            case_manager=manager,
            reason=payload.reason,
            expected_version=payload.version,
        )
    except StaleEdit:
        return stale_answer(acting, case, _full_case(case.pk), section="api:overview")
    return Status(200, _full_case(case.pk))


@router.post(
    "/cases/{case_id}/team",
    response={201: TeamMemberOut, 403: Problem, 404: Problem, 422: ValidationProblem},
)
def team_member_add(request: HttpRequest, case_id: int, payload: TeamIn) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    user = user_in_organisation(case.organisation, payload.user_id)
    if user is None:
        raise ValidationError({"user_id": [_("Choose a member of this organisation.")]})
    member = team_add(acting=acting, case=case, user=user, role=payload.role)
    return Status(
        201,
        {
            "id": member.pk,
            "user_id": user.pk,
            "name": user.get_full_name() or user.username,
            "role": member.role,
            "added_at": member.added_at,
        },
    )


@router.delete(
    "/cases/{case_id}/team/{member_id}", response={204: None, 403: Problem, 404: Problem}
)
def team_member_remove(request: HttpRequest, case_id: int, member_id: int) -> Status[None]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    member = team_member_of(case, member_id)
    if member is None:
        raise Http404
    team_remove(acting=acting, case=case, member=member)
    return Status(204, None)


@router.post(
    "/cases/{case_id}/change-requests",
    response={201: ChangeRequestOut, 404: Problem, 422: ValidationProblem},
)
def change_request_create(
    request: HttpRequest, case_id: int, payload: ChangeRequestIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    item = change_request_record(
        acting=acting, case=case, requested_on=payload.requested_on, reason=payload.reason
    )
    return Status(
        201,
        {
            "id": item.pk,
            "requested_on": item.requested_on,
            "reason": item.get_plain("reason"),
            "status": item.status,
        },
    )


@router.post(
    "/cases/{case_id}/change-requests/{request_id}/decision",
    response={200: ChangeRequestOut, 403: Problem, 404: Problem, 422: ValidationProblem},
)
def change_request_decision(
    request: HttpRequest, case_id: int, request_id: int, payload: ChangeRequestDecisionIn
) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.ASSIGN)
    item = change_request_of(case, request_id)
    if item is None:
        raise Http404
    manager = (
        case_managers_of(case.organisation).filter(pk=payload.case_manager_id).first()
        if payload.case_manager_id
        else None
    )
    try:
        item = change_request_decide(
            acting=acting, case=case, request=item, grant=payload.grant, new_case_manager=manager
        )
    except StaleEdit as stale:
        raise ValidationError({"request": [str(stale)]}) from stale
    return {
        "id": item.pk,
        "requested_on": item.requested_on,
        "reason": item.get_plain_or_erased("reason"),
        "status": item.status,
    }


# ---------------------------------------------------------------- person


def person_out(case: Case, *, reload: bool = True) -> dict[str, Any]:
    person = person_with_details(case, reload=reload)
    erased = person.is_erased

    def plain(record: Any, column: str) -> str | None:
        return None if erased else record.get_plain(column)

    return {
        "id": person.pk,
        "version": person.version,
        "identity_erased": erased,
        "given_name": plain(person, "given_name"),
        "family_name": plain(person, "family_name"),
        "aliases": [] if erased else [a.get_plain("name") or "" for a in person.aliases.all()],
        "sex": person.sex,
        "gender": person.gender,
        "date_of_birth": None if erased else person.date_of_birth,
        "birth_year": person.birth_year,
        "birth_year_estimated": person.birth_year_estimated,
        "is_minor": None
        if erased
        else is_minor(
            date_of_birth=person.date_of_birth,
            birth_year=person.birth_year,
            on=timezone.localdate(),
            majority=age_of_majority(case),
        ),
        "place_of_birth": plain(person, "place_of_birth"),
        "citizenships": [c.country for c in person.citizenships.all()],
        "languages": [lang.language for lang in person.languages.all()],
        "education": person.education,
        "address": plain(person, "address"),
        "phone": plain(person, "phone"),
        "email": plain(person, "email"),
        "has_disability": person.has_disability,
        "disability_details": plain(person, "disability_details"),
        "identity_documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "number": plain(d, "number"),
                "issuing_country": d.issuing_country,
                "valid_until": d.valid_until,
                "held_by_person": d.held_by_person,
            }
            for d in person.identity_documents.all()
        ],
        "related_people": [
            {
                "id": r.pk,
                "relationship": r.relationship,
                "name": plain(r, "name"),
                "contact": plain(r, "contact"),
                "is_emergency_contact": r.is_emergency_contact,
                "is_dependant": r.is_dependant,
                "dependant_needs": plain(r, "dependant_needs"),
                "is_legal_representative": r.is_legal_representative,
                "authority_document": r.authority_document,
                "authority_valid_until": r.authority_valid_until,
                "has_authority_file": bool(r.authority_file),
            }
            for r in person.related_people.all()
        ],
    }


@router.get(
    "/cases/{case_id}/person",
    response={200: PersonOut, 404: Problem},
    summary="The person (audited read)",
)
def person_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:person")
    return person_out(case, reload=False)


@router.patch(
    "/cases/{case_id}/person",
    response={200: PersonOut, 404: Problem, 409: PersonOut, 422: ValidationProblem},
)
def person_patch(
    request: HttpRequest, case_id: int, payload: PersonPatch
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    current = person_out(case, reload=False)
    if current["version"] != payload.version:
        return stale_answer(acting, case, current, section="api:person")
    try:
        person_update(
            acting_user=acting.user,
            organisation=acting.organisation,
            case_id=case.pk,
            person=case.person,
            expected_version=payload.version,
            data=_person_patched(current, payload),
        )
    except StalePerson:
        return stale_answer(acting, case, person_out(case), section="api:person")
    return Status(200, person_out(case))


@router.post(
    "/cases/{case_id}/person/identity-documents",
    response={201: PersonOut, 404: Problem, 422: ValidationProblem},
)
def identity_document_create(
    request: HttpRequest, case_id: int, payload: IdentityDocumentIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    identity_document_add(
        acting_user=acting.user,
        organisation=acting.organisation,
        case_id=case.pk,
        person=case.person,
        **payload.dict(),
    )
    return Status(201, person_out(case))


@router.post(
    "/cases/{case_id}/person/related",
    response={201: PersonOut, 404: Problem, 422: ValidationProblem},
    summary="Add a relative, contact, dependant or legal representative (multipart)",
)
def related_person_create(
    request: HttpRequest,
    case_id: int,
    payload: Form[RelatedPersonIn],
    authority_file: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    related_person_add(
        acting_user=acting.user,
        organisation=acting.organisation,
        case_id=case.pk,
        person=case.person,
        authority_upload=authority_file,
        **payload.dict(),
    )
    return Status(201, person_out(case))


# ---------------------------------------------------------------- trafficking profile


def profile_out(profile: TraffickingProfile) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    data["version"] = profile.version
    for list_name in ProfileCodeList.values:
        data[list_name] = [c.code for c in profile.codes.all() if c.list == list_name]
    for column in TraffickingProfile.ENCRYPTED:
        data[column] = profile.get_plain_or_erased(column)
    return data


@router.get(
    "/cases/{case_id}/profile",
    response={200: ProfileIO, 404: Problem},
    summary="Trafficking profile (audited read)",
)
def profile_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:profile")
    return profile_out(profile_of(case))


@router.put(
    "/cases/{case_id}/profile",
    response={200: ProfileIO, 404: Problem, 409: ProfileIO, 422: ValidationProblem},
)
def profile_put(request: HttpRequest, case_id: int, payload: ProfileIO) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    data = payload.dict()
    try:
        profile_update(
            acting=acting,
            case=case,
            expected_version=payload.version,
            values={name: data[name] for name in PROFILE_FIELDS},
            codes={name: data[name] for name in ProfileCodeList.values},
            texts={column: data[column] for column in TraffickingProfile.ENCRYPTED},
        )
    except StaleEdit:
        return stale_answer(acting, case, profile_out(profile_of(case)), section="api:profile")
    return Status(200, profile_out(profile_of(case)))


# ---------------------------------------------------------------- identification


@router.get(
    "/indicators", response=list[IndicatorOut], summary="The trafficking-indicator screening list"
)
def indicators(request: HttpRequest) -> list[Any]:
    _worker(request)
    return list(active_indicators())


def identification_out(case: Case) -> dict[str, Any]:
    data = identification_of(case)
    return {
        "identification_status": case.identification_status,
        "allowed_next": sorted(ALLOWED_TRANSITIONS[case.identification_status]),
        "screenings": [
            {
                "id": s.pk,
                "screened_on": s.screened_on,
                "screened_by_id": s.screened_by_id,
                "indicators": [i.code for i in s.indicators.all()],
                "notes": s.get_plain_or_erased("notes"),
            }
            for s in data["screenings"]  # type: ignore[attr-defined]  # a list from identification_of
        ],
        "interviews": [
            {
                "id": i.pk,
                "held_on": i.held_on,
                "interviewer_id": i.interviewer_id,
                "language": i.language,
                "interpreter_present": i.interpreter_present,
                "personal_information": i.get_plain_or_erased("personal_information"),
                "medical_history": i.get_plain_or_erased("medical_history"),
                "trafficking_information": i.get_plain_or_erased("trafficking_information"),
                "principles": [p.principle for p in i.principles.all()],
            }
            for i in data["interviews"]  # type: ignore[attr-defined]  # a list from identification_of
        ],
        "decisions": [
            {
                "id": d.pk,
                "from_status": d.from_status,
                "to_status": d.to_status,
                "decided_on": d.decided_on,
                "identifying_body": d.identifying_body,
                "identifying_authority": d.identifying_authority,
                "referred_to": d.referred_to,
                "has_decision_document": bool(d.decision_file),
                "reason": d.get_plain_or_erased("reason"),
            }
            for d in data["decisions"]  # type: ignore[attr-defined]  # a list from identification_of
        ],
    }


@router.get("/cases/{case_id}/identification", response={200: IdentificationOut, 404: Problem})
def identification_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:identification")
    return identification_out(case)


@router.post(
    "/cases/{case_id}/screenings",
    response={201: IdentificationOut, 404: Problem, 422: ValidationProblem},
)
def screening_create(
    request: HttpRequest, case_id: int, payload: ScreeningIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    screening_record(
        acting=acting,
        case=case,
        screened_on=payload.screened_on,
        indicator_ids=payload.indicator_ids,
        notes=payload.notes,
    )
    return Status(201, identification_out(case))


@router.post(
    "/cases/{case_id}/interviews",
    response={201: IdentificationOut, 404: Problem, 422: ValidationProblem},
)
def interview_create(
    request: HttpRequest, case_id: int, payload: InterviewIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    interview_record(acting=acting, case=case, **payload.dict())
    return Status(201, identification_out(case))


@router.post(
    "/cases/{case_id}/identification",
    response={
        201: IdentificationOut,
        403: Problem,
        404: Problem,
        409: IdentificationOut,
        422: ValidationProblem,
    },
    summary="Change the identification status (multipart; a document for formal identification)",
)
def identification_decide(
    request: HttpRequest,
    case_id: int,
    payload: Form[IdentificationDecisionIn],
    decision_document: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    try:
        identification_transition(
            acting=acting,
            case=case,
            to_status=payload.to_status,
            decided_on=payload.decided_on,
            identifying_body=payload.identifying_body,
            identifying_authority=payload.identifying_authority,
            referred_to=payload.referred_to,
            reason=payload.reason,
            decision_document=decision_document,
            expected_version=payload.version,
        )
    except StaleEdit as stale:
        return stale_answer(
            acting, case, identification_out(stale.current), section="api:identification"
        )
    case.refresh_from_db()
    return Status(201, identification_out(case))


# ---------------------------------------------------------------- notes and documents


def note_out(note: Any) -> dict[str, Any]:
    return {
        "id": note.pk,
        "kind": note.kind,
        "occurred_at": note.occurred_at,
        "author_id": note.author_id,
        "participants": note.get_plain_or_erased("participants"),
        "text": note.get_plain_or_erased("text"),
        "follow_up": note.get_plain_or_erased("follow_up"),
        "follow_up_on": note.follow_up_on,
    }


@router.get(
    "/cases/{case_id}/notes",
    response={200: NoteListOut, 404: Problem},
    summary="Notes, newest first (audited read)",
)
def notes(request: HttpRequest, case_id: int, offset: int = 0, limit: int = 20) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:notes")
    queryset = notes_of(case)
    limit = max(1, min(limit, MAX_LIMIT))
    return {
        "count": queryset.count(),
        "items": [note_out(n) for n in queryset[max(0, offset) : max(0, offset) + limit]],
    }


@router.post(
    "/cases/{case_id}/notes", response={201: NoteOut, 404: Problem, 422: ValidationProblem}
)
def note_create(request: HttpRequest, case_id: int, payload: NoteIn) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    return Status(201, note_out(note_add(acting=acting, case=case, **payload.dict())))


def document_out(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "item": document.item,
        "file_name": document.get_plain_or_erased("file_name"),
        "content_type": document.content_type,
        "size": document.size,
        "received_on": document.received_on,
        "uploaded_by_id": document.uploaded_by_id,
        "uploaded_at": document.uploaded_at,
    }


@router.get("/cases/{case_id}/documents", response={200: list[DocumentOut], 404: Problem})
def documents(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:documents")
    return [document_out(d) for d in documents_of(case)]


@router.post(
    "/cases/{case_id}/documents",
    response={201: DocumentOut, 404: Problem, 422: ValidationProblem},
    summary="Upload a case-file document (multipart: item, received_on, file)",
)
def document_create(
    request: HttpRequest, case_id: int, payload: Form[DocumentIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    document = document_upload(
        acting=acting, case=case, item=payload.item, upload=file, received_on=payload.received_on
    )
    return Status(201, document_out(document))


@router.get(
    "/cases/{case_id}/documents/{document_id}/content",
    response={200: None, 404: Problem},
    summary="Download a document (decrypted; audited)",
)
def document_content(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    document = document_of(case, document_id)
    if document is None:
        raise Http404
    response = HttpResponse(
        document_read(acting=acting, case=case, document=document),
        content_type=document.content_type,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{case.code}-{document.item}-{document.pk}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- consent


def consent_out(consent: Any) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "version": consent.version,
        "purpose": consent.purpose,
        "recipient_id": consent.recipient_id,
        "given_by": consent.given_by,
        "legal_representative_id": consent.legal_representative_id,
        "method": consent.method,
        "given_on": consent.given_on,
        "expires_on": consent.expires_on,
        "withdrawn_on": consent.withdrawn_on,
        "has_document": bool(consent.document_file),
    }


@router.get("/cases/{case_id}/consents", response={200: list[ConsentOut], 404: Problem})
def consents(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="api:consents")
    return [consent_out(c) for c in consents_of(case)]


@router.post(
    "/cases/{case_id}/consents",
    response={201: ConsentOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Record a consent (multipart; document required for signed paper)",
)
def consent_create(
    request: HttpRequest,
    case_id: int,
    payload: Form[ConsentIn],
    document: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    recipient = organisation_by_id(payload.recipient_id)
    if payload.recipient_id is not None and recipient is None:
        raise ValidationError({"recipient_id": [_("Unknown organisation.")]})
    representative = related_person_of(case, payload.legal_representative_id)
    if payload.legal_representative_id is not None and representative is None:
        raise ValidationError(
            {"legal_representative_id": [_("Choose the person's legal representative.")]}
        )
    consent = consent_record(
        acting=acting,
        case=case,
        purpose=payload.purpose,
        given_by=payload.given_by,
        method=payload.method,
        given_on=payload.given_on,
        expires_on=payload.expires_on,
        recipient=recipient,
        legal_representative=representative,
        document=document,
    )
    return Status(201, consent_out(consent))


@router.post(
    "/cases/{case_id}/consents/{consent_id}/withdrawal",
    response={200: ConsentOut, 404: Problem, 409: ConsentOut, 422: ValidationProblem},
)
def consent_withdrawal(
    request: HttpRequest, case_id: int, consent_id: int, payload: WithdrawIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    consent = consent_of(case, consent_id)
    if consent is None:
        raise Http404
    try:
        consent = consent_withdraw(
            acting=acting,
            case=case,
            consent=consent,
            withdrawn_on=payload.withdrawn_on,
            expected_version=payload.version,
        )
    except StaleConsent as stale:
        return stale_answer(acting, case, consent_out(stale.current), section="api:consents")
    return Status(200, consent_out(consent))


@router.post(
    "/cases/{case_id}/consent-overrides",
    response={201: OverrideOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Supervisor override of a missing consent, with a reason (audited; one use)",
)
def consent_override_create(request: HttpRequest, case_id: int, payload: OverrideIn) -> Status[Any]:
    acting, case = _case(request, case_id, CaseAction.OVERRIDE_CONSENT)
    recipient = organisation_by_id(payload.recipient_id)
    if payload.recipient_id is not None and recipient is None:
        raise ValidationError({"recipient_id": [_("Unknown organisation.")]})
    return Status(
        201,
        consent_override(
            acting=acting,
            case=case,
            purpose=payload.purpose,
            reason=payload.reason,
            recipient=recipient,
        ),
    )


@router.get(
    "/cases/{case_id}/attachments/{kind}/{object_id}",
    response={200: None, 404: Problem},
    summary="Download a scan kept on a consent, decision or legal representative (kind: consent, "
    "decision, authority; audited)",
)
def attachment_content(
    request: HttpRequest, case_id: int, kind: str, object_id: int
) -> HttpResponse:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    attachment = attachment_read(acting=acting, case=case, kind=kind, object_id=object_id)
    if attachment is None:
        raise Http404
    response = HttpResponse(attachment.data, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{case.code}-{kind}-{object_id}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@router.post(
    "/indicators",
    response={201: IndicatorOut, 403: Problem, 422: ValidationProblem},
    summary="Add a screening indicator (system administrators)",
)
def indicator_add(request: HttpRequest, payload: IndicatorIn) -> Status[Any]:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    return Status(201, indicator_create(acting=acting, label=payload.label))


@router.patch(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, 403: Problem, 404: Problem},
    summary="Retire or reuse a screening indicator (system administrators)",
)
def indicator_patch(request: HttpRequest, indicator_id: int, payload: IndicatorPatch) -> Any:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    require_acting(acting, Capability.POLICY_PACKS_MANAGE)
    indicator = indicator_of(indicator_id)
    if indicator is None:
        raise Http404
    return indicator_set_active(acting=acting, indicator=indicator, active=payload.is_active)


@router.delete(
    "/cases/{case_id}/person/identity-documents/{document_id}", response={204: None, 404: Problem}
)
def identity_document_delete(request: HttpRequest, case_id: int, document_id: int) -> Status[None]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    document = identity_document_of(case, document_id)
    if document is None:
        raise Http404
    identity_document_remove(
        acting_user=acting.user,
        organisation=acting.organisation,
        case_id=case.pk,
        document=document,
    )
    return Status(204, None)


@router.delete(
    "/cases/{case_id}/person/related/{related_id}",
    response={204: None, 404: Problem, 422: ValidationProblem},
)
def related_person_delete(request: HttpRequest, case_id: int, related_id: int) -> Status[None]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    related = related_person_of(case, related_id)
    if related is None:
        raise Http404
    related_person_remove(
        acting_user=acting.user, organisation=acting.organisation, case_id=case.pk, related=related
    )
    return Status(204, None)
