"""Answer validation: each question type, conditions, groups, the summary block."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.answers import condition_holds, validate_answers, validate_summary
from assessments.definitions import FormDefinition, Question, QuestionType
from assessments.loader import FORMS_DIRECTORY, load_directory
from assessments.tests.conftest import TEST_FORMS

VALID: dict[str, Any] = {
    "has_children": True,
    "children_count": 2,
    "housing": "other",
    "housing_other": "With a friend",
    "problems": ["sleep", "eating"],
    "sleep_notes": "Wakes at night",
    "wellbeing": 4,
    "last_exam": "2026-10-01",
    "dependants": [{"age": 4, "has_needs": True, "needs": "Asthma"}, {"age": 9}],
}


@pytest.fixture(scope="module")
def form() -> FormDefinition:
    definition = load_directory(TEST_FORMS).get("sample", 1)
    assert definition is not None
    return definition


def errors_for(form: FormDefinition, **changes: Any) -> list[tuple[str, str]]:
    answers = {**VALID, **changes}
    for key in [key for key, value in changes.items() if value is ...]:
        del answers[key]
    return [(error.question, error.message) for error in validate_answers(form, answers)]


def test_valid_answers_have_no_errors(form):
    assert validate_answers(form, VALID) == []


def test_only_the_required_answer_is_needed(form):
    assert validate_answers(form, {"has_children": False}) == []


def test_required_missing(form):
    # The dependent answer is refused too: without "has children" its question is hidden.
    assert errors_for(form, has_children=..., children_count=...) == [
        ("has_children", "This question is required.")
    ]
    assert errors_for(form, children_count=None) == [
        ("children_count", "This question is required.")
    ]


@pytest.mark.parametrize(
    ("question", "value", "message"),
    [
        ("has_children", "yes", "Answer yes or no."),
        ("has_children", 1, "Answer yes or no."),
        ("housing", "hotel", "Choose one of the offered answers."),
        ("housing", ["family"], "Choose one of the offered answers."),
        ("problems", "sleep", "Give a list of the offered answers."),
        ("problems", ["sleep", "fear"], "Choose only among the offered answers."),
        ("problems", ["sleep", "sleep"], "Each answer can be chosen only once."),
        ("wellbeing", 6, "Enter a number from 1 to 5."),
        ("wellbeing", 0, "Enter a number from 1 to 5."),
        ("wellbeing", 2.5, "Enter a whole number."),
        ("wellbeing", True, "Enter a number."),
        ("children_count", 1.5, "Enter a whole number."),
        ("children_count", 21, "Enter a number from 1 to 20."),
        ("children_count", "two", "Enter a number."),
        ("last_exam", "01.10.2026", "Enter a date as YYYY-MM-DD."),
        ("last_exam", "2026-02-30", "Enter a date as YYYY-MM-DD."),
        ("last_exam", 20261001, "Enter a date as YYYY-MM-DD."),
        ("housing_other", 5, "Enter text."),
        ("dependants", {"age": 3}, "Give a list of rows."),
        ("dependants", [{"age": 1}] * 4, "Give at most 3 rows."),
    ],
)
def test_wrong_answers_name_the_question(form, question, value, message):
    # A wrong answer may also hide the questions that depend on it; the first error is its own.
    assert errors_for(form, **{question: value})[0] == (question, message)


def test_text_length(form):
    assert errors_for(form, sleep_notes="x" * 51) == [
        ("sleep_notes", "Enter at most 50 characters.")
    ]


def test_answer_to_hidden_question_is_refused(form):
    errors = errors_for(form, has_children=False)
    assert errors == [
        (
            "children_count",
            "This question is hidden by an earlier answer, so it must stay empty.",
        )
    ]
    assert errors_for(form, housing="family")[0][0] == "housing_other"
    assert errors_for(form, problems=["eating"])[0][0] == "sleep_notes"


def test_condition_on_a_hidden_question_hides_too(form):
    # housing_other depends on housing; if housing is unanswered, housing_other is hidden.
    assert errors_for(form, housing=..., housing_other=...) == []


def test_unknown_question(form):
    assert errors_for(form, favourite_colour="red") == [
        ("favourite_colour", "This is not a question of this form.")
    ]


def test_group_rows_are_checked_each(form):
    rows = [{"age": 4, "has_needs": False, "needs": "x"}, {"has_needs": True}, {"age": 3, "x": 1}]
    errors = validate_answers(form, {**VALID, "dependants": rows})
    assert [(error.question, error.message) for error in errors] == [
        (
            "dependants[0].needs",
            "This question is hidden by an earlier answer, so it must stay empty.",
        ),
        ("dependants[1].age", "This question is required."),
        ("dependants[2].x", "This is not a question of this group."),
    ]
    assert errors[1].label == "Dependants, row 2: Age"


def test_label_is_in_the_active_language(form):
    wrong = {**VALID, "problems": ["sleep", "fear"]}
    with translation.override("ka"):
        (error,) = validate_answers(form, wrong)
    assert error.label == "პრობლემები"
    with translation.override("ro"):
        (error,) = validate_answers(form, wrong)
    assert error.label == "Probleme cu"


def test_summary(form):
    assert validate_summary(form, {}) == []
    assert (
        validate_summary(
            form,
            {"category": "worrying", "need_level": "high", "evidence": "x", "disagreement": "y"},
        )
        == []
    )
    problems = validate_summary(
        form, {"category": "grim", "need_level": "dire", "evidence": 3, "mood": "?"}
    )
    assert [(error.question, error.message) for error in problems] == [
        ("summary.mood", "This is not part of the summary."),
        ("summary.category", "Choose one of the offered conclusions."),
        ("summary.need_level", "Choose one of the need levels."),
        ("summary.evidence", "Enter text."),
    ]
    required = validate_summary(form, {}, conclusion_required=True)
    assert [(e.question, e.message) for e in required] == [
        ("summary.need_level", "This question is required.")
    ]


# Property tests: valid answers generated from the definition always pass; any JSON value in
# any answer never crashes validation, and every error names a question of the form.

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def valid_answers(draw: st.DrawFn) -> dict[str, Any]:
    answers: dict[str, Any] = {"has_children": draw(st.booleans())}
    if answers["has_children"]:
        answers["children_count"] = draw(st.integers(1, 20))
    housing = draw(st.sampled_from([None, "family", "shelter", "other"]))
    if housing:
        answers["housing"] = housing
        if housing == "other" and draw(st.booleans()):
            answers["housing_other"] = draw(st.text(min_size=1, max_size=40))
    problems = draw(st.lists(st.sampled_from(["sleep", "eating"]), unique=True))
    answers["problems"] = problems
    if "sleep" in problems:
        answers["sleep_notes"] = draw(st.text(max_size=50))
    answers["wellbeing"] = draw(st.none() | st.integers(1, 5))
    answers["last_exam"] = draw(st.none() | st.dates().map(lambda day: day.isoformat()))
    rows = []
    for _index in range(draw(st.integers(0, 3))):
        row: dict[str, Any] = {"age": draw(st.integers(0, 120))}
        if draw(st.booleans()):
            row["has_needs"] = draw(st.booleans())
            if row["has_needs"]:
                row["needs"] = draw(st.text(max_size=20))
        rows.append(row)
    answers["dependants"] = rows
    return answers


@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=valid_answers())
def test_generated_valid_answers_pass(form, answers):
    assert validate_answers(form, answers) == []


@settings(
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=st.dictionaries(st.sampled_from([*VALID, "other"]), json_values))
def test_any_json_is_judged_without_crashing(form, answers):
    known = {question.id for question in form.questions()} | {"other"}
    for error in validate_answers(form, answers):
        assert error.question.split("[")[0] in known
        assert error.message


# Every shipped form: answers generated from the definition itself (respecting types, ranges,
# required questions and conditions) always validate. This catches a shipped form whose
# conditions or ranges contradict each other.

SHIPPED = load_directory(FORMS_DIRECTORY)


def shipped(code: str) -> FormDefinition:
    definition = SHIPPED.latest(code)
    assert definition is not None
    return definition


def _draw_value(data: st.DataObject, question: Question) -> Any:
    kind = question.type
    if kind == QuestionType.YES_NO:
        return data.draw(st.booleans())
    if kind == QuestionType.SINGLE_CHOICE:
        return data.draw(st.sampled_from(question.choice_codes))
    if kind == QuestionType.MULTIPLE_CHOICE:
        plain = [c.code for c in question.choices or [] if not c.exclusive]
        chosen = data.draw(st.lists(st.sampled_from(plain), unique=True, min_size=1))
        return chosen
    if kind == QuestionType.SCALE:
        return data.draw(st.integers(int(question.min or 0), int(question.max or 0)))
    if kind == QuestionType.NUMBER:
        low = int(question.min) if question.min is not None else -1000
        high = int(question.max) if question.max is not None else 1000
        return data.draw(st.integers(low, high))
    if kind == QuestionType.DATE:
        return data.draw(st.dates()).isoformat()
    return data.draw(st.text(min_size=1, max_size=30).filter(str.strip))


def _draw_answers(data: st.DataObject, questions: list[Question], context: dict[str, Any]) -> dict:
    answers: dict[str, Any] = {}
    shown: dict[str, bool] = {}
    for question in questions:
        condition = question.show_if
        if condition is None:
            visible = True
        elif condition.question in shown:
            visible = shown[condition.question] and condition_holds(condition, answers)
        else:
            visible = context["shown"].get(condition.question, False) and condition_holds(
                condition, context["answers"]
            )
        shown[question.id] = visible
        if not visible or not (question.required or data.draw(st.booleans())):
            continue
        if question.type == QuestionType.GROUP:
            rows = data.draw(st.integers(max(question.min_rows, 1), min(question.max_rows, 3)))
            answers[question.id] = [
                _draw_answers(data, question.questions or [], {"answers": answers, "shown": shown})
                for _row in range(rows)
            ]
        else:
            answers[question.id] = _draw_value(data, question)
    return answers


@pytest.mark.parametrize("code", SHIPPED.codes())
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_shipped_forms_accept_their_own_valid_answers(code, data):
    definition = shipped(code)
    answers = _draw_answers(data, list(definition.questions()), {"answers": {}, "shown": {}})
    assert validate_answers(definition, answers) == []


def test_exclusive_choice_stands_alone():
    family = shipped("de_family")
    answers = {"child_not_living_with_family": False, "wants_child_back": True}
    mixed = validate_answers(family, {**answers, "income_sources": ["none", "employment"]})
    assert [(e.question, e.message) for e in mixed] == [
        ("income_sources", "“No income” cannot be combined with other answers.")
    ]
    assert validate_answers(family, {**answers, "income_sources": ["none"]}) == []


def test_exclusive_conclusion_stands_alone():
    legal = shipped("de_legal")
    (error,) = validate_summary(legal, {"category": ["none", "family_law"]})
    assert error.message == "“None” cannot be combined with other answers."
    assert validate_summary(legal, {"category": ["family_law", "compensation"]}) == []
    assert validate_summary(legal, {"category": ["none"]}) == []
    # Where several conclusions are allowed the answer is always a list.
    assert validate_summary(legal, {"category": "none"})[0].question == "summary.category"


def test_suggested_need_level_is_the_highest_of_the_conclusions():
    from assessments.answers import suggested_need_level

    legal = shipped("de_legal")
    assert suggested_need_level(legal, ["family_law", "immigration_status"]) == "high"
    assert suggested_need_level(legal, ["none"]) == "none"
    assert suggested_need_level(legal, []) is None
    assert suggested_need_level(shipped("de_security"), "high_risk") == "urgent"
