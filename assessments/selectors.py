"""Reads of form definitions. They are files in the repository, loaded and validated once
at start-up (``AssessmentsConfig.ready``) and read-only afterwards."""

from __future__ import annotations

from pathlib import Path

from assessments.definitions import FormDefinition
from assessments.loader import FORMS_DIRECTORY, FormRegistry, load_directory

_loaded: dict[str, FormRegistry] = {"forms": FormRegistry()}


def load_forms(directory: Path = FORMS_DIRECTORY) -> FormRegistry:
    _loaded["forms"] = load_directory(directory)
    return _loaded["forms"]


def form_registry() -> FormRegistry:
    return _loaded["forms"]


def latest_forms() -> list[FormDefinition]:
    """The current version of every form, in the order staff meet them: by domain, then code."""
    forms = [form for code in form_registry().codes() if (form := form_registry().latest(code))]
    return sorted(forms, key=lambda form: (form.domain, form.code))


def get_form(code: str, version: int | None = None) -> FormDefinition | None:
    return form_registry().get(code, version)


def form_versions(code: str) -> list[int]:
    return form_registry().versions(code)
