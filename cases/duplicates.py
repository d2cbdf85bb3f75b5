"""Duplicate detection at registration through the blind indexes, across the whole instance
(SPEC C1). A match in the same organisation is returned so the worker can open it; a match in
another organisation is reported only as "a possible match exists — ask the coordinator",
never with any of its data, not even its case code."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from cases.models import Case
from crypto.blind_index import dob_index, name_index
from people.models import Person, PersonNameIndex

# Enough to catch any real duplicate; a bound keeps a common first name from loading the world.
MAX_CANDIDATE_ROWS = 5000


@dataclass
class DuplicateReport:
    same_organisation: list[Case] = field(default_factory=list)
    elsewhere: bool = False

    @property
    def found(self) -> bool:
        return bool(self.same_organisation) or self.elsewhere


def _word_hashes(names: list[str]) -> list[set[str]]:
    """One set of index tokens per name word: a word matches when any of its spellings does."""
    words: list[set[str]] = []
    for name in names:
        for word in name.split():
            hashes = set(name_index(word))
            if hashes:
                words.append(hashes)
    return words


def matching_person_ids(*, names: list[str], date_of_birth: datetime.date | None) -> set[int]:
    """Persons whose names match at least two words of ``names``, or one word and the date of
    birth."""
    words = _word_hashes(names)
    all_hashes = set().union(*words) if words else set()
    tokens_by_person: dict[int, set[str]] = defaultdict(set)
    if all_hashes:
        rows = PersonNameIndex.objects.filter(token_hash__in=all_hashes).values_list(
            "person_id", "token_hash"
        )
        for person_id, token in rows[:MAX_CANDIDATE_ROWS]:
            tokens_by_person[person_id].add(token)
    same_birth: set[int] = set()
    if date_of_birth is not None:
        same_birth = set(
            Person.objects.filter(dob_index=dob_index(date_of_birth)).values_list("id", flat=True)
        )
    matches: set[int] = set()
    for person_id, tokens in tokens_by_person.items():
        matched_words = sum(1 for hashes in words if hashes & tokens)
        if matched_words >= 2 or (matched_words >= 1 and person_id in same_birth):
            matches.add(person_id)
    return matches


def find_duplicates(
    *, organisation_id: int, names: list[str], date_of_birth: datetime.date | None
) -> DuplicateReport:
    person_ids = matching_person_ids(names=names, date_of_birth=date_of_birth)
    if not person_ids:
        return DuplicateReport()
    cases = list(
        Case.objects.filter(person_id__in=person_ids)
        .select_related("person__data_key", "data_key")
        .order_by("-id")[:50]
    )
    return DuplicateReport(
        same_organisation=[c for c in cases if c.organisation_id == organisation_id],
        elsewhere=any(c.organisation_id != organisation_id for c in cases),
    )


# Above this many matching persons a literal id list stops paying off and the matching is left
# to the database as a subquery.
MAX_LITERAL_MATCHES = 2000


def _persons_matching_every_word(words: list[set[str]]) -> QuerySet[PersonNameIndex, int]:
    """Person ids with at least one token of each word, in one grouped index scan."""
    every_hash = set().union(*words)
    per_word = {
        f"word{i}": Count("id", filter=Q(token_hash__in=hashes)) for i, hashes in enumerate(words)
    }
    return (
        PersonNameIndex.objects.filter(token_hash__in=every_hash)
        .values("person_id")
        .annotate(**per_word)
        .filter(**{f"{name}__gt": 0 for name in per_word})
        .values_list("person_id", flat=True)
    )


def name_search_condition(query: str) -> Q:
    """Every word of ``query`` must match one of the person's name or alias tokens.

    The few matching persons are read first, so the case query runs on the ``person_id`` index
    instead of testing every case of the organisation against the name index.
    """
    words = _word_hashes([query])
    if not words:
        return Q()
    matching = _persons_matching_every_word(words)
    ids = list(matching[: MAX_LITERAL_MATCHES + 1])
    if len(ids) <= MAX_LITERAL_MATCHES:
        return Q(person_id__in=ids)
    return Q(person_id__in=matching)
