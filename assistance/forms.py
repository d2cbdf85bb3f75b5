"""Forms of the implementation section and the monthly report. They check shapes; the
services check the rules and name the field that broke one (DESIGN rule 8)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assistance.codes import AcknowledgementMethod, DeliveredBy, ItemCategory, Provision, Unit
from plans.codes import ActivityStatus, NotDeliveredReason

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


def _blank(choices: Any) -> list[tuple[Any, Any]]:
    return [("", "—"), *choices]


class VersionedForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ImplementationForm(VersionedForm):
    actual_start = forms.DateField(label=_("Actual start"), widget=DATE, required=False)
    actual_end = forms.DateField(label=_("Actual end"), widget=DATE, required=False)
    delivered_by = forms.ChoiceField(
        label=_("Delivered by"), choices=_blank(DeliveredBy.choices), required=False
    )
    delivered_by_user = forms.TypedChoiceField(
        label=_("Staff member"), coerce=int, required=False, empty_value=None
    )
    referral = forms.TypedChoiceField(
        label=_("Accepted referral"), coerce=int, required=False, empty_value=None
    )
    delivered_by_name = forms.CharField(label=_("Family member"), required=False, max_length=200)
    result = forms.CharField(
        label=_("Result achieved"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    value_reached = forms.CharField(
        label=_("Value reached on the target"), required=False, max_length=20, widget=MONEY
    )
    estimated_value = forms.CharField(
        label=_("Estimated value of a service of another organisation"),
        required=False,
        max_length=20,
        widget=MONEY,
    )
    estimated_currency = forms.CharField(label=_("Currency"), required=False, max_length=3)

    def __init__(
        self,
        *args: Any,
        staff: list[tuple[int, str]],
        referrals: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_by_user"].choices = _blank(staff)  # type: ignore[attr-defined]  # ChoiceField
        self.fields["referral"].choices = _blank(referrals)  # type: ignore[attr-defined]  # ChoiceField


class TransitionForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"), choices=ActivityStatus.choices)
    reason = forms.ChoiceField(
        label=_("Reason not delivered"), choices=_blank(NotDeliveredReason.choices), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence (PDF, JPEG or PNG)"))


class LedgerItemForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ItemCategory.choices)
    given_on = forms.DateField(label=_("Date given"), widget=DATE)
    quantity = forms.CharField(label=_("Quantity"), initial="1", max_length=20, widget=MONEY)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    amount = forms.CharField(label=_("Amount"), max_length=20, widget=MONEY)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    provision = forms.ChoiceField(label=_("Provision"), choices=Provision.choices)
    budget_line = forms.TypedChoiceField(
        label=_("Budget line of the plan"), coerce=int, required=False, empty_value=None
    )
    funding_organisation = forms.TypedChoiceField(
        label=_("Funding organisation"), coerce=int, required=False, empty_value=None
    )
    funding_source_name = forms.CharField(
        label=_("Other funding source"), required=False, max_length=120
    )
    description = forms.CharField(label=_("Details"), required=False, max_length=500)
    off_plan_reason = forms.CharField(
        label=_("Why outside the plan (emergency aid)"), required=False, max_length=1000
    )
    over_budget_reason = forms.CharField(
        label=_("Why over the budget line"), required=False, max_length=1000
    )
    cap_override_reason = forms.CharField(
        label=_("Supervisor's reason to exceed the cap"), required=False, max_length=1000
    )

    def __init__(
        self,
        *args: Any,
        lines: list[tuple[int, str]],
        organisations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = _blank(lines)  # type: ignore[attr-defined]  # ChoiceField
        self.fields["funding_organisation"].choices = _blank(organisations)  # type: ignore[attr-defined]  # ChoiceField


class LedgerEditForm(LedgerItemForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AcknowledgeForm(VersionedForm):
    method = forms.ChoiceField(label=_("Acknowledged"), choices=AcknowledgementMethod.choices)
    acknowledged_on = forms.DateField(label=_("On"), widget=DATE)
    scan = forms.FileField(label=_("Scan of the signed sheet"), required=False)


class SheetForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ReportSubmitForm(forms.Form):
    month = forms.CharField(widget=forms.HiddenInput, max_length=7)
    reviewed = forms.BooleanField(
        label=_("I have reviewed these figures and they are complete"), required=False
    )


class ReportAcknowledgeForm(VersionedForm):
    pass
