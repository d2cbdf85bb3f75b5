from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.forms import DateInput
from consent.models import ConsentGivenBy, ConsentMethod, ConsentPurpose
from people.models import RelatedPerson


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("Shared with (for consent to share)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGivenBy.choices)
    legal_representative = forms.ModelChoiceField(
        label=_("Legal representative"), queryset=RelatedPerson.objects.none(), required=False
    )
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput(), initial=timezone.localdate)
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput(), required=False)
    document = forms.FileField(label=_("Scan of the signed consent"), required=False)

    def __init__(
        self, *args: Any, organisations: Any = None, representatives: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["recipient"].queryset = organisations  # type: ignore[attr-defined]  # ModelChoiceField
        if representatives is not None:
            field = self.fields["legal_representative"]
            field.queryset = representatives  # type: ignore[attr-defined]  # ModelChoiceField
            # The name is encrypted: the label decrypts it for this page only.
            field.label_from_instance = lambda rp: rp.get_plain_or_erased("name") or "—"  # type: ignore[attr-defined]  # ModelChoiceField


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), widget=DateInput(), initial=timezone.localdate
    )


class OverrideForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    recipient = forms.ModelChoiceField(
        label=_("Shared with (for sharing)"), queryset=Organisation.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Reason for proceeding without consent"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["recipient"].queryset = organisations  # type: ignore[attr-defined]  # ModelChoiceField
