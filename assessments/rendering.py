"""Turning a form definition into fields for the templates, and posted fields back into answers.

The templates (``assessments/partials/``) do the HTML; this module decides, in the active
language, what each field shows: label, help, current value, errors, choices, rows of a
repeating group, and whether it is shown at all. Hidden conditional questions are not
rendered: the server decides visibility from the current answers, and the page asks for a
fresh rendering (htmx) when an answer that controls a condition changes. This keeps the page
free of inline script and gives the same result without JavaScript (the "Update" button).

Posted field names: ``q-<question>`` for a top-level question, ``q-<group>-<row>-<question>``
inside a repeating group with ``q-<group>-rows`` holding the number of rows, ``s-<key>`` for
the summary block.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from assessments.answers import (
    SUMMARY_KEYS,
    AnswerError,
    is_empty,
    row_visibility,
    suggested_need_level,
    visible_questions,
)
from assessments.definitions import FormDefinition, NeedLevel, Question, QuestionType

# More choices than this are offered as a drop-down list rather than radio buttons.
RADIO_LIMIT = 8


@dataclass
class Option:
    value: str
    label: str
    selected: bool
    help: str = ""


@dataclass
class Row:
    index: int
    label: str
    fields: list[FieldView]


@dataclass
class FieldView:
    name: str
    html_id: str
    type: str
    label: str
    help: str
    required: bool
    value: Any
    errors: list[str] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    # Answers to this question decide whether another question is shown.
    controls: bool = False
    multiline: bool = False
    min: str = ""
    max: str = ""
    step: str = ""
    max_length: int = 0
    rows: list[Row] = field(default_factory=list)
    can_add_row: bool = False

    @property
    def described_by(self) -> str:
        ids = []
        if self.help:
            ids.append(f"{self.html_id}-help")
        if self.errors:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)

    @property
    def as_select(self) -> bool:
        return len(self.options) > RADIO_LIMIT


@dataclass
class SectionView:
    id: str
    title: str
    help: str
    fields: list[FieldView]


@dataclass
class SummaryView:
    title: str
    help: str
    multiple: bool
    categories: list[Option]
    need_levels: list[Option]
    evidence: str
    disagreement: str
    errors: dict[str, list[str]]


@dataclass
class ErrorLink:
    anchor: str
    text: str


@dataclass
class FormView:
    definition: FormDefinition
    title: str
    description: str
    sections: list[SectionView]
    summary: SummaryView
    error_list: list[ErrorLink]


def field_anchor(question_path: str) -> str:
    """The HTML id of the field an error's question path points to (for the error summary)."""
    if question_path.startswith("summary."):
        return f"field-s-{question_path.removeprefix('summary.')}"
    name = question_path.replace("[", "-").replace("].", "-").replace("]", "")
    return f"field-q-{name}"


def answers_from_post(definition: FormDefinition, data: QueryDict) -> dict[str, Any]:
    """The answers a posted form carries, as the JSON shape ``validate_answers`` checks.

    Values that do not parse are kept as posted (a number field holding "abc" stays a
    string) so that validation names the question and the problem.
    """
    answers: dict[str, Any] = {}
    for question in definition.questions():
        if question.type == QuestionType.GROUP:
            rows = _rows_from_post(question, data)
            if rows:
                answers[question.id] = rows
            continue
        value = _value_from_post(question, data, f"q-{question.id}")
        if not is_empty(value):
            answers[question.id] = value
    _apply_row_actions(definition, data, answers)
    return answers


def summary_from_post(definition: FormDefinition, data: QueryDict) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    categories = [code for code in data.getlist("s-category") if code]
    if definition.summary.multiple:
        if categories:
            summary["category"] = categories
    elif categories:
        # One radio button: a second value can only come from a crafted post, and is refused.
        summary["category"] = categories[0] if len(categories) == 1 else categories
    for key in SUMMARY_KEYS[1:]:
        text = data.get(f"s-{key}", "")
        if text.strip():
            summary[key] = text
    return summary


def _value_from_post(question: Question, data: QueryDict, name: str) -> Any:
    kind = question.type
    if kind == QuestionType.MULTIPLE_CHOICE:
        return [code for code in data.getlist(name) if code]
    raw = data.get(name, "")
    if kind == QuestionType.YES_NO:
        return {"yes": True, "no": False, "": None}.get(raw, raw)
    if kind in {QuestionType.SCALE, QuestionType.NUMBER}:
        text = raw.strip().replace(",", ".")
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text)
        except ValueError:
            return raw
        return number
    return raw if raw.strip() else None


def _row_count(group: Question, data: QueryDict) -> int:
    try:
        count = int(data.get(f"q-{group.id}-rows", "0"))
    except ValueError:
        count = 0
    return max(0, min(count, group.max_rows))


def _rows_from_post(group: Question, data: QueryDict) -> list[dict[str, Any]]:
    rows = []
    for index in range(_row_count(group, data)):
        row: dict[str, Any] = {}
        for sub in group.questions or []:
            value = _value_from_post(sub, data, f"q-{group.id}-{index}-{sub.id}")
            if not is_empty(value):
                row[sub.id] = value
        rows.append(row)
    return rows


def _apply_row_actions(
    definition: FormDefinition, data: QueryDict, answers: dict[str, Any]
) -> None:
    """ "Add a row" / "remove row n" buttons post their group in ``add_row`` / ``remove_row``."""
    add = data.get("add_row", "")
    group = definition.question(add)
    if group is not None and group.type == QuestionType.GROUP:
        rows = answers.setdefault(group.id, [])
        if len(rows) < group.max_rows:
            rows.append({})
    remove = data.get("remove_row", "")
    group_id, _sep, index_text = remove.rpartition("-")
    group = definition.question(group_id)
    if group is not None and group.type == QuestionType.GROUP and index_text.isdigit():
        rows = answers.get(group.id, [])
        if int(index_text) < len(rows):
            del rows[int(index_text)]
        if not rows:
            answers.pop(group.id, None)


def build_form_view(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    summary: Mapping[str, Any] | None = None,
    errors: list[AnswerError] | None = None,
) -> FormView:
    errors = errors or []
    by_question: dict[str, list[str]] = {}
    for error in errors:
        by_question.setdefault(error.question, []).append(error.message)
    controlling = _controlling_ids(definition)
    shown = visible_questions(definition, answers)
    sections = []
    for section in definition.sections:
        fields = [
            _field(
                question,
                answers.get(question.id),
                name=f"q-{question.id}",
                path=question.id,
                errors=by_question,
                controls=question.id in controlling,
                answers=answers,
                shown=shown,
                controlling=controlling,
            )
            for question in section.questions
            if shown[question.id]
        ]
        sections.append(
            SectionView(
                id=section.id,
                title=section.title.text(),
                help=section.help.text() if section.help else "",
                fields=fields,
            )
        )
    return FormView(
        definition=definition,
        title=definition.title.text(),
        description=definition.description.text() if definition.description else "",
        sections=sections,
        summary=_summary_view(definition, summary or {}, by_question),
        error_list=[ErrorLink(field_anchor(error.question), str(error)) for error in errors],
    )


def _controlling_ids(definition: FormDefinition) -> set[str]:
    ids: set[str] = set()
    for question in definition.questions():
        if question.show_if:
            ids.add(question.show_if.question)
        for sub in question.questions or []:
            if sub.show_if:
                ids.add(sub.show_if.question)
    return ids


def _field(
    question: Question,
    value: Any,
    *,
    name: str,
    path: str,
    errors: Mapping[str, list[str]],
    controls: bool,
    answers: Mapping[str, Any],
    shown: Mapping[str, bool],
    controlling: set[str],
) -> FieldView:
    kind = question.type
    view = FieldView(
        name=name,
        html_id=f"field-{name}",
        type=kind.value,
        label=question.label.text(),
        help=question.help.text() if question.help else "",
        required=question.required,
        value=value,
        errors=list(errors.get(path, [])),
        controls=controls,
        multiline=question.multiline,
        max_length=question.max_length,
    )
    if kind == QuestionType.YES_NO:
        view.options = [
            Option("yes", _("Yes"), value is True),
            Option("no", _("No"), value is False),
        ]
    elif kind in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
        chosen = value if isinstance(value, list) else [value]
        view.options = [
            Option(
                choice.code,
                choice.label.text(),
                choice.code in chosen,
                choice.help.text() if choice.help else "",
            )
            for choice in question.choices or []
        ]
    elif kind == QuestionType.SCALE:
        low, high = int(question.min or 0), int(question.max or 0)
        point_labels = question.scale_labels or {}
        view.options = [
            Option(
                str(point),
                f"{point}: {point_labels[point].text()}" if point in point_labels else str(point),
                value == point and not isinstance(value, bool),
            )
            for point in range(low, high + 1)
        ]
    elif kind == QuestionType.NUMBER:
        view.min = f"{question.min:g}" if question.min is not None else ""
        view.max = f"{question.max:g}" if question.max is not None else ""
        view.step = "1" if question.integer else "any"
    elif kind == QuestionType.GROUP:
        rows = value if isinstance(value, list) else []
        view.can_add_row = len(rows) < question.max_rows
        for index, row in enumerate(rows):
            row = row if isinstance(row, dict) else {}
            row_shown = row_visibility(question, row, answers, shown)
            view.rows.append(
                Row(
                    index=index,
                    label=_("%(group)s, row %(row)d") % {"group": view.label, "row": index + 1},
                    fields=[
                        _field(
                            sub,
                            row.get(sub.id),
                            name=f"{name}-{index}-{sub.id}",
                            path=f"{path}[{index}].{sub.id}",
                            errors=errors,
                            controls=sub.id in controlling,
                            answers=answers,
                            shown=shown,
                            controlling=controlling,
                        )
                        for sub in question.questions or []
                        if row_shown[sub.id]
                    ],
                )
            )
    return view


def _summary_view(
    definition: FormDefinition, summary: Mapping[str, Any], errors: Mapping[str, list[str]]
) -> SummaryView:
    block = definition.summary
    chosen = summary.get("category")
    chosen_codes = chosen if isinstance(chosen, list) else [chosen]
    # Until a level is chosen, the one the chosen conclusion usually means is preselected.
    level = summary.get("need_level") or suggested_need_level(definition, chosen)
    return SummaryView(
        title=block.title.text(),
        help=block.help.text() if block.help else "",
        multiple=block.multiple,
        categories=[
            Option(
                category.code,
                category.label.text(),
                category.code in chosen_codes,
                category.description.text() if category.description else "",
            )
            for category in block.categories
        ],
        need_levels=[
            Option(str(choice.value), str(choice.label), level == choice.value)
            for choice in NeedLevel
        ],
        evidence=str(summary.get("evidence", "")),
        disagreement=str(summary.get("disagreement", "")),
        errors={key: list(errors.get(f"summary.{key}", [])) for key in SUMMARY_KEYS},
    )
