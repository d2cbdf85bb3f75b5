"""Forms of the teamwork pages; the services check the rules and name the field."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _area(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=8000,
    )


class CrisisForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("When"), widget=DATETIME)
    situation = _area(_("Situation"))
    immediate_risks = _area(_("Immediate risks"))
    actions = _area(_("Actions taken"))
    responders = _area(_("Who intervened"), rows=2)
    outcome = _area(_("Outcome"), required=False)
    follow_up_needed = forms.BooleanField(
        label=_("Psychological follow-up needed"), required=False, initial=True
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    participants = StaffChoiceField(
        label=_("Participants (staff)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = _area(
        _("Other participants (name and organisation)"), required=False, rows=2
    )
    purpose = _area(_("Purpose of the meeting"), rows=2)
    decisions = _area(_("Decisions"))
    minutes_due_on = forms.DateField(label=_("Minutes to be shared by"), widget=DATE)

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            cast(StaffChoiceField, self.fields["participants"]).queryset = staff


class MinutesForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    minutes = _area(_("Minutes"), rows=4)
    shared_on = forms.DateField(label=_("Shared with the participants on"), widget=DATE)


class InformationRequestForm(forms.Form):
    case = forms.ChoiceField(label=_("Case (pseudonymous code)"))
    question = _area(_("Information requested"))
    answer_by = forms.DateField(label=_("Answer by"), widget=DATE, required=False)

    def __init__(self, *args: Any, cases: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["case"]).choices = [
            (case.pk, case.code) for case in cases
        ]


class AnswerForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    answer = _area(_("Answer"))
