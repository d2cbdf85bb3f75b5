"""Forms of the plan pages. They check shapes; the services check the rules and name the
field that broke one (DESIGN rule 8)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from plans.codes import (
    STAFF_SIGNATORIES,
    ActivityStatus,
    DecisionKind,
    NotDeliveredReason,
    PlanDomain,
    PrintLayout,
    Priority,
    RequestedBy,
    ResponsibleKind,
    ReviewRating,
    Signatory,
    UltimateGoal,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class VersionedForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(VersionedForm):
    ultimate_goal = forms.ChoiceField(
        label=_("Ultimate goal"), choices=_blank(UltimateGoal.choices), required=False
    )
    goal_details = forms.CharField(
        label=_("The goal in the person's words"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    starts_on = forms.DateField(label=_("Plan starts on"), widget=DATE, required=False)
    layout = forms.ChoiceField(label=_("Print layout"), choices=PrintLayout.choices)
    notes = forms.CharField(
        label=_("Comments / notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class ObjectiveForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=PlanDomain.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    title = forms.CharField(label=_("Objective"), max_length=500)
    need = forms.CharField(
        label=_("Challenge / need it answers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    assessment = forms.TypedChoiceField(
        label=_("Assessment conclusion"), coerce=int, required=False, empty_value=None
    )
    dependant = forms.TypedChoiceField(
        label=_("For a person in care"), coerce=int, required=False, empty_value=None
    )
    anticipated_result = forms.CharField(
        label=_("Anticipated result"), required=False, max_length=1000
    )
    risk_factors = forms.CharField(label=_("Risk factors"), required=False, max_length=1000)
    indicator = forms.CharField(label=_("Success indicator"), required=False, max_length=500)
    target = forms.CharField(label=_("Measurable target"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        needs: list[tuple[int, str]] | None = None,
        dependants: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assessment"]).choices = _blank(needs or [])
        cast(forms.ChoiceField, self.fields["dependant"]).choices = _blank(dependants or [])


class ActivityForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=1000)
    responsible_kind = forms.ChoiceField(label=_("Responsible"), choices=ResponsibleKind.choices)
    responsible_user = forms.ModelChoiceField(
        label=_("Staff member"), queryset=User.objects.none(), required=False
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    responsible_name = forms.CharField(
        label=_("Name or contact person"), required=False, max_length=200
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE, required=False)
    due_on = forms.DateField(label=_("Deadline"), widget=DATE, required=False)
    review_on = forms.DateField(label=_("Review date"), widget=DATE, required=False)

    def __init__(self, *args: Any, staff: Any = None, organisations: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if staff is not None:
            cast(forms.ModelChoiceField, self.fields["responsible_user"]).queryset = staff
        if organisations is not None:
            cast(
                forms.ModelChoiceField, self.fields["responsible_organisation"]
            ).queryset = organisations


# The currencies plans are budgeted in: those of the packs' countries (Moldova, Georgia,
# Albania, Romania), the organisation's own first. A typed code invited "mdl" and "lei".
PLAN_CURRENCIES = {"MD": "MDL", "GE": "GEL", "AL": "ALL", "RO": "RON"}


def currency_choices(country: str = "") -> list[tuple[str, str]]:
    """``[("MDL", "MDL — Moldovan leu"), …]`` in the reader's language, the country's first."""
    from babel.numbers import get_currency_name
    from django.utils.translation import get_language

    first = PLAN_CURRENCIES.get(country.upper())
    codes = [first] if first else []
    codes += [code for code in PLAN_CURRENCIES.values() if code != first]
    locale = (get_language() or "en").split("-")[0]
    return [(code, f"{code} — {get_currency_name(code, locale=locale)}") for code in codes]


class BudgetLineForm(forms.Form):
    units = forms.DecimalField(label=_("Units"), initial=1, max_digits=10, decimal_places=2)
    amount = forms.DecimalField(label=_("Sum"), max_digits=12, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"))
    funding_organisation = forms.ModelChoiceField(
        label=_("Funded by"), queryset=Organisation.objects.none(), required=False
    )
    funding_source_name = forms.CharField(
        label=_("Other funding source"), required=False, max_length=120
    )

    def __init__(self, *args: Any, organisations: Any = None, country: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            cast(
                forms.ModelChoiceField, self.fields["funding_organisation"]
            ).queryset = organisations
        currency = cast(forms.ChoiceField, self.fields["currency"])
        currency.choices = currency_choices(country)
        currency.initial = currency.choices[0][0]


class ProgressForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    reason = forms.ChoiceField(
        label=_("Reason not delivered"), choices=_blank(NotDeliveredReason.choices), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class ExclusionForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=PlanDomain.choices)
    reason = forms.CharField(
        label=_("Why this domain has no objective"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ModificationForm(VersionedForm):
    reason = forms.CharField(
        label=_("Arguments (reason for the change)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    anticipated_result = forms.CharField(label=_("Anticipated result"), max_length=1000)
    requested_by = forms.ChoiceField(label=_("Requested by"), choices=RequestedBy.choices)


class PaperSignatureForm(forms.Form):
    role = forms.ChoiceField(label=_("Signatory"), choices=Signatory.choices)
    signer_name = forms.CharField(label=_("Name of the person who signed"), max_length=200)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    scan = forms.FileField(label=_("Scan of the signed page (PDF, JPEG or PNG)"))


class AcknowledgeForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Sign as"),
        choices=[
            (value, label) for value, label in Signatory.choices if value in STAFF_SIGNATORIES
        ],
    )
    otp_code = forms.CharField(
        label=_("Your current second-factor code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class DecisionForm(VersionedForm):
    stage = forms.CharField(widget=forms.HiddenInput, required=False)
    # No decision is chosen in advance: a careless save must not approve a plan.
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", _("Choose a decision")), *DecisionKind.choices]
    )
    comment = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE)
    # 000 CPTW: success is the result of the activities against time, resources and the
    # degree the problems were solved.
    result = forms.ChoiceField(
        label=_("Result of the activities achieved"), choices=ReviewRating.choices
    )
    time = forms.ChoiceField(label=_("Within the time planned"), choices=ReviewRating.choices)
    resources = forms.ChoiceField(
        label=_("Within the resources planned"), choices=ReviewRating.choices
    )
    problems_solved = forms.ChoiceField(
        label=_("The person's problems solved"), choices=ReviewRating.choices
    )
    legal_support = forms.CharField(
        label=_("Legal and court support since the last review"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    note = forms.CharField(
        label=_("Comments"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


def _text_area(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class PlanDetailsForm(VersionedForm):
    """The parts of the seed formats beyond the common plan (000 UNDP, TdH, CPTW) and the
    child's own views (000 L357)."""

    child_views = _text_area(
        _("The child's own views on the plan"),
        _("Required before submission for a child of the age the policy consults."),
    )
    protection_responsible = _text_area(
        _("Responsible for applying the protection measures (service and its head)")
    )
    team_external = _text_area(
        _("Team members from other institutions (name and institution, one per line)")
    )
    reason_for_repatriation = _text_area(_("Reason for repatriation"))
    information_methods = _text_area(
        _("Methods and means used to gather the information"),
        _("Study visits, talks with the family and the authorities, …"),
    )
    conclusions = _text_area(_("Conclusions, comments and proposals"))
    person_commitments = _text_area(_("What the person undertakes to do"))
    organisation_commitments = _text_area(_("What the organisation undertakes to do"))


class ConfirmationForm(forms.Form):
    """A provider's confirmation of one activity's service (001 §7.5-§7.6)."""

    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Organisation.objects.none(), required=False
    )
    provider_name = forms.CharField(
        label=_("Provider outside the system"), required=False, max_length=200
    )
    referral = forms.TypedChoiceField(
        label=_("Through a referral the provider accepted"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")],
    )
    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=DATE)
    note = forms.CharField(
        label=_("How it was confirmed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, organisations: Any = None, referrals: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            cast(forms.ModelChoiceField, self.fields["provider"]).queryset = organisations
        cast(forms.TypedChoiceField, self.fields["referral"]).choices = [("", "—"), *referrals]


class PrintForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[*PrintLayout.choices, ("summary", _("Plain-language summary for the person"))],
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class SettingsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    layout = forms.ChoiceField(label=_("Print layout for plans"), choices=PrintLayout.choices)


class ObjectiveEditForm(ObjectiveForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class ActivityEditForm(ActivityForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
