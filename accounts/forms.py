from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationType
from accounts.roles import Discipline, Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class EnrolmentForm(forms.Form):
    code = forms.RegexField(
        label=_("The 6-digit code your app shows now"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class OrganisationSwitchForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.REINTEGRA_API_TOKEN_MAX_DAYS,
        initial=30,
    )


class OrganisationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Wider than the column so that a country name gets the helpful message below rather
    # than a bare length error.
    country = forms.CharField(label=_("Country"), max_length=60)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "type",
            "country",
            "policy_pack",
            "case_prefix",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from policies.packs import shipped_packs

        super().__init__(*args, **kwargs)
        self.fields["policy_pack"] = forms.ChoiceField(
            label=_("Policy pack"),
            choices=[
                (code, f"{code} — {rules.name}") for code, rules in sorted(shipped_packs().items())
            ],
        )

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(
                _("Use the two-letter ISO country code, e.g. MD, GE, AL, RO.")
            )
        return country

    def clean_case_prefix(self) -> str:
        prefix = self.cleaned_data["case_prefix"].strip().upper()
        if not prefix.isalnum():
            raise forms.ValidationError(_("Use letters and digits only."))
        return prefix


class MemberCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    discipline = forms.ChoiceField(
        label=_("Discipline"), choices=[("", "—"), *Discipline.choices], required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class OrganisationAdminForm(forms.Form):
    """The organisation's administrator, created by a system administrator."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    discipline = forms.ChoiceField(
        label=_("Discipline"), choices=[("", "—"), *Discipline.choices], required=False
    )


ORGANISATION_TYPE_CHOICES = OrganisationType.choices
