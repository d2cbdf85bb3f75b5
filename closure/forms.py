"""Forms of the closure pages. They check shapes; the services check the rules and name the
field that broke one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from closure.codes import (
    ClosureReason,
    ContactChannel,
    ContactFrequency,
    FollowUpEnd,
    ObjectiveResult,
    ReopenReason,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closure"), choices=ClosureReason.choices)
    planned = forms.BooleanField(label=_("Planned ending"), required=False, initial=True)
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE, initial=timezone.localdate)
    person_words = forms.CharField(label=_("In the person's words"), required=False, widget=TEXT)
    worker_assessment = forms.CharField(
        label=_("The case manager's assessment"), required=False, widget=TEXT
    )
    remaining_needs = forms.CharField(label=_("Remaining needs"), required=False, widget=TEXT)
    follow_up_actions = forms.CharField(label=_("Follow-up actions"), required=False, widget=TEXT)
    contact_channel = forms.ChoiceField(
        label=_("Contact after closure"), choices=ContactChannel.choices
    )
    contact_frequency = forms.ChoiceField(
        label=_("Frequency"), choices=[("", "—"), *ContactFrequency.choices], required=False
    )
    consent_to_contact = forms.BooleanField(
        label=_("The person consents to be contacted"), required=False
    )
    handed_over_activities = forms.MultipleChoiceField(
        label=_("Open activities handed over"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handed_over_referrals = forms.MultipleChoiceField(
        label=_("Open referrals handed over"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    handover = forms.CharField(label=_("Handed over to whom, and how"), required=False, widget=TEXT)

    def __init__(
        self,
        *args: Any,
        objectives: list[tuple[int, str]],
        activities: list[tuple[int, str]],
        referrals: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for pk, title in objectives:
            self.fields[f"objective_{pk}"] = forms.ChoiceField(
                label=title, choices=ObjectiveResult.choices
            )
        self.objective_ids = [pk for pk, _title in objectives]
        self.fields["handed_over_activities"].choices = [(str(k), v) for k, v in activities]  # type: ignore[attr-defined]
        self.fields["handed_over_referrals"].choices = [(str(k), v) for k, v in referrals]  # type: ignore[attr-defined]
        if not activities:
            del self.fields["handed_over_activities"]
        if not referrals:
            del self.fields["handed_over_referrals"]

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        objectives = {pk: data.pop(f"objective_{pk}") for pk in self.objective_ids}
        activities = [int(v) for v in data.pop("handed_over_activities", [])]
        referrals = [int(v) for v in data.pop("handed_over_referrals", [])]
        return {
            **data,
            "objectives": objectives,
            "handed_over_activity_ids": activities,
            "handed_over_referral_ids": referrals,
        }


class ClosureDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve the closure")), ("no", _("Refuse the closure"))],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label=_("Note (needed to refuse)"), required=False, widget=TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class FollowUpEndForm(forms.Form):
    why = forms.ChoiceField(
        label=_("Why follow-up ends"),
        choices=[
            (FollowUpEnd.PERIOD_COMPLETED, FollowUpEnd.PERIOD_COMPLETED.label),
            (FollowUpEnd.CONSENT_WITHDRAWN, FollowUpEnd.CONSENT_WITHDRAWN.label),
        ],
    )
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT)


class ReopenForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for reopening"), choices=ReopenReason.choices)
    reopened_on = forms.DateField(label=_("Reopened on"), widget=DATE, initial=timezone.localdate)
    setback = forms.TypedChoiceField(
        label=_("The setback it follows"), required=False, coerce=int, empty_value=None
    )
    return_to_phase = forms.ChoiceField(label=_("Return to phase"), required=False)
    note = forms.CharField(label=_("What happened"), required=False, widget=TEXT)

    def __init__(
        self,
        *args: Any,
        setbacks: list[tuple[int, str]],
        phases: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["setback"].choices = [("", "—"), *((str(k), v) for k, v in setbacks)]  # type: ignore[attr-defined]
        if phases:
            self.fields["return_to_phase"].choices = [("", "—"), *phases]  # type: ignore[attr-defined]
        else:
            del self.fields["return_to_phase"]


class ClosedCaseFilterForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closure"), choices=[("", "—"), *ClosureReason.choices], required=False
    )
    planned = forms.ChoiceField(
        label=_("Planned ending"),
        choices=[("", "—"), ("yes", _("Planned")), ("no", _("Unplanned"))],
        required=False,
    )
    in_follow_up = forms.BooleanField(label=_("Follow-up still running"), required=False)
