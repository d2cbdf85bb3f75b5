"""The blind-index key setting: parsed strictly, generated once in development."""

from __future__ import annotations

import base64
import stat
from pathlib import Path
from typing import Any

import pytest

from lib.env import ConfigurationError
from reintegra.keys import ensure_development_secrets, new_index_key, parse_index_key


def test_generated_index_key_parses_to_32_bytes() -> None:
    key = new_index_key()
    assert len(parse_index_key(key)) == 32
    assert parse_index_key(f"  {key}\n") == parse_index_key(key)
    assert new_index_key() != key


def test_padded_standard_base64_is_accepted() -> None:
    raw = bytes(range(32))
    assert parse_index_key(base64.urlsafe_b64encode(raw).decode()) == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not base64 at all!", "not valid base64"),
        (base64.urlsafe_b64encode(bytes(16)).decode(), "must decode to 32 bytes, got 16"),
        ("", "must decode to 32 bytes, got 0"),
    ],
)
def test_bad_index_key_fails_loudly_naming_the_setting(raw: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match="REINTEGRA_INDEX_KEY") as excinfo:
        parse_index_key(raw)
    assert message in str(excinfo.value)


def test_development_generates_the_index_key_once_readable_only_by_its_owner(
    tmp_path: Path,
) -> None:
    ensure_development_secrets(tmp_path)
    key_file = tmp_path / "index_key"
    first = key_file.read_text()
    assert len(parse_index_key(first)) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    ensure_development_secrets(tmp_path)
    assert key_file.read_text() == first


def test_index_key_is_not_the_secret_key_or_a_master_key(settings: Any) -> None:
    index_key = settings.REINTEGRA_INDEX_KEY
    assert len(index_key) == 32
    assert index_key not in settings.REINTEGRA_MASTER_KEYS.values()
    assert index_key != settings.SECRET_KEY.encode()
