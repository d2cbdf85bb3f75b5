"""Forms of the monitoring pages. They check shapes; the services check the rules and name
the field that broke one (DESIGN rule 8)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.codes import (
    REPORT_HEADINGS,
    ContactHeading,
    ContactMode,
    ContactPurpose,
    ContactReport,
    Occasion,
    SetbackTrigger,
    Severity,
)
from monitoring.framework import Framework
from monitoring.selectors import PhaseSummary

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATINGS = [("", _("no rating")), *((str(n), str(n)) for n in range(1, 6))]


class PhaseTransitionForm(forms.Form):
    phase = forms.ChoiceField(label=_("Move to phase"))
    started_on = forms.DateField(label=_("From"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason (needed to skip a phase or return to an earlier one)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, summary: PhaseSummary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["phase"]).choices = [
            (
                choice.key,
                choice.label if choice.in_order else f"{choice.label} ({_('needs a reason')})",
            )
            for choice in summary.choices
        ]


class ContactForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("Mode"), choices=ContactMode.choices)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=ContactPurpose.choices, initial=ContactPurpose.MONITORING
    )
    participants = forms.CharField(
        label=_("Who took part"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, report: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        for heading in REPORT_HEADINGS[report]:
            label = ContactHeading(heading).label
            self.fields[f"note_{heading}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"rating_{heading}"] = forms.TypedChoiceField(
                label=_("Rating: %(heading)s") % {"heading": label},
                choices=RATINGS,
                required=False,
                coerce=int,
                empty_value=None,
            )

    def heading_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"note_{h}"], self[f"rating_{h}"]) for h in REPORT_HEADINGS[self.report]]


class ReportChoiceForm(forms.Form):
    report = forms.ChoiceField(
        label=_("Report"), choices=ContactReport.choices, initial=ContactReport.LONG_TERM
    )


class OutcomeScoresForm(forms.Form):
    occasion = forms.ChoiceField(label=_("Occasion"), choices=Occasion.choices)
    taken_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        scale = [("", _("not scored"))] + [
            (str(level.score), f"{level.score} — {level.label}") for level in framework.levels
        ]
        for domain in framework.domains:
            for who, label in (("worker", _("Worker's score")), ("person", _("Own score"))):
                self.fields[f"{who}_{domain.code}"] = forms.TypedChoiceField(
                    label=f"{domain.label}: {label}",
                    choices=scale,
                    required=False,
                    coerce=int,
                    empty_value=None,
                )

    def domain_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (domain, self[f"worker_{domain.code}"], self[f"person_{domain.code}"])
            for domain in self.framework.domains
        ]


class SetbackForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    triggers = forms.MultipleChoiceField(
        label=_("Triggers"), choices=SetbackTrigger.choices, widget=forms.CheckboxSelectMultiple
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    response = forms.CharField(
        label=_("Response taken"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    led_to_reassessment = forms.BooleanField(label=_("Led to a re-assessment"), required=False)
    led_to_plan_modification = forms.BooleanField(
        label=_("Led to a plan modification"), required=False
    )
    return_to_phase = forms.ChoiceField(label=_("Return to an earlier phase"), required=False)
    re_trafficking = forms.BooleanField(label=_("Re-trafficking"), required=False)
    re_trafficked_on = forms.DateField(label=_("Re-trafficked on"), required=False, widget=DATE)
    circumstances = forms.CharField(
        label=_("Circumstances of the re-trafficking"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, summary: PhaseSummary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("no return"))]
        choices += [(c.key, c.label) for c in summary.choices]
        cast(forms.ChoiceField, self.fields["return_to_phase"]).choices = choices
        if not summary.has_phases:
            del self.fields["return_to_phase"]
