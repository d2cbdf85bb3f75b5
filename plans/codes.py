"""The code lists of the (re)integration plan (SPEC C5; seed 000 NRS recommendation, 001 §5.2,
002 Annex X)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    # 001 §3.4: the initial plan is drafted with the person, then submitted for approval as
    # the final plan; the approver may return it with comments.
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned with comments")
    # 001 §3.4(a), §7.5: the initial plan is agreed with the Fund; the social worker now asks
    # the providers and drafts the final plan.
    AGREED = "agreed", _("Initial plan agreed; confirming the services")
    APPROVED = "approved", _("Approved")


# Statuses in which the working copy of the plan may be edited.
EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.AGREED})


class PlanStage(models.TextChoices):
    # policies.schema.ApprovalStage.key; 001 §3.4, §7.3.
    INITIAL = "initial", _("Initial plan")
    FINAL = "final", _("Final plan with budget")


class ReviewRating(models.TextChoices):
    # 000 CPTW "evaluation": result, time, resources and the degree the problems were solved.
    FULLY = "fully", _("Fully")
    PARTLY = "partly", _("Partly")
    NOT_AT_ALL = "not_at_all", _("Not at all")


class UltimateGoal(models.TextChoices):
    # SPEC C5; 000 IPP L83-L90 and the NRS recommendation L343-L348.
    FAMILY = "family", _("Reintegration into the family")
    EXTENDED_FAMILY = "extended_family", _("Extended family")
    SUBSTITUTE_FAMILY = "substitute_family", _("Substitute family (foster care, adoption)")
    INDEPENDENT_LIVING = "independent_living", _("Independent living")
    RETURN_TO_ORIGIN = "return_to_origin", _("Return to the country of origin")
    INSTITUTIONAL_PLACEMENT = "institutional_placement", _("Placement in a care institution")
    OTHER = "other", _("Other")


class PlanDomain(models.TextChoices):
    """Domains of the plan. The codes are those of the assessment forms so that an assessed
    need finds its domain (002 L1149-L1151: the plan follows the assessment's structure)."""

    SECURITY = "security", _("Security")
    ACCOMMODATION = "accommodation", _("Long-term accommodation")
    LEGAL = "legal", _("Legal concerns and restoration of rights")
    HEALTH = "health", _("Health")
    EMPLOYMENT = "employment", _("Employment and economic reintegration")
    PSYCHOSOCIAL = "psychosocial", _("Psycho-social support")
    FAMILY = "family", _("Family relationships")
    EDUCATION = "education", _("Education and training")
    SOCIAL = "social", _("Social relations, life skills and values")
    FINANCIAL = "financial", _("Financial support")
    PRE_DEPARTURE = "pre_departure", _("Pre-departure assistance")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    # 001 §5.2 L52: necessary and desired services; §5.3 L53: necessary ones are funded first.
    NECESSARY = "necessary", _("Necessary")
    DESIRED = "desired", _("Desired")


class ResponsibleKind(models.TextChoices):
    # SPEC C5; 002 L1172-L1175: "actions of both staff and beneficiary should be included".
    STAFF = "staff", _("Staff member")
    ORGANISATION = "organisation", _("Another organisation")
    PERSON = "person", _("The person")
    FAMILY_MEMBER = "family_member", _("Family member")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    CANCELLED = "cancelled", _("Cancelled")


class NotDeliveredReason(models.TextChoices):
    # SPEC C6: the reason codes of the register of services needed but not delivered.
    NOT_AVAILABLE_IN_AREA = "not_available_in_area", _("Not available in the area")
    WAITING_LIST = "waiting_list", _("Waiting list")
    REFUSED_BY_PROVIDER = "refused_by_provider", _("Refused by the provider")
    PERSON_DECLINED = "person_declined", _("The person declined")
    COST = "cost", _("Cost")
    DOCUMENTS_MISSING = "documents_missing", _("Documents missing")


class RequestedBy(models.TextChoices):
    # 000 IOM part V; 001 §3.5: a modification records who asked for it.
    PERSON = "person", _("The person")
    CASE_MANAGER = "case_manager", _("The case manager")
    TEAM = "team", _("The multidisciplinary team")
    PROVIDER = "provider", _("A service provider")
    APPROVER = "approver", _("The approver (supervisor or fund)")
    LEGAL_REPRESENTATIVE = "legal_representative", _("The legal representative")


class Signatory(models.TextChoices):
    # policies.schema.Signatory; 002 L1187-L1189; 000 TdH (mayor), UNDP (head of service).
    PERSON = "person", _("The person")
    CASE_MANAGER = "case_manager", _("Case manager")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Parent or legal representative")
    MAYOR = "mayor", _("Mayor")
    HEAD_OF_SERVICE = "head_of_service", _("Head of service")


# Signatories who are staff of the owning organisation: they may acknowledge on screen.
STAFF_SIGNATORIES = frozenset(
    {Signatory.CASE_MANAGER, Signatory.SOCIAL_WORKER, Signatory.HEAD_OF_SERVICE}
)


class SignatureMethod(models.TextChoices):
    PAPER = "paper", _("Signed on paper (scanned)")
    ON_SCREEN = "on_screen", _("Acknowledged on screen with the second factor")


class PrintLayout(models.TextChoices):
    # 000: the four plan formats of the seed organisations.
    NRS = "nrs", _("NRS common (re)integration plan")
    IOM = "iom", _("IOM Individual Assistance Plan")
    UNDP = "undp", _("UNDP Individual Protection Plan")
    TDH = "tdh", _("Terre des Hommes Individual Reintegration Plan")
    CPTW = "cptw", _("CPTW Individual Reintegration Plan (legal aid)")


class DecisionKind(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")
