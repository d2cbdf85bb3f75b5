"""Data keys (one per person) and the mixin that reads and writes encrypted columns.

Envelope encryption (DESIGN "Security design"): every person has a random 256-bit data key
(DEK). Identifying fields and free text about the person are AES-256-GCM encrypted with it;
the DEK itself is stored only wrapped (encrypted) by the master key, with the id of the
master key that wrapped it so the master key can rotate without re-encrypting any data.
Destroying the wrapped DEK (crypto-erasure) makes every value encrypted under it, including
copies in backups, unreadable for good.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    import uuid


class DataKey(models.Model):
    # AES-256-GCM of the 32-byte DEK under the master key named by kek_id; None once erased.
    wrapped_key = models.BinaryField(_("wrapped key"), null=True, blank=True)
    kek_id = models.CharField(_("master key id"), max_length=32)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    rewrapped_at = models.DateTimeField(_("rewrapped at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        constraints = [
            # A key is either live (wrapped material, no erasure time) or erased (neither
            # material nor a way back); a half-erased row would hide a failed erasure.
            models.CheckConstraint(
                condition=(
                    Q(wrapped_key__isnull=False, erased_at__isnull=True)
                    | Q(wrapped_key__isnull=True, erased_at__isnull=False)
                ),
                name="datakey_live_or_erased",
            ),
        ]
        indexes = [
            # Serves rotate_keys: "live keys not yet wrapped under the current master key",
            # walked in primary-key order.
            models.Index(fields=["kek_id", "id"], name="datakey_kek_id"),
        ]

    def __str__(self) -> str:
        # Never shows key material.
        state = "erased" if self.is_erased else self.kek_id
        return f"DataKey {self.pk} ({state})"

    @property
    def is_erased(self) -> bool:
        return self.wrapped_key is None


class EncryptedFieldsMixin(models.Model):
    """Plaintext access to ``<column>_enc`` BinaryFields encrypted with ``self.data_key``.

    The model must have a ``data_key`` foreign key to :class:`DataKey` and a ``uuid`` field
    (the stable row identifier). Each value is bound by its associated data to
    ``db_table|<column>_enc|uuid``, so a ciphertext copied to another row or column fails to
    decrypt. Load lists with ``select_related("data_key")`` so that decrypting a page of
    rows costs no query per row.

    ``get_plain`` raises :class:`crypto.services.KeyErased` when the person was
    crypto-erased; templates use ``get_plain_or_erased`` and show "identity erased" for None.
    """

    if TYPE_CHECKING:
        data_key: DataKey
        uuid: uuid.UUID

    class Meta:
        abstract = True

    def _encrypted_column(self, column: str) -> str:
        field = self._meta.get_field(f"{column}_enc")
        if not isinstance(field, models.BinaryField) or field.column is None:
            raise TypeError(f"{self._meta.label}.{column}_enc is not a BinaryField column.")
        return field.column

    def _plain_cache(self) -> dict[str, str | None]:
        cache: dict[str, str | None] | None = self.__dict__.get("_crypto_plain_cache")
        if cache is None:
            cache = {}
            self.__dict__["_crypto_plain_cache"] = cache
        return cache

    def get_plain(self, column: str) -> str | None:
        from crypto.services import decrypt_text

        cache = self._plain_cache()
        if column in cache:
            # The key may have been erased through this very instance since the value was
            # cached; erasure must win over the cache.
            if self.data_key.is_erased:
                cache.clear()
            else:
                return cache[column]
        db_column = self._encrypted_column(column)
        raw = getattr(self, f"{column}_enc")
        value = decrypt_text(
            self.data_key,
            None if raw is None else bytes(raw),
            table=self._meta.db_table,
            column=db_column,
            row=str(self.uuid),
        )
        cache[column] = value
        return value

    def get_plain_or_erased(self, column: str) -> str | None:
        """The plaintext, or None when the person's data key was crypto-erased."""
        from crypto.services import KeyErased

        try:
            return self.get_plain(column)
        except KeyErased:
            return None

    @property
    def identity_erased(self) -> bool:
        return self.data_key.is_erased

    def set_plain(self, column: str, value: str | None) -> None:
        """Encrypt ``value`` into ``<column>_enc``; the caller saves the instance."""
        from crypto.services import encrypt_text

        setattr(
            self,
            f"{column}_enc",
            encrypt_text(
                self.data_key,
                value,
                table=self._meta.db_table,
                column=self._encrypted_column(column),
                row=str(self.uuid),
            ),
        )
        self._plain_cache()[column] = value

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_crypto_plain_cache", None)
        super().refresh_from_db(*args, **kwargs)
