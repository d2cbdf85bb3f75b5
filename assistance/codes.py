"""Code lists of implementation and assistance (SPEC C7; 000 IOM blank forms)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveredBy(models.TextChoices):
    # SPEC C5/C7: who carried out an action of the plan.
    STAFF = "staff", _("Staff member")
    ORGANISATION = "organisation", _("Another organisation (accepted referral)")
    PERSON = "person", _("The person")
    FAMILY_MEMBER = "family_member", _("Family member")


class ItemCategory(models.TextChoices):
    # 000 IOM blank forms L282-L297: food and hygiene packages, transport reimbursement,
    # scholarship, other services; SPEC C7 adds rent, clothing, medical costs, material aid.
    FOOD_HYGIENE = "food_hygiene", _("Food or hygiene package")
    TRANSPORT = "transport", _("Transport reimbursement")
    SCHOLARSHIP = "scholarship", _("Scholarship")
    RENT = "rent", _("Rent")
    CLOTHING = "clothing", _("Clothing")
    MEDICAL = "medical", _("Medical costs")
    MATERIAL_AID = "material_aid", _("Material aid")
    CASH = "cash", _("Cash assistance")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    PACKAGE = "package", _("package")
    TRIP = "trip", _("trip")
    MONTH = "month", _("month")
    DAY = "day", _("day")
    SESSION = "session", _("session")
    LUMP_SUM = "lump_sum", _("lump sum")


class Provision(models.TextChoices):
    """How an item reached the person. Paid items are spending against the plan and the
    cap; in-kind items carry an estimated value for the cost per beneficiary (004 SW-130)."""

    PAID = "paid", _("Paid by the organisation")
    IN_KIND = "in_kind", _("In kind (estimated value)")


class AcknowledgementMethod(models.TextChoices):
    # 000 IOM blank forms: "Beneficiary's signature"; SPEC C5 signatures on paper or screen.
    PAPER = "paper", _("Signed on paper (scanned)")
    ON_SCREEN = "on_screen", _("Confirmed by the person on screen")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the coordinator")


class CostSource(models.TextChoices):
    """Where a cost per beneficiary comes from (004 SW-130)."""

    PAID = "paid", _("Paid assistance")
    IN_KIND = "in_kind", _("In-kind assistance")
    OTHER_ORGANISATION = "other_organisation", _("Service of another organisation")
