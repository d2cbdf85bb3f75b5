"""Reading form definitions from YAML, with problems reported by file and line.

Layout (one directory per form, one file per version, old versions kept so that answers
given to them stay readable)::

    assessments/forms/<code>/v1.yaml
    assessments/forms/<code>/v2.yaml

A file's ``code`` must match its directory and its ``version`` its file name, so a copied
file that was not renumbered cannot silently replace the version it was copied from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from assessments.definitions import FormDefinition, Path, definition_problems

FORMS_DIRECTORY = FilePath(__file__).resolve().parent / "forms"
# libyaml's loader reads the shipped forms about eight times faster than the pure-Python one,
# which keeps start-up quick; both keep the line marks the problem reports need.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.yaml$")


@dataclass(frozen=True)
class DefinitionProblem:
    file: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.problem}"


class DefinitionError(ImproperlyConfigured):
    """A form definition does not validate; start-up stops with this."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__(
            "Assessment form definition is not valid:\n"
            + "\n".join(f"  {problem}" for problem in problems)
        )


@dataclass
class FormRegistry:
    """Every version of every form, keyed by code then version."""

    forms: dict[str, dict[int, FormDefinition]] = field(default_factory=dict)

    def codes(self) -> list[str]:
        return sorted(self.forms)

    def latest(self, code: str) -> FormDefinition | None:
        versions = self.forms.get(code)
        return versions[max(versions)] if versions else None

    def get(self, code: str, version: int | None = None) -> FormDefinition | None:
        if version is None:
            return self.latest(code)
        return self.forms.get(code, {}).get(version)

    def versions(self, code: str) -> list[int]:
        return sorted(self.forms.get(code, {}))


def load_directory(directory: FilePath, *, relative_to: FilePath | None = None) -> FormRegistry:
    """Load and validate every ``<code>/v<n>.yaml`` under ``directory``; raise
    ``DefinitionError`` listing every problem of every file."""
    registry = FormRegistry()
    problems: list[DefinitionProblem] = []
    base = relative_to or directory.parent.parent
    for path in sorted(directory.glob("*/*.yaml")):
        shown = _shown_name(path, base)
        match = _VERSION_FILE.match(path.name)
        if match is None:
            problems.append(DefinitionProblem(shown, 1, "file name must be v<number>.yaml"))
            continue
        try:
            definition = load_file(path, shown_name=shown)
        except DefinitionError as error:
            problems += error.problems
            continue
        if definition.code != path.parent.name:
            problems.append(
                DefinitionProblem(
                    shown, 1, f"code '{definition.code}' does not match its directory"
                )
            )
        elif definition.version != int(match.group(1)):
            problems.append(
                DefinitionProblem(
                    shown, 1, f"version {definition.version} does not match the file name"
                )
            )
        else:
            registry.forms.setdefault(definition.code, {})[definition.version] = definition
    if problems:
        raise DefinitionError(problems)
    return registry


def load_file(path: FilePath, *, shown_name: str | None = None) -> FormDefinition:
    return parse_definition(path.read_text(encoding="utf-8"), file_name=shown_name or str(path))


def parse_definition(text: str, *, file_name: str) -> FormDefinition:
    """Validate one definition's YAML text; raise ``DefinitionError`` naming file and line."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise DefinitionError(
            [DefinitionProblem(file_name, line, f"not valid YAML: {error.problem}")]
        ) from error
    if root is None or not isinstance(root, yaml.MappingNode):
        raise DefinitionError([DefinitionProblem(file_name, 1, "a definition is a mapping")])
    duplicates = list(_duplicate_keys(root))
    if duplicates:
        raise DefinitionError(
            [
                DefinitionProblem(file_name, node.start_mark.line + 1, f"duplicate key '{key}'")
                for key, node in duplicates
            ]
        )
    data = yaml.load(text, Loader=_LOADER)  # noqa: S506  (a safe loader, C or Python)
    try:
        definition = FormDefinition.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(
            [
                DefinitionProblem(file_name, _line_of(root, tuple(item["loc"])), _describe(item))
                for item in error.errors()
            ]
        ) from None
    cross = definition_problems(definition)
    if cross:
        raise DefinitionError(
            [
                DefinitionProblem(file_name, _line_of(root, path), f"{_dotted(path)}: {message}")
                for path, message in cross
            ]
        )
    return definition


def _shown_name(path: FilePath, base: FilePath) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _duplicate_keys(node: yaml.Node) -> list[tuple[str, yaml.Node]]:
    # PyYAML keeps the last of two equal keys without a word; in a form that silently drops
    # a question or a translation.
    found: list[tuple[str, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        keys: set[Any] = set()
        for key_node, value_node in node.value:
            if key_node.value in keys:
                found.append((str(key_node.value), key_node))
            keys.add(key_node.value)
            found += _duplicate_keys(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item)
    return found


def _line_of(root: yaml.Node, path: Path) -> int:
    """The 1-based line of the deepest node ``path`` reaches (the key itself when it exists,
    else its parent: a missing key is reported where it should have been written)."""
    node = root
    line = root.start_mark.line
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            match = next((pair for pair in node.value if pair[0].value == step), None)
            if match is None:
                break
            line = match[0].start_mark.line
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                break
            node = node.value[step]
            line = node.start_mark.line
        else:
            # pydantic adds steps of its own (the member of a union it tried); they are not
            # keys of the file.
            continue
    return line + 1


def _dotted(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _describe(item: Any) -> str:
    kind = item["type"]
    where = _dotted(
        tuple(step for step in item["loc"] if isinstance(step, int) or not _union_tag(step))
    )
    if kind == "missing":
        message = "required key is missing"
    elif kind == "extra_forbidden":
        message = "unknown key"
    else:
        message = str(item["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _union_tag(step: str) -> bool:
    # pydantic names the union member it tried ("bool", "int", "str") in the error location.
    return step in {"bool", "int", "str", "float"}
