"""Schemas of the case-file API. Identifying fields appear only in case-file responses, which
only case workers of the owning organisation can reach (accounts.access)."""

from __future__ import annotations

import datetime

from ninja import Schema

from api.schemas import PatchIn


class CaseRefOut(Schema):
    id: int
    number: str
    code: str


class CaseListItemOut(Schema):
    id: int
    number: str
    code: str
    name: str | None
    identity_erased: bool
    received_at: datetime.date
    status: str
    identification_status: str
    case_manager_id: int | None
    risk_level: str
    security_alert: bool
    minor_at_reception: bool
    foreign_national: bool
    in_proceedings: bool


class CaseListOut(Schema):
    # Counted up to 1,000 (lib.pagination.capped_count); count_capped when there are more.
    count: int
    count_capped: bool = False
    items: list[CaseListItemOut]
    # Pass as ``after`` for the next page (keyset: as fast at any depth); empty on the last.
    next_after: str = ""


class TeamMemberOut(Schema):
    id: int
    user_id: int
    name: str
    role: str
    added_at: datetime.datetime


class AssignmentOut(Schema):
    case_manager_id: int
    reason: str
    assigned_at: datetime.datetime
    ended_at: datetime.datetime | None


class ChangeRequestOut(Schema):
    id: int
    requested_on: datetime.date
    reason: str | None
    status: str


class CaseOut(Schema):
    id: int
    number: str
    code: str
    version: int
    organisation_id: int
    status: str
    identification_status: str
    person_id: int
    name: str | None
    identity_erased: bool
    received_at: datetime.date
    first_contact_on: datetime.date | None
    identified_on: datetime.date | None
    admitted_on: datetime.date | None
    immediate_needs_met_on: datetime.date | None
    case_manager_assigned_on: datetime.date | None
    case_manager_id: int | None
    referring_organisation_id: int | None
    referring_party: str
    risk_level: str
    security_alert: bool
    minor_at_reception: bool
    foreign_national: bool
    in_proceedings: bool
    emergency_needs: str | None
    immediate_assistance: str | None
    team: list[TeamMemberOut]
    assignments: list[AssignmentOut]
    change_requests: list[ChangeRequestOut]


class PersonIn(Schema):
    given_name: str | None = ""
    family_name: str | None = ""
    aliases: list[str] = []
    sex: str = "unknown"
    gender: str | None = ""
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    birth_year_estimated: bool = False
    place_of_birth: str | None = ""
    citizenships: list[str] = []
    languages: list[str] = []
    education: str | None = ""
    address: str | None = ""
    phone: str | None = ""
    email: str | None = ""
    has_disability: bool = False
    disability_details: str | None = ""


# Reading a person answers null for an empty text field; sending that back empties it.
PERSON_TEXT = frozenset(
    {
        "given_name",
        "family_name",
        "gender",
        "place_of_birth",
        "education",
        "address",
        "phone",
        "email",
        "disability_details",
    }
)


class PersonPatch(PatchIn, PersonIn):
    clearable = PERSON_TEXT | {"date_of_birth", "birth_year"}
    version: int


class RegistrationIn(Schema):
    person: PersonIn
    received_at: datetime.date
    first_contact_on: datetime.date | None = None
    referring_organisation_id: int | None = None
    referring_party: str = ""
    risk_level: str = ""
    security_alert: bool = False
    in_proceedings: bool = False
    emergency_needs: str = ""
    immediate_assistance: str = ""
    confirmed_not_duplicate: bool = False


class DuplicateOut(Schema):
    detail: str
    same_organisation: list[CaseRefOut]
    match_elsewhere: bool
    ask: str


class CasePatch(PatchIn):
    clearable = frozenset(
        {
            "first_contact_on",
            "referring_organisation_id",
            "referring_party",
            "emergency_needs",
            "immediate_assistance",
            "immediate_needs_met_on",
        }
    )
    version: int
    received_at: datetime.date | None = None
    first_contact_on: datetime.date | None = None
    referring_organisation_id: int | None = None
    referring_party: str | None = None
    risk_level: str | None = None
    security_alert: bool | None = None
    in_proceedings: bool | None = None
    emergency_needs: str | None = None
    immediate_assistance: str | None = None
    immediate_needs_met_on: datetime.date | None = None
    # Decides minor status only where no date or year of birth is known.
    minor_at_reception: bool | None = None


class IdentityDocumentOut(Schema):
    id: int
    kind: str
    number: str | None
    issuing_country: str
    valid_until: datetime.date | None
    held_by_person: bool


class RelatedPersonOut(Schema):
    id: int
    relationship: str
    name: str | None
    contact: str | None
    is_emergency_contact: bool
    is_dependant: bool
    dependant_needs: str | None
    is_legal_representative: bool
    authority_document: str
    authority_valid_until: datetime.date | None
    has_authority_file: bool


class PersonOut(Schema):
    id: int
    version: int
    identity_erased: bool
    given_name: str | None
    family_name: str | None
    aliases: list[str]
    sex: str
    gender: str
    date_of_birth: datetime.date | None
    birth_year: int | None
    birth_year_estimated: bool
    is_minor: bool | None
    place_of_birth: str | None
    citizenships: list[str]
    languages: list[str]
    education: str
    address: str | None
    phone: str | None
    email: str | None
    has_disability: bool
    disability_details: str | None
    identity_documents: list[IdentityDocumentOut]
    related_people: list[RelatedPersonOut]


class IdentityDocumentIn(Schema):
    kind: str
    number: str = ""
    issuing_country: str = ""
    valid_until: datetime.date | None = None
    held_by_person: bool = True


class RelatedPersonIn(Schema):
    relationship: str
    name: str
    contact: str = ""
    notes: str = ""
    is_emergency_contact: bool = False
    is_dependant: bool = False
    dependant_needs: str = ""
    is_legal_representative: bool = False
    authority_document: str = ""
    authority_valid_until: datetime.date | None = None


class ProfileIO(Schema):
    version: int
    exploitation: list[str] = []
    control: list[str] = []
    recruitment: list[str] = []
    exploitation_country: list[str] = []
    transit_country: list[str] = []
    recruitment_country: str = ""
    exploitation_started_on: datetime.date | None = None
    exploitation_ended_on: datetime.date | None = None
    relationship_to_trafficker: str = ""
    places: str | None = None
    routes: str | None = None
    traffickers: str | None = None
    has_debts: bool = False
    debts: str | None = None
    other_victims_known: bool = False
    other_victims_count: int | None = None
    other_victims: str | None = None
    criminal_proceedings: str = "none"
    civil_proceedings: bool = False
    role_in_proceedings: str = ""
    compensation: str = "none"


class IndicatorOut(Schema):
    id: int
    code: str
    label: str
    is_active: bool


class IndicatorIn(Schema):
    label: str


class IndicatorPatch(PatchIn):
    is_active: bool


class ScreeningIn(Schema):
    screened_on: datetime.date
    indicator_ids: list[int] = []
    notes: str = ""


class ScreeningOut(Schema):
    id: int
    screened_on: datetime.date
    screened_by_id: int
    indicators: list[str]
    notes: str | None


class InterviewIn(Schema):
    held_on: datetime.date
    language: str = ""
    interpreter_present: bool = False
    personal_information: str = ""
    medical_history: str = ""
    trafficking_information: str = ""
    principles: list[str] = []


class InterviewOut(Schema):
    id: int
    held_on: datetime.date
    interviewer_id: int
    language: str
    interpreter_present: bool
    personal_information: str | None
    medical_history: str | None
    trafficking_information: str | None
    principles: list[str]


class IdentificationDecisionIn(Schema):
    version: int
    to_status: str
    decided_on: datetime.date | None = None
    identifying_body: str = ""
    identifying_authority: str = ""
    referred_to: str = ""
    reason: str = ""


class DecisionOut(Schema):
    id: int
    from_status: str
    to_status: str
    decided_on: datetime.date
    identifying_body: str
    identifying_authority: str
    referred_to: str
    has_decision_document: bool
    reason: str | None


class IdentificationOut(Schema):
    identification_status: str
    allowed_next: list[str]
    screenings: list[ScreeningOut]
    interviews: list[InterviewOut]
    decisions: list[DecisionOut]


class AdmissionIn(Schema):
    version: int
    admitted_on: datetime.date


class CaseManagerAssignIn(Schema):
    version: int
    case_manager_id: int
    reason: str


class TeamIn(Schema):
    user_id: int
    role: str


class ChangeRequestIn(Schema):
    requested_on: datetime.date
    reason: str


class ChangeRequestDecisionIn(Schema):
    grant: bool
    case_manager_id: int | None = None


class NoteIn(Schema):
    kind: str
    occurred_at: datetime.datetime
    text: str
    participants: str = ""
    follow_up: str = ""
    follow_up_on: datetime.date | None = None


class NoteOut(Schema):
    id: int
    kind: str
    occurred_at: datetime.datetime
    author_id: int
    participants: str | None
    text: str | None
    follow_up: str | None
    follow_up_on: datetime.date | None


class NoteListOut(Schema):
    count: int
    items: list[NoteOut]


class DocumentOut(Schema):
    id: int
    item: str
    file_name: str | None
    content_type: str
    size: int
    received_on: datetime.date
    uploaded_by_id: int
    uploaded_at: datetime.datetime


class DocumentIn(Schema):
    item: str
    received_on: datetime.date


class ConsentIn(Schema):
    purpose: str
    given_by: str
    method: str
    given_on: datetime.date
    expires_on: datetime.date | None = None
    recipient_id: int | None = None
    legal_representative_id: int | None = None


class ConsentOut(Schema):
    id: int
    version: int
    purpose: str
    recipient_id: int | None
    given_by: str
    legal_representative_id: int | None
    method: str
    given_on: datetime.date
    expires_on: datetime.date | None
    withdrawn_on: datetime.date | None
    has_document: bool


class WithdrawIn(Schema):
    version: int
    withdrawn_on: datetime.date


class OverrideIn(Schema):
    purpose: str
    reason: str
    recipient_id: int | None = None


class OverrideOut(Schema):
    id: int
    purpose: str
    recipient_id: int | None
    supervisor_id: int
    created_at: datetime.datetime
    used_at: datetime.datetime | None
