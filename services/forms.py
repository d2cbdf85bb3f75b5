"""Forms for the directory. They parse what a browser sends; the rules (known codes, age
range, complete fee) live in ``services.services`` so the API obeys the same ones."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from lib.widgets import LongSelect
from services.codes import country_codes, country_name, language_codes, language_name
from services.models import CostKind, IdentificationStatus, Service, ServiceCategory, Sex
from services.rules import RENEWAL_ROUND_DEFAULT_DAYS
from services.selectors import AreaQuery, EligibilityProfile
from services.services import AreaInput


# The lists are built once per language and process: the names come from CLDR and never
# change while the process runs.
@functools.cache
def _country_choices_in(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((c, country_name(c)) for c in country_codes()), key=lambda c: c[1]))


@functools.cache
def _language_choices_in(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((c, language_name(c)) for c in language_codes()), key=lambda c: c[1]))


def _country_choices() -> list[tuple[str, str]]:
    return list(_country_choices_in(get_language() or ""))


def _language_choices() -> list[tuple[str, str]]:
    return list(_language_choices_in(get_language() or ""))


class SearchForm(forms.Form):
    """The directory search; every field optional, bad values simply reported."""

    q = forms.CharField(label=_("Words in name or description"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any category")), *ServiceCategory.choices],
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    region = forms.CharField(label=_("Region or municipality"), required=False, max_length=100)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=LongSelect)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Any")), *Sex.choices])
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=LongSelect)
    status = forms.ChoiceField(
        label=_("Identification status"),
        required=False,
        choices=[("", _("Any")), *IdentificationStatus.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Names in the reader's language, so the lists are built per request.
        countries = [("", _("Any")), *_country_choices()]
        for name, choices in (
            ("country", countries),
            ("nationality", countries),
            ("language", [("", _("Any")), *_language_choices()]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("region") and not data.get("country"):
            self.add_error("country", _("Choose the country of this region."))
        return data

    def profile(self) -> EligibilityProfile:
        data = self.cleaned_data
        return EligibilityProfile(
            age=data.get("age"),
            sex=data.get("sex") or None,
            nationality=(data.get("nationality") or "").upper() or None,
            identification_status=data.get("status") or None,
        )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        country = (data.get("country") or "").strip().upper()
        return {
            "category": data.get("category") or None,
            "area": AreaQuery(country, data.get("region") or "") if country else None,
            "language": (data.get("language") or "").strip().lower() or None,
            "text": data.get("q") or None,
        }


class ServiceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), required=True
    )
    category = forms.ChoiceField(label=_("Category"), choices=ServiceCategory.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    language = forms.ChoiceField(
        label=_("Language of the name and description"),
        help_text=_("Write in your own words; readers see the text as you entered it."),
    )
    languages = forms.CharField(
        label=_("Languages the service is offered in"),
        help_text=_("ISO 639-1 codes separated by commas, e.g. ro, ru, en."),
        max_length=200,
    )
    areas = forms.CharField(
        label=_("Areas served"),
        help_text=_(
            "One per line: a country code, optionally followed by a comma and a region or "
            "municipality, e.g. “MD, Chișinău”. A country alone means the whole country."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    age_min = forms.IntegerField(label=_("Minimum age"), required=False)
    age_max = forms.IntegerField(label=_("Maximum age"), required=False)
    sexes = forms.MultipleChoiceField(
        label=_("Accepts"), choices=Sex.choices, widget=forms.CheckboxSelectMultiple
    )
    nationalities = forms.CharField(
        label=_("Only these nationalities"),
        required=False,
        help_text=_("ISO 3166 country codes separated by commas; leave empty for everyone."),
        max_length=300,
    )
    identification_statuses = forms.MultipleChoiceField(
        label=_("Identification statuses accepted"),
        choices=IdentificationStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(
        label=_("Capacity (places)"), required=False, help_text=_("Leave empty if not limited.")
    )
    waiting_days = forms.IntegerField(label=_("Current waiting time (days)"), initial=0)
    cost_kind = forms.ChoiceField(label=_("Cost"), choices=CostKind.choices)
    fee_amount = forms.DecimalField(
        label=_("Fee amount"), required=False, max_digits=10, decimal_places=2
    )
    fee_currency = forms.CharField(
        label=_("Fee currency (ISO 4217 code)"), required=False, max_length=3
    )
    contact_person = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    opening_hours = forms.CharField(label=_("Opening hours"), required=False, max_length=200)
    is_active = forms.BooleanField(label=_("Active (shown in the directory)"), required=False)

    def __init__(
        self, *args: Any, providers: QuerySet[Organisation], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = _language_choices()
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ModelChoiceField)
        organisation_field.queryset = providers
        if editing:
            # A service stays with its provider; moving it would hand it to someone else.
            del self.fields["organisation"]
        else:
            del self.fields["is_active"]

    @staticmethod
    def initial_for(service: Service) -> dict[str, Any]:
        return {
            "version": service.version,
            "category": service.category,
            "name": service.name,
            "description": service.description,
            "language": service.language,
            "languages": ", ".join(language.code for language in service.languages.all()),
            "areas": "\n".join(
                f"{area.country}, {area.region}" if area.region else area.country
                for area in service.areas.all()
            ),
            "age_min": service.age_min,
            "age_max": service.age_max,
            "sexes": service.sexes,
            "nationalities": ", ".join(n.country for n in service.nationalities.all()),
            "identification_statuses": service.identification_statuses,
            "capacity": service.capacity,
            "waiting_days": service.waiting_days,
            "cost_kind": service.cost_kind,
            "fee_amount": service.fee_amount,
            "fee_currency": service.fee_currency,
            "contact_person": service.contact_person,
            "phone": service.phone,
            "email": service.email,
            "opening_hours": service.opening_hours,
            "is_active": service.is_active,
        }

    def clean_areas(self) -> list[AreaInput]:
        areas = []
        for line in self.cleaned_data["areas"].splitlines():
            if not line.strip():
                continue
            country, _sep, region = line.partition(",")
            areas.append(AreaInput(country.strip(), region.strip()))
        if not areas:
            raise ValidationError(_("Name at least one country or region."))
        return areas

    def values(self) -> dict[str, Any]:
        """The cleaned data in the shape ``service_create``/``service_update`` take."""
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in {"version", "organisation"}
        }


class RenewalRoundForm(forms.Form):
    due_on = forms.DateField(
        label=_("Providers confirm by"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].initial = timezone.localdate() + datetime.timedelta(
            days=RENEWAL_ROUND_DEFAULT_DAYS
        )
