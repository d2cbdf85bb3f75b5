"""Forms of the complaints pages; the services check the rules (DESIGN rule 8)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.codes import Channel, Outcome, Subject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplaintForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    subject = forms.ChoiceField(label=_("Subject"), choices=Subject.choices)
    details = forms.CharField(label=_("The complaint"), widget=forms.Textarea(attrs={"rows": 4}))
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    complainant = forms.CharField(
        label=_("Name of the person complaining"), required=False, max_length=200
    )
    case_number = forms.CharField(
        label=_("Case number or code, only if the person asks to link the complaint to the case"),
        required=False,
        max_length=40,
    )


class AnswerForm(forms.Form):
    handler = forms.ChoiceField(label=_("Handled by"), required=False)
    response = forms.CharField(
        label=_("Answer given"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    responded_on = forms.DateField(label=_("Answered on"), required=False, widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", "—"), *Outcome.choices]
    )

    def __init__(self, *args: Any, handlers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handlers = {str(user.pk): user for user in handlers}
        cast(forms.ChoiceField, self.fields["handler"]).choices = [("", "—")] + [
            (pk, user.get_full_name() or user.username) for pk, user in self.handlers.items()
        ]


class LinkForm(forms.Form):
    case_number = forms.CharField(label=_("Case number or code"), max_length=40)
