"""The service directory: what each organisation offers, to whom, where, and how current the
entry is (SPEC C6; 001 §4.2-4.4 L44-L48)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.TextChoices):
    """The taxonomy of services, from the needs in 003 §4 (L84-L131) and the services D&E
    delivers with its partners in 002 Ch. III (L1595-L2340)."""

    # 003 L89 "Shelter", §4.1 L95-L98; 002 L1597 "Safe Residential Center".
    SHELTER = "shelter", _("Shelter / safe accommodation")
    # 002 L1611 "Protected Housing / Apartments"; L1745 municipal housing programmes;
    # 003 L89 "Temporary/Permanent residence".
    HOUSING = "housing", _("Housing")
    # 002 L1629 "Foster family" and L1643 "other alternative placement".
    FOSTER_CARE = "foster_care", _("Foster care / alternative placement")
    # 003 L89 "Medical … assistance", "Healthcare", §4.2 L99-L104; 002 L1919 "Medical care".
    MEDICAL = "medical", _("Medical care")
    # 003 L89 "Psychological assistance", §4.3 L105-L118; 002 L1789-L1900.
    PSYCHOLOGICAL = "psychological", _("Psychological support and counselling")
    # 003 L89 "Psychiatric assistance/ Psychotherapy"; 002 L2012 "Mental health service".
    PSYCHIATRIC = "psychiatric", _("Psychiatric care / psychotherapy")
    # 003 L89 "Social assistance"; 002 L2296 "Social assistance", L2305 "Mentoring program".
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance and mentoring")
    # 003 L89 "Legal assistance", §4.4 L119-L126; 002 L2016-L2192, L1755 legal aid centres.
    LEGAL_AID = "legal_aid", _("Legal aid")
    # 003 L124-L125 support before, during and after testimony; 002 L1692-L1700, L1760.
    COURT_SUPPORT = "court_support", _("Court support and accompaniment")
    # 003 L89 "Security"; 002 L1672-L1691 police, L1699 witness protection.
    PROTECTION = "protection", _("Safety and protection")
    # 003 L89 "Education", §4.5 L127-L128; 002 L2194 "Education and schooling".
    EDUCATION = "education", _("Education")
    # 003 L89 "Vocational courses", "Skills development", §4.5 L129-L131; 002 L2208.
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    # 003 L89 "Job"; 002 L2193 "Employment Access Scheme", L2249 internships.
    EMPLOYMENT = "employment", _("Employment")
    # 003 L89 "Clothing, food", "Material assistance"; 003 L93 "Physical care".
    MATERIAL_AID = "material_aid", _("Financial and material aid")
    # 003 L89 "Family reunification"; 002 L165, L1890 "Family counseling".
    FAMILY_MEDIATION = "family_mediation", _("Family mediation and reunification")
    # 003 L89 "Child care support"; 002 L2319-L2339 children of victims, crèche, day care.
    CHILD_CARE = "child_care", _("Child care")
    # 003 L89 "Repatriation"; 002 L1687 "assisted return", L2594-L2598.
    REPATRIATION = "repatriation", _("Repatriation and assisted return")
    # 002 L1556, L1682 identification documents, L2330 civil registration; 002 L2124
    # residence and ID card.
    DOCUMENTS = "documents", _("Identity documents and civil registration")
    # 002 L2054, L2080 the right to be helped by an interpreter.
    INTERPRETATION = "interpretation", _("Interpretation and translation")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    """The sexes a service accepts. A person's recorded gender (HTCDS ``prs_Gender``) is
    mapped onto these by the case file before it asks for matching services."""

    FEMALE = "female", _("Women and girls")
    MALE = "male", _("Men and boys")
    OTHER = "other", _("Other gender identities")


class IdentificationStatus(models.TextChoices):
    """The stages of identification (SPEC C2 L84-L85) a service may require."""

    AT_RISK = "at_risk", _("At risk")
    POTENTIAL_VICTIM = "potential_victim", _("Potential (presumed) victim")
    IDENTIFIED = "identified", _("Formally identified victim")
    STATUTORY_VICTIM = "statutory_victim", _("Statutory victim")


class CostKind(models.TextChoices):
    FREE = "free", _("Free of charge")
    FEE = "fee", _("Fee")
    # 001 §4.5 L48: the Fund pays for services in the final package.
    FUNDED = "funded", _("Covered by a fund")


# Model column that records whether a service accepts each sex / identification status.
# Booleans rather than a set in JSON: matching is then a plain indexed WHERE clause.
SEX_COLUMNS: dict[str, str] = {
    Sex.FEMALE: "serves_female",
    Sex.MALE: "serves_male",
    Sex.OTHER: "serves_other_gender",
}
STATUS_COLUMNS: dict[str, str] = {
    IdentificationStatus.AT_RISK: "accepts_at_risk",
    IdentificationStatus.POTENTIAL_VICTIM: "accepts_potential_victim",
    IdentificationStatus.IDENTIFIED: "accepts_identified",
    IdentificationStatus.STATUTORY_VICTIM: "accepts_statutory_victim",
}


class Service(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("organisation"),
    )
    category = models.CharField(_("category"), max_length=32, choices=ServiceCategory.choices)
    # The provider's own words, never machine-translated; ``language`` says which language
    # they are in so readers know what to expect (and a translator can be asked).
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language of the description"), max_length=2)

    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    serves_female = models.BooleanField(_("serves women and girls"), default=True)
    serves_male = models.BooleanField(_("serves men and boys"), default=True)
    serves_other_gender = models.BooleanField(_("serves other gender identities"), default=True)
    accepts_at_risk = models.BooleanField(_("accepts persons at risk"), default=True)
    accepts_potential_victim = models.BooleanField(_("accepts potential victims"), default=True)
    accepts_identified = models.BooleanField(_("accepts identified victims"), default=True)
    accepts_statutory_victim = models.BooleanField(_("accepts statutory victims"), default=True)

    # Places (beds, slots) in total; empty when the provider does not state one.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    waiting_days = models.PositiveIntegerField(_("current waiting time (days)"), default=0)

    cost_kind = models.CharField(
        _("cost"), max_length=8, choices=CostKind.choices, default=CostKind.FREE
    )
    fee_amount = models.DecimalField(
        _("fee amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # ISO 4217.
    fee_currency = models.CharField(_("fee currency"), max_length=3, blank=True)

    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)

    # 001 §4.3 L45-L46: providers report changes to their services every quarter.
    last_confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    last_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last confirmed by"),
    )
    # After this day the entry is stale until someone confirms it. Stored, not computed, so
    # the renewal dashboard and "stale" markers are an indexed comparison (DESIGN, performance).
    confirmation_due_on = models.DateField(_("confirmation due on"))

    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=ServiceCategory.values), name="service_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(cost_kind__in=CostKind.values), name="service_cost_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="service_age_range_ordered",
            ),
            # A fee has an amount and a currency; free and funded services have neither.
            models.CheckConstraint(
                condition=(
                    Q(
                        cost_kind=CostKind.FEE,
                        fee_amount__isnull=False,
                        fee_amount__gte=0,
                    )
                    & ~Q(fee_currency="")
                )
                | (~Q(cost_kind=CostKind.FEE) & Q(fee_amount__isnull=True, fee_currency="")),
                name="service_fee_complete",
            ),
        ]
        indexes = [
            # Serves the directory search filtered by category (the most common filter).
            models.Index(fields=["category", "is_active"], name="service_category_active"),
            # Serves "my organisation's services" and the per-organisation renewal counts.
            models.Index(fields=["organisation", "is_active"], name="service_org_active"),
            # Serves the stale markers and the providers' "to confirm" list.
            models.Index(
                fields=["confirmation_due_on"],
                condition=Q(is_active=True),
                name="service_due_active",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sexes(self) -> list[str]:
        return [sex for sex, column in SEX_COLUMNS.items() if getattr(self, column)]

    @property
    def identification_statuses(self) -> list[str]:
        return [status for status, column in STATUS_COLUMNS.items() if getattr(self, column)]

    @property
    def sex_labels(self) -> list[str]:
        return [str(Sex(value).label) for value in self.sexes]

    @property
    def identification_status_labels(self) -> list[str]:
        return [str(IdentificationStatus(value).label) for value in self.identification_statuses]

    def is_stale_on(self, day: datetime.date) -> bool:
        return self.is_active and self.confirmation_due_on < day

    @property
    def is_stale(self) -> bool:
        return self.is_stale_on(timezone.localdate())


class ServiceArea(models.Model):
    """Where a service is available: a whole country, or one region/municipality of it."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    # ISO 3166-1 alpha-2.
    country = models.CharField(_("country"), max_length=2)
    # Blank means the whole country.
    region = models.CharField(_("region or municipality"), max_length=100, blank=True)

    class Meta:
        ordering = ["country", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "country", "region"], name="service_area_unique"
            ),
        ]
        indexes = [
            # Serves the area filter: EXISTS (… WHERE country = %s AND region IN ('', %s)).
            models.Index(fields=["country", "region"], name="service_area_country_region"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.region}".strip()


class ServiceLanguage(models.Model):
    """A language (ISO 639-1) the service can be delivered in."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=2)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="service_language_unique"),
        ]
        indexes = [
            # Serves the language filter: EXISTS (… WHERE code = %s AND service_id = …).
            models.Index(fields=["code", "service"], name="service_language_code"),
        ]

    def __str__(self) -> str:
        return self.code


class ServiceNationality(models.Model):
    """A nationality (ISO 3166-1 alpha-2) the service is restricted to. A service with no
    rows here accepts every nationality."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="nationalities")
    country = models.CharField(_("nationality"), max_length=2)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "country"], name="service_nationality_unique"
            ),
        ]
        indexes = [
            # Serves eligibility matching by nationality (EXISTS on country, service).
            models.Index(fields=["country", "service"], name="service_nationality_code"),
        ]

    def __str__(self) -> str:
        return self.country


class RenewalRound(models.Model):
    """A renewal of one country's service list (001 §4.3 L45-L46: the Fund receives the
    providers' changes quarterly and renews the list). Every provider in the country is
    asked to confirm or update each active service by ``due_on``."""

    # ISO 3166-1 alpha-2: the coordinating organisation's country.
    country = models.CharField(_("country"), max_length=2)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="renewal_rounds",
        verbose_name=_("started by organisation"),
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    due_on = models.DateField(_("confirm by"))

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # Serves "the current round for this country" (latest first).
            models.Index(fields=["country", "-started_at"], name="renewal_country_started"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.started_at:%Y-%m-%d}"
