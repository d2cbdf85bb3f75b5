from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.selectors import AuditFilters


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    """The audit log's filters: who, which case, what, and when."""

    actor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Who"), queryset=None, required=False, empty_label=_("Everyone")
    )
    case_code = forms.CharField(
        label=_("Case code"),
        required=False,
        max_length=16,
        help_text=_("The pseudonymous code, for example R-7KQ4-X9M2."),
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=_DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=_DateInput())

    def __init__(self, *args: Any, actors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors  # type: ignore[attr-defined]  # ModelChoiceField
        self.fields["actor"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: f"{user.get_full_name() or user.username} ({user.username})"
        )
        self.fields["action"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", _("All actions")),
            *AuditAction.choices,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return data

    def filters(self) -> AuditFilters:
        """The filters the valid fields ask for; an invalid field filters nothing."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        actor = data.get("actor")
        return AuditFilters(
            action=data.get("action") or "",
            actor_id=actor.pk if actor is not None else None,
            case_code=data.get("case_code") or "",
            since=data.get("since"),
            until=data.get("until"),
        )
