"""The person section: identity, relatives, dependants, legal representative, documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import CaseAction
from cases.forms import IdentityDocumentForm, PersonEditForm, RelatedPersonForm
from cases.policy import age_of_majority, is_minor
from cases.selectors import identity_document_of, person_with_details, related_person_of
from cases.views.common import apply_errors, case_for, render_section
from lib.views import login_required_verified
from people.models import Person
from people.services import (
    StalePerson,
    identity_document_add,
    identity_document_remove,
    person_update,
    related_person_add,
    related_person_remove,
)

STALE = gettext_lazy(
    "Someone changed this person's record while you were editing it. The current "
    "values are shown; check them and save again."
)


@login_required_verified
def person_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    person = person_with_details(case)
    minor = None
    if not person.is_erased:
        minor = is_minor(
            date_of_birth=person.date_of_birth,
            birth_year=person.birth_year,
            on=timezone.localdate(),
            majority=age_of_majority(case),
        )
    return render_section(
        request, "cases/person.html", acting, case, "person", {"person": person, "is_minor": minor}
    )


def _person_initial(person: Person) -> dict[str, object]:
    return {
        "version": person.version,
        "given_name": person.get_plain("given_name") or "",
        "family_name": person.get_plain("family_name") or "",
        "aliases": ", ".join(a.get_plain("name") or "" for a in person.aliases.all()),
        "sex": person.sex,
        "gender": person.gender,
        "date_of_birth": person.date_of_birth,
        "birth_year": person.birth_year,
        "birth_year_estimated": person.birth_year_estimated,
        "place_of_birth": person.get_plain("place_of_birth") or "",
        "citizenships": ", ".join(c.country for c in person.citizenships.all()),
        "languages": ", ".join(lang.language for lang in person.languages.all()),
        "education": person.education,
        "address": person.get_plain("address") or "",
        "phone": person.get_plain("phone") or "",
        "email": person.get_plain("email") or "",
        "has_disability": person.has_disability,
        "disability_details": person.get_plain("disability_details") or "",
    }


@login_required_verified
@require_http_methods(["GET", "POST"])
def person_edit_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    person = person_with_details(case)
    if person.is_erased:
        messages.error(request, _("This identity was erased and cannot be edited."))
        return redirect("cases:person", case_id=case.pk)
    form = PersonEditForm(request.POST or None, initial=_person_initial(person))
    status = 200
    stale: str | None = None
    if request.method == "POST" and form.is_valid():
        try:
            person_update(
                acting_user=acting.user,
                organisation=acting.organisation,
                case_id=case.pk,
                person=person,
                expected_version=form.cleaned_data["version"],
                data=form.person_input(),
            )
        except StalePerson:
            form = PersonEditForm(initial=_person_initial(person_with_details(case, reload=True)))
            stale = str(STALE)
            status = 409
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Personal details saved."))
            return redirect("cases:person", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "person",
        {"form": form, "title": _("Personal details"), "stale": stale},
        status=status,
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def identity_document_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = IdentityDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity_document_add(
                acting_user=acting.user,
                organisation=acting.organisation,
                case_id=case.pk,
                person=case.person,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Identity document added."))
            return redirect("cases:person", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "person",
        {"form": form, "title": _("Add an identity document")},
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def related_person_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = RelatedPersonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("authority_file")
        try:
            related_person_add(
                acting_user=acting.user,
                organisation=acting.organisation,
                case_id=case.pk,
                person=case.person,
                authority_upload=upload,
                **data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect("cases:person", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "person",
        {
            "form": form,
            "title": _("Add a relative, contact, dependant or legal representative"),
            "multipart": True,
        },
    )


@login_required_verified
@require_POST
def identity_document_remove_view(
    request: HttpRequest, case_id: int, document_id: int
) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    document = identity_document_of(case, document_id)
    if document is None:
        raise Http404
    identity_document_remove(
        acting_user=acting.user,
        organisation=acting.organisation,
        case_id=case.pk,
        document=document,
    )
    messages.success(request, _("Identity document removed."))
    return redirect("cases:person", case_id=case.pk)


@login_required_verified
@require_POST
def related_person_remove_view(request: HttpRequest, case_id: int, related_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    related = related_person_of(case, related_id)
    if related is None:
        raise Http404
    try:
        related_person_remove(
            acting_user=acting.user,
            organisation=acting.organisation,
            case_id=case.pk,
            related=related,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Removed."))
    return redirect("cases:person", case_id=case.pk)
