"""EncryptedFieldsMixin on a real table, and the no-plaintext scanner over every table.

The sample model lives in an isolated app registry and its table is created for these tests
only, so the mixin is exercised through the ORM on SQLite and PostgreSQL exactly as the
domain models use it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from audit.models import AuditAction
from audit.services import record
from crypto import services
from crypto.models import DataKey, EncryptedFieldsMixin
from crypto.services import DecryptionError, KeyErased, crypto_erase, data_key_create
from crypto.testing import (
    assert_no_plaintext_in_database,
    find_plaintext_in_database,
    plaintext_forms,
)

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "Zorbulescu"


@pytest.fixture
def sample_model() -> Iterator[Any]:
    with isolate_apps("crypto"):

        class Sample(EncryptedFieldsMixin, models.Model):
            uuid = models.UUIDField(default=uuid.uuid4, unique=True)
            data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT)
            given_name_enc = models.BinaryField(null=True)
            notes_enc = models.BinaryField(null=True)
            code = models.CharField(max_length=16)

            class Meta:
                app_label = "crypto"
                db_table = "crypto_test_sample"

            def __str__(self) -> str:
                return self.code

        with connection.schema_editor() as editor:
            editor.create_model(Sample)
        try:
            yield Sample
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Sample)


def _person(model: Any, name: str | None, notes: str | None = None) -> Any:
    instance = model(data_key=data_key_create(), code="P-1")
    instance.set_plain("given_name", name)
    instance.set_plain("notes", notes)
    instance.save()
    return instance


def test_set_and_get_through_the_database(sample_model: Any) -> None:
    saved = _person(sample_model, f"Olena {MARKER}", "Ольга said: call after 18:00")
    services.clear_key_cache()
    loaded = sample_model.objects.select_related("data_key").get(pk=saved.pk)
    assert loaded.get_plain("given_name") == f"Olena {MARKER}"
    assert loaded.get_plain("notes") == "Ольга said: call after 18:00"
    assert bytes(loaded.given_name_enc) != f"Olena {MARKER}".encode()


def test_none_round_trips(sample_model: Any) -> None:
    saved = _person(sample_model, None)
    loaded = sample_model.objects.get(pk=saved.pk)
    assert loaded.given_name_enc is None
    assert loaded.get_plain("given_name") is None


def test_values_are_bound_to_their_row_and_column(sample_model: Any) -> None:
    first = _person(sample_model, "Olena")
    second = sample_model(data_key=first.data_key, code="P-2")
    second.set_plain("given_name", "Ivan")
    second.save()
    # Someone with database access swaps the ciphertexts between rows, or columns.
    sample_model.objects.filter(pk=second.pk).update(given_name_enc=first.given_name_enc)
    with pytest.raises(DecryptionError):
        sample_model.objects.get(pk=second.pk).get_plain("given_name")
    sample_model.objects.filter(pk=first.pk).update(notes_enc=first.given_name_enc)
    with pytest.raises(DecryptionError):
        sample_model.objects.get(pk=first.pk).get_plain("notes")


def test_decrypted_values_are_cached_per_instance(sample_model: Any) -> None:
    loaded = sample_model.objects.get(pk=_person(sample_model, "Olena").pk)
    with mock.patch("crypto.services.decrypt_text", wraps=services.decrypt_text) as decrypt:
        assert loaded.get_plain("given_name") == "Olena"
        assert loaded.get_plain("given_name") == "Olena"
    assert decrypt.call_count == 1


def test_set_plain_updates_the_cache_and_refresh_clears_it(sample_model: Any) -> None:
    person = _person(sample_model, "Olena")
    person.set_plain("given_name", "Elena")
    assert person.get_plain("given_name") == "Elena"
    person.refresh_from_db()
    assert person.get_plain("given_name") == "Olena"


def test_erased_identity(sample_model: Any) -> None:
    person = _person(sample_model, "Olena")
    assert person.get_plain("given_name") == "Olena"
    assert not person.identity_erased
    crypto_erase(person.data_key, reason="retention")
    # The same instance (with a cached value) and a fresh one both refuse.
    with pytest.raises(KeyErased):
        person.get_plain("given_name")
    fresh = sample_model.objects.select_related("data_key").get(pk=person.pk)
    with pytest.raises(KeyErased):
        fresh.get_plain("given_name")
    with pytest.raises(KeyErased):
        fresh.get_plain("notes")
    assert fresh.get_plain_or_erased("given_name") is None
    assert fresh.identity_erased


def test_unknown_or_wrong_column_is_refused(sample_model: Any) -> None:
    from django.core.exceptions import FieldDoesNotExist

    person = _person(sample_model, "Olena")
    with pytest.raises(FieldDoesNotExist):
        person.get_plain("family_name")
    with pytest.raises(TypeError, match="BinaryField"):
        sample_model.add_to_class("label_enc", models.CharField(max_length=5))
        person.set_plain("label", "x")


def test_a_page_of_rows_decrypts_with_constant_queries(
    sample_model: Any, django_assert_num_queries: Any
) -> None:
    for i in range(6):
        _person(sample_model, f"Person {i}")
    services.clear_key_cache()
    with django_assert_num_queries(1):
        names = [
            p.get_plain("given_name")
            for p in sample_model.objects.select_related("data_key").order_by("pk")
        ]
    assert names == [f"Person {i}" for i in range(6)]


def test_scanner_passes_when_only_ciphertext_is_stored(sample_model: Any) -> None:
    _person(sample_model, f"Olena {MARKER}", f"{MARKER} called")
    _person(sample_model, f"Ольга {MARKER}")
    assert_no_plaintext_in_database(MARKER)


def test_scanner_names_a_leaking_text_column(sample_model: Any) -> None:
    person = _person(sample_model, "Olena")
    sample_model.objects.filter(pk=person.pk).update(code=MARKER.upper()[:16])
    assert find_plaintext_in_database(MARKER) == ["crypto_test_sample.code"]
    with pytest.raises(AssertionError, match=r"crypto_test_sample\.code"):
        assert_no_plaintext_in_database(MARKER)


def test_scanner_finds_a_leak_in_a_binary_column(sample_model: Any) -> None:
    person = _person(sample_model, "Olena")
    sample_model.objects.filter(pk=person.pk).update(notes_enc=f"x {MARKER} y".encode())
    assert find_plaintext_in_database(MARKER) == ["crypto_test_sample.notes_enc"]


def test_scanner_finds_a_non_latin_marker_in_json_escapes(actors: Any) -> None:
    marker = "Зорбулеску"
    record(action=AuditAction.UPDATE, actor=actors.case_manager, detail={"note": marker})
    assert "audit_auditentry.detail" in find_plaintext_in_database(marker)


def test_scanner_finds_the_transliterated_form_of_a_marker(actors: Any) -> None:
    actors.case_manager.last_name = "Zorbulesku"
    actors.case_manager.save()
    assert "accounts_user.last_name" in find_plaintext_in_database("Зорбулеску")


def test_scanner_finds_leaks_in_framework_tables_too(actors: Any) -> None:
    actors.case_manager.first_name = MARKER
    actors.case_manager.save()
    assert "accounts_user.first_name" in find_plaintext_in_database(MARKER.lower())


def test_scanner_decodes_database_sessions(actors: Any) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["last_search"] = f"olena {MARKER}"
    session.save()
    assert find_plaintext_in_database(MARKER) == ["django_session.session_data"]


def test_scanner_forms_and_short_markers() -> None:
    lower = "\\u0437\\u043e\\u0440\\u0431\\u0443\\u043b\\u0435\\u0441\\u043a\\u0443"
    forms = plaintext_forms("Зорбулеску")
    assert {"зорбулеску", "zorbulesku", lower, "\\u0417" + lower[6:]} <= set(forms)
    assert plaintext_forms("Zorbulescu") == ["zorbulescu"]
    with pytest.raises(ValueError):
        plaintext_forms("Ana")


def test_whole_life_of_an_encrypted_record(sample_model: Any, settings: Any) -> None:
    import secrets

    from crypto.blind_index import name_index, name_search_index
    from crypto.services import rotate_keys

    old = {"k1": secrets.token_bytes(32)}
    settings.REINTEGRA_MASTER_KEYS = old
    olena = _person(sample_model, f"Олена {MARKER}", "first contact at the border")
    ivan = _person(sample_model, f"Ivan {MARKER}")
    assert_no_plaintext_in_database(MARKER)
    assert set(name_search_index(f"Elena {MARKER}")) <= set(name_index(f"Олена {MARKER}"))

    settings.REINTEGRA_MASTER_KEYS = {"k2": secrets.token_bytes(32), **old}
    assert rotate_keys() == 2
    settings.REINTEGRA_MASTER_KEYS = {"k2": settings.REINTEGRA_MASTER_KEYS["k2"]}
    reloaded = sample_model.objects.select_related("data_key").get(pk=olena.pk)
    assert reloaded.get_plain("given_name") == f"Олена {MARKER}"
    assert reloaded.get_plain("notes") == "first contact at the border"

    crypto_erase(reloaded.data_key, reason="retention")
    erased = sample_model.objects.select_related("data_key").get(pk=olena.pk)
    assert erased.get_plain_or_erased("given_name") is None
    assert sample_model.objects.get(pk=ivan.pk).get_plain("given_name") == f"Ivan {MARKER}"
    assert_no_plaintext_in_database(MARKER)
