"""The encrypted archive format of ``manage.py backup`` (no domain knowledge here).

    magic "RTGBAK1\\n" | header length (4 bytes) | header (JSON) | chunk*

Each chunk is a 4-byte length and AES-256-GCM ciphertext of at most 1 MiB of plaintext. The
key is derived with HKDF-SHA256 from the backup key (``REINTEGRA_BACKUP_KEY``) or, without
one, from the current master key, with a random salt per archive, so no two archives share a
key. The nonce is a random prefix, the chunk's index and a final-chunk flag, and every chunk
authenticates the whole header: a changed, reordered, dropped or appended chunk, a cut-off
end or an edited header all fail to decrypt (the STREAM construction of Hoang, Reyhanitabar,
Rogaway and Vizár).
"""

from __future__ import annotations

import base64
import json
import secrets
import struct
from collections.abc import Iterator
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"RTGBAK1\n"
CHUNK_BYTES = 1 << 20
_LENGTH = struct.Struct(">I")
_NONCE_PREFIX_BYTES = 7
_MAX_HEADER_BYTES = 1 << 20


class ArchiveError(ValueError):
    """The file is not an archive, was changed, or was made with another key."""


def derive_key(secret: bytes, salt: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"reintegra-backup-v1"
    ).derive(secret)


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


class ArchiveWriter:
    """Encrypts what is written to it, chunk by chunk, into ``out``."""

    def __init__(self, out: IO[bytes], *, secret: bytes, header: dict[str, Any]) -> None:
        salt = secrets.token_bytes(16)
        self._prefix = secrets.token_bytes(_NONCE_PREFIX_BYTES)
        full_header = {
            **header,
            "salt": base64.b64encode(salt).decode(),
            "nonce_prefix": base64.b64encode(self._prefix).decode(),
        }
        header_bytes = json.dumps(full_header, sort_keys=True).encode()
        self._aad = MAGIC + header_bytes
        self._aead = AESGCM(derive_key(secret, salt))
        self._out = out
        self._buffer = bytearray()
        self._index = 0
        out.write(MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes)

    def write(self, data: bytes) -> None:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]

    def close(self) -> None:
        self._emit(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _emit(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), plain, self._aad)
        self._out.write(_LENGTH.pack(len(sealed)) + sealed)
        self._index += 1


def read_header(source: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    """The archive's header (readable without the key) and its raw bytes."""
    if source.read(len(MAGIC)) != MAGIC:
        raise ArchiveError("not a Reintegra backup archive")
    raw_length = source.read(_LENGTH.size)
    if len(raw_length) != _LENGTH.size:
        raise ArchiveError("the archive ends inside its header")
    (length,) = _LENGTH.unpack(raw_length)
    if length > _MAX_HEADER_BYTES:
        raise ArchiveError("the archive's header is implausibly large")
    header_bytes = source.read(length)
    try:
        header = json.loads(header_bytes)
    except ValueError as exc:
        raise ArchiveError("the archive's header is damaged") from exc
    if not isinstance(header, dict) or header.get("format") != 1:
        raise ArchiveError("the archive's format is not one this version reads")
    return header, header_bytes


def decrypted_chunks(
    source: IO[bytes], *, secret: bytes, header: dict[str, Any], header_bytes: bytes
) -> Iterator[bytes]:
    """Plaintext chunks, each authenticated before it is yielded; raises ``ArchiveError`` on
    the first chunk that fails and when the archive ends before its final chunk."""
    try:
        salt = base64.b64decode(header["salt"])
        prefix = base64.b64decode(header["nonce_prefix"])
    except (KeyError, ValueError) as exc:
        raise ArchiveError("the archive's header is damaged") from exc
    aead = AESGCM(derive_key(secret, salt))
    aad = MAGIC + header_bytes
    index = 0
    while True:
        raw_length = source.read(_LENGTH.size)
        if not raw_length:
            raise ArchiveError("the archive is cut off: its final part is missing")
        if len(raw_length) != _LENGTH.size:
            raise ArchiveError("the archive is cut off inside a part")
        (length,) = _LENGTH.unpack(raw_length)
        if length > CHUNK_BYTES + 16:
            raise ArchiveError(f"part {index} of the archive is damaged")
        sealed = source.read(length)
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(prefix, index, last), sealed, aad)
            except InvalidTag:
                continue
            yield plain
            if last:
                if source.read(1):
                    raise ArchiveError("the archive has data after its final part")
                return
            break
        else:
            raise ArchiveError(
                f"part {index} of the archive does not decrypt: the file was changed, or it "
                "was made with another key"
            )
        index += 1
