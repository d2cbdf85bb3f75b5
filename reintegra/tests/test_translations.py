"""The four shipped catalogues are complete: every message translated, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation

LANGUAGES = ["ro", "ru", "ka", "sq"]
LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}|%[sd]")


def _catalog(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_keeps_placeholders(language):
    catalog = _catalog(language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = sorted(PLACEHOLDER.findall(ids[-1]))
        for translated in strings:
            if sorted(PLACEHOLDER.findall(translated)) != expected:
                problems.append(f"placeholders differ: {ids[0]!r} -> {translated!r}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_render_in_the_language(language):
    compiled = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert compiled.exists(), "run `python manage.py compile_translations` (make install does)"
    with translation.override(language):
        expected = translation.gettext("Sign in")
    assert expected != "Sign in"
    response = Client(headers={"accept-language": language}).get("/accounts/login/")
    assert expected in response.content.decode()
