"""A bounded load run: case workers using Reintegra at once through a real server (SPEC §5
"Throughput": >= 150 requests/s of a mixed case-worker workload on 2 cores, 0 errors).

    python scripts/load.py --duration 60 --concurrency 10 --workers 2

Starts gunicorn with ``--workers`` processes on 127.0.0.1 (unless ``--url`` names a running
server), signs in ``--concurrency`` case managers of the organisation with the most cases
(sessions with a verified second factor are created directly in the session store, as the
test suite does, so no authenticator app is needed), and lets each drive a mix of requests
for ``--duration`` seconds:

    case list 25 %, case page 25 %, name search 20 %, My work 20 %, saving a note 10 %

Every request is sent as the TLS proxy would forward it (``X-Forwarded-Proto: https``, so the
server must run with ``REINTEGRA_BEHIND_PROXY=1``); a note save is a real form post with its
CSRF token. The run stops by itself and prints requests/s, p50/p95/max per kind and every
error (any status other than 200, or 302 after a save). Run it with the same environment as
the server (``DATABASE_URL``, keys) against a database filled by ``generate_synthetic``; the
notes it saves are real rows (run it on a benchmark database, not on live data).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
MIX = [("case list", 25), ("case page", 25), ("name search", 20), ("my work", 20), ("note", 10)]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Worker:
    """One signed-in case manager and what they work on."""

    session_key: str
    case_ids: list[int]
    names: list[str]


@dataclass
class Tally:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.timings.setdefault(kind, []).append(ms)
            if error:
                self.errors.append(f"{kind}: {error}")


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegra.settings")
    import django

    django.setup()


def sign_in_workers(count: int) -> list[Worker]:
    """Verified sessions for ``count`` case managers of the busiest organisation, with some
    of their open cases and the names on them."""
    from django.test import Client

    from accounts.testing import verified_login
    from benchmark.scene import build_scene
    from cases.models import Case, CaseStatus

    organisation = build_scene().organisation
    managers = list(
        Case.objects.filter(organisation=organisation, status=CaseStatus.OPEN)
        .exclude(case_manager=None)
        .order_by("case_manager")
        .values_list("case_manager", flat=True)
        .distinct()[:count]
    )
    workers: list[Worker] = []
    for manager_id in managers:
        cases = list(
            Case.objects.filter(organisation=organisation, case_manager_id=manager_id)
            .select_related("person__data_key", "case_manager")
            .order_by("-received_at")[:10]
        )
        client = verified_login(Client(), cases[0].case_manager, organisation)
        names = [
            f"{c.person.get_plain_or_erased('given_name') or ''} "
            f"{c.person.get_plain_or_erased('family_name') or ''}".strip()
            for c in cases
        ]
        workers.append(
            Worker(
                session_key=client.cookies["reintegra_session"].value,
                case_ids=[c.pk for c in cases],
                names=[n for n in names if n]
                + [(c.person.get_plain_or_erased("family_name") or "") for c in cases[:3]],
            )
        )
    if not workers:
        raise SystemExit("No case manager with open cases: run generate_synthetic first.")
    return workers


class Session:
    """One keep-alive connection of one worker, sending requests as the TLS proxy would."""

    def __init__(self, base: str, worker: Worker) -> None:
        parts = urlsplit(base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.origin = f"https://{self.host}:{self.port}"
        self.cookies = {"reintegra_session": worker.session_key}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


def _one(session: Session, worker: Worker, kind: str, rng: random.Random) -> str | None:
    """Send one request of ``kind``; the error text, or None when it answered as expected."""
    case_id = rng.choice(worker.case_ids)
    if kind == "case list":
        status, _ = session.request("GET", "/cases/")
    elif kind == "case page":
        status, _ = session.request("GET", f"/cases/{case_id}/")
    elif kind == "name search":
        status, _ = session.request("GET", "/cases/?q=" + quote(rng.choice(worker.names)))
    elif kind == "my work":
        status, _ = session.request("GET", "/work/")
    else:
        status, page = session.request("GET", f"/cases/{case_id}/notes/")
        token = CSRF_FIELD.search(page)
        if status != 200 or token is None:
            return f"notes page answered {status}"
        body = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "kind": "phone",
                "occurred_at": time.strftime("%Y-%m-%dT%H:%M"),
                "text": "Phone call: all well, next meeting on Monday.",
            }
        )
        status, _ = session.request("POST", f"/cases/{case_id}/notes/", body)
        return None if status == 302 else f"POST answered {status}"
    return None if status == 200 else f"answered {status}"


def drive(base: str, worker: Worker, until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (a workload, not a secret)
    session = Session(base, worker)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    while time.monotonic() < until:
        kind = rng.choices(kinds, weights=weights)[0]
        started = time.perf_counter()
        try:
            error = _one(session, worker, kind, rng)
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        tally.add(kind, (time.perf_counter() - started) * 1000, error)


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def report(tally: Tally, elapsed: float) -> str:
    everything = [ms for samples in tally.timings.values() for ms in samples]
    lines = [
        f"{len(everything)} requests in {elapsed:.1f} s: {len(everything) / elapsed:.1f} "
        f"requests/s, {len(tally.errors)} errors",
        f"{'':<14}{'requests':>10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    for kind, _ in MIX:
        samples = tally.timings.get(kind, [])
        if samples:
            lines.append(
                f"{kind:<14}{len(samples):>10}{statistics.median(samples):>9.1f}"
                f"{_percentile(samples, 0.95):>9.1f}{max(samples):>9.1f}"
            )
    if everything:
        lines.append(
            f"{'all':<14}{len(everything):>10}{statistics.median(everything):>9.1f}"
            f"{_percentile(everything, 0.95):>9.1f}{max(everything):>9.1f}"
        )
    lines += [f"  error: {e}" for e in tally.errors[:20]]
    return "\n".join(lines)


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603  (fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-" if os.environ.get("LOAD_ACCESS_LOG") else "/dev/null",
            "reintegra.wsgi",
        ],
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
            probe.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of load.")
    parser.add_argument("--concurrency", type=int, default=10, help="Case workers at once.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--port", type=int, default=8017)
    parser.add_argument("--url", default="", help="A running server instead of starting one.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.duration <= 0 or args.concurrency < 1:
        parser.error("--duration and --concurrency must be positive.")
    _setup_django()
    workers = sign_in_workers(args.concurrency)
    server = None if args.url else start_server(args.port, args.workers)
    base = args.url or f"http://127.0.0.1:{args.port}"
    tally = Tally()
    try:
        # A short warm-up (imports, templates, connections), not counted.
        warm = time.monotonic() + min(5.0, args.duration / 4)
        threads = [
            threading.Thread(target=drive, args=(base, w, warm, Tally(), args.seed + i))
            for i, w in enumerate(workers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        started = time.monotonic()
        until = started + args.duration
        threads = [
            threading.Thread(
                target=drive, args=(base, workers[i % len(workers)], until, tally, args.seed + i)
            )
            for i in range(args.concurrency)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(
        f"{args.concurrency} case workers, {args.workers} gunicorn workers, "
        f"{args.duration:.0f} s against {base}"
    )
    print(report(tally, elapsed))
    sys.exit(1 if tally.errors else 0)


if __name__ == "__main__":
    main()
