"""Code lists of the complaints register (002 L1468-L1478, §2.16)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    # 002 L1469-L1475: in writing or verbally, in person, and three complaints boxes.
    BOX = "box", _("Complaints box")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    WRITTEN = "written", _("In writing")


class Subject(models.TextChoices):
    # 002 L1468-L1469: "any and all aspects of their cases and of the services that they have
    # or have not received".
    SERVICE_RECEIVED = "service_received", _("A service received")
    SERVICE_NOT_RECEIVED = "service_not_received", _("A service not received")
    STAFF_CONDUCT = "staff_conduct", _("Conduct of staff")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality or data")
    ACCOMMODATION = "accommodation", _("Accommodation or shelter")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")
