"""HTCDS 2.0 export of an organisation's cases (SPEC C12; standards/README.md §1.8): the
official spreadsheet layout (xlsx), the same columns as csv, and json tagged with the version.

Without ``full`` no identifying field is written (names, date of birth, contacts, address,
case owner, free text): the file then holds codes and dates only. A full export needs a
reason and passes the consent gate for every case (refused, naming the cases, when one lacks
consent); both kinds are audited with the number of cases and the reason.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import Acting
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.codes import HTCDS_TRAFFICKING_STATUS, IdentificationStatus, ProfileCodeList
from cases.models import Case, CaseStatus, IdentificationDecision
from consent.services import ConsentRequired, require_identifying_export_consent
from people.models import PersonCitizenship, PersonLanguage
from reports.htcds.fields import (
    EXPLOITATION_EXPORT,
    FIELDS,
    HTCDS_EDUCATION,
    HTCDS_VERSION,
    SEX_TO_GENDER,
    TEMPLATE_FIELDS,
    Field,
)

FORMATS = ("xlsx", "csv", "json")


def _fields(full: bool) -> list[Field]:
    return FIELDS if full else [f for f in FIELDS if not f.identifying]


def export_cases(acting: Acting) -> Any:
    """The organisation's cases for export, in one query per related list."""
    return (
        Case.objects.filter(organisation=acting.organisation)
        .select_related(
            "person__data_key", "profile", "referring_organisation", "case_manager", "data_key"
        )
        .prefetch_related(
            Prefetch("person__citizenships", queryset=PersonCitizenship.objects.order_by("id")),
            Prefetch(
                "person__languages",
                queryset=PersonLanguage.objects.order_by("-is_mother_tongue", "id"),
            ),
            "profile__codes",
            Prefetch(
                "identification_decisions",
                queryset=IdentificationDecision.objects.order_by("-recorded_at", "-id"),
            ),
        )
        .order_by("received_at", "id")
    )


def case_record(case: Case, *, full: bool) -> dict[str, Any]:
    """One case as HTCDS field → value (lists for the multi-selects)."""
    person = case.person
    profile = case.profile
    codes: dict[str, list[str]] = defaultdict(list)
    for code in profile.codes.all():
        codes[code.list].append(code.code)
    exploitation = list(
        dict.fromkeys(
            EXPLOITATION_EXPORT.get(c, c) for c in sorted(codes[ProfileCodeList.EXPLOITATION])
        )
    )
    decisions = [d for d in case.identification_decisions.all() if d.identifying_body]
    languages = [language.language for language in person.languages.all()]
    referred = case.referring_organisation is not None or bool(case.referring_party)
    row: dict[str, Any] = {
        "prs_Gender": person.gender or SEX_TO_GENDER.get(person.sex, ""),
        "prs_Citizenship": [c.country for c in person.citizenships.all()],
        "vic_TraffickingStatus": HTCDS_TRAFFICKING_STATUS.get(
            IdentificationStatus(case.identification_status), ""
        ),
        "vic_TraffickingStatusDecisionMakingOrg": decisions[0].identifying_body
        if decisions
        else "",
        "vic_MethodOfRecruitment": sorted(codes[ProfileCodeList.RECRUITMENT]),
        "vic_LocationOfRecruitment": profile.recruitment_country,
        "vic_MethodsOfControl": sorted(codes[ProfileCodeList.CONTROL]),
        "vic_TypeOfExploitation": exploitation,
        "vic_LocationOfExploitation": sorted(codes[ProfileCodeList.EXPLOITATION_COUNTRY]),
        "cas_Status": "Active" if case.status == CaseStatus.OPEN else "Closed",
        "cas_ReferringOrganisation": case.referring_organisation.name
        if case.referring_organisation
        else "",
        "cas_IncomingReferralDate": case.received_at.isoformat() if referred else "",
        "prs_HighestLevelOfEducation": person.education
        if person.education in HTCDS_EDUCATION
        else "",
        "prs_PrimaryLanguage": languages[0] if languages else "",
        "prs_SecondaryLanguage": languages[1] if len(languages) > 1 else "",
        "vic_RelationshipToTrafficker": profile.relationship_to_trafficker,
        "cas_RegistrationDate": case.received_at.isoformat(),
        "cas_ImmediateNeedsMetDate": case.immediate_needs_met_on.isoformat()
        if case.immediate_needs_met_on
        else "",
    }
    if full:
        born = person.date_of_birth
        row.update(
            {
                "cas_CaseOwner": case.case_manager.username if case.case_manager else "",
                "prs_FirstName": person.get_plain_or_erased("given_name") or "",
                "prs_SecondName": person.get_plain_or_erased("family_name") or "",
                "prs_Birthdate": born.isoformat() if born else "",
                "prs_Email": person.get_plain_or_erased("email") or "",
                "prs_MobilePhone": person.get_plain_or_erased("phone") or "",
                "prs_MailingStreet": person.get_plain_or_erased("address") or "",
            }
        )
        if not case.referring_organisation and case.referring_party:
            row["cas_ReferringOrganisation"] = case.referring_party
    return {f.name: row.get(f.name, [] if f.multiple else "") for f in _fields(full)}


def _flat(value: Any) -> str:
    return ";".join(value) if isinstance(value, list) else str(value or "")


def render_records(records: list[dict[str, Any]], *, fmt: str, full: bool) -> bytes:
    fields = _fields(full)
    if fmt == "json":
        document = {
            "htcds_version": HTCDS_VERSION,
            "fields": [f.name for f in fields],
            "records": records,
        }
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow([f.name for f in fields])
        for item in records:
            writer.writerow([_flat(item[f.name]) for f in fields])
        return text.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Case Sheet"
    # The official layout: column A is a row counter, row 1 (hidden) the field names, row 2
    # the labels.
    sheet.append([None, *(f.name for f in fields)])
    sheet.append([None, *(f.label for f in fields)])
    sheet.row_dimensions[1].hidden = True
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, item in enumerate(records, start=1):
        sheet.append([number, *(_flat(item[f.name]) for f in fields)])
    about = workbook.create_sheet("about")
    about.append(["Human Trafficking Case Data Standard (HTCDS)", HTCDS_VERSION])
    about.append(["Fields of the official template", len(TEMPLATE_FIELDS)])
    about.append(["cas_RegistrationDate", "extension: the date the case was received"])
    about.append(["cas_ImmediateNeedsMetDate", "extension: the date immediate needs were met"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _require_consents(cases: list[Case]) -> None:
    """The consent gate of a full export, case by case (SPEC C3; 003 §4.2): every case needs
    a current consent to the processing of its personal data, or a supervisor's override for
    it. One case without either refuses the whole export, naming every such case: a full file
    that silently leaves people out would reach the receiving system as if complete, and a
    data protection officer must be able to see which people were not covered. Overrides
    taken on the way are given back by the rollback when the export is refused."""
    missing = []
    for case in cases:
        try:
            require_identifying_export_consent(case)
        except ConsentRequired:
            missing.append(case.code)
    if missing:
        raise ValidationError(
            {
                "full": [
                    ngettext(
                        "No current consent to the processing of personal data, nor a "
                        "supervisor's override, for %(count)d case: %(codes)s. Record the "
                        "consent or an override, or export without identifying fields.",
                        "No current consent to the processing of personal data, nor a "
                        "supervisor's override, for %(count)d cases: %(codes)s. Record their "
                        "consent or an override, or export without identifying fields.",
                        len(missing),
                    )
                    % {"count": len(missing), "codes": ", ".join(missing)}
                ]
            }
        )


@transaction.atomic
def htcds_export(*, acting: Acting, fmt: str, full: bool = False, reason: str = "") -> bytes:
    """The organisation's cases as an HTCDS 2.0 file; audited (with the reason when full)."""
    if not acting.can(Capability.CASE_VIEW_ALL_IN_ORGANISATION) or not acting.sees_identity:
        raise PermissionDenied("only the organisation's supervisors export its cases")
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("Choose xlsx, csv or json.")]})
    if full and not reason.strip():
        raise ValidationError(
            {"reason": [_("Say why the export must include names and contact details.")]}
        )
    cases = list(export_cases(acting))
    if full:
        _require_consents(cases)
    records = [case_record(case, full=full) for case in cases]
    record(
        action=AuditAction.EXPORT,
        actor=acting.user,
        organisation=acting.organisation,
        target=("reports.htcds_export", acting.organisation.pk),
        detail={
            "format": fmt,
            "full": full,
            "reason": reason.strip(),
            "cases": len(records),
        },
    )
    return render_records(records, fmt=fmt, full=full)
