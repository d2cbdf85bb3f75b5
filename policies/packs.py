"""Loading and validating the pack files in ``policies/packs/``.

Packs are validated once at start-up (``PoliciesConfig.ready``); a broken pack raises
``ImproperlyConfigured`` naming the file and the key path, so the service never runs with a
half-read rule set.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from policies.schema import PolicyRules

PACKS_DIR = Path(__file__).resolve().parent / "packs"


def _describe(error: Any) -> str:
    path = ".".join(str(part) for part in error["loc"]) or "(top level)"
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "greater_than_equal":
        message = f"must be >= {context.get('ge')}"
    elif kind == "less_than_equal":
        message = f"must be <= {context.get('le')}"
    elif kind in {"int_type", "int_parsing"}:
        message = "must be a whole number"
    elif kind == "value_error":
        message = str(context.get("error", error["msg"]))
    else:
        message = error["msg"]
    return f"{path}: {message}"


def parse_pack(data: Any, *, source: str) -> PolicyRules:
    """Validate already-parsed YAML; errors name ``source`` and each key path."""
    if not isinstance(data, dict):
        raise ImproperlyConfigured(f"{source}: a policy pack must be a mapping of keys")
    try:
        return PolicyRules.model_validate(data)
    except ValidationError as error:
        details = "; ".join(_describe(item) for item in error.errors())
        raise ImproperlyConfigured(f"{source}: {details}") from None


def load_pack_file(path: Path) -> PolicyRules:
    source = f"policies/packs/{path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ImproperlyConfigured(f"{source}: not valid YAML ({error})") from None
    rules = parse_pack(data, source=source)
    if rules.code != path.stem:
        raise ImproperlyConfigured(f"{source}: code: must match the file name ({path.stem!r})")
    return rules


def load_packs(directory: Path | None = None) -> dict[str, PolicyRules]:
    directory = PACKS_DIR if directory is None else directory
    packs = {path.stem: load_pack_file(path) for path in sorted(directory.glob("*.yaml"))}
    if "default" not in packs:
        raise ImproperlyConfigured(f"{directory}: the 'default' pack is missing")
    return packs


def content_hash(rules: PolicyRules) -> str:
    """Hash of the validated rules, so that editing a comment makes no new version."""
    canonical = json.dumps(rules.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


_loaded: dict[str, PolicyRules] = {}


def shipped_packs() -> dict[str, PolicyRules]:
    """The packs validated at start-up."""
    if not _loaded:
        _loaded.update(load_packs())
    return dict(_loaded)


def validate_shipped_packs() -> None:
    _loaded.clear()
    _loaded.update(load_packs())
