"""The HTCDS 2.0 spreadsheet layout and code lists (standards/README.md §1.4-§1.8; the
official templates in standards/htcds/), and the tolerant matching an importer needs.

The export writes the official template's columns in its order, with the hidden row of field
names and the row of labels, then the standard fields the template leaves out that Reintegra
keeps, and two marked extensions: ``cas_RegistrationDate`` (§4.2: HTCDS has no registration
date) and ``cas_ImmediateNeedsMetDate`` (a case manager is assigned only once the immediate
needs are met, 002 L996-L1000, so the case owner cannot be carried without it). The
template's own defects are corrected on export and accepted on import (§1.7).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cases.codes import (
    ExploitationForm,
    IdentifyingBody,
    MeansOfControl,
    RecruitmentMethod,
    RelationshipToTrafficker,
)
from people.codes import Education, Gender

HTCDS_VERSION = "2.0"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    identifying: bool = False  # written only on a full export
    multiple: bool = False
    # What the importer does with it: "keep", "notice" (recognised, not kept: reported), or
    # "ignore" (the template's row counter).
    use: str = "keep"


# The official template's columns, in order (htcds-spreadsheet-2.0.xlsx, row 1 and row 2).
TEMPLATE_FIELDS: list[Field] = [
    Field("cas_CaseOwner", "Case Owner", identifying=True),
    Field("prs_Salutation", "Salutation", identifying=True, use="notice"),
    Field("prs_FirstName", "First Name", identifying=True),
    Field("prs_SecondName", "Second Name", identifying=True),
    Field("con_Consent", "Consent", use="notice"),
    Field("prs_Birthdate", "Birthdate", identifying=True),
    Field("prs_Gender", "Gender"),
    Field("prs_Citizenship", "Citizenship", multiple=True),
    Field("prs_Title", "Title", identifying=True, use="notice"),
    Field("prs_Email", "Email", identifying=True),
    Field("prs_HomePhone", "Home Phone", identifying=True),
    Field("prs_MobilePhone", "Mobile Phone", identifying=True),
    Field("prs_MailingCity", "Mailing City", identifying=True),
    Field("prs_MailingCountry", "Mailing Country", identifying=True),
    Field("prs_MailingState", "Mailing State/Province", identifying=True),
    Field("prs_MailingStreet", "Mailing Street", identifying=True),
    Field("prs_MailingPostalCode", "Mailing Zip/Postal Code", identifying=True),
    Field("vic_TraffickingStatus", "Trafficking Status"),
    Field(
        "vic_TraffickingStatusDecisionMakingOrg",
        "Trafficking Status Decision Making Organization",
    ),
    Field("vic_MethodOfRecruitment", "Method of Recruitment", multiple=True),
    Field("vic_LocationOfRecruitment", "Location of Recruitment"),
    Field("vic_MethodsOfControl", "Methods of Control", multiple=True),
    Field("vic_TypeOfExploitation", "Type of Exploitation", multiple=True),
    Field("vic_ForcedLabourIndustry", "Forced Labour Industry", multiple=True, use="notice"),
    Field("vic_TypeOfSexExploitation", "Type of Sex Exploitation", multiple=True, use="notice"),
    Field("vic_LocationOfExploitation", "Location of Exploitation", multiple=True),
    Field("cas_Status", "Status"),
    Field("cas_ReferringOrganisation", "Referring Organisation"),
    Field("cas_IncomingReferralDate", "Incoming Referral Date"),
    Field(
        "cas_ReferringPrimaryCaseWorker",
        "Referring Primary Case Worker",
        identifying=True,
        use="notice",
    ),
    Field("cas_ReasonForIncomingReferral", "Reason for Incoming Referral", use="notice"),
    Field(
        "cas_IncomingReferralDetails", "Incoming Referral Details", identifying=True, use="notice"
    ),
    Field("cas_ReferredOrganisation", "Referred Organisation", use="notice"),
    Field(
        "cas_ReferredPrimaryCaseWorker",
        "Referred Primary Case Worker",
        identifying=True,
        use="notice",
    ),
    Field("cas_ReasonForOutgoingReferral", "Reason for Outgoing Referral", use="notice"),
    Field("cas_OutgoingReferralDate", "Outgoing Referral Date", use="notice"),
    Field(
        "cas_OutgoingReferralDetails", "Outgoing Referral Details", identifying=True, use="notice"
    ),
    Field("cas_ReasonForCaseClosure", "Reason for Case Closure", identifying=True, use="notice"),
]
# Standard fields outside the template that Reintegra keeps, and the registration date.
EXTRA_FIELDS: list[Field] = [
    Field("prs_HighestLevelOfEducation", "Highest Level of Education"),
    Field("prs_PrimaryLanguage", "Primary Language"),
    Field("prs_SecondaryLanguage", "Secondary Language"),
    Field("vic_RelationshipToTrafficker", "Relationship to Trafficker"),
    Field("cas_RegistrationDate", "Registration Date (extension)"),
    Field("cas_ImmediateNeedsMetDate", "Immediate Needs Met Date (extension)"),
]
FIELDS: list[Field] = TEMPLATE_FIELDS + EXTRA_FIELDS
BY_NAME = {f.name: f for f in FIELDS}

# Header spellings of the official toolkit (§1.7): the template's misspelling, the XLSForm
# names, and older versions.
FIELD_ALIASES = {
    "vic_TraffickinStatusDecisionMakingOrg": "vic_TraffickingStatusDecisionMakingOrg",
    "prs_First_Name": "prs_FirstName",
    "prs_Second_Name": "prs_SecondName",
    "vic_Methods_of_Control": "vic_MethodsOfControl",
    "prs_Nationality": "prs_Citizenship",
}


def normalise(text: object) -> str:
    """Case, accents, spaces and punctuation do not matter when matching names and codes."""
    value = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", value.lower())


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for f in FIELDS:
        index[normalise(f.name)] = f.name
        index[normalise(f.label)] = f.name
        # The bare name without the entity prefix ("FirstName").
        index.setdefault(normalise(f.name.split("_", 1)[1]), f.name)
    for alias, name in FIELD_ALIASES.items():
        index[normalise(alias)] = name
    # The template's second row says "Second Name" for prs_Title in the XLSForm; the spreadsheet
    # template itself labels it "Title", which is the meaning kept.
    return index


HEADER_INDEX = _header_index()


def field_for_header(header: object) -> str | None:
    if header is None or str(header).strip() == "":
        return None
    return HEADER_INDEX.get(normalise(header))


# ---------------------------------------------------------------- code lists

HTCDS_GENDER = [value for value, _label in Gender.choices]
SEX_TO_GENDER = {"female": "Feminine", "male": "Masculine"}
# Decision (standards/README.md §4.1): gender expression gives the sex only for the two
# binary values; the others leave the sex unknown.
GENDER_TO_SEX = {"Feminine": "female", "Masculine": "male"}

TRAFFICKING_STATUS = {
    "PossibleVictimOfTrafficking": "potential",
    "ActualVictimOfTrafficking": "identified",
    "NotAVictimOfTrafficking": "not_victim",
}
CASE_STATUS = ["Active", "FollowUp", "Closed", "ClosedReferred"]
# The project's forms of exploitation outside HTCDS 2.0 leave as "Other".
EXPLOITATION_EXPORT = {"ForcedCriminality": "Other"}
HTCDS_EXPLOITATION = [v for v, _l in ExploitationForm.choices if v not in EXPLOITATION_EXPORT]
HTCDS_EDUCATION = [v for v, _l in Education.choices if v != "None"]
FORCED_LABOUR_INDUSTRY = [
    "A_AgricultureForestryAndFishing",
    "B_MiningAndQuarrying",
    "C_Manufacturing",
    "D_ElectricityGasSteamAndAirConditioningSupply",
    "E_WaterSupplySewerageWasteManagement",
    "F_Construction",
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    "H_TransportationAndStorage",
    "I_AccommodationAndFoodServiceActivities",
    "J_InformationAndCommunication",
    "K_FinancialAndInsuranceActivities",
    "L_RealEstateActivities",
    "M_ProfessionalScientificAndTechnicalActivities",
    "N_AdministrativeAndSupportServiceActivities",
    "O_PublicAdministrationAndDefence",
    "P_Education",
    "Q_HumanHealthAndSocialWorkActivities",
    "R_ArtsEntertainmentAndRecreation",
    "S_OtherServiceActivities",
    "T_ActivitiesOfHouseholdsAsEmployers",
    "U_ActivitiesOfExtraterritorialOrganizations",
]
SEX_EXPLOITATION = [
    "Prostitution",
    "Pornography",
    "RemoteInteractiveServices",
    "PrivateSexualServices",
]
INCOMING_REASON = ["AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other"]


def _codes(values: list[str], labels: dict[str, str] | None = None) -> dict[str, str]:
    index = {normalise(v): v for v in values}
    for value, label in (labels or {}).items():
        index[normalise(label)] = value
    return index


def _labels(enum: type) -> dict[str, str]:
    return {str(v): str(label) for v, label in enum.choices}  # type: ignore[attr-defined]


# Value names, English labels and the official synonyms (older versions, the definitions
# file, the XLSForm), matched after ``normalise``.
CODE_LISTS: dict[str, dict[str, str]] = {
    "prs_Gender": {
        **_codes(HTCDS_GENDER, {"NonSpecifiedUnknown": "Not Specified/Unknown"}),
        "female": "Feminine",
        "male": "Masculine",
        "transgendernonconforming": "NonConforming",
        "unknown": "NonSpecifiedUnknown",
    },
    "vic_TraffickingStatus": _codes(
        list(TRAFFICKING_STATUS),
        {
            "PossibleVictimOfTrafficking": "Possible victim of trafficking",
            "ActualVictimOfTrafficking": "Actual victim of trafficking",
            "NotAVictimOfTrafficking": "Not a victim of trafficking",
        },
    ),
    "vic_TraffickingStatusDecisionMakingOrg": _codes(
        [v for v, _l in IdentifyingBody.choices],
        {"NonPoliceGovernmentalOrganization": "Non-police governmental organization"},
    ),
    "vic_MethodOfRecruitment": _codes(
        [v for v, _l in RecruitmentMethod.choices], _labels(RecruitmentMethod)
    ),
    "vic_MethodsOfControl": {
        **_codes([v for v, _l in MeansOfControl.choices], _labels(MeansOfControl)),
        # The definitions file's names (§1.6a) and the plural of the XLSForm.
        "threats": "PhysicalThreats",
        "threatoflawenforcement": "ThreatsLawEnforcement",
        "psychoactivesubstances": "PsychoactiveSubstance",
        "useschildren": "ThreatensChildrenFamily",
    },
    "vic_TypeOfExploitation": {
        **_codes([v for v, _l in ExploitationForm.choices], _labels(ExploitationForm)),
        # HTCDS 0.2 values (§1.7).
        "forcedmilitaryservice": "ForcedMilitaryByNonStateActors",
        "illegaladoption": "ForcedAdoption",
        "illicitactivities": "ForcedCriminality",
    },
    "vic_ForcedLabourIndustry": _codes(FORCED_LABOUR_INDUSTRY),
    "vic_TypeOfSexExploitation": _codes(SEX_EXPLOITATION),
    "cas_Status": _codes(
        CASE_STATUS, {"FollowUp": "Follow Up", "ClosedReferred": "Closed Referred"}
    ),
    "prs_HighestLevelOfEducation": _codes(HTCDS_EDUCATION, _labels(Education)),
    "vic_RelationshipToTrafficker": {
        **_codes(["Familial", "Acquainted", "Unaquainted"]),
        "unacquainted": "Unaquainted",
    },
    "cas_ReasonForIncomingReferral": _codes(INCOMING_REASON),
    "cas_ReasonForOutgoingReferral": _codes(INCOMING_REASON),
    "con_Consent": {
        "true": "TRUE",
        "yes": "TRUE",
        "1": "TRUE",
        "false": "FALSE",
        "no": "FALSE",
        "0": "FALSE",
    },
}
# Strip the definitions file's prefix ("MethodsOfControlDebtBondage").
CODE_PREFIXES = {"vic_MethodsOfControl": "methodsofcontrol"}
RELATIONSHIP_VALUES = {v for v, _l in RelationshipToTrafficker.choices if v}


def match_code(field: str, raw: str) -> str | None:
    """The value name for ``raw`` in the field's list, or None when it is not on it."""
    index = CODE_LISTS[field]
    key = normalise(raw)
    if key in index:
        return index[key]
    prefix = CODE_PREFIXES.get(field)
    if prefix and key.startswith(prefix):
        return index.get(key[len(prefix) :])
    return None


def split_multiple(raw: str) -> list[str]:
    """Multi-select cells: ";" in the spreadsheet templates, "," in hand-made files."""
    return [part.strip() for part in re.split(r"[;,]", raw) if part.strip()]
