from __future__ import annotations

from pathlib import Path

import pytest

from lib.env import ConfigurationError, env_bool, env_int, env_secret, parse_database_url
from reintegra.keys import new_master_key, parse_master_keys


def test_env_bool_rejects_garbage(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ConfigurationError, match="X_FLAG"):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True


def test_env_int_names_the_variable(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ConfigurationError, match="X_NUM"):
        env_int("X_NUM", 1)


def test_secret_from_file_and_not_both(monkeypatch, tmp_path: Path):
    secret_file = tmp_path / "s"
    secret_file.write_text("from-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret_file))
    assert env_secret("X_SECRET") == "from-file"
    monkeypatch.setenv("X_SECRET", "direct")
    with pytest.raises(ConfigurationError, match="not both"):
        env_secret("X_SECRET")
    monkeypatch.delenv("X_SECRET")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigurationError, match="not a readable file"):
        env_secret("X_SECRET")


def test_database_urls(tmp_path: Path):
    pg = parse_database_url(
        "postgres://u:p%40ss@db.local:5433/reintegra?sslmode=require", base_dir=tmp_path
    )
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "reintegra",
        "u",
        "p@ss",
        "db.local",
        "5433",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    sqlite = parse_database_url("sqlite:///var/x.sqlite3", base_dir=tmp_path)
    assert sqlite["NAME"] == str(tmp_path / "var/x.sqlite3")
    with pytest.raises(ConfigurationError, match="mysql"):
        parse_database_url("mysql://x/y", base_dir=tmp_path)


def test_master_keys_parse_in_order():
    first, second = new_master_key("k2"), new_master_key("k1")
    keys = parse_master_keys(f"{first},{second}")
    assert list(keys) == ["k2", "k1"]
    assert all(len(k) == 32 for k in keys.values())


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("k1:c2hvcnQ", "32 bytes"),
        ("bad id!:AAAA", "key id"),
        ("", "empty"),
        ("k1:!!!!", "base64|32 bytes"),
    ],
)
def test_master_key_errors(raw, message):
    with pytest.raises(ConfigurationError, match=message):
        parse_master_keys(raw)
