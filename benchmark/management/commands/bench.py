"""Measure server time and query counts of every page and API call in ``benchmark.targets``
(SPEC §5).

    REINTEGRA_ENV=production … python manage.py bench --cases 100000 --requests 50

Creates synthetic cases until the database holds ``--cases`` (``generate_synthetic``), builds
the scene (``benchmark.scene``: the organisation with the most cases, its case manager,
supervisor, a coordinator, a plan, an assessment, a received referral, names to search) and
requests each target in-process through Django's test client, as HTTPS requests so that the
production settings (HTTPS redirect, secure cookies) answer as they do behind the TLS proxy.
The time measured is the server's (middleware, views, templates, queries), without network
or browser. Queries are counted without transaction control statements (BEGIN, COMMIT,
savepoints). Reports p50/p95/max and queries per request against each target's limits.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.testing import verified_login
from benchmark.scene import NoScene, Scene, build_scene
from benchmark.targets import TARGETS, Target
from cases.models import Case


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
    max_queries: int
    status: int

    @property
    def passed(self) -> bool:
        return (
            self.status == 200
            and self.p95_ms <= self.target_ms
            and self.queries <= self.max_queries
        )


def _control(sql: str) -> bool:
    """Transaction control (BEGIN, COMMIT, savepoints) moves no data: not counted as queries."""
    return sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(client: Client, target: Target, path: str, *, requests: int) -> Result:
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "testserver"
    for _ in range(3):  # warm caches, connection and template loading
        client.get(path, secure=True, HTTP_HOST=host)
    timings: list[float] = []
    queries = 0
    status = 200
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, secure=True, HTTP_HOST=host)
            timings.append((time.perf_counter() - started) * 1000)
        queries = max(queries, sum(1 for q in captured.captured_queries if not _control(q["sql"])))
        if response.status_code != 200:
            status = response.status_code
    return Result(
        name=target.name,
        path=path,
        requests=requests,
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        max_ms=round(max(timings), 2),
        queries=queries,
        target_ms=target.p95_ms,
        max_queries=target.max_queries,
        status=status,
    )


def _path(target: Target, scene: Scene) -> str | None:
    try:
        return target.path.format(**scene.values)
    except KeyError:
        return None  # the database has no such record (e.g. no plan yet)


class Command(BaseCommand):
    help = "Benchmark every page and API call in benchmark.targets: server time and queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=1000, help="Cases to have in the database."
        )
        parser.add_argument("--requests", type=int, default=30, help="Requests per line.")
        parser.add_argument("--seed", type=int, default=1, help="Seed for synthetic data.")
        parser.add_argument(
            "--only", default="", help="Measure only the lines whose name contains this."
        )
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
        try:
            scene = build_scene()
        except NoScene as error:
            raise CommandError(str(error)) from error
        clients: dict[str, Client] = {
            key: verified_login(Client(), user, organisation)
            for key, (user, organisation) in scene.actors.items()
        }
        requests = options["requests"]
        self.stdout.write(
            f"{Case.objects.count()} cases in the database, {scene.cases_in_organisation} in "
            f"{scene.organisation}; {requests} requests per line; database: {connection.vendor}; "
            f"DEBUG {'on' if settings.DEBUG else 'off'}, "
            f"HTTPS redirect {'on' if settings.SECURE_SSL_REDIRECT else 'off'}."
        )
        results: list[Result] = []
        skipped: list[str] = []
        for target in TARGETS:
            if options["only"] and options["only"] not in target.name:
                continue
            path = _path(target, scene)
            client = clients.get(target.actor)
            if path is None or client is None:
                skipped.append(target.name)
                continue
            results.append(measure(client, target, path, requests=requests))
        self._report(results, skipped)
        if options["json_path"]:
            with open(options["json_path"], "w", encoding="utf-8") as handle:
                json.dump([asdict(r) | {"passed": r.passed} for r in results], handle, indent=2)

    def _report(self, results: list[Result], skipped: list[str]) -> None:
        self.stdout.write(
            f"{'':<38}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}{'target':>9}  result"
        )
        for result in results:
            verdict = "ok" if result.passed else "MISSED"
            if result.status != 200:
                verdict = f"HTTP {result.status}"
            self.stdout.write(
                f"{result.name:<38}{result.p50_ms:>9.1f}{result.p95_ms:>9.1f}{result.max_ms:>9.1f}"
                f"{result.queries:>9}{result.target_ms:>9.0f}  {verdict}"
            )
        for name in skipped:
            self.stdout.write(f"{name:<38}  skipped: nothing of this kind in the database")
        missed = [r for r in results if not r.passed]
        self.stdout.write(
            f"{len(results) - len(missed)} of {len(results)} lines within their targets."
        )
