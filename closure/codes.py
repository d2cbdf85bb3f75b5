"""Codes of closure, follow-up and reopening (SPEC C9). Plain columns, for statistics."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosureReason(models.TextChoices):
    # 004 SW-90 and HTCDS exit reasons; 002 L1530-L1542 planned / unplanned endings.
    OBJECTIVES_ACHIEVED = "objectives_achieved", _("Objectives achieved / graduated")
    PLAN_TERM_ENDED = "plan_term_ended", _("Plan term ended")
    PERSON_REQUEST = "person_request", _("The person's request or withdrawal")
    LOST_CONTACT = "lost_contact", _("Moved or lost contact")
    TRANSFERRED = "transferred", _("Transferred to another provider")
    RE_TRAFFICKED = "re_trafficked", _("Re-trafficked")
    DEATH = "death", _("Death")
    OTHER = "other", _("Other")


class ClosureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ObjectiveResult(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class ContactChannel(models.TextChoices):
    # 001 §7.11, 003 §5.9: the contact agreed with the person after closure.
    PHONE = "phone", _("Phone")
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE = "office", _("At the office")
    MESSAGE = "message", _("Message")
    NONE = "none", _("No contact")


class ContactFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Every three months")
    HALF_YEARLY = "half_yearly", _("Every six months")
    AS_AGREED = "as_agreed", _("As agreed with the person")


class FollowUpEnd(models.TextChoices):
    PERIOD_COMPLETED = "period_completed", _("The follow-up period is over")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("The person withdrew consent to be contacted")
    REOPENED = "reopened", _("The case was reopened")


class ReopenReason(models.TextChoices):
    SETBACK = "setback", _("Setback")
    CRISIS = "crisis", _("Crisis")
    RE_TRAFFICKING = "re_trafficking", _("Re-trafficking")
    NEW_NEED = "new_need", _("New need")
    PERSON_RETURNS = "person_returns", _("The person returns")


class TerminationGround(models.TextChoices):
    # 001 §7.12: the grounds on which a plan ends.
    EXPIRY = "expiry", _("The plan's term expired")
    WRITTEN_REQUEST = "written_request", _("The person's written request")
    GROSS_VIOLATION = "gross_violation", _("Gross and repeated violation of the plan")
