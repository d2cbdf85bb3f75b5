"""What ``manage.py bench`` measures: one line per page or API call (SPEC §5 "Latency").

Each :class:`Target` names who requests it (an actor of the :class:`Scene`), the path — a
format string over the scene's values — and its targets. Adding a page to the benchmark is
one entry in ``TARGETS``, e.g. the quarterly national report::

    Target("quarterly report", "coordinator", "/reports/quarterly/", p95_ms=2000),

The scene is built once per run from the database (``benchmark.scene``): the organisation
with the most cases, a case manager with a case, a supervisor, a coordinator, a case with a
plan, an assessed case, a referral received by the organisation, a full name and the most
common family name among its persons.
"""

from __future__ import annotations

from dataclasses import dataclass

# SPEC §5: every case-worker page and API call p95 <= 50 ms server time and <= 12 queries;
# name search over encrypted names <= 20 ms.
PAGE_P95_MS = 50.0
SEARCH_P95_MS = 20.0
MAX_QUERIES = 12


@dataclass(frozen=True)
class Target:
    name: str
    # "case_manager", "supervisor" or "coordinator" (see benchmark.scene.Scene.actors).
    actor: str
    # Formatted with the scene's values, e.g. "/cases/{case}/".
    path: str
    p95_ms: float = PAGE_P95_MS
    max_queries: int = MAX_QUERIES


TARGETS: list[Target] = [
    Target("case list (case manager)", "case_manager", "/cases/"),
    Target("case list (supervisor, all cases)", "supervisor", "/cases/"),
    Target("case list, last page", "supervisor", "/cases/?page=last"),
    Target("name search: full name", "supervisor", "/cases/?q={full_name}", SEARCH_P95_MS),
    Target("name search: common surname", "supervisor", "/cases/?q={common_name}", SEARCH_P95_MS),
    Target("case page", "case_manager", "/cases/{case}/"),
    Target("case person section", "case_manager", "/cases/{case}/person/"),
    Target("case notes", "case_manager", "/cases/{case}/notes/"),
    Target("plan page", "case_manager", "/plans/case/{plan_case}/"),
    Target("assessment page", "case_manager", "/assessments/cases/{assessed_case}/"),
    Target("referral inbox", "supervisor", "/referrals/inbox/"),
    Target("referral, recipient's view", "supervisor", "/referrals/received/{received}/"),
    Target("my work", "case_manager", "/work/"),
    Target("team caseloads", "supervisor", "/work/team/"),
    Target("service directory", "case_manager", "/services/"),
    Target("API: case list", "case_manager", "/api/v1/cases"),
    Target("API: case", "case_manager", "/api/v1/cases/{case}"),
    Target("API: name search", "supervisor", "/api/v1/cases?q={full_name}", SEARCH_P95_MS),
    Target("API: common surname", "supervisor", "/api/v1/cases?q={common_name}", SEARCH_P95_MS),
    Target("API: my work", "case_manager", "/api/v1/work"),
    Target("API: me", "case_manager", "/api/v1/me"),
]
