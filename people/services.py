"""Writes for persons. Identifying values are encrypted before they reach the database and
the blind indexes are rebuilt in the same transaction (DESIGN "Security design")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record
from crypto.blind_index import dob_index, name_index
from crypto.files import delete_encrypted
from crypto.models import DataKey
from crypto.services import crypto_erase, data_key_create
from lib.uploads import store_upload
from people.codes import AuthorityDocument, DocumentKind, Education, Gender, Relationship, Sex
from people.models import (
    IdentityDocument,
    Person,
    PersonAlias,
    PersonCitizenship,
    PersonLanguage,
    PersonNameIndex,
    RelatedPerson,
)

PERSON_PLAIN_FIELDS = (
    "sex",
    "gender",
    "birth_year",
    "birth_year_estimated",
    "education",
    "has_disability",
)


@dataclass
class PersonInput:
    """What registration or an edit says about a person."""

    given_name: str
    family_name: str = ""
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    birth_year_estimated: bool = False
    sex: str = Sex.UNKNOWN
    gender: str = ""
    place_of_birth: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    education: str = ""
    has_disability: bool = False
    disability_details: str = ""
    citizenships: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def validate(self) -> None:
        errors: dict[str, list[str]] = {}
        if not self.given_name.strip() and not self.family_name.strip():
            errors["given_name"] = [_("Enter at least one name.")]
        if self.sex not in Sex.values:
            errors["sex"] = [_("Choose one of the listed values.")]
        if self.gender and self.gender not in Gender.values:
            errors["gender"] = [_("Choose one of the listed values.")]
        if self.education and self.education not in Education.values:
            errors["education"] = [_("Choose one of the listed values.")]
        if self.date_of_birth is not None:
            if self.date_of_birth > datetime.date.today():
                errors["date_of_birth"] = [_("The date of birth cannot be in the future.")]
            if self.date_of_birth.year < 1900:
                errors["date_of_birth"] = [_("Enter a date of birth after 1900.")]
            if self.birth_year is not None and self.birth_year != self.date_of_birth.year:
                errors["birth_year"] = [_("The year of birth does not match the date of birth.")]
        elif (
            self.birth_year is not None
            and not 1900 <= self.birth_year <= datetime.date.today().year
        ):
            errors["birth_year"] = [_("Enter a year between 1900 and this year.")]
        for country in self.citizenships:
            if len(country) != 2 or not country.isalpha():
                errors["citizenships"] = [_("Use two-letter ISO country codes, e.g. MD, UA, AL.")]
        for language in self.languages:
            if not 2 <= len(language) <= 3 or not language.isalpha():
                errors["languages"] = [_("Use ISO 639 language codes, e.g. ro, ru, ka, sq.")]
        if errors:
            raise ValidationError(errors)

    @property
    def effective_birth_year(self) -> int | None:
        return self.date_of_birth.year if self.date_of_birth else self.birth_year


def name_tokens_for(*names: str) -> set[str]:
    tokens: set[str] = set()
    for name in names:
        if name:
            tokens.update(name_index(name))
    return tokens


def _write_person(person: Person, data: PersonInput) -> None:
    person.set_plain("given_name", data.given_name.strip() or None)
    person.set_plain("family_name", data.family_name.strip() or None)
    person.set_plain(
        "date_of_birth", data.date_of_birth.isoformat() if data.date_of_birth else None
    )
    for column in ("place_of_birth", "address", "phone", "email", "disability_details"):
        person.set_plain(column, getattr(data, column).strip() or None)
    person.sex = data.sex
    person.gender = data.gender
    person.birth_year = data.effective_birth_year
    person.birth_year_estimated = data.birth_year_estimated and data.date_of_birth is None
    person.education = data.education
    person.has_disability = data.has_disability
    person.dob_index = dob_index(data.date_of_birth) if data.date_of_birth else ""


def _reindex(person: Person, names: list[str]) -> None:
    PersonNameIndex.objects.filter(person=person).delete()
    PersonNameIndex.objects.bulk_create(
        PersonNameIndex(person=person, token_hash=token)
        for token in sorted(name_tokens_for(*names))
    )


def _replace_lists(person: Person, data: PersonInput) -> None:
    PersonCitizenship.objects.filter(person=person).delete()
    PersonCitizenship.objects.bulk_create(
        PersonCitizenship(person=person, country=c.upper())
        for c in dict.fromkeys(data.citizenships)
    )
    PersonLanguage.objects.filter(person=person).delete()
    PersonLanguage.objects.bulk_create(
        PersonLanguage(person=person, language=code.lower(), is_mother_tongue=index == 0)
        for index, code in enumerate(dict.fromkeys(data.languages))
    )


def person_create(*, data: PersonInput) -> Person:
    """Called by case registration, inside its transaction and audit entry."""
    data.validate()
    person = Person(data_key=data_key_create())
    _write_person(person, data)
    person.full_clean(exclude=["data_key"])
    person.save()
    for alias in data.aliases:
        if alias.strip():
            entry = PersonAlias(person=person, data_key=person.data_key)
            entry.set_plain("name", alias.strip())
            entry.save()
    _reindex(person, [data.given_name, data.family_name, *data.aliases])
    _replace_lists(person, data)
    return person


class StalePerson(Exception):
    def __init__(self, current: Person) -> None:
        super().__init__(_("Someone else changed this record while you were editing it."))
        self.current = current


@transaction.atomic
def person_update(
    *,
    acting_user: Any,
    organisation: Any,
    case_id: int,
    person: Person,
    expected_version: int,
    data: PersonInput,
) -> Person:
    data.validate()
    locked = Person.objects.select_for_update().select_related("data_key").get(pk=person.pk)
    if locked.version != expected_version:
        raise StalePerson(locked)
    if locked.data_key.is_erased:
        raise ValidationError({"given_name": [_("This identity was erased and cannot be edited.")]})
    _write_person(locked, data)
    locked.version += 1
    locked.save()
    PersonAlias.objects.filter(person=locked).delete()
    for alias in data.aliases:
        if alias.strip():
            entry = PersonAlias(person=locked, data_key=locked.data_key)
            entry.set_plain("name", alias.strip())
            entry.save()
    _reindex(locked, [data.given_name, data.family_name, *data.aliases])
    _replace_lists(locked, data)
    record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        organisation=organisation,
        target=locked,
        case_id=case_id,
        fields=[*PERSON_PLAIN_FIELDS, *Person.ENCRYPTED, "aliases", "citizenships", "languages"],
    )
    return locked


@transaction.atomic
def identity_document_add(
    *,
    acting_user: Any,
    organisation: Any,
    case_id: int,
    person: Person,
    kind: str,
    number: str,
    issuing_country: str = "",
    valid_until: datetime.date | None = None,
    held_by_person: bool = True,
) -> IdentityDocument:
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": [_("Choose one of the listed documents.")]})
    if issuing_country and (len(issuing_country) != 2 or not issuing_country.isalpha()):
        raise ValidationError({"issuing_country": [_("Use the two-letter ISO country code.")]})
    document = IdentityDocument(
        person=person,
        data_key=person.data_key,
        kind=kind,
        issuing_country=issuing_country.upper(),
        valid_until=valid_until,
        held_by_person=held_by_person,
    )
    document.set_plain("number", number.strip() or None)
    document.save()
    record(
        action=AuditAction.CREATE,
        actor=acting_user,
        organisation=organisation,
        target=document,
        case_id=case_id,
        fields=["kind", "number", "issuing_country", "valid_until", "held_by_person"],
    )
    return document


@transaction.atomic
def related_person_add(
    *,
    acting_user: Any,
    organisation: Any,
    case_id: int,
    person: Person,
    relationship: str,
    name: str,
    contact: str = "",
    notes: str = "",
    is_emergency_contact: bool = False,
    is_dependant: bool = False,
    dependant_needs: str = "",
    is_legal_representative: bool = False,
    authority_document: str = "",
    authority_valid_until: datetime.date | None = None,
    authority_upload: Any = None,
) -> RelatedPerson:
    errors: dict[str, list[str]] = {}
    if relationship not in Relationship.values:
        errors["relationship"] = [_("Choose one of the listed relationships.")]
    if not name.strip():
        errors["name"] = [_("Enter the name.")]
    if authority_document not in AuthorityDocument.values:
        errors["authority_document"] = [_("Choose one of the listed documents.")]
    if is_legal_representative and not authority_document:
        errors["authority_document"] = [
            _("A legal representative needs the document that gives them authority.")
        ]
    if errors:
        raise ValidationError(errors)
    related = RelatedPerson(
        person=person,
        data_key=person.data_key,
        relationship=relationship,
        is_emergency_contact=is_emergency_contact,
        is_dependant=is_dependant,
        is_legal_representative=is_legal_representative,
        authority_document=authority_document if is_legal_representative else "",
        authority_valid_until=authority_valid_until if is_legal_representative else None,
        created_by=acting_user,
    )
    related.set_plain("name", name.strip())
    related.set_plain("contact", contact.strip() or None)
    related.set_plain("notes", notes.strip() or None)
    related.set_plain("dependant_needs", dependant_needs.strip() or None)
    if authority_upload is not None:
        stored = store_upload(
            authority_upload,
            key=person.data_key,
            table=RelatedPerson._meta.db_table,
            column="authority_file",
            row=str(related.uuid),
        )
        related.authority_file = stored.name
        related.set_plain("authority_file_name", stored.original_name)
    related.save()
    record(
        action=AuditAction.CREATE,
        actor=acting_user,
        organisation=organisation,
        target=related,
        case_id=case_id,
        fields=[
            "relationship",
            "name",
            "contact",
            "notes",
            "is_dependant",
            "is_legal_representative",
            "authority_document",
        ],
    )
    return related


def data_key_of(person: Person) -> DataKey:
    return person.data_key


@transaction.atomic
def person_erase(*, acting_user: Any, organisation: Any, person: Person, reason: str) -> None:
    """Crypto-erase a person (used by retention, SPEC C9): destroy their data key, so every
    value and file encrypted under it is unreadable for good, and drop their blind indexes,
    which would otherwise still confirm a guessed name or date of birth."""
    PersonNameIndex.objects.filter(person=person).delete()
    Person.objects.filter(pk=person.pk).update(dob_index="")
    person.dob_index = ""
    crypto_erase(person.data_key, acting_user=acting_user, reason=reason, organisation=organisation)


@transaction.atomic
def identity_document_remove(
    *, acting_user: Any, organisation: Any, case_id: int, document: IdentityDocument
) -> None:
    record(
        action=AuditAction.DELETE,
        actor=acting_user,
        organisation=organisation,
        target=document,
        case_id=case_id,
        fields=["kind", "number"],
    )
    document.delete()


@transaction.atomic
def related_person_remove(
    *, acting_user: Any, organisation: Any, case_id: int, related: RelatedPerson
) -> None:
    """Remove a relative or contact entered by mistake. A legal representative named on a
    recorded consent stays: the consent register must keep saying who consented."""
    from consent.models import Consent

    if Consent.objects.filter(legal_representative=related).exists():
        raise ValidationError(
            {"related": [_("Recorded consents name this legal representative; they stay on file.")]}
        )
    record(
        action=AuditAction.DELETE,
        actor=acting_user,
        organisation=organisation,
        target=related,
        case_id=case_id,
        fields=["relationship", "name", "contact"],
    )
    stored = related.authority_file
    related.delete()
    if stored:
        # The file is unreadable without its row's associated data; removing it only tidies up.
        transaction.on_commit(lambda: delete_encrypted(stored))
