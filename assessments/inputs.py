"""Django forms of the assessment-record pages (the questionnaires themselves are rendered
by ``assessments.rendering`` from their definitions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.definitions import AssessmentDomain
from assessments.selectors import latest_forms
from lib.formatting import format_date

PROBLEM_SLOTS = 5


def _form_choices() -> list[tuple[str, str]]:
    return [(form.code, form.title.text()) for form in latest_forms()]


class AssignForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"))
    assignee = forms.TypedChoiceField(label=_("Assigned to"), coerce=int)

    def __init__(self, *args: Any, assignees: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field = self.fields["form"]
        assignee_field = self.fields["assignee"]
        assert isinstance(form_field, forms.ChoiceField)
        assert isinstance(assignee_field, forms.ChoiceField)
        form_field.choices = _form_choices()
        assignee_field.choices = [
            (user.pk, user.get_full_name() or user.username) for user in assignees
        ]


class DisagreementForm(forms.Form):
    note = forms.CharField(
        label=_("Your disagreement"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        # 002 L1107-L1108: a team member records a differing view on a domain.
        help_text=_("What you see differently in this domain, and why."),
    )


class StartForm(forms.Form):
    identification_decision = forms.TypedChoiceField(
        label=_("Formal identification"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, decisions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision_field = self.fields["identification_decision"]
        assert isinstance(decision_field, forms.ChoiceField)
        decision_field.choices = [("", "—")] + [
            (d.pk, f"{format_date(d.decided_on)} · {d.get_to_status_display()}") for d in decisions
        ]


class ComprehensiveForm(StartForm):
    """000 IOM part II (the person's own view) and part III (problem ranking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    own_view = forms.CharField(
        label=_("The person's own view of their needs"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    desired_situation = forms.CharField(
        label=_("The situation the person wants"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        domains = [("", "—"), *AssessmentDomain.choices]
        for slot in range(1, PROBLEM_SLOTS + 1):
            self.fields[f"problem_{slot}"] = forms.CharField(
                label=_("Problem %(rank)d") % {"rank": slot}, required=False, max_length=2000
            )
            self.fields[f"problem_{slot}_domain"] = forms.ChoiceField(
                label=_("Domain of problem %(rank)d") % {"rank": slot},
                choices=domains,
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for slot in range(1, PROBLEM_SLOTS + 1):
            if cleaned.get(f"problem_{slot}", "").strip() and not cleaned.get(
                f"problem_{slot}_domain"
            ):
                self.add_error(f"problem_{slot}_domain", _("Say which domain this problem is in."))
        return cleaned
