from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HtcdsExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("xlsx", "XLSX"), ("csv", "CSV"), ("json", "JSON")],
        initial="xlsx",
    )
    full = forms.BooleanField(
        label=_("Full export, with names, date of birth and contact details"), required=False
    )
    reason = forms.CharField(
        label=_("Why the full export is needed"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("full") and not str(data.get("reason") or "").strip():
            self.add_error(
                "reason", _("Say why the export must include names and contact details.")
            )
        return data


class HtcdsImportForm(forms.Form):
    file = forms.FileField(label=_("HTCDS file (xlsx, csv or json)"))
    dry_run = forms.BooleanField(
        label=_("Check only: report what would happen and write nothing"),
        required=False,
        initial=True,
    )
    partial = forms.BooleanField(
        label=_("Import the good rows even if other rows have problems"), required=False
    )


class StatsExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], initial="csv"
    )
