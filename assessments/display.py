"""Answers as text, for reading an assessment and printing it: each shown question of the
form version answered with its label and the answer in the active language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessments.answers import is_empty, row_visibility, visible_questions
from assessments.definitions import FormDefinition, NeedLevel, Question, QuestionType


@dataclass
class AnswerLine:
    label: str
    text: str
    rows: list[list[AnswerLine]] = field(default_factory=list)


@dataclass
class SectionLines:
    title: str
    lines: list[AnswerLine]


@dataclass
class SummaryLines:
    title: str
    conclusion: str
    need_level: str
    evidence: str
    disagreement: str


def _choice_label(question: Question, code: Any) -> str:
    for choice in question.choices or []:
        if choice.code == code:
            return choice.label.text()
    return str(code)


def answer_text(question: Question, value: Any) -> str:
    """One answer as the person reads it; "Not answered" when empty."""
    if is_empty(value):
        return _("Not answered")
    kind = question.type
    if kind == QuestionType.YES_NO:
        return _("Yes") if value is True else _("No") if value is False else str(value)
    if kind == QuestionType.SINGLE_CHOICE:
        return _choice_label(question, value)
    if kind == QuestionType.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(_choice_label(question, code) for code in value)
    if kind == QuestionType.SCALE and isinstance(value, int):
        label = (question.scale_labels or {}).get(value)
        return f"{value} ({label.text()})" if label else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_sections(definition: FormDefinition, answers: Mapping[str, Any]) -> list[SectionLines]:
    shown = visible_questions(definition, answers)
    sections = []
    for section in definition.sections:
        lines = []
        for question in section.questions:
            if not shown[question.id]:
                continue
            value = answers.get(question.id)
            if question.type == QuestionType.GROUP:
                rows = []
                for row in value if isinstance(value, list) else []:
                    row_shown = row_visibility(question, row, answers, shown)
                    rows.append(
                        [
                            AnswerLine(sub.label.text(), answer_text(sub, row.get(sub.id)))
                            for sub in question.questions or []
                            if row_shown[sub.id]
                        ]
                    )
                text = "" if rows else _("Not answered")
                lines.append(AnswerLine(question.label.text(), text, rows))
            else:
                lines.append(AnswerLine(question.label.text(), answer_text(question, value)))
        sections.append(SectionLines(section.title.text(), lines))
    return sections


def summary_lines(definition: FormDefinition, summary: Mapping[str, Any]) -> SummaryLines:
    category = summary.get("category")
    codes: list[str] = (
        [str(code) for code in category]
        if isinstance(category, list)
        else [str(category)]
        if category
        else []
    )
    labels = {c.code: c.label.text() for c in definition.summary.categories}
    level = summary.get("need_level") or ""
    return SummaryLines(
        title=definition.summary.title.text(),
        conclusion=", ".join(labels.get(code, code) for code in codes),
        need_level=str(NeedLevel(level).label) if level in NeedLevel.values else "",
        evidence=summary.get("evidence") or "",
        disagreement=summary.get("disagreement") or "",
    )
