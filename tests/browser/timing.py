"""Click-to-settled-page timings on a running demo, as a person on the site feels them.

    python -m tests.browser.timing http://127.0.0.1:8000 [--rounds 7]

Signs in as the demo case manager, then measures, each over several rounds, the median time
from the click (or the navigation) until the page has loaded and htmx has settled:

- saving a note on the notes page of a case with a plan;
- opening the plan page;
- opening the notes page and the case list.

Uses Debian's chromium like the browser tests; prints one line per measure in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "demo-reintegra-2026"  # the published demo password


# Settled: the page has loaded (styles, scripts, icon) and what htmx loads on arrival (the
# "My work" badge) has been swapped in. Playwright's "networkidle" would add its own 500 ms.
SETTLED = """() => document.readyState === "complete"
  && !document.querySelector('[hx-trigger~="load"], .htmx-request, .htmx-settling')"""


def _settled(page: Any) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(SETTLED, polling=10)


def _timed(action: Any, page: Any) -> float:
    started = time.perf_counter()
    action()
    _settled(page)
    return (time.perf_counter() - started) * 1000


def measure(base: str, rounds: int, case_number: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 820, "height": 1180})
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "ana.case")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        _settled(page)
        page.goto(f"{base}/cases/")
        _settled(page)
        # The demo's first case, which has a plan and notes.
        page.click(f"table a:text-is('{case_number}')")
        _settled(page)
        case_url = page.url.rstrip("/")
        plan_url = page.get_attribute("nav.tabs a[href*='/plans/']", "href")
        notes_url = f"{case_url}/notes/"
        timings: dict[str, list[float]] = {"note save": [], "plan page": [], "notes page": []}
        timings["case list"] = []
        for index in range(rounds + 1):
            page.goto(notes_url)
            _settled(page)
            page.click("details summary")
            page.fill("textarea[name=text]", f"Timing round {index}: phone call, all well.")
            save = _timed(lambda: page.click("details form button[type=submit]"), page)
            try:
                page.wait_for_selector(".message-success", timeout=5000)
            except Exception:
                page.screenshot(path="test-artifacts/timing-failed-save.png", full_page=True)
                raise
            plan = _timed(lambda: page.goto(f"{base}{plan_url}"), page)
            notes = _timed(lambda: page.goto(notes_url), page)
            case_list = _timed(lambda: page.goto(f"{base}/cases/"), page)
            if index:  # the first round warms caches and connections
                timings["note save"].append(save)
                timings["plan page"].append(plan)
                timings["notes page"].append(notes)
                timings["case list"].append(case_list)
        browser.close()
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the demo's address, e.g. http://127.0.0.1:8000")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--case", default="CSP-2026-0001", help="a case with a plan")
    arguments = parser.parse_args()
    for name, value in measure(
        arguments.base.rstrip("/"), arguments.rounds, arguments.case
    ).items():
        print(f"{name:<12} {value:7.0f} ms (median of {arguments.rounds})")


if __name__ == "__main__":
    main()
