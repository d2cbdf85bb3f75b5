"""The typed schema of an assessment form definition (``assessments/forms/<code>/v<n>.yaml``).

A definition is data, written by people who know social work rather than Python, so the
schema is strict: unknown keys, duplicate ids, conditions on unknown or later questions and
missing translations are refused with the path of the offending key (the loader turns the
path into a file line). Checks that span the whole form live in ``definition_problems`` and
report the same kind of path, so every problem reaches the author in the same shape.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Annotated, Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from accounts.roles import Discipline

# The languages every shipped form is written in (SPEC: English source plus the four
# languages of the jurisdictions the seeds come from).
LANGUAGES: tuple[str, ...] = ("en", "ro", "ru", "ka", "sq")

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Path = tuple[str | int, ...]

_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MKHEDRULI = re.compile(r"[\u10D0-\u10FF]")
# Romanian is written with comma-below ș ț; the cedilla forms are a legacy encoding error.
_ROMANIAN_CEDILLA = re.compile(r"[şţŞŢ]")


class NeedLevel(models.TextChoices):
    """The domain conclusion every form ends with (SPEC C4; 002 L1103-L1113)."""

    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class AssessmentDomain(models.TextChoices):
    """The domains of the comprehensive assessment (002 L1147-L1149, the nine D&E annexes),
    plus "comprehensive" for the forms that look at every sphere at once (000 UNDP, IOM).
    A need found by an assessment is a need in one of these domains."""

    PRE_DEPARTURE = "pre_departure", _("Pre-departure")
    SECURITY = "security", _("Security")
    ACCOMMODATION = "accommodation", _("Long-term accommodation")
    LEGAL = "legal", _("Legal")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psycho-social")
    FAMILY = "family", _("Family")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Vocational training and employment")
    COMPREHENSIVE = "comprehensive", _("All spheres of life")


class QuestionType(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    SINGLE_CHOICE = "single_choice", _("One choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
    SCALE = "scale", _("Scale")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    TEXT = "text", _("Text")
    GROUP = "group", _("Repeating group")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Labels(_Strict):
    """One text in every language; all five are required."""

    en: NonEmpty
    ro: NonEmpty
    ru: NonEmpty
    ka: NonEmpty
    sq: NonEmpty

    def text(self, language: str | None = None) -> str:
        """The text in ``language`` (default: the active one), English when unknown."""
        code = (language or get_language() or "en").split("-")[0]
        return str(getattr(self, code, self.en)) if code in LANGUAGES else self.en

    def __str__(self) -> str:
        return self.text()

    @model_validator(mode="after")
    def _scripts_match_languages(self) -> Labels:
        # A translation left in English (or pasted into the wrong language) is caught here
        # rather than by a beneficiary reading a form she cannot understand.
        if len(_LATIN.findall(self.en)) >= 3:
            if not _CYRILLIC.search(self.ru):
                raise ValueError("the Russian text is not written in Cyrillic")
            if not _MKHEDRULI.search(self.ka):
                raise ValueError("the Georgian text is not written in Mkhedruli")
        if _ROMANIAN_CEDILLA.search(self.ro):
            raise ValueError("the Romanian text uses ş/ţ with cedilla; write ș/ț (comma below)")
        return self


class Choice(_Strict):
    code: Identifier
    label: Labels
    help: Labels | None = None
    # In a multiple choice, an answer such as "No income" that cannot be ticked with others.
    exclusive: bool = False


ConditionValue = bool | int | str


class Condition(_Strict):
    """``show_if``: the question is shown only when an earlier answer matches.

    ``equals`` matches a yes/no, a choice code, a number; ``in`` matches any of several. For
    a multiple-choice question the condition holds when a matching code is among the chosen.
    """

    question: Identifier
    equals: ConditionValue | None = None
    in_: list[ConditionValue] | None = Field(default=None, alias="in", min_length=1)

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        if (self.equals is None) == (self.in_ is None):
            raise ValueError("give exactly one of 'equals' or 'in'")
        return self

    @property
    def accepted(self) -> list[ConditionValue]:
        return [self.equals] if self.equals is not None else list(self.in_ or [])


class Question(_Strict):
    id: Identifier
    type: QuestionType
    label: Labels
    help: Labels | None = None
    required: bool = False
    show_if: Condition | None = None
    # single_choice / multiple_choice
    choices: list[Choice] | None = None
    # scale / number
    min: float | None = None
    max: float | None = None
    integer: bool = False
    # scale: texts for some points of the scale (e.g. 1 = "not at all", 5 = "very much")
    scale_labels: dict[int, Labels] | None = None
    # text
    multiline: bool = False
    max_length: int = Field(default=4000, ge=1, le=20000)
    # group: the sub-questions of one row, and how many rows are allowed
    questions: list[Question] | None = None
    min_rows: int = Field(default=0, ge=0)
    max_rows: int = Field(default=50, ge=1, le=200)

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        kind = self.type
        has_choices = kind in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}
        if has_choices and not self.choices:
            raise ValueError(f"a {kind.value} question needs 'choices'")
        if not has_choices and self.choices is not None:
            raise ValueError(f"'choices' is only for choice questions, not {kind.value}")
        if kind == QuestionType.SCALE:
            if self.min is None or self.max is None:
                raise ValueError("a scale needs 'min' and 'max'")
            if self.min != int(self.min) or self.max != int(self.max):
                raise ValueError("a scale runs between whole numbers")
            if self.max - self.min > 20:
                raise ValueError("a scale has at most 21 points")
            for point in self.scale_labels or {}:
                if not self.min <= point <= self.max:
                    raise ValueError(f"scale label {point} is outside {self.min:g}-{self.max:g}")
        elif self.scale_labels is not None:
            raise ValueError("'scale_labels' is only for scale questions")
        if kind not in {QuestionType.SCALE, QuestionType.NUMBER} and (
            self.min is not None or self.max is not None
        ):
            raise ValueError("'min'/'max' are only for number and scale questions")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("'min' must be below 'max'")
        if kind == QuestionType.GROUP:
            if not self.questions:
                raise ValueError("a group needs 'questions'")
            if self.min_rows > self.max_rows:
                raise ValueError("'min_rows' must not exceed 'max_rows'")
            if any(sub.type == QuestionType.GROUP for sub in self.questions):
                raise ValueError("groups do not nest")
        elif self.questions is not None:
            raise ValueError("'questions' is only for group questions")
        if kind != QuestionType.MULTIPLE_CHOICE and any(c.exclusive for c in self.choices or []):
            raise ValueError("'exclusive' choices are only for multiple_choice questions")
        if self.choices:
            codes = [choice.code for choice in self.choices]
            duplicates = sorted({code for code in codes if codes.count(code) > 1})
            if duplicates:
                raise ValueError(f"duplicate choice codes: {', '.join(duplicates)}")
        return self

    @property
    def choice_codes(self) -> list[str]:
        return [choice.code for choice in self.choices or []]

    def exclusive_choice(self, codes: list[str]) -> Choice | None:
        """The exclusive choice among ``codes`` when it is combined with others."""
        if len(codes) < 2:
            return None
        return next((c for c in self.choices or [] if c.exclusive and c.code in codes), None)


class Section(_Strict):
    id: Identifier
    title: Labels
    help: Labels | None = None
    questions: list[Question] = Field(min_length=1)


class SummaryCategory(_Strict):
    """A conclusion named by the source form (e.g. "High Risk"), with its usual need level."""

    code: Identifier
    label: Labels
    description: Labels | None = None
    need_level: NeedLevel
    # Where several conclusions may be chosen, one such as "None" that stands alone.
    exclusive: bool = False


class Summary(_Strict):
    """The closing block of every form (002 L1103-L1113): the source's own summary categories
    (e.g. Annex II "SUMMARY ASSESSMENT OF SECURITY"), then the need level, the evidence for the
    conclusion and any disagreement within the team, which the engine adds to every form."""

    title: Labels
    help: Labels | None = None
    categories: list[SummaryCategory] = Field(default_factory=list)
    # Annex IV lets several legal problem areas be ticked at once.
    multiple: bool = False

    @model_validator(mode="after")
    def _exclusive_needs_multiple(self) -> Summary:
        if not self.multiple and any(category.exclusive for category in self.categories):
            raise ValueError("'exclusive' conclusions need 'multiple: true'")
        return self


class FormDefinition(_Strict):
    code: Identifier
    version: int = Field(ge=1)
    domain: AssessmentDomain
    discipline: Discipline
    title: Labels
    description: Labels | None = None
    source: NonEmpty
    sections: list[Section] = Field(min_length=1)
    summary: Summary

    def questions(self) -> Iterator[Question]:
        """Top-level questions in order."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions() if q.id == question_id), None)


def definition_problems(definition: FormDefinition) -> list[tuple[Path, str]]:
    """Whole-form checks pydantic cannot express field by field, each with the path of the
    offending key."""
    problems: list[tuple[Path, str]] = []
    seen_sections: set[str] = set()
    seen: dict[str, Question] = {}
    for s_index, section in enumerate(definition.sections):
        section_path: Path = ("sections", s_index)
        if section.id in seen_sections:
            problems.append(((*section_path, "id"), f"duplicate section id '{section.id}'"))
        seen_sections.add(section.id)
        for q_index, question in enumerate(section.questions):
            path: Path = (*section_path, "questions", q_index)
            if question.id in seen:
                problems.append(((*path, "id"), f"duplicate question id '{question.id}'"))
            problems += _condition_problems(question, path, seen)
            seen[question.id] = question
            if question.type == QuestionType.GROUP:
                # A row's sub-questions may depend on earlier questions of the same row or on
                # earlier top-level questions; their ids are unique within the row.
                row_seen: dict[str, Question] = {}
                for sub_index, sub in enumerate(question.questions or []):
                    sub_path: Path = (*path, "questions", sub_index)
                    if sub.id in row_seen:
                        problems.append(((*sub_path, "id"), f"duplicate question id '{sub.id}'"))
                    problems += _condition_problems(sub, sub_path, {**seen, **row_seen})
                    row_seen[sub.id] = sub
    codes = [category.code for category in definition.summary.categories]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            path = ("summary", "categories", index, "code")
            problems.append((path, f"duplicate summary category '{code}'"))
    return problems


def _condition_problems(
    question: Question, path: Path, earlier: dict[str, Question]
) -> list[tuple[Path, str]]:
    condition = question.show_if
    if condition is None:
        return []
    where: Path = (*path, "show_if", "question")
    target = earlier.get(condition.question)
    if target is None:
        return [(where, f"'{condition.question}' is not an earlier question of this form")]
    if target.type in {QuestionType.TEXT, QuestionType.DATE, QuestionType.GROUP}:
        return [(where, f"a condition cannot test a {target.type.value} question")]
    problems: list[tuple[Path, str]] = []
    for value in condition.accepted:
        if not _value_fits(target, value):
            key = "equals" if condition.equals is not None else "in"
            problems.append(
                (
                    (*path, "show_if", key),
                    f"{value!r} is not a possible answer to '{condition.question}'",
                )
            )
    return problems


def _value_fits(target: Question, value: Any) -> bool:
    if target.type == QuestionType.YES_NO:
        return isinstance(value, bool)
    if target.type in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE}:
        return isinstance(value, str) and value in target.choice_codes
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    low = target.min if target.min is not None else float("-inf")
    high = target.max if target.max is not None else float("inf")
    return low <= value <= high


# Keys that only word a form. Everything else (ids, types, choice codes, conditions, ranges,
# required, rows, conclusions and their need levels) decides which answers are valid.
_WORDING_KEYS = frozenset({"title", "label", "help", "description", "scale_labels", "source"})


def structure_fingerprint(definition: FormDefinition) -> str:
    """SHA-256 of what answers depend on, leaving out the wording.

    Answers keep the version they were given to, so a released version may have its texts
    corrected but never its structure; the tests compare each version's fingerprint with
    ``forms/fingerprints.json``."""

    def structure(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: structure(item) for key, item in value.items() if key not in _WORDING_KEYS}
        if isinstance(value, list):
            return [structure(item) for item in value]
        return value

    data = structure(definition.model_dump(mode="json", by_alias=True))
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
