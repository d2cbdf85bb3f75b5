"""Each printed layout in English and Romanian, with Cyrillic and Georgian text intact
(tested by extracting the PDF text), and the person's plain-language summary."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation

from plans.printing import person_language, plan_pdf, summary_pdf
from plans.selectors import objectives_of
from plans.services import objective_update, plan_update

pytestmark = pytest.mark.django_db

CYRILLIC = "Курсы шитья в Кишинёве"
GEORGIAN = "საცხოვრებელი ბინა თბილისში"


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # Table cells wrap; compare words, not line breaks.
    return " ".join(text.split())


@pytest.fixture
def multilingual_plan(open_case: Any, build_plan: Any, acting: Any, actors: Any) -> Any:
    case = open_case(given_name="Ольга", family_name="Иванова", languages=("ru",))
    plan = build_plan(case, by=actors.case_manager, currency="MDL", domain="financial")
    worker = acting(actors.case_manager, actors.home_org)
    objective = objectives_of(plan)[0]
    objective_update(
        acting=worker,
        objective=objective,
        expected_version=objective.version,
        values={"title": CYRILLIC, "need": GEORGIAN},
    )
    plan.refresh_from_db()
    return plan_update(
        acting=worker, plan=plan, expected_version=plan.version, values={"notes": GEORGIAN}
    )


@pytest.mark.parametrize("layout", ["nrs", "iom", "undp", "tdh"])
@pytest.mark.parametrize("language", ["en", "ro"])
def test_layout_renders_with_every_script(
    multilingual_plan: Any, layout: str, language: str
) -> None:
    pdf = plan_pdf(multilingual_plan, layout=layout, language=language)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert CYRILLIC in text
    assert "Ольга" in text
    assert ("1.200,00" if language == "ro" else "1,200.00") in text
    with translation.override(language):
        # A label the catalogues already carry proves the document is in that language.
        assert translation.gettext("Case manager") in text
    if layout == "tdh":
        with translation.override(language):
            origin = translation.gettext("Origin of expenses")
        assert origin in text and "State Fund" in text
    if layout in ("nrs", "iom", "tdh"):
        assert GEORGIAN in text


def test_summary_in_the_person_s_language(multilingual_plan: Any, actors: Any) -> None:
    assert person_language(multilingual_plan, "en") == "ru"
    text = _text(summary_pdf(multilingual_plan, language="ro"))
    assert "30 iunie 2026" in text  # the deadline, written out in Romanian (lower case)
    assert "Vocational course 1" in text
    assert actors.case_manager.get_full_name() in text
