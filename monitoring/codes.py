"""Code lists of monitoring (SPEC C8). Stored values are these plain codes, so that statistics
can count them; pages show the translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactPurpose(models.TextChoices):
    # Follow-up contacts after closure (SPEC C9) are the same record with another purpose.
    MONITORING = "monitoring", _("Monitoring")
    FOLLOW_UP = "follow_up", _("Follow-up after closure")


class ContactMode(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    WORKPLACE_VISIT = "workplace_visit", _("Workplace visit")
    PHONE = "phone", _("Phone")
    OFFICE = "office", _("At the office")
    ONLINE = "online", _("Online")


class ContactHeading(models.TextChoices):
    # 002 L1508-L1510: the areas of long-term monitoring, used as headings (L1512-L1529).
    FAMILY = "family", _("Family relationships")
    INTERPERSONAL = "interpersonal", _("Interpersonal relationships")
    INTIMATE = "intimate", _("Intimate relationships")
    HEALTH = "health", _("Health")
    EMOTIONAL = "emotional", _("Emotional condition")
    LEGAL = "legal", _("Legal issues")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    ACTIVITIES = "activities", _("Activities")
    # 000 Annex 3, TdH study visit report: relations with adult members and with children
    # of the family, other observations and conclusions.
    ADULT_RELATIONS = "adult_relations", _("Relations with adult family members")
    CHILD_RELATIONS = "child_relations", _("Relations with children in the family")
    OTHER = "other", _("Other")
    CONCLUSIONS = "conclusions", _("Conclusions")
    # 000 L170-L171 (IOM/NRS): monitoring the realisation of the plan and its impact.
    PLAN_PROGRESS = "plan_progress", _("Progress of the plan's actions")
    COMMITMENTS = "commitments", _("Commitments of institutions and persons reminded")
    IMPACT = "impact", _("Impact of the assistance")


class ContactReport(models.TextChoices):
    """Which seed's report a contact is written in: each is a set of headings."""

    LONG_TERM = "long_term", _("Long-term monitoring note (D&E)")
    STUDY_VISIT = "study_visit", _("Study visit report (TdH)")
    IOM_MONITORING = "iom_monitoring", _("Monitoring of the plan (IOM)")


H = ContactHeading
REPORT_HEADINGS: dict[str, tuple[ContactHeading, ...]] = {
    ContactReport.LONG_TERM: (
        H.FAMILY,
        H.INTERPERSONAL,
        H.INTIMATE,
        H.HEALTH,
        H.EMOTIONAL,
        H.LEGAL,
        H.EMPLOYMENT,
        H.EDUCATION,
        H.ACTIVITIES,
    ),
    ContactReport.STUDY_VISIT: (H.ADULT_RELATIONS, H.CHILD_RELATIONS, H.OTHER, H.CONCLUSIONS),
    ContactReport.IOM_MONITORING: (H.PLAN_PROGRESS, H.COMMITMENTS, H.IMPACT, H.CONCLUSIONS),
}


class Occasion(models.TextChoices):
    """When outcome scores are taken (SPEC C8): closure and follow-up are recorded by the
    closure capability through the same service."""

    BASELINE = "baseline", _("Baseline")
    REVIEW = "review", _("Plan review")
    PHASE_TRANSITION = "phase_transition", _("Phase transition")
    CLOSURE = "closure", _("Closure")
    FOLLOW_UP = "follow_up", _("Follow-up")


class SetbackTrigger(models.TextChoices):
    # 004 §3.4, SW-80 to SW-84.
    FAMILY_CONFLICT = "family_conflict", _("Family conflict")
    PARTNER_VIOLENCE = "partner_violence", _("Partner violence")
    JOB_LOSS = "job_loss", _("Job loss")
    SECURITY_THREAT = "security_threat", _("Security threat")
    STIGMA = "stigma", _("Stigma")
    TRAFFICKER_CONTACT = "trafficker_contact", _("Contact with the trafficker")
    TRAUMA_TRIGGER = "trauma_trigger", _("Trauma trigger")
    HEALTH_CRISIS = "health_crisis", _("Health crisis")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# The phases the shipped packs name (002 L646-L650); a pack's own phase key without a label
# here is shown in words made from the key.
PHASE_LABELS = {
    "crisis": _("Crisis intervention"),
    "stabilisation": _("Stabilisation"),
    "inclusion": _("Social inclusion"),
}


def phase_label(key: str) -> str:
    if not key:
        return ""
    label = PHASE_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()
