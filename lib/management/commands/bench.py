"""Measure server time and query counts of the case-worker pages and API calls (SPEC §5).

    python manage.py bench --cases 100000 --requests 50

Creates synthetic cases until the database holds ``--cases`` (``generate_synthetic``), signs
in a case manager and a supervisor of the organisation with the most cases, and requests each
page in-process through Django's test client: the time measured is the server's (middleware,
views, templates, queries), without network or browser. Reports p50/p95/max and queries per
request against the targets: p95 ≤ 50 ms, ≤ 12 queries per page, name search ≤ 30 ms.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.access import acting_for
from accounts.models import Membership, Organisation
from accounts.roles import Role
from accounts.testing import verified_login
from cases.models import Case

PAGE_P95_MS = 50.0
SEARCH_P95_MS = 30.0
MAX_QUERIES = 12


@dataclass
class Result:
    name: str
    path: str
    requests: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    queries: int
    target_ms: float
    status: int

    @property
    def passed(self) -> bool:
        return self.status == 200 and self.p95_ms <= self.target_ms and self.queries <= MAX_QUERIES


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client: Client, name: str, path: str, *, requests: int, target_ms: float) -> Result:
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "testserver"
    get: Callable[..., Any] = client.get
    for _ in range(3):  # warm caches, connection and template loading
        get(path, HTTP_HOST=host)
    timings: list[float] = []
    queries = 0
    status = 200
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = get(path, HTTP_HOST=host)
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, len(captured.captured_queries))
        if response.status_code != 200:
            status = response.status_code
    return Result(
        name=name,
        path=path,
        requests=requests,
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(_percentile(timings, 0.95), 2),
        max_ms=round(max(timings), 2),
        queries=queries,
        target_ms=target_ms,
        status=status,
    )


class Command(BaseCommand):
    help = "Benchmark case-worker pages and API calls: server time percentiles and query counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=1000, help="Cases to have in the database."
        )
        parser.add_argument("--requests", type=int, default=30, help="Requests per page.")
        parser.add_argument("--seed", type=int, default=1, help="Seed for synthetic data.")
        parser.add_argument("--json", dest="json_path", default="", help="Also write results here.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requests"] < 1:
            raise CommandError("--requests must be at least 1.")
        missing = options["cases"] - Case.objects.count()
        if missing > 0:
            self.stdout.write(f"Creating {missing} synthetic cases…")
            call_command(
                "generate_synthetic", cases=missing, seed=options["seed"], stdout=self.stdout
            )
        # The organisation with the most cases among those with a supervisor to sign in.
        busiest = (
            Organisation.objects.filter(
                memberships__role=Role.SUPERVISOR, memberships__is_active=True
            )
            .annotate(total=Count("cases", distinct=True))
            .filter(total__gt=0)
            .order_by("-total")
            .first()
        )
        if busiest is None:
            raise CommandError("No cases to measure: run seed_demo or generate_synthetic first.")
        manager_case = (
            Case.objects.filter(organisation=busiest, case_manager__isnull=False)
            .select_related("case_manager", "person")
            .order_by("-pk")
            .first()
        )
        supervisor = (
            Membership.objects.active()
            .filter(organisation=busiest, role=Role.SUPERVISOR)
            .select_related("user")
            .first()
        )
        if manager_case is None or manager_case.case_manager is None or supervisor is None:
            raise CommandError(f"{busiest} needs a supervisor and a managed case to benchmark.")
        manager = manager_case.case_manager
        acting = acting_for(manager, busiest)
        if acting is None:
            raise CommandError(f"{manager} has no role in {busiest}.")
        family_name = manager_case.person.get_plain("family_name") or ""

        worker = verified_login(Client(), manager, busiest)
        lead = verified_login(Client(), supervisor.user, busiest)
        requests = options["requests"]
        total = Case.objects.filter(organisation=busiest).count()
        self.stdout.write(
            f"{Case.objects.count()} cases in the database, {total} in {busiest}; "
            f"{requests} requests per line; database: {connection.vendor}."
        )
        plan = [
            (worker, "case list (case manager)", "/cases/", PAGE_P95_MS),
            (lead, "case list (supervisor, all cases)", "/cases/", PAGE_P95_MS),
            (lead, "case list, last page", f"/cases/?page={max(1, total // 25)}", PAGE_P95_MS),
            (lead, "name search", f"/cases/?q={family_name}", SEARCH_P95_MS),
            (worker, "case page", f"/cases/{manager_case.pk}/", PAGE_P95_MS),
            (worker, "case person section", f"/cases/{manager_case.pk}/person/", PAGE_P95_MS),
            (worker, "my work", "/work/", PAGE_P95_MS),
            (lead, "team caseloads", "/work/team/", PAGE_P95_MS),
            (worker, "service directory", "/services/", PAGE_P95_MS),
            (worker, "API: case list", "/api/v1/cases", PAGE_P95_MS),
            (worker, "API: case", f"/api/v1/cases/{manager_case.pk}", PAGE_P95_MS),
            (lead, "API: name search", f"/api/v1/cases?q={family_name}", SEARCH_P95_MS),
            (worker, "API: my work", "/api/v1/work", PAGE_P95_MS),
            (worker, "API: me", "/api/v1/me", PAGE_P95_MS),
        ]
        results = [
            measure(client, name, path, requests=requests, target_ms=target)
            for client, name, path, target in plan
        ]
        self.stdout.write(
            f"{'':<36}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'target':>9}  result"
        )
        for result in results:
            verdict = "ok" if result.passed else "MISSED"
            if result.status != 200:
                verdict = f"HTTP {result.status}"
            self.stdout.write(
                f"{result.name:<36}{result.p50_ms:>9.1f}{result.p95_ms:>9.1f}{result.max_ms:>9.1f}"
                f"{result.queries:>9}{result.target_ms:>9.0f}  {verdict}"
            )
        missed = [r for r in results if not r.passed]
        self.stdout.write(
            f"{len(results) - len(missed)} of {len(results)} lines within their targets."
        )
        if options["json_path"]:
            with open(options["json_path"], "w", encoding="utf-8") as handle:
                json.dump([asdict(r) | {"passed": r.passed} for r in results], handle, indent=2)
