"""The outcome framework (SPEC C8): domains, an anchored 1-5 scale and the seeds' concrete
indicators, in a versioned YAML file (``monitoring/outcomes/<code>-v<version>.yaml``).

Files are validated when Django starts (``MonitoringConfig.ready``), like the policy packs
and the assessment forms: an unknown key, a missing translation, a duplicate domain or a scale
that is not 1 to 5 stops the start, naming the file and the key path. Scores store the code
and version of the framework they were taken with, so an adapted framework never changes the
meaning of earlier scores.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from assessments.definitions import Labels

OUTCOMES_DIRECTORY = Path(__file__).resolve().parent / "outcomes"
# The framework new scores are taken with: the highest version of this code.
DEFAULT_FRAMEWORK = "reintegration"
SCORES = (1, 2, 3, 4, 5)
_FILE_NAME = re.compile(r"^(?P<code>[a-z][a-z0-9_]{0,31})-v(?P<version>[1-9][0-9]*)\.yaml$")

DomainCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    score: int
    label: Labels
    description: Labels


class OutcomeDomain(_Strict):
    code: DomainCode
    label: Labels
    indicators: list[Labels] = Field(default_factory=list)


class Framework(_Strict):
    code: DomainCode
    version: Annotated[int, Field(ge=1)]
    title: Labels
    levels: list[Level]
    domains: Annotated[list[OutcomeDomain], Field(min_length=1)]

    @field_validator("levels")
    @classmethod
    def _one_to_five(cls, levels: list[Level]) -> list[Level]:
        if tuple(level.score for level in levels) != SCORES:
            raise ValueError("levels must be the scores 1, 2, 3, 4, 5 in this order")
        return levels

    @field_validator("domains")
    @classmethod
    def _unique_codes(cls, domains: list[OutcomeDomain]) -> list[OutcomeDomain]:
        codes = [domain.code for domain in domains]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise ValueError(f"domain codes must be unique: {', '.join(duplicates)}")
        return domains

    def domain(self, code: str) -> OutcomeDomain | None:
        return next((domain for domain in self.domains if domain.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [domain.code for domain in self.domains]

    def level(self, score: int) -> Level:
        return self.levels[score - 1]


def _describe(error: Any) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "(file)"
    return f"{path}: {error['msg']}"


def load_framework_file(path: Path) -> Framework:
    match = _FILE_NAME.match(path.name)
    if match is None:
        raise ImproperlyConfigured(f"{path.name}: name the file <code>-v<version>.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        framework = Framework.model_validate(data)
    except yaml.YAMLError as error:
        raise ImproperlyConfigured(f"{path.name}: not valid YAML: {error}") from error
    except ValidationError as error:
        problems = "; ".join(_describe(item) for item in error.errors())
        raise ImproperlyConfigured(f"{path.name}: {problems}") from error
    if (framework.code, framework.version) != (match["code"], int(match["version"])):
        raise ImproperlyConfigured(
            f"{path.name}: code and version must match the file name "
            f"(found {framework.code} version {framework.version})"
        )
    return framework


def load_frameworks(directory: Path = OUTCOMES_DIRECTORY) -> dict[tuple[str, int], Framework]:
    frameworks = {}
    for path in sorted(directory.glob("*.yaml")):
        framework = load_framework_file(path)
        frameworks[(framework.code, framework.version)] = framework
    if not any(code == DEFAULT_FRAMEWORK for code, _ in frameworks):
        raise ImproperlyConfigured(f"{directory}: no outcome framework {DEFAULT_FRAMEWORK!r}")
    return frameworks


@cache
def shipped_frameworks() -> dict[tuple[str, int], Framework]:
    return load_frameworks()


def framework_for(code: str = DEFAULT_FRAMEWORK, version: int | None = None) -> Framework:
    """A framework by code and version; the current (highest) version when none is given."""
    frameworks = shipped_frameworks()
    if version is None:
        version = max(v for c, v in frameworks if c == code)
    return frameworks[(code, version)]


def current_framework() -> Framework:
    return framework_for(DEFAULT_FRAMEWORK)
