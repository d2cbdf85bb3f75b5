"""Data migrations that move a plain text column under the person's key (issue 15, item 7).

Used from migrations with historical models: each row must have ``uuid`` and ``data_key``,
as ``crypto.models.EncryptedFieldsMixin`` expects; the ciphertext is bound to the same
table, column and row as the mixin binds it, so the model reads it back unchanged.
"""

from __future__ import annotations

from typing import Any

from crypto.services import KeyErased, decrypt_text, encrypt_text


def encrypt_column(model: Any, plain: str) -> None:
    """``<plain>`` → ``<plain>_enc`` for every row with text; empty text becomes NULL."""
    table = model._meta.db_table
    column = model._meta.get_field(f"{plain}_enc").column
    rows = model.objects.exclude(**{plain: ""}).select_related("data_key")
    for row in rows.iterator(chunk_size=500):
        try:
            ciphertext = encrypt_text(
                row.data_key, getattr(row, plain), table=table, column=column, row=str(row.uuid)
            )
        except KeyErased:
            # The person was crypto-erased: what named them goes with the key.
            ciphertext = None
        model.objects.filter(pk=row.pk).update(**{f"{plain}_enc": ciphertext})


def decrypt_column(model: Any, plain: str) -> None:
    """The reverse, for rolling the migration back."""
    table = model._meta.db_table
    column = model._meta.get_field(f"{plain}_enc").column
    rows = model.objects.filter(**{f"{plain}_enc__isnull": False}).select_related("data_key")
    for row in rows.iterator(chunk_size=500):
        try:
            text = decrypt_text(
                row.data_key,
                bytes(getattr(row, f"{plain}_enc")),
                table=table,
                column=column,
                row=str(row.uuid),
            )
        except KeyErased:
            text = ""
        model.objects.filter(pk=row.pk).update(**{plain: text or ""})
