"""The person (SPEC C1): identifying fields encrypted with the person's own data key, statistical
fields (sex, year of birth, citizenship, education) in plain columns for reports.

Every model with an ``*_enc`` column carries ``uuid`` (the row part of the associated data, so a
ciphertext moved to another row fails to decrypt) and ``data_key`` (the person's key; destroying
it erases every identifying value of the person at once, DESIGN "Security design").
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crypto.models import EncryptedFieldsMixin
from people.codes import AuthorityDocument, DocumentKind, Education, Gender, Relationship, Sex


def _data_key_field() -> models.ForeignKey:
    return models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")


class Person(EncryptedFieldsMixin, models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = _data_key_field()
    # Identifying, encrypted (AES-256-GCM under the person's data key).
    given_name_enc = models.BinaryField(null=True)
    family_name_enc = models.BinaryField(null=True)
    date_of_birth_enc = models.BinaryField(null=True)  # ISO 8601 date
    place_of_birth_enc = models.BinaryField(null=True)
    address_enc = models.BinaryField(null=True)
    phone_enc = models.BinaryField(null=True)
    email_enc = models.BinaryField(null=True)
    disability_details_enc = models.BinaryField(null=True)
    # Statistical, plain (SPEC C1; HTCDS prs_Gender, prs_HighestLevelOfEducation).
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField(_("gender"), max_length=24, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_year_estimated = models.BooleanField(_("year of birth is an estimate"), default=False)
    education = models.CharField(
        _("education level"), max_length=40, choices=Education.choices, blank=True
    )
    has_disability = models.BooleanField(_("has a disability"), default=False)
    # HMAC of the normalised date of birth; joins the name index for duplicate detection.
    dob_index = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = (
        "given_name",
        "family_name",
        "date_of_birth",
        "place_of_birth",
        "address",
        "phone",
        "email",
        "disability_details",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.uuid}"

    @property
    def is_erased(self) -> bool:
        return self.data_key.is_erased

    @property
    def full_name(self) -> str | None:
        """None once the identity is erased."""
        if self.is_erased:
            return None
        parts = [self.get_plain("given_name") or "", self.get_plain("family_name") or ""]
        return " ".join(p for p in parts if p).strip()

    @property
    def date_of_birth(self) -> datetime.date | None:
        value = self.get_plain_or_erased("date_of_birth")
        return datetime.date.fromisoformat(value) if value else None


class PersonNameIndex(models.Model):
    """One blind-index token of one of the person's names or aliases."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "token_hash"], name="person_name_token_unique"
            ),
        ]
        indexes = [
            # Serves name search and duplicate detection: WHERE token_hash IN (...).
            models.Index(fields=["token_hash", "person"], name="person_name_token_lookup"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class PersonAlias(EncryptedFieldsMixin, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = _data_key_field()
    name_enc = models.BinaryField(null=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class PersonCitizenship(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizenships")
    # ISO 3166-1 alpha-2; plain for statistics (HTCDS prs_Citizenship).
    country = models.CharField(_("citizenship"), max_length=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "country"], name="person_citizenship_unique"),
        ]
        indexes = [
            # Serves statistics by citizenship.
            models.Index(fields=["country"], name="person_citizenship_country"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    # ISO 639-1 or 639-2 code (HTCDS prs_Language).
    language = models.CharField(_("language"), max_length=3)
    is_mother_tongue = models.BooleanField(_("mother tongue"), default=False)

    class Meta:
        ordering = ["-is_mother_tongue", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "language"], name="person_language_unique"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class IdentityDocument(EncryptedFieldsMixin, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identity_documents")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = _data_key_field()
    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    number_enc = models.BinaryField(null=True)
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Withheld documents are a trafficking indicator (003 L146).
    held_by_person = models.BooleanField(_("the person holds it"), default=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="identity_document_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class RelatedPerson(EncryptedFieldsMixin, models.Model):
    """A relative, contact, dependant (person in care; 000 annex, 003 §5.3) or the legal
    representative / guardian of a minor with the document of their authority."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="related_people")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data_key = _data_key_field()
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    name_enc = models.BinaryField(null=True)
    contact_enc = models.BinaryField(null=True)
    notes_enc = models.BinaryField(null=True)
    is_emergency_contact = models.BooleanField(_("contact in an emergency"), default=False)
    is_dependant = models.BooleanField(_("in the person's care"), default=False)
    dependant_needs_enc = models.BinaryField(null=True)
    is_legal_representative = models.BooleanField(
        _("legal representative / guardian"), default=False
    )
    authority_document = models.CharField(
        _("document of authority"), max_length=16, choices=AuthorityDocument.choices, blank=True
    )
    authority_valid_until = models.DateField(_("authority valid until"), null=True, blank=True)
    # Storage name of the encrypted scan (crypto.files); the original file name is encrypted.
    authority_file = models.CharField(max_length=200, blank=True)
    authority_file_name_enc = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    ENCRYPTED = ("name", "contact", "notes", "dependant_needs", "authority_file_name")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship__in=Relationship.values),
                name="related_person_relationship_valid",
            ),
            # A legal representative without a document of authority is only a contact.
            models.CheckConstraint(
                condition=Q(is_legal_representative=False) | ~Q(authority_document=""),
                name="legal_representative_has_authority",
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"
