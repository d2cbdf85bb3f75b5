"""Pure rules of assessment records: due dates, who may do a domain, how answers are split
for encryption, and how conclusions compare between rounds. No database access."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from accounts.roles import Discipline
from assessments.answers import AnswerError, is_empty
from assessments.definitions import FormDefinition, NeedLevel, QuestionType


def comprehensive_due_on(*, starts_on: datetime.date, due_days: int | None) -> datetime.date | None:
    """The due date of a round: ``due_days`` after it starts (al-sop: 14 days after
    reception, 002 L1036); None where the pack sets no period."""
    if due_days is None:
        return None
    return starts_on + datetime.timedelta(days=due_days)


def assignee_fits(*, form_discipline: str, disciplines: set[str], is_case_manager: bool) -> bool:
    """002 L673-L677: the doctor assesses health, the psychologist the psycho-social domain,
    the lawyer the legal one, the teacher education; the case manager the rest, i.e. the
    forms written for a social worker."""
    if form_discipline in disciplines:
        return True
    return form_discipline == Discipline.SOCIAL_WORKER and is_case_manager


_PATH_PART = re.compile(r"([a-z0-9_]+)(?:\[(\d+)\])?")


def answer_at(answers: Mapping[str, Any], path: str) -> Any:
    """The answer at an error path such as ``dependants[1].age``; None when absent."""
    value: Any = answers
    for part in path.split("."):
        match = _PATH_PART.fullmatch(part)
        if match is None or not isinstance(value, Mapping):
            return None
        value = value.get(match.group(1))
        if match.group(2) is not None:
            index = int(match.group(2))
            if not isinstance(value, list) or index >= len(value):
                return None
            value = value[index]
    return value


def progress_errors(errors: list[AnswerError], answers: Mapping[str, Any]) -> list[AnswerError]:
    """Saving progress accepts unanswered questions (required ones are checked at completion)
    but never a wrong answer."""
    return [error for error in errors if not is_empty(answer_at(answers, error.question))]


def compact_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers without the unanswered ones, inside rows too."""
    compact: dict[str, Any] = {}
    for key, value in answers.items():
        if is_empty(value):
            continue
        if isinstance(value, list) and value and all(isinstance(row, dict) for row in value):
            value = [{k: v for k, v in row.items() if not is_empty(v)} for row in value]
        compact[key] = value
    return compact


def split_text_answers(
    definition: FormDefinition, answers: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(plain, text): text answers apart, to be encrypted; the rest stays queryable. Rows of a
    repeating group keep their positions in both halves."""
    plain: dict[str, Any] = {}
    text: dict[str, Any] = {}
    for question in definition.questions():
        if question.id not in answers:
            continue
        value = answers[question.id]
        if question.type == QuestionType.TEXT:
            text[question.id] = value
        elif question.type == QuestionType.GROUP and isinstance(value, list):
            text_ids = {sub.id for sub in question.questions or [] if sub.type == QuestionType.TEXT}
            plain[question.id] = [
                {k: v for k, v in row.items() if k not in text_ids} for row in value
            ]
            text_rows = [{k: v for k, v in row.items() if k in text_ids} for row in value]
            if any(text_rows):
                text[question.id] = text_rows
        else:
            plain[question.id] = value
    return plain, text


def merge_text_answers(plain: Mapping[str, Any], text: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(plain)
    for key, value in text.items():
        if isinstance(value, list):
            rows = [dict(row) for row in merged.get(key, [])]
            rows += [{} for _ in range(len(value) - len(rows))]
            for row, text_row in zip(rows, value, strict=False):
                row.update(text_row)
            merged[key] = rows
        else:
            merged[key] = value
    return merged


_LEVEL_ORDER = list(NeedLevel.values)


def level_change(previous: str, current: str) -> str:
    """How the need in a domain moved between two rounds: "lower", "higher", "same", or ""
    when either round has no conclusion."""
    if previous not in _LEVEL_ORDER or current not in _LEVEL_ORDER:
        return ""
    delta = _LEVEL_ORDER.index(current) - _LEVEL_ORDER.index(previous)
    return "higher" if delta > 0 else "lower" if delta < 0 else "same"
