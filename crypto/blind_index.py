"""Blind indexes: keyed hashes that let the database find a person without holding the name.

Names and dates of birth are stored only encrypted (crypto.services). To search and to
detect duplicates, each person also gets HMAC-SHA256 digests of normalised name tokens and of
the date of birth. The database can match digests for equality but cannot read them back;
the HMAC key is derived per purpose with HKDF from ``REINTEGRA_INDEX_KEY`` (see
reintegra/keys.py: it must be backed up with the master key and is not rotated casually),
so a name digest can never be compared with a date digest or any other purpose's digest.

Normalisation turns each word of a name into:

* a literal token: case-folded, diacritics stripped, Cyrillic (Russian, Ukrainian,
  Moldovan Cyrillic) and Georgian transliterated to Latin; "Ольга" and "Olga" meet here;
* a phonetic token (prefixed ``~``): the consonant skeleton of the literal token, with the
  consonants that transliteration schemes disagree on folded together and vowels dropped,
  so that spellings such as Olena/Elena, Iurie/Yuri/Юрий, Natalia/Natalya/Наталья,
  Olga/Olha, Zhanna/Jana or Nino/ნინო meet.

How to use the digests: store ``name_index(full_name)`` for each person (one row per digest
in an indexed table). Search with ``name_search_index(query)``: a person matches when every
query digest is among theirs, so "olena popescu" finds "Елена Попеску". An exact-spelling
match can be ranked first by also comparing ``name_index(query)``.
"""

# ruff: noqa: RUF001, RUF003  (Cyrillic and Georgian letters are the data here, not look-alikes)

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import re
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NAME_PURPOSE = "name"
DOB_PURPOSE = "dob"
PHONETIC_PREFIX = "~"

# Russian, close to the ICAO 9303 passport scheme (what appears in travel documents).
_RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
    # Moldovan Cyrillic (used in Transnistria and older Moldovan documents).
    "ӂ": "j",
}  # fmt: skip
# Ukrainian official transliteration (2010): г is h, и is y, and the letters only Ukrainian has.
_UKRAINIAN = {
    **_RUSSIAN,
    "г": "h", "ґ": "g", "е": "e", "є": "ie", "и": "y", "і": "i", "ї": "i", "й": "i",
    "х": "kh", "щ": "shch", "ю": "iu", "я": "ia",
}  # fmt: skip
_UKRAINIAN_ONLY = frozenset("ґєії")
# Georgian national romanisation (2002); Mtavruli capitals fold to these letters first.
_GEORGIAN = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j",
    "ჰ": "h",
}  # fmt: skip
# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN_EXTRA = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                "þ": "th", "ı": "i"}  # fmt: skip
# Apostrophes join (O'Brien, Ukrainian Мар'яна); everything else that is not a letter splits.
_APOSTROPHES = re.compile("['\u2019\u02bc\u02b9`\u00b4]")
_WORD = re.compile(r"[^\W\d_]+")

# Phonetic folding, applied in order to a literal Latin token. Multi-letter spellings of one
# sound first, then single letters. Upper-case letters stand for sound classes. Vowels (and
# y, which transliterations use as a vowel or a glide) are dropped; a leading vowel leaves an
# "a" in their place so that Ivan (a-v-n) and Vana (v-n) stay apart.
_PHONETIC_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"shch|sch|sh", "S"),  # ш щ
        (r"tch|ch|cz|c(?=[eiy])", "C"),  # ч; Romanian ce/ci (Cebotari/Чеботарь)
        (r"dzh|dj|zh|j", "Z"),  # ж, Romanian j (Jana/Жанна), Georgian ჯ
        (r"ts|tz|dz", "T"),  # ц; Georgian ც ძ; Romanian ț once its mark is stripped is t
        (r"th", "t"),
        (r"ph|f", "f"),
        (r"kh|gh|h|g", "G"),  # х/г: Olha/Olga, Mihail/Mikhail, Serhiy/Sergey, Evghenii
        (r"ck|c|q|k", "k"),
        (r"x", "ks"),
        (r"w", "v"),
    )
)
_VOWELS = frozenset("aeiouy")


def _latin_char(char: str, table: dict[str, str]) -> str:
    for mapping in (table, _GEORGIAN, _LATIN_EXTRA):
        if char in mapping:
            return mapping[char]
    return char


def _to_latin(word: str, table: dict[str, str]) -> str:
    out = []
    for char in word:
        mapped = _latin_char(char, table)
        if mapped != char or char.isascii():
            out.append(mapped)
            continue
        # Cyrillic й and ё are looked up whole above (decomposing й would give и); any
        # other accented letter, Latin or Cyrillic (ѐ, ș), loses its marks and is mapped.
        decomposed = unicodedata.normalize("NFKD", char)
        out.extend(_latin_char(c, table) for c in decomposed if not unicodedata.combining(c))
    return "".join(out).casefold()


def name_tokens(text: str) -> list[str]:
    """The literal tokens of a name: lower case, unaccented, Latin where transliterable.

    Stable under its own output: ``name_tokens(" ".join(name_tokens(x))) == name_tokens(x)``.
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    folded = _APOSTROPHES.sub("", folded)
    # A name with any letter only Ukrainian has is read as Ukrainian throughout, so that
    # "Сергій Гнатюк" gives "hnatiuk" as Ukrainian documents write it.
    table = _UKRAINIAN if _UKRAINIAN_ONLY.intersection(folded) else _RUSSIAN
    tokens: list[str] = []
    for word in _WORD.findall(folded):
        latin = _to_latin(word, table)
        # Folding can expose a letter that folds further (a ligature, a compatibility
        # form); repeat until nothing changes so that the tokens are a fixed point.
        for _ in range(4):
            again = _to_latin(unicodedata.normalize("NFC", latin), table)
            if again == latin:
                break
            latin = again
        for token in _WORD.findall(latin):
            if token not in tokens:
                tokens.append(token)
    return tokens


def phonetic_key(token: str) -> str:
    """The consonant skeleton of a literal Latin token; "" when the token is not Latin."""
    if not token.isascii() or not token.isalpha():
        return ""
    # Collapse doubled letters first (Anna/Ana, Zhanna/Jana) but not letters that only meet
    # once vowels are gone (Nino stays n-n, not n).
    key = re.sub(r"(.)\1+", r"\1", token.lower())
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    lead = "a" if key[0] in _VOWELS else ""
    skeleton = "".join(c for c in key if c not in _VOWELS)
    return lead + skeleton


def normalise_name(text: str) -> list[str]:
    """Literal tokens of the name, each followed by its phonetic token (``~`` prefixed)."""
    out: list[str] = []
    for token in name_tokens(text):
        for item in (token, _phonetic_token(token)):
            if item and item not in out:
                out.append(item)
    return out


def _phonetic_token(token: str) -> str:
    key = phonetic_key(token)
    return PHONETIC_PREFIX + key if key else ""


@functools.lru_cache(maxsize=32)
def _purpose_key(index_key: bytes, purpose: str) -> bytes:
    # One independent HMAC key per purpose: digests of different purposes never coincide.
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"reintegra-blind-index",
        info=purpose.encode("utf-8"),
    ).derive(index_key)


def clear_index_key_cache() -> None:
    _purpose_key.cache_clear()


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 (hex) of ``value`` under the key derived for ``purpose``."""
    if not purpose:
        raise ValueError("blind_index needs a purpose.")
    key = _purpose_key(settings.REINTEGRA_INDEX_KEY, purpose)
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def name_index(text: str) -> list[str]:
    """Digests of every literal and phonetic token of the name, without duplicates."""
    return [blind_index(token, purpose=NAME_PURPOSE) for token in normalise_name(text)]


def name_search_index(text: str) -> list[str]:
    """One digest per query word, the phonetic one where the word has one.

    A stored person matches when all of these are among their ``name_index`` digests.
    """
    digests: list[str] = []
    for token in name_tokens(text):
        digest = blind_index(_phonetic_token(token) or token, purpose=NAME_PURPOSE)
        if digest not in digests:
            digests.append(digest)
    return digests


def dob_index(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        raise TypeError("dob_index takes a date, not a datetime.")
    return blind_index(value.isoformat(), purpose=DOB_PURPOSE)
