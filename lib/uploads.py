"""Checking and storing uploaded documents: only PDF, JPEG and PNG, recognised by their first
bytes (a renamed executable is refused), at most ``MAX_UPLOAD_BYTES``, encrypted at rest with the
person's data key through ``crypto.files``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from crypto.files import store_encrypted

MAX_UPLOAD_BYTES = 10 * 1024 * 1024

# Magic numbers of the accepted formats.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass(frozen=True)
class StoredUpload:
    name: str
    original_name: str
    content_type: str
    size: int


def sniff_content_type(data: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def read_upload(upload: Any, *, field: str = "file") -> tuple[bytes, str, str]:
    """The bytes, the detected content type and a safe original name; ValidationError naming
    ``field`` when the file is too large or of a refused type."""
    size = getattr(upload, "size", None) or 0
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: [_("The file is larger than 10 MB.")]})
    data = upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({field: [_("The file is larger than 10 MB.")]})
    if not data:
        raise ValidationError({field: [_("The file is empty.")]})
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError({field: [_("Upload a PDF, JPEG or PNG file.")]})
    original = (
        str(getattr(upload, "name", "") or "document").replace("/", "_").replace("\\", "_")[-150:]
    )
    return data, content_type, original


def store_upload(
    upload: Any, *, key: Any, table: str, column: str, row: str, field: str = "file"
) -> StoredUpload:
    data, content_type, original = read_upload(upload, field=field)
    name = store_encrypted(key, data, table=table, column=column, row=row)
    return StoredUpload(
        name=name, original_name=original, content_type=content_type, size=len(data)
    )
