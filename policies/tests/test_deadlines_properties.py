"""Properties of the deadline engine over arbitrary event histories."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.deadlines import Event, EventKind, compute_deadlines
from policies.packs import load_packs

PACKS = load_packs()
START = date(2026, 1, 1)

events = st.lists(
    st.builds(
        Event,
        kind=st.sampled_from([k for k in EventKind if k != EventKind.RECEPTION]),
        occurred_on=st.integers(min_value=0, max_value=1500).map(
            lambda d: START + timedelta(days=d)
        ),
        ref=st.sampled_from(["", "1", "2", "stabilisation", "inclusion"]),
        responsible_id=st.sampled_from([None, 7]),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(
    history=events,
    code=st.sampled_from(sorted(PACKS)),
    minor=st.booleans(),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_result_does_not_depend_on_the_order_events_arrive(history, code, minor, seed):
    received = [Event(EventKind.RECEPTION, START), *history]
    shuffled = list(received)
    random.Random(seed).shuffle(shuffled)
    first = compute_deadlines(events=received, rules=PACKS[code], is_minor=minor)
    second = compute_deadlines(events=shuffled, rules=PACKS[code], is_minor=minor)
    assert sorted(first, key=repr) == sorted(second, key=repr)


@settings(max_examples=150, deadline=None)
@given(history=events, code=st.sampled_from(sorted(PACKS)), minor=st.booleans())
def test_keys_are_unique_and_dates_follow_reception(history, code, minor):
    deadlines = compute_deadlines(
        events=[Event(EventKind.RECEPTION, START), *history], rules=PACKS[code], is_minor=minor
    )
    identities = [(d.kind, d.key) for d in deadlines]
    assert len(identities) == len(set(identities))
    for deadline in deadlines:
        assert deadline.due_on >= START
        assert deadline.rule
