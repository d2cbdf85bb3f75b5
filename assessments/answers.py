"""Checking answers against a form definition.

Answers are a JSON-serialisable dict keyed by question id:

* yes_no → ``true``/``false``
* single_choice → a choice code; multiple_choice → a list of distinct choice codes
* scale → a whole number within min..max; number → a number within min..max (whole if
  ``integer``)
* date → ``"YYYY-MM-DD"``; text → a string
* group → a list of rows, each a dict of the group's sub-question answers

A missing key, ``null``, an empty string and an empty list all mean "not answered". The
summary block (conclusion, need level, evidence, team disagreement) is checked separately by
``validate_summary`` because it is stored in real columns, not with the answers.

These are pure functions: the only context they read is the active language, which decides
the language of question labels and messages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from assessments.definitions import Condition, FormDefinition, NeedLevel, Question, QuestionType

SUMMARY_KEYS = ("category", "need_level", "evidence", "disagreement")
SUMMARY_TEXT_MAX = 20000


@dataclass(frozen=True)
class AnswerError:
    """One problem with one answer: the question's id (a path inside repeating groups, e.g.
    ``dependants[1].age``), its label in the active language, and what is wrong."""

    question: str
    label: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


def is_empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def condition_holds(condition: Condition, answers: Mapping[str, Any]) -> bool:
    value = answers.get(condition.question)
    if isinstance(value, list):
        return any(_same(item, accepted) for item in value for accepted in condition.accepted)
    return value is not None and any(_same(value, accepted) for accepted in condition.accepted)


def _same(value: Any, accepted: Any) -> bool:
    # True == 1 in Python; a yes/no answer must never satisfy "equals: 1" or the reverse.
    if isinstance(value, bool) or isinstance(accepted, bool):
        return isinstance(value, bool) and isinstance(accepted, bool) and value is accepted
    return bool(value == accepted)


def visible_questions(definition: FormDefinition, answers: Mapping[str, Any]) -> dict[str, bool]:
    """For each top-level question, whether it is shown given ``answers``. A question whose
    condition depends on a hidden question is hidden too."""
    shown: dict[str, bool] = {}
    for question in definition.questions():
        condition = question.show_if
        shown[question.id] = condition is None or (
            shown.get(condition.question, False) and condition_holds(condition, answers)
        )
    return shown


def row_visibility(
    group: Question, row: Mapping[str, Any], answers: Mapping[str, Any], shown: Mapping[str, bool]
) -> dict[str, bool]:
    """For each sub-question of one row of ``group``: shown or not. Conditions may point to
    an earlier question of the same row or to a top-level question."""
    row_shown: dict[str, bool] = {}
    for sub in group.questions or []:
        condition = sub.show_if
        if condition is None:
            row_shown[sub.id] = True
        elif condition.question in row_shown:
            row_shown[sub.id] = row_shown[condition.question] and condition_holds(condition, row)
        else:
            row_shown[sub.id] = shown.get(condition.question, False) and condition_holds(
                condition, answers
            )
    return row_shown


def validate_answers(definition: FormDefinition, answers: dict[str, Any]) -> list[AnswerError]:
    """Every problem with ``answers`` for ``definition``, in question order; empty when valid."""
    if not isinstance(answers, dict):
        return [AnswerError("", "", _("Answers must be an object keyed by question."))]
    errors: list[AnswerError] = []
    known = {question.id for question in definition.questions()}
    for key in answers:
        if key not in known:
            message = _("This is not a question of this form.")
            errors.append(AnswerError(str(key), str(key), message))
    shown = visible_questions(definition, answers)
    for question in definition.questions():
        errors += _check(
            question,
            answers.get(question.id),
            shown=shown[question.id],
            path=question.id,
            label=question.label.text(),
            answers=answers,
            top_shown=shown,
        )
    return errors


def _check(
    question: Question,
    value: Any,
    *,
    shown: bool,
    path: str,
    label: str,
    answers: Mapping[str, Any],
    top_shown: Mapping[str, bool],
) -> list[AnswerError]:
    def error(message: str) -> list[AnswerError]:
        return [AnswerError(path, label, message)]

    if not shown:
        if is_empty(value):
            return []
        return error(_("This question is hidden by an earlier answer, so it must stay empty."))
    if is_empty(value):
        return error(_("This question is required.")) if question.required else []
    kind = question.type
    if kind == QuestionType.YES_NO:
        return [] if isinstance(value, bool) else error(_("Answer yes or no."))
    if kind == QuestionType.SINGLE_CHOICE:
        if isinstance(value, str) and value in question.choice_codes:
            return []
        return error(_("Choose one of the offered answers."))
    if kind == QuestionType.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return error(_("Give a list of the offered answers."))
        if any(item not in question.choice_codes for item in value):
            return error(_("Choose only among the offered answers."))
        if len(set(value)) != len(value):
            return error(_("Each answer can be chosen only once."))
        alone = question.exclusive_choice(value)
        if alone is not None:
            return error(
                _("“%(choice)s” cannot be combined with other answers.")
                % {"choice": alone.label.text()}
            )
        return []
    if kind in {QuestionType.SCALE, QuestionType.NUMBER}:
        return _check_number(question, value, error)
    if kind == QuestionType.DATE:
        if isinstance(value, str) and len(value) == 10:
            try:
                date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return []
        return error(_("Enter a date as YYYY-MM-DD."))
    if kind == QuestionType.TEXT:
        if not isinstance(value, str):
            return error(_("Enter text."))
        if len(value) > question.max_length:
            return error(_("Enter at most %(count)d characters.") % {"count": question.max_length})
        return []
    return _check_group(question, value, path=path, label=label, answers=answers, top=top_shown)


def _check_number(question: Question, value: Any, error: Any) -> list[AnswerError]:
    whole = question.type == QuestionType.SCALE or question.integer
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return list(error(_("Enter a number.")))
    if whole and not isinstance(value, int):
        return list(error(_("Enter a whole number.")))
    low, high = question.min, question.max
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            message = _("Enter a number from %(min)s to %(max)s.") % {
                "min": f"{low:g}",
                "max": f"{high:g}",
            }
        elif low is not None:
            message = _("Enter a number of at least %(min)s.") % {"min": f"{low:g}"}
        else:
            message = _("Enter a number of at most %(max)s.") % {"max": f"{high:g}"}
        return list(error(message))
    return []


def _check_group(
    group: Question,
    rows: Any,
    *,
    path: str,
    label: str,
    answers: Mapping[str, Any],
    top: Mapping[str, bool],
) -> list[AnswerError]:
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        return [AnswerError(path, label, _("Give a list of rows."))]
    if len(rows) < group.min_rows:
        message = _("Add at least %(count)d rows.") % {"count": group.min_rows}
        return [AnswerError(path, label, message)]
    if len(rows) > group.max_rows:
        message = _("Give at most %(count)d rows.") % {"count": group.max_rows}
        return [AnswerError(path, label, message)]
    errors: list[AnswerError] = []
    subs = {sub.id: sub for sub in group.questions or []}
    for index, row in enumerate(rows):
        row_path = f"{path}[{index}]"
        row_label = _("%(group)s, row %(row)d") % {"group": label, "row": index + 1}
        for key in row:
            if key not in subs:
                errors.append(
                    AnswerError(
                        f"{row_path}.{key}",
                        row_label,
                        _("This is not a question of this group."),
                    )
                )
        row_shown = row_visibility(group, row, answers, top)
        for sub in group.questions or []:
            errors += _check(
                sub,
                row.get(sub.id),
                shown=row_shown[sub.id],
                path=f"{row_path}.{sub.id}",
                label=f"{row_label}: {sub.label.text()}",
                answers=row,
                top_shown=top,
            )
    return errors


_LEVEL_ORDER = list(NeedLevel.values)


def suggested_need_level(definition: FormDefinition, category: Any) -> str | None:
    """The need level the chosen conclusion(s) usually mean: the highest among them, or None.

    A suggestion for the person completing the form, who may record another level."""
    codes = category if isinstance(category, list) else [category]
    levels = [c.need_level.value for c in definition.summary.categories if c.code in codes]
    return max(levels, key=_LEVEL_ORDER.index) if levels else None


def validate_summary(
    definition: FormDefinition, summary: dict[str, Any], *, conclusion_required: bool = False
) -> list[AnswerError]:
    """Problems with the summary block: ``category`` (a code of the form's own summary
    categories, a list of codes where the form allows several), ``need_level``, ``evidence``
    and ``disagreement`` (free text). A completed assessment needs its need level."""
    if not isinstance(summary, dict):
        return [AnswerError("summary", "", _("The summary must be an object."))]
    block = definition.summary
    labels = {
        "category": block.title.text(),
        "need_level": _("Need level"),
        "evidence": _("Notes and evidence"),
        "disagreement": _("Disagreement within the team"),
    }
    errors: list[AnswerError] = []

    def error(key: str, message: str) -> None:
        errors.append(AnswerError(f"summary.{key}", labels.get(key, key), message))

    for key in summary:
        if key not in SUMMARY_KEYS:
            error(str(key), _("This is not part of the summary."))
    codes = [category.code for category in block.categories]
    category = summary.get("category")
    if not is_empty(category):
        if block.multiple:
            if (
                not isinstance(category, list)
                or any(code not in codes for code in category)
                or len(set(category)) != len(category)
            ):
                error("category", _("Choose only among the offered conclusions."))
        elif not isinstance(category, str) or category not in codes:
            error("category", _("Choose one of the offered conclusions."))
        if block.multiple and isinstance(category, list) and len(category) > 1:
            alone = next((c for c in block.categories if c.exclusive and c.code in category), None)
            if alone is not None:
                error(
                    "category",
                    _("“%(choice)s” cannot be combined with other answers.")
                    % {"choice": alone.label.text()},
                )
    level = summary.get("need_level")
    if is_empty(level):
        if conclusion_required:
            error("need_level", _("This question is required."))
    elif level not in NeedLevel.values:
        error("need_level", _("Choose one of the need levels."))
    for key in ("evidence", "disagreement"):
        text = summary.get(key)
        if is_empty(text):
            continue
        if not isinstance(text, str):
            error(key, _("Enter text."))
        elif len(text) > SUMMARY_TEXT_MAX:
            error(key, _("Enter at most %(count)d characters.") % {"count": SUMMARY_TEXT_MAX})
    return errors
