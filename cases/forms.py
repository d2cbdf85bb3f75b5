"""Forms of the case file. They check shape and give field-named, translated messages; the
services check the rules again, so the API gets the same answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from cases.codes import (
    AssignmentReason,
    ChecklistItem,
    CompensationStatus,
    ExploitationForm,
    IdentificationStatus,
    IdentifyingBody,
    InterviewPrinciple,
    MeansOfControl,
    NoteKind,
    ProceedingsRole,
    ProceedingsStatus,
    RecruitmentMethod,
    RelationshipToTrafficker,
    RiskLevel,
    TeamRole,
)
from cases.models import TraffickingIndicator
from people.codes import AuthorityDocument, DocumentKind, Education, Gender, Relationship, Sex
from people.services import PersonInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PersonFields(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    aliases = forms.CharField(
        label=_("Other names and aliases"),
        required=False,
        help_text=_("Separate several with commas."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, help_text=_("When the exact date is not known.")
    )
    birth_year_estimated = forms.BooleanField(label=_("The year is an estimate"), required=False)
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    citizenships = forms.CharField(
        label=_("Citizenship(s)"), required=False, help_text=_("Two-letter ISO codes, e.g. MD, UA.")
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("ISO 639 codes, mother tongue first, e.g. ro, ru."),
    )
    education = forms.ChoiceField(
        label=_("Education level"), choices=[("", "—"), *Education.choices], required=False
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    has_disability = forms.BooleanField(label=_("Has a disability"), required=False)
    disability_details = forms.CharField(
        label=_("Disability details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not (data.get("given_name") or "").strip()
            and not (data.get("family_name") or "").strip()
        ):
            self.add_error("given_name", _("Enter at least one name."))
        return data

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            birth_year=data["birth_year"],
            birth_year_estimated=data["birth_year_estimated"],
            sex=data["sex"],
            gender=data["gender"],
            place_of_birth=data["place_of_birth"],
            address=data["address"],
            phone=data["phone"],
            email=data["email"],
            education=data["education"],
            has_disability=data["has_disability"],
            disability_details=data["disability_details"],
            citizenships=[c.upper() for c in _codes(data["citizenships"])],
            languages=[c.lower() for c in _codes(data["languages"])],
            aliases=_codes(data["aliases"]),
        )


class RegistrationForm(PersonFields):
    received_at = forms.DateField(
        label=_("Case received on"), widget=DateInput(), initial=timezone.localdate
    )
    referring_organisation = forms.ModelChoiceField(
        label=_("Referring organisation"), queryset=Organisation.objects.none(), required=False
    )
    referring_party = forms.CharField(
        label=_("Referred by (if not in the list)"), max_length=200, required=False
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, required=False)
    security_alert = forms.BooleanField(label=_("Security alert"), required=False)
    emergency_needs = forms.CharField(
        label=_("Emergency needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    immediate_assistance = forms.CharField(
        label=_("Immediate assistance given"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_new_person = forms.BooleanField(
        label=_("I checked the possible matches: this is a different person"), required=False
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["referring_organisation"].queryset = organisations  # type: ignore[attr-defined]  # ModelChoiceField


class CaseEditForm(VersionedForm):
    received_at = forms.DateField(label=_("Case received on"), widget=DateInput())
    first_contact_on = forms.DateField(label=_("First contact"), required=False, widget=DateInput())
    referring_organisation = forms.ModelChoiceField(
        label=_("Referring organisation"), queryset=Organisation.objects.none(), required=False
    )
    referring_party = forms.CharField(
        label=_("Referred by (if not in the list)"), max_length=200, required=False
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, required=False)
    security_alert = forms.BooleanField(label=_("Security alert"), required=False)
    in_proceedings = forms.BooleanField(label=_("In criminal proceedings"), required=False)
    emergency_needs = forms.CharField(
        label=_("Emergency needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    immediate_assistance = forms.CharField(
        label=_("Immediate assistance given"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    immediate_needs_met_on = forms.DateField(
        label=_("Immediate needs met on"), required=False, widget=DateInput()
    )
    minor_at_reception = forms.BooleanField(
        label=_("Minor"),
        help_text=_("Decides only when neither the date nor the year of birth is known."),
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["referring_organisation"].queryset = organisations  # type: ignore[attr-defined]  # ModelChoiceField


class PersonEditForm(PersonFields, VersionedForm):
    pass


class ProfileForm(VersionedForm):
    exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    control = forms.MultipleChoiceField(
        label=_("Means of control"),
        choices=MeansOfControl.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recruitment = forms.MultipleChoiceField(
        label=_("Recruitment"),
        choices=RecruitmentMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recruitment_country = forms.CharField(
        label=_("Country of recruitment"), max_length=2, required=False
    )
    transit_country = forms.CharField(
        label=_("Countries of transit"), required=False, help_text=_("Two-letter ISO codes.")
    )
    exploitation_country = forms.CharField(
        label=_("Countries of exploitation"), required=False, help_text=_("Two-letter ISO codes.")
    )
    exploitation_started_on = forms.DateField(
        label=_("Exploitation started"), required=False, widget=DateInput()
    )
    exploitation_ended_on = forms.DateField(
        label=_("Exploitation ended"), required=False, widget=DateInput()
    )
    places = forms.CharField(
        label=_("Places of exploitation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    routes = forms.CharField(
        label=_("Routes and means of transport"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    relationship_to_trafficker = forms.ChoiceField(
        label=_("Relationship to trafficker"),
        choices=RelationshipToTrafficker.choices,
        required=False,
    )
    traffickers = forms.CharField(
        label=_("Traffickers"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    has_debts = forms.BooleanField(label=_("Debts to the traffickers"), required=False)
    debts = forms.CharField(
        label=_("Debts"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    other_victims_known = forms.BooleanField(label=_("Other victims known"), required=False)
    other_victims_count = forms.IntegerField(
        label=_("Number of other victims"), required=False, min_value=0
    )
    other_victims = forms.CharField(
        label=_("About other victims"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criminal_proceedings = forms.ChoiceField(
        label=_("Criminal proceedings"), choices=ProceedingsStatus.choices
    )
    civil_proceedings = forms.BooleanField(label=_("Civil proceedings"), required=False)
    role_in_proceedings = forms.ChoiceField(
        label=_("The person's role"), choices=ProceedingsRole.choices, required=False
    )
    compensation = forms.ChoiceField(label=_("Compensation"), choices=CompensationStatus.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("exploitation_started_on"), data.get("exploitation_ended_on")
        if start and end and end < start:
            self.add_error(
                "exploitation_ended_on", _("The end of exploitation is before its start.")
            )
        return data


class ScreeningForm(forms.Form):
    screened_on = forms.DateField(
        label=_("Screened on"), widget=DateInput(), initial=timezone.localdate
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators present"),  # 003 §5.1
        queryset=TraffickingIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, indicators: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicators is not None:
            self.fields["indicators"].queryset = indicators  # type: ignore[attr-defined]  # ModelMultipleChoiceField


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), initial=timezone.localdate)
    language = forms.CharField(label=_("Language of the interview"), max_length=3, required=False)
    interpreter_present = forms.BooleanField(label=_("Interpreter present"), required=False)
    personal_information = forms.CharField(
        label=_("Personal information"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Nationality, languages, address, education, parents or relatives, identity documents."
        ),
    )
    medical_history = forms.CharField(
        label=_("Medical history"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chronic illness, pregnancy, medication, injuries from abuse."),
    )
    trafficking_information = forms.CharField(
        label=_("Information on the trafficking case"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Trafficker, place, routes, coercion, debts, form of exploitation, other victims."
        ),
    )
    principles = forms.MultipleChoiceField(
        label=_("Interview principles observed (WHO)"),
        choices=InterviewPrinciple.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DecisionForm(VersionedForm):
    to_status = forms.ChoiceField(
        label=_("New identification status"), choices=IdentificationStatus.choices
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=DateInput(), initial=timezone.localdate
    )
    identifying_body = forms.ChoiceField(
        label=_("Identified by (body)"),
        choices=[("", "—"), *IdentifyingBody.choices],
        required=False,
    )
    identifying_authority = forms.CharField(
        label=_("Identifying authority"), max_length=200, required=False
    )
    decision_document = forms.FileField(label=_("Decision document"), required=False)
    referred_to = forms.CharField(
        label=_("Referred to (if not a victim)"), max_length=200, required=False
    )
    reason = forms.CharField(
        label=_("Reason / notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(VersionedForm):
    case_manager = forms.ModelChoiceField(label=_("Case manager"), queryset=User.objects.none())
    reason = forms.ChoiceField(label=_("Reason"), choices=AssignmentReason.choices)

    def __init__(self, *args: Any, managers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if managers is not None:
            self.fields["case_manager"].queryset = managers  # type: ignore[attr-defined]  # ModelChoiceField


class AdmitForm(VersionedForm):
    admitted_on = forms.DateField(
        label=_("Admitted on"), widget=DateInput(), initial=timezone.localdate
    )


class TeamAddForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role on the team"), choices=TeamRole.choices)

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["user"].queryset = members  # type: ignore[attr-defined]  # ModelChoiceField


class ChangeRequestForm(forms.Form):
    requested_on = forms.DateField(
        label=_("Requested on"), widget=DateInput(), initial=timezone.localdate
    )
    reason = forms.CharField(
        label=_("The person's reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ChangeRequestDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Grant: assign another case manager")), ("0", _("Decline"))],
        coerce=lambda v: v == "1",
    )
    case_manager = forms.ModelChoiceField(
        label=_("New case manager"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, managers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if managers is not None:
            self.fields["case_manager"].queryset = managers  # type: ignore[attr-defined]  # ModelChoiceField


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput(), initial=timezone.now)
    participants = forms.CharField(label=_("Participants"), max_length=500, required=False)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 5}))
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(label=_("Follow up by"), required=False, widget=DateInput())


class DocumentForm(forms.Form):
    item = forms.ChoiceField(label=_("Checklist item"), choices=ChecklistItem.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 10 MB)"))


class IdentityDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    issuing_country = forms.CharField(label=_("Issuing country"), max_length=2, required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    held_by_person = forms.BooleanField(
        label=_("The person holds it"), required=False, initial=True
    )


class RelatedPersonForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(label=_("Contact details"), max_length=500, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_emergency_contact = forms.BooleanField(label=_("Contact in an emergency"), required=False)
    is_dependant = forms.BooleanField(label=_("In the person's care (dependant)"), required=False)
    dependant_needs = forms.CharField(
        label=_("The dependant's needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_legal_representative = forms.BooleanField(
        label=_("Legal representative / guardian"), required=False
    )
    authority_document = forms.ChoiceField(
        label=_("Document of authority"), choices=AuthorityDocument.choices, required=False
    )
    authority_valid_until = forms.DateField(
        label=_("Authority valid until"), required=False, widget=DateInput()
    )
    authority_file = forms.FileField(label=_("Scan of the document of authority"), required=False)
