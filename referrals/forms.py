from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.forms import DateInput
from referrals.models import ReferralStatus, SharedSection, UnmetReason, Urgency
from services.models import Service, ServiceCategory


class ReferralForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    service = forms.ModelChoiceField(
        label=_("Service from the directory"),
        queryset=Service.objects.none(),
        required=False,
        help_text=_(
            "Only services that would take this person are listed. Choosing a service also "
            "chooses its organisation."
        ),
    )
    category = forms.ChoiceField(label=_("Service needed"), choices=ServiceCategory.choices)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    respond_by = forms.DateField(
        label=_("Answer expected by"),
        widget=DateInput(),
        required=False,
        help_text=_("Left empty: the period of the case's policy pack."),
    )
    contact_person = forms.CharField(
        label=_("Contact person at the recipient"), max_length=200, required=False
    )
    # 002 L958-L960: the person chooses among the options offered.
    options_offered = forms.CharField(
        label=_("Options offered to the person"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    chosen_by_person = forms.BooleanField(label=_("The person chose this option"), required=False)
    responsibilities = forms.CharField(
        label=_("Responsibilities of each organisation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    monitoring = forms.CharField(
        label=_("Monitoring arrangements"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections to share (only what the recipient needs)"),
        choices=SharedSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = organisations  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["service"].queryset = services  # type: ignore[attr-defined]  # ModelChoiceField


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Answer"), choices=ReferralStatus.choices)
    reason = forms.ChoiceField(
        label=_("Reason (declined or not delivered)"),
        choices=[("", "—"), *UnmetReason.choices],
        required=False,
    )
    answer = forms.CharField(
        label=_("Answer to the sender"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    feedback = forms.CharField(
        label=_("Feedback on the service delivered"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No answer is chosen for the user: a careless save must not accept a referral.
        self.fields["status"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", _("Choose an answer")),
            *((value, label) for value, label in ReferralStatus.choices if value in allowed),
        ]


class UnmetNeedForm(forms.Form):
    category = forms.ChoiceField(label=_("Service needed"), choices=ServiceCategory.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=UnmetReason.choices)
    region = forms.CharField(label=_("Region or municipality"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class TransferForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Organisation that takes the case over"), queryset=Organisation.objects.none()
    )
    handover_note = forms.CharField(
        label=_("Handover note"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations  # type: ignore[attr-defined]  # ModelChoiceField


class TransferDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("", _("Choose a decision")), ("yes", _("Accept the case")), ("no", _("Decline"))],
        coerce=lambda value: value == "yes",
    )
    answer = forms.CharField(
        label=_("Answer (required when declining)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class GapFilterForm(forms.Form):
    country = forms.CharField(label=_("Country (ISO code)"), max_length=2, required=False)
    category = forms.ChoiceField(
        label=_("Service"), choices=[("", _("All")), *ServiceCategory.choices], required=False
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("All")), *UnmetReason.choices], required=False
    )
