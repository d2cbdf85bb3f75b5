"""Form definitions: every shipped form validates; every kind of broken definition stops the
start with the file, the line and the problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from accounts.roles import Discipline
from assessments import loader, selectors
from assessments.definitions import LANGUAGES, QuestionType, structure_fingerprint
from assessments.loader import DefinitionError, load_directory, parse_definition
from assessments.tests.conftest import TEST_FORMS

SHIPPED = sorted(loader.FORMS_DIRECTORY.glob("*/v*.yaml"))
SAMPLE = (TEST_FORMS / "sample" / "v1.yaml").read_text(encoding="utf-8")


def test_shipped_forms_all_load():
    registry = load_directory(loader.FORMS_DIRECTORY)
    assert registry.codes() == sorted(path.parent.name for path in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_each_shipped_form_is_complete(path: Path):
    definition = loader.load_file(path)
    assert definition.discipline in Discipline.values
    assert definition.summary.categories, "every shipped form ends with its summary conclusions"
    questions = list(definition.questions())
    assert len(questions) >= 5, "shipped forms carry the complete questionnaire, not a sample"
    # Every label of every question, choice and sub-question exists in all five languages.
    for question in questions:
        for sub in [question, *(question.questions or [])]:
            for language in LANGUAGES:
                assert sub.label.text(language).strip()
            for choice in sub.choices or []:
                assert all(choice.label.text(language).strip() for language in LANGUAGES)
    assert "L" in path.read_text(encoding="utf-8").split("\n", 3)[0] + definition.source


def test_the_app_loaded_the_shipped_forms_at_start_up():
    codes = selectors.form_registry().codes()
    assert "risk_assessment" in codes


def test_old_versions_stay_loadable(test_forms):
    assert test_forms.versions("sample") == [1, 2]
    assert test_forms.latest("sample").version == 2
    assert test_forms.get("sample", 1).question("exam_place") is None
    assert test_forms.get("sample", 2).question("exam_place") is not None


def _problem(text: str) -> tuple[int, str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text, file_name="forms/broken/v1.yaml")
    problem = caught.value.problems[0]
    assert problem.file == "forms/broken/v1.yaml"
    assert "forms/broken/v1.yaml, line " in str(caught.value)
    return problem.line, problem.problem


def _line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    found = [number for number, line in enumerate(lines, start=1) if fragment in line]
    return found[occurrence - 1]


def test_unknown_key_is_named_with_its_line():
    text = SAMPLE.replace(
        "        required: true\n", "        required: true\n        colour: red\n", 1
    )
    line, problem = _problem(text)
    assert line == _line_of(text, "colour: red")
    assert problem == "sections[0].questions[0].colour: unknown key"


def test_missing_key_is_reported_where_it_belongs():
    text = SAMPLE.replace("domain: comprehensive\n", "")
    line, problem = _problem(text)
    assert problem == "domain: required key is missing"
    # The mapping the key is missing from starts at the first key of the file.
    assert line == _line_of(text, "code: sample")


def test_duplicate_question_id():
    text = SAMPLE.replace("- id: housing_other", "- id: housing")
    line, problem = _problem(text)
    assert line == _line_of(text, "- id: housing", 2)
    assert "duplicate question id 'housing'" in problem


def test_condition_on_unknown_question():
    text = SAMPLE.replace(
        "{question: housing, equals: other}", "{question: lodging, equals: other}"
    )
    line, problem = _problem(text)
    assert line == _line_of(text, "question: lodging")
    assert "'lodging' is not an earlier question" in problem


def test_condition_on_a_later_question():
    text = SAMPLE.replace(
        "show_if: {question: has_children, equals: true}",
        "show_if: {question: wellbeing, equals: 3}",
    )
    line, problem = _problem(text)
    assert line == _line_of(text, "question: wellbeing")
    assert "'wellbeing' is not an earlier question" in problem


def test_condition_with_impossible_value():
    text = SAMPLE.replace(
        "{question: housing, equals: other}", "{question: housing, equals: hotel}"
    )
    line, problem = _problem(text)
    assert line == _line_of(text, "equals: hotel")
    assert "'hotel' is not a possible answer to 'housing'" in problem


def test_choice_missing_a_translation():
    text = SAMPLE.replace("ka: თავშესაფარში, sq: Në strehë}", "sq: Në strehë}")
    line, problem = _problem(text)
    assert line == _line_of(text, "code: shelter")
    assert problem == "sections[0].questions[2].choices[1].label.ka: required key is missing"


def test_translation_left_in_english():
    text = SAMPLE.replace("ka: სანიმუშო ფორმა", "ka: Sample form")
    line, problem = _problem(text)
    assert line == _line_of(text, "ka: Sample form")
    assert "Georgian text is not written in Mkhedruli" in problem


def test_romanian_cedilla_is_refused():
    text = SAMPLE.replace("ro: Numărul de copii", "ro: Numărul de copii şi nepoţi")
    _line, problem = _problem(text)
    assert "comma below" in problem


def test_wrong_type_options():
    text = SAMPLE.replace("        min: 1\n        max: 5\n", "")
    line, problem = _problem(text)
    assert line == _line_of(text, "- id: wellbeing")
    assert "a scale needs 'min' and 'max'" in problem


def test_duplicate_yaml_key():
    text = SAMPLE.replace("domain: comprehensive\n", "domain: comprehensive\ndomain: other\n")
    line, problem = _problem(text)
    assert line == _line_of(text, "domain: other")
    assert problem == "duplicate key 'domain'"


def test_invalid_yaml():
    text = SAMPLE.replace("sections:\n", "sections: [\n", 1)
    line, problem = _problem(text)
    assert line > 1
    assert problem.startswith("not valid YAML")


def test_directory_checks_code_and_version(tmp_path: Path):
    target = tmp_path / "forms" / "other" / "v3.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path / "forms", relative_to=tmp_path)
    assert "forms/other/v3.yaml, line 1: code 'sample' does not match its directory" in str(
        caught.value
    )
    target.write_text(SAMPLE.replace("code: sample", "code: other"), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_directory(tmp_path / "forms", relative_to=tmp_path)
    assert "version 1 does not match the file name" in str(caught.value)


def test_a_broken_definition_stops_start_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    forms = tmp_path / "assessments" / "forms"
    shutil.copytree(TEST_FORMS, forms)
    broken = forms / "sample" / "v1.yaml"
    broken.write_text(SAMPLE.replace("type: scale", "type: slider"), encoding="utf-8")
    monkeypatch.setattr(loader, "FORMS_DIRECTORY", forms)
    try:
        with pytest.raises(ImproperlyConfigured) as caught:
            apps.get_app_config("assessments").ready()
    finally:
        selectors.load_forms(Path(loader.__file__).resolve().parent / "forms")
    message = str(caught.value)
    assert "assessments/forms/sample/v1.yaml, line " in message
    assert f"line {_line_of(SAMPLE, 'type: scale')}:" in message
    assert "sections[1].questions[2].type" in message


def test_every_question_type_is_exercised_by_the_sample(sample):
    used = {question.type for question in sample.questions()}
    used |= {sub.type for q in sample.questions() for sub in q.questions or []}
    assert used == set(QuestionType)


def test_exclusive_only_where_several_answers_are_possible():
    text = SAMPLE.replace("- {code: shelter,", "- {code: shelter, exclusive: true,")
    line, problem = _problem(text)
    assert line == _line_of(text, "- id: housing")
    assert "'exclusive' choices are only for multiple_choice questions" in problem


FINGERPRINTS = loader.FORMS_DIRECTORY / "fingerprints.json"


def test_released_versions_keep_their_structure():
    """Answers stay tied to the version they were given to, so a released version may have its
    wording corrected but nothing that decides which answers are valid. A new version gets its
    own entry in forms/fingerprints.json (see forms/README.md)."""
    registry = load_directory(loader.FORMS_DIRECTORY)
    recorded = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    current = {
        code: {str(v): structure_fingerprint(registry.forms[code][v]) for v in versions}
        for code, versions in registry.forms.items()
    }
    changed = [
        f"{code} v{version}"
        for code, versions in current.items()
        for version, fingerprint in versions.items()
        if recorded.get(code, {}).get(version) not in (None, fingerprint)
    ]
    assert not changed, f"structure of released versions changed: {changed}; make a new version"
    assert current == recorded, "record new versions in forms/fingerprints.json:\n" + json.dumps(
        current, indent=2, sort_keys=True
    )


def test_wording_does_not_change_the_fingerprint_but_structure_does():
    base = parse_definition(SAMPLE, file_name="sample")
    reworded = parse_definition(
        SAMPLE.replace("en: Has children,", "en: Has any children,"), file_name="sample"
    )
    restructured = parse_definition(SAMPLE.replace("max: 20", "max: 12"), file_name="sample")
    assert structure_fingerprint(base) == structure_fingerprint(reworded)
    assert structure_fingerprint(base) != structure_fingerprint(restructured)


def test_unknown_domain_or_discipline():
    line, problem = _problem(SAMPLE.replace("domain: comprehensive", "domain: hobbies"))
    assert line == _line_of(SAMPLE, "domain: comprehensive")
    assert problem.startswith("domain: Input should be 'pre_departure'")
    _line, problem = _problem(SAMPLE.replace("discipline: social_worker", "discipline: priest"))
    assert problem.startswith("discipline: Input should be 'social_worker'")
