"""generate_synthetic: realistic, readable, searchable, repeatable."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from cases.models import Case, CaseNote
from cases.selectors import CaseFilters, case_list
from consent.models import Consent

pytestmark = pytest.mark.django_db


def test_generates_readable_cases(
    actors: Any, acting: Any, django_assert_max_num_queries: Any
) -> None:
    out = StringIO()
    call_command(
        "generate_synthetic", "--cases", "60", "--seed", "7", "--batch-size", "25", stdout=out
    )
    assert "Created 60 synthetic cases." in out.getvalue()
    cases = list(Case.objects.select_related("person__data_key", "data_key"))
    assert len(cases) == 60
    assert len({c.number for c in cases}) == 60
    assert all(c.person.full_name for c in cases)
    # Assistance and data processing for every case; sharing consents come with referrals.
    assert Consent.objects.exclude(purpose="sharing").count() == 120
    assert CaseNote.objects.count() >= 60
    assert all(n.get_plain("text") for n in CaseNote.objects.select_related("data_key")[:10])
    assert AuditEntry.objects.filter(object_type="cases.synthetic").count() == 1
    # The blind indexes were written: a generated name is found by search.
    supervisor = acting(actors.supervisor, actors.home_org)
    sample = next(c for c in cases if c.organisation_id == actors.home_org.pk)
    given = sample.person.get_plain("given_name") or ""
    assert sample in case_list(supervisor, CaseFilters(q=given))


def test_batch_query_count_does_not_grow_with_batch_size(actors: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.synthetic import generate

    with CaptureQueriesContext(connection) as small:
        generate(cases=50, seed=1, batch_size=50)
    with CaptureQueriesContext(connection) as large:
        generate(cases=200, seed=2, batch_size=200)

    # Only the case-number counters grow, one per organisation and year received (3 x 6 here).
    # SQLite binds at most 999 parameters per statement, so Django splits every bulk insert
    # into chunks that grow with the rows; PostgreSQL sends each batch as one statement.
    def counted(queries: list[dict[str, Any]]) -> int:
        if connection.vendor == "sqlite":
            return sum(1 for q in queries if not q["sql"].startswith("INSERT"))
        return len(queries)

    assert counted(large.captured_queries) <= counted(small.captured_queries) + 3 * 18


def test_needs_staff(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("generate_synthetic", "--cases", "3")


@pytest.mark.django_db
def test_synthetic_work_items_are_what_the_engine_would_store(actors, settings, tmp_path):
    from cases.models import Case
    from cases.synthetic import generate
    from work.models import CaseMilestone, WorkItem
    from work.services import work_items_recompute

    settings.MEDIA_ROOT = tmp_path
    generate(cases=12, seed=5, batch_size=5)
    assert CaseMilestone.objects.count() >= 12
    assert WorkItem.objects.exists()
    for case in Case.objects.all():
        result = work_items_recompute(case=case)
        # The bulk path stored exactly what the per-case recompute derives: nothing to change.
        assert (result.created, result.updated, result.removed) == (0, 0, 0)
