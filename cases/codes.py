"""Code lists of the case file. Where HTCDS 2.0 has a list (standards/README.md §1.5), the
stored values are its value names, so the HTCDS/CTDC export is a mapping, not a guess."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class IdentificationStatus(models.TextChoices):
    """001 §3.1; 002 L1114-L1142. HTCDS vic_TraffickingStatus: at risk and potential map to
    PossibleVictimOfTrafficking, identified to ActualVictimOfTrafficking."""

    AT_RISK = "at_risk", _("Person at risk")
    POTENTIAL = "potential", _("Potential (presumed) victim")
    IDENTIFIED = "identified", _("Formally identified / statutory victim")
    NOT_VICTIM = "not_victim", _("Not a victim (referred to other services)")


HTCDS_TRAFFICKING_STATUS = {
    IdentificationStatus.AT_RISK: "PossibleVictimOfTrafficking",
    IdentificationStatus.POTENTIAL: "PossibleVictimOfTrafficking",
    IdentificationStatus.IDENTIFIED: "ActualVictimOfTrafficking",
    IdentificationStatus.NOT_VICTIM: "NotAVictimOfTrafficking",
}


class IdentifyingBody(models.TextChoices):
    """HTCDS vic_TraffickingStatusDecisionMakingOrg."""

    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT = "CourtOrProsecution", _("Court or prosecution")
    GOVERNMENT = "NonPoliceGovernmentalOrganization", _("Non-police governmental organisation")
    OTHER = "Other", _("Other")


class RiskLevel(models.TextChoices):
    # High / Moderate / Low as in 000 annex "risk assessment" and 002 Annex II.
    UNKNOWN = "", _("Not assessed")
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


class ExploitationForm(models.TextChoices):
    """HTCDS vic_TypeOfExploitation."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude")
    FORCED_MILITARY = "ForcedMilitaryByNonStateActors", _("Forced military (by non-state actors)")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced adoption")
    SURROGACY = "Surrogacy", _("Surrogacy")
    FORCED_CRIMINALITY = "ForcedCriminality", _("Forced criminal activity")
    OTHER = "Other", _("Other")


class MeansOfControl(models.TextChoices):
    """HTCDS vic_MethodsOfControl."""

    PHYSICAL_THREATS = "PhysicalThreats", _("Physical threats")
    THREATS_LAW = "ThreatsLawEnforcement", _("Threats of law enforcement")
    THREATS_FAMILY = "ThreatensChildrenFamily", _("Threatens children/family")
    DEBT_BONDAGE = "DebtBondage", _("Debt bondage")
    FALSE_PROMISES = "FalsePromises", _("False promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("Physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("Sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("Takes earnings")
    RESTRICTS_FINANCES = "RestrictsFinancialAccess", _("Restricts financial access")
    RESTRICTS_MEDICAL = "RestrictsMedicalCare", _("Restricts medical care")
    WITHHOLDS_NECESSITIES = "WithholdsNecessities", _("Withholds necessities")
    PSYCHOLOGICAL_ABUSE = "PsychologicalAbuse", _("Psychological abuse")
    PSYCHOACTIVE = "PsychoactiveSubstance", _("Psychoactive substance")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("Excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("Withholds documents")
    OTHER = "Other", _("Other")


class RecruitmentMethod(models.TextChoices):
    """HTCDS vic_MethodOfRecruitment."""

    PLACE_OF_BUSINESS = "AtAPlaceOfBusiness", _("At a place of business")
    EDUCATIONAL = "AtAnEducationalInstitution", _("At an educational institution")
    AT_WORK = "AtWork", _("At work")
    SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("Through online social networks")
    ONLINE_ADVERT = "ThroughAnOnlineAdvertisement", _("Through an online advertisement")
    TV_ADVERT = "ThroughATelevisionAdvert", _("Through a television advert")
    NEWSPAPER_ADVERT = "ThroughANewspaperAdvert", _("Through a newspaper advert")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("Through family or family events")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("Through friends or social events")
    OTHER = "Other", _("Other")


class RelationshipToTrafficker(models.TextChoices):
    """HTCDS vic_RelationshipToTrafficker."""

    UNKNOWN = "", _("Not known")
    FAMILIAL = "Familial", _("Familial")
    ACQUAINTED = "Acquainted", _("Acquainted")
    UNACQUAINTED = "Unaquainted", _("Not acquainted")


class ProfileCodeList(models.TextChoices):
    """Which multi-select list a ``ProfileCode`` row belongs to."""

    EXPLOITATION = "exploitation", _("Forms of exploitation")
    CONTROL = "control", _("Means of control")
    RECRUITMENT = "recruitment", _("Recruitment")
    EXPLOITATION_COUNTRY = "exploitation_country", _("Countries of exploitation")
    TRANSIT_COUNTRY = "transit_country", _("Countries of transit")


PROFILE_CODE_CHOICES: dict[str, type[models.TextChoices] | None] = {
    ProfileCodeList.EXPLOITATION: ExploitationForm,
    ProfileCodeList.CONTROL: MeansOfControl,
    ProfileCodeList.RECRUITMENT: RecruitmentMethod,
    # Countries are ISO 3166-1 alpha-2, checked by shape.
    ProfileCodeList.EXPLOITATION_COUNTRY: None,
    ProfileCodeList.TRANSIT_COUNTRY: None,
}


class ProceedingsStatus(models.TextChoices):
    NONE = "none", _("None")
    REPORTED = "reported", _("Reported to police")
    INVESTIGATION = "investigation", _("Under investigation")
    TRIAL = "trial", _("At trial")
    CONCLUDED = "concluded", _("Concluded")


class ProceedingsRole(models.TextChoices):
    NONE = "", _("No role")
    WITNESS = "witness", _("Witness")
    INJURED_PARTY = "injured_party", _("Injured party")
    BOTH = "both", _("Witness and injured party")


class CompensationStatus(models.TextChoices):
    NONE = "none", _("Not claimed")
    CLAIMED = "claimed", _("Claimed")
    AWARDED = "awarded", _("Awarded")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")


class ChecklistItem(models.TextChoices):
    """The content of the case file, 002 L1545-L1594, in the manual's order."""

    ENTRY_RECORD = "entry_record", _("Record of entry in the programme")
    PARENT_CONSENT = "parent_consent", _("Parent's informed consent for a minor")
    REFERRAL_REPORT = "referral_report", _("Report from the referring institution/organisation")
    ENTRY_DECLARATION = "entry_declaration", _("Entry declaration (shelter, apartment, family)")
    DATA_STATEMENT = "data_statement", _("Statement on personal data")
    ADMISSION_STATEMENT = "admission_statement", _("Admission statement (acceptance to take part)")
    PARENTAL_AUTHORISATION = (
        "parental_authorisation",
        _("Parental authorisation to assist a minor (notary)"),
    )
    IDENTITY_DOCUMENTS = "identity_documents", _("Identification documents")
    SELECTION_INTERVIEW = "selection_interview", _("Selection interview form")
    ASSISTANCE_INTERVIEW = "assistance_interview", _("Assistance interview form")
    IDENTIFICATION_INTERVIEW = (
        "identification_interview",
        _("Initial identification interview form"),
    )
    FORMAL_IDENTIFICATION_WILLINGNESS = (
        "formal_identification_willingness",
        _("Statement of willingness for formal identification"),
    )
    FORMAL_INTERVIEW_CONCLUSION = (
        "formal_interview_conclusion",
        _("Conclusion of the formal interview"),
    )
    NEEDS_ASSESSMENTS = "needs_assessments", _("Needs assessment forms")
    PLAN = "plan", _("Assistance / reintegration plan")
    CONTACT_SHEETS = "contact_sheets", _("Contact sheets")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    REFERRAL_DECLARATION = "referral_declaration", _("Declaration for institutions (referral form)")
    TEMPORARY_RESIDENCE = (
        "temporary_residence",
        _("Temporary residence document outside the centre"),
    )
    SEMI_INDEPENDENT_DECLARATION = (
        "semi_independent",
        _("Declaration of moving to semi-independent living"),
    )
    RENTAL_CONTRACT = "rental_contract", _("Apartment rental contract")
    PRE_LEAVING_EVALUATION = "pre_leaving_evaluation", _("Evaluation forms before leaving")
    LEAVING_CHECKLIST = "leaving_checklist", _("Leaving checklist")
    PHASE_TWO_AGREEMENT = "phase_two_agreement", _("Agreement for assistance in phase II")
    LONG_TERM_MONITORING = "long_term_monitoring", _("Long-term monitoring report")
    LEAVING_DECLARATION = "leaving_declaration", _("Declaration of leaving the programme")
    MEDICAL_FILE = "medical_file", _("Medical file")
    OTHER = "other", _("Other documents")


class NoteKind(models.TextChoices):
    """SPEC C7 contact log."""

    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone call")
    OFFICE = "office", _("Office meeting")
    COUNSELLING = "counselling", _("Counselling session")
    GROUP = "group", _("Group session")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment")
    NOTE = "note", _("Case note")


class AssignmentReason(models.TextChoices):
    INITIAL = "initial", _("First assignment")
    PERSON_REQUEST = "person_request", _("The person asked for another case manager")
    WORKLOAD = "workload", _("Workload")
    EXPERTISE = "expertise", _("Better match of skills")
    STAFF_LEAVING = "staff_leaving", _("Case manager leaving or absent")
    OTHER = "other", _("Other")


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")


class InterviewPrinciple(models.TextChoices):
    """The WHO interview recommendations as listed in 003 L156-L179."""

    INFORMED_CONSENT = "informed_consent", _("Consulted and obtained the person's informed consent")
    DATE_AGREED = "date_agreed", _("Agreed the date and time with the person")
    SAFETY = "safety", _("Ensured the safety of interviewer and person")
    RIGHTS_EXPLAINED = (
        "rights_explained",
        _("Explained rights and obligations, incl. the right not to answer"),
    )
    LANGUAGE = "language", _("Interview in a language the person easily understands")
    INTERPRETER = "interpreter", _("Interpreter present where needed (incl. sign language)")
    PRIVATE = "private", _("Private place, no interruptions, no recording, no third parties")
    PURPOSE_UNDERSTOOD = "purpose_understood", _("The person understands the purpose")
    QUESTIONS = "questions", _("Explained that the person can ask questions")
    CULTURE = "culture", _("Respected cultural and religious values")
    NECESSITIES = (
        "necessities",
        _("Basic necessities provided (food, water, clothing, care, shelter)"),
    )
    OPTIONS = "options", _("Explained the options without false promises")


# 003 L146-L147 "trafficking-related elements": the shipped default screening list. Stored in
# cases.TraffickingIndicator by migration so an instance can add, reword or retire indicators;
# the shipped labels are marked for translation and shown translated.
DEFAULT_INDICATORS: tuple[tuple[str, str], ...] = (
    ("cannot_leave_work", gettext_noop("The person is unable to leave their work")),
    ("cannot_keep_money", gettext_noop("The person is not allowed to keep their money")),
    ("unknown_address", gettext_noop("The person does not know their address of residence")),
    ("no_identity_documents", gettext_noop("The person does not have their identity documents")),
    ("poor_living_conditions", gettext_noop("The person lives in poor conditions")),
    ("limited_movement", gettext_noop("Limited freedom of movement")),
    ("accompanied", gettext_noop("The person is accompanied by another person")),
    ("limited_social_contact", gettext_noop("Limited social interactions")),
    ("limited_family_contact", gettext_noop("Limited contact with their family")),
    ("scripted_behaviour", gettext_noop("Behaves according to a predetermined scenario")),
    ("obedient_behaviour", gettext_noop("Obedient behaviour")),
    ("signs_of_violence", gettext_noop("Physical signs of violence")),
    ("anxiety_depression", gettext_noop("Symptoms of anxiety, depression or atypical behaviour")),
)


class TeamRole(models.TextChoices):
    """What a member does on a case's team. Stored as text: the API also accepts a role in a
    team's own words, which is then shown as written."""

    INTAKE = "intake", _("Intake and registration")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DOCTOR = "doctor", _("Doctor")
    LAWYER = "lawyer", _("Lawyer")
    TEACHER = "teacher", _("Teacher")
    INTERPRETER = "interpreter", _("Interpreter")
    SHELTER_STAFF = "shelter_staff", _("Shelter staff")
    OTHER = "other", _("Other")
