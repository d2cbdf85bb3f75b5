"""Test helpers that prove identifying text never reaches the database or disk in clear.

``assert_no_plaintext_in_database(marker)`` reads every text-like and binary column of every
table the connection can see (found through ``connection.introspection``, so tables added by
any app are covered without listing them) and fails naming each table and column that holds
the marker. It looks for the marker as typed, case-insensitively, in its JSON-escaped form
(JSON columns store non-ASCII letters as ``\\u`` escapes), and as the transliterated name tokens
the blind indexes are computed from, so a leak through a "normalised" column is caught too.
Database sessions are decoded before they are searched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from crypto.blind_index import name_tokens

# Column types that cannot hold text; every other column is read, so an unknown or new
# type is scanned rather than skipped.
_NON_TEXT_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
        "DateField",
        "DateTimeField",
        "TimeField",
        "DurationField",
        "DecimalField",
        "FloatField",
        "UUIDField",
    }
)
# Shorter tokens ("ana", "ion") also occur inside unrelated words and digests' hex.
_MIN_TOKEN_LENGTH = 5


def plaintext_forms(marker: str) -> list[str]:
    """Lower-case forms of ``marker`` a leak could take."""
    if len(marker) < 4:
        raise ValueError("Use a marker of at least 4 characters so that matches mean a leak.")
    forms = {marker.casefold()}
    # JSON escapes keep the letter case of what was stored: cover the usual three spellings.
    for variant in (marker, marker.casefold(), marker.upper()):
        forms.add(json.dumps(variant)[1:-1].casefold())
    forms.update(t for t in name_tokens(marker) if len(t) >= _MIN_TOKEN_LENGTH)
    return sorted(forms)


def _contains(value: Any, forms: Iterable[str]) -> bool:
    if value is None:
        return False
    if isinstance(value, memoryview | bytearray):
        value = bytes(value)
    if isinstance(value, bytes):
        text = value.decode("utf-8", errors="ignore")
    elif isinstance(value, str):
        text = value
    else:
        # PostgreSQL returns json/jsonb and arrays already decoded.
        text = json.dumps(value, ensure_ascii=False, default=str) + json.dumps(value, default=str)
    folded = text.casefold()
    return any(form in folded for form in forms)


def _session_contains(value: Any, forms: Iterable[str]) -> bool:
    # Database sessions are signed, base64-encoded (often compressed) JSON: decode them so
    # that, say, a search term kept in a session is found.
    from django.contrib.sessions.backends.db import SessionStore

    return _contains(value, forms) or _contains(SessionStore().decode(str(value)), forms)


def _text_columns(connection: Any, table: str) -> list[str]:
    columns = []
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    for column in description:
        try:
            field_type = connection.introspection.get_field_type(column.type_code, column)
        except KeyError:
            field_type = ""
        if field_type not in _NON_TEXT_TYPES:
            columns.append(column.name)
    return columns


def find_plaintext_in_database(marker: str, *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``table.column`` names whose values contain ``marker`` in any form, sorted."""
    forms = plaintext_forms(marker)
    connection = connections[using]
    found: list[str] = []
    quote = connection.ops.quote_name
    for table in sorted(connection.introspection.table_names(include_views=False)):
        columns = _text_columns(connection, table)
        if not columns:
            continue
        select = ", ".join(quote(c) for c in columns)
        checks = [
            _session_contains if (table, c) == ("django_session", "session_data") else _contains
            for c in columns
        ]
        hits: set[str] = set()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select} FROM {quote(table)}")  # noqa: S608  (names come from introspection and are quoted)
            while rows := cursor.fetchmany(500):
                for row in rows:
                    hits.update(
                        column
                        for column, check, value in zip(columns, checks, row, strict=True)
                        if check(value, forms)
                    )
        found.extend(f"{table}.{column}" for column in sorted(hits))
    return found


def assert_no_plaintext_in_database(marker: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Fail naming every table and column that holds ``marker`` in clear."""
    found = find_plaintext_in_database(marker, using=using)
    assert not found, f"{marker!r} is stored in clear in: {', '.join(found)}"


def assert_no_plaintext_in_files(marker: str, root: Path | str | None = None) -> None:
    """Fail naming every file under ``root`` (default MEDIA_ROOT) holding ``marker``."""
    forms = plaintext_forms(marker)
    base = Path(root if root is not None else settings.MEDIA_ROOT)
    leaks = [
        str(path.relative_to(base))
        for path in sorted(base.rglob("*"))
        if path.is_file() and (_contains(path.read_bytes(), forms) or _contains(path.name, forms))
    ]
    assert not leaks, f"{marker!r} is stored in clear in files: {', '.join(leaks)}"
