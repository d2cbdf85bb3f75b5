"""The CTDC statistics export (SPEC C12; standards/README.md §2.2, §2.4, §4): one de-identified
row per case with the 27 variables of the CTDC 2024 schema, values as CTDC writes them (NULL
or 1 binaries, ISO alpha-3 countries, band strings).

The quasi-identifiers (year of registration, gender, age band, citizenship, country of
exploitation) are protected by local suppression: where a combination is shared by fewer than
k rows, its values are blanked one variable at a time, most identifying first, until every
combination is shared by k rows or more. If that is still not so with all of them blank, the
export is refused: no file is better than a file that points at someone.

Nothing is decrypted: every value comes from plain columns and codes.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter, defaultdict
from typing import Any

from babel.core import get_global
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from accounts.access import Acting
from audit.models import AuditAction
from audit.services import record
from cases.codes import ProfileCodeList
from cases.models import Case, ProfileCode
from people.models import PersonCitizenship
from reports.bands import AGE_BANDS
from reports.scope import StatisticsScope
from reports.suppression import minimum_cell

COLUMNS = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
]
# Blanked in this order where a combination is too rare (most identifying first).
QUASI_IDENTIFIERS = [
    "CountryOfExploitation",
    "citizenship",
    "ageBroad",
    "yearOfRegistration",
    "gender",
]
# §4.5: the means of control merged as in the 2024 codebook.
MEANS = {
    "DebtBondage": "meansDebtBondageEarnings",
    "TakesEarnings": "meansDebtBondageEarnings",
    "PhysicalThreats": "meansThreats",
    "ThreatensChildrenFamily": "meansThreats",
    "ThreatsLawEnforcement": "meansThreats",
    "PsychologicalAbuse": "meansAbusePsyPhySex",
    "PhysicalAbuse": "meansAbusePsyPhySex",
    "SexualAbuse": "meansAbusePsyPhySex",
    "FalsePromises": "meansFalsePromises",
    "PsychoactiveSubstance": "meansDrugsAlcohol",
    "RestrictsFinancialAccess": "meansDenyBasicNeeds",
    "RestrictsMedicalCare": "meansDenyBasicNeeds",
    "WithholdsNecessities": "meansDenyBasicNeeds",
    "ExcessiveWorkingHours": "meansExcessiveWorkHours",
    "WithholdsDocuments": "meansWithholdDocs",
}
# §4.4, with the decisions the crosswalk leaves open: begging, child labour and forced
# criminality as labour (as legacy CTDC did); servitude, adoption and surrogacy as other.
EXPLOITATION = {
    "ForcedLabour": "isForcedLabour",
    "ForcedBegging": "isForcedLabour",
    "ChildLabour": "isForcedLabour",
    "ForcedCriminality": "isForcedLabour",
    "SexualExploitation": "isSexualExploit",
    "ForcedMarriage": "isOtherExploit",
    "ForcedMilitaryByNonStateActors": "isOtherExploit",
    "OrganRemoval": "isOtherExploit",
    "Servitude": "isOtherExploit",
    "ForcedAdoption": "isOtherExploit",
    "Surrogacy": "isOtherExploit",
    "Other": "isOtherExploit",
}
GENDER = {
    "Feminine": "Woman",
    "Masculine": "Man",
    "TransgenderFeminine": "Trans/Transgender/NonConforming",
    "TransgenderMasculine": "Trans/Transgender/NonConforming",
    "NonConforming": "Trans/Transgender/NonConforming",
}
SEX = {"female": "Woman", "male": "Man"}
# Babel's aliases hold the alpha-3 codes; where a code has two, the current one.
_ALPHA3_CHOICE = {"MM": "MMR", "CD": "COD", "DE": "DEU", "FR": "FRA", "TL": "TLS", "YE": "YEM"}


def _alpha3_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1:
            table.setdefault(targets[0], alias)
    table.update(_ALPHA3_CHOICE)
    # CTDC counts Kosovo under Serbia (§4.3).
    table["XK"] = "SRB"
    return table


ALPHA3 = _alpha3_table()


def alpha3(code: str | None) -> str | None:
    return ALPHA3.get(code.upper()) if code else None


def age_band(age: int | None) -> str | None:
    if age is None or age < 0:
        return None
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return None


def traffick_months(start: datetime.date | None, end: datetime.date | None) -> str | None:
    if start is None or end is None:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month
    if months <= 12:
        return "0--12 (0-1 yr)"
    if months <= 24:
        return "13--24 (1-2 yrs)"
    return "25+ (2+ yrs)"


class BelowMinimum(ValidationError):
    """Raised when a quasi-identifier combination stays below k after suppression."""


def ctdc_rows(scope: StatisticsScope) -> list[dict[str, Any]]:
    """One row per case in the scope, before suppression."""
    first_citizenship = (
        PersonCitizenship.objects.filter(person=OuterRef("person_id"))
        .order_by("id")
        .values("country")[:1]
    )
    cases = list(
        Case.objects.filter(scope.case_condition())
        .annotate(citizenship=Subquery(first_citizenship), org_country=F("organisation__country"))
        .values(
            "id",
            "received_at",
            "person__sex",
            "person__gender",
            "person__birth_year",
            "citizenship",
            "org_country",
            "profile__exploitation_started_on",
            "profile__exploitation_ended_on",
            "profile__relationship_to_trafficker",
        )
        .order_by("received_at", "id")
    )
    codes: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for case_id, code_list, code in (
        ProfileCode.objects.filter(scope.case_condition("profile__case__"))
        .values_list("profile__case_id", "list", "code")
        .order_by("id")
    ):
        codes[case_id][code_list].append(code)
    rows = []
    for case in cases:
        picked = codes.get(case["id"], {})
        row: dict[str, Any] = dict.fromkeys(COLUMNS)
        received: datetime.date = case["received_at"]
        row["yearOfRegistration"] = received.year
        row["gender"] = GENDER.get(case["person__gender"]) or SEX.get(case["person__sex"])
        birth_year = case["person__birth_year"]
        row["ageBroad"] = age_band(received.year - birth_year if birth_year else None)
        row["citizenship"] = alpha3(case["citizenship"])
        # §4.3 decision: the first country of exploitation recorded, else the country of the
        # registering organisation.
        countries = picked.get(ProfileCodeList.EXPLOITATION_COUNTRY, [])
        row["CountryOfExploitation"] = alpha3(countries[0] if countries else case["org_country"])
        row["traffickMonths"] = traffick_months(
            case["profile__exploitation_started_on"], case["profile__exploitation_ended_on"]
        )
        for code in picked.get(ProfileCodeList.CONTROL, []):
            if code in MEANS:
                row[MEANS[code]] = 1
        for code in picked.get(ProfileCodeList.EXPLOITATION, []):
            if code in EXPLOITATION:
                row[EXPLOITATION[code]] = 1
        if case["profile__relationship_to_trafficker"] == "Familial":
            row["recruiterRelationFamily"] = 1
        rows.append(row)
    return rows


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[q] for q in QUASI_IDENTIFIERS)


def suppress_rows(rows: list[dict[str, Any]], k: int) -> tuple[list[dict[str, Any]], int]:
    """Blank quasi-identifiers of rows in combinations rarer than k (in ``QUASI_IDENTIFIERS``
    order); returns the rows and the number of values blanked. Raises ``BelowMinimum`` when a
    combination is still rarer than k with every quasi-identifier blank."""
    blanked = 0
    for variable in QUASI_IDENTIFIERS:
        sizes = Counter(_key(row) for row in rows)
        small = [row for row in rows if sizes[_key(row)] < k]
        if not small:
            break
        for row in small:
            if row[variable] is not None:
                row[variable] = None
                blanked += 1
    sizes = Counter(_key(row) for row in rows)
    rare = [key for key, size in sizes.items() if size < k]
    if rare:
        raise BelowMinimum(
            {
                "k": [
                    _(
                        "%(count)s rows still share their year, gender, age band and countries "
                        "with fewer than %(k)s others after suppression; nothing was written. "
                        "Export a wider scope or more years."
                    )
                    % {"count": sum(sizes[key] for key in rare), "k": k}
                ]
            }
        )
    return rows, blanked


def render(rows: list[dict[str, Any]], fmt: str) -> bytes:
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "CTDC"
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append([row[c] for c in COLUMNS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return text.getvalue().encode("utf-8")


def ctdc_export(
    *, acting: Acting, scope: StatisticsScope, fmt: str, k: int | None = None
) -> tuple[bytes, dict[str, int]]:
    """The de-identified CTDC file for the scope, after suppression; audited. Raises
    ``BelowMinimum`` (writing nothing) when suppression cannot reach k."""
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": [_("Choose csv or xlsx.")]})
    cell = k if k is not None else minimum_cell()
    rows = ctdc_rows(scope)
    try:
        rows, blanked = suppress_rows(rows, cell)
    except BelowMinimum:
        record(
            action=AuditAction.EXPORT,
            actor=acting.user,
            organisation=acting.organisation,
            target=("reports.ctdc_export", "refused"),
            detail={"rows": len(rows), "k": cell, "refused": True},
        )
        raise
    record(
        action=AuditAction.EXPORT,
        actor=acting.user,
        organisation=acting.organisation,
        target=("reports.ctdc_export", fmt),
        detail={"rows": len(rows), "k": cell, "blanked": blanked, **scope.describe_plain()},
    )
    return render(rows, fmt), {"rows": len(rows), "blanked": blanked, "k": cell}
