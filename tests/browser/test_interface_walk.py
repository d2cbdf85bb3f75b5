"""The main pages, as the people who use them, in every language, on a laptop and a tablet.

Walks ``PAGES`` (add a row for a new page; every section in a case file's section navigation is
visited by itself) as the demo accounts, in English, Romanian, Russian, Georgian and Albanian at
1366 and 820 px, saves a screenshot of each into ``test-artifacts/walk/`` and collects, for all
pages before failing:

- a page wider than the screen;
- a definition list whose label has no visible value next to (or under) it;
- a raw code in the visible text: snake_case words, policy rule keys, references to the
  source documents;
- serious or critical WCAG 2.1 AA violations found by axe-core (the copy shipped in the
  ``axe-playwright-python`` package, injected into the page: never fetched from a network).

One browser; each account signs in once and keeps its session across languages and widths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "ro", "ru", "ka", "sq")
WIDTHS = (1366, 820)

# What a person must never read on screen.
RAW_CODE_PATTERNS = (
    re.compile(r"\b[a-z]{2,}(?:_[a-z0-9]+)+\b"),  # snake_case values: in_progress
    re.compile(r"\b[a-z]{2,}-[a-z]{2,}@\d+:"),  # pack-qualified rule keys: md-nrs@1:...
    re.compile(
        r"\b(?:plan|case|monitoring|referral|consent|assessment|identification|reception|"
        r"intake|work|review|reports?)\.[a-z]+(?:_[a-z]+)*\b"
    ),  # rule keys: plan.due_days
    re.compile(r"\b[Ss]eed \d{3}\b|\b\d{3} L\d+|\(\d{3} §|\b\d{3} §\d"),  # seed references
    re.compile(r"\b(?:cases|plans|accounts|people|referrals)\.[a-z]+ \d+\b"),  # model labels
    re.compile(r"\{[#%{]|[#%}]\}"),  # template syntax that leaked through
)

AXE_SOURCE = Path(str(__import__("axe_playwright_python").__file__)).with_name("axe.min.js")


@dataclass(frozen=True)
class Visit:
    """A page as one account sees it. ``path`` gets the demo data's ids by name."""

    account: str
    name: str
    path: Callable[[dict[str, Any]], str]
    case_sections: bool = False  # also visit every section linked from the case navigation


PAGES: tuple[Visit, ...] = (
    Visit("ana.case", "home", lambda ids: "/"),
    Visit("ana.case", "case-list", lambda ids: "/cases/"),
    Visit("ana.case", "case", lambda ids: f"/cases/{ids['case']}/", case_sections=True),
    Visit("ana.case", "my-work", lambda ids: "/work/"),
    Visit("ana.case", "referral-inbox", lambda ids: "/referrals/inbox/"),
    Visit("ana.case", "directory", lambda ids: "/services/"),
    Visit("elena.super", "home", lambda ids: "/"),
    Visit("elena.super", "policy-rules", lambda ids: "/policies/"),
    Visit("elena.super", "team", lambda ids: "/work/team/"),
    Visit("elena.super", "plans-to-approve", lambda ids: "/plans/approvals/"),
    Visit("tamar.case", "home", lambda ids: "/"),
    Visit("tamar.case", "plan", lambda ids: f"/plans/case/{ids['fund_case']}/"),
    Visit("nino.coord", "home", lambda ids: "/"),
    Visit("nino.coord", "fund-approval", lambda ids: f"/plans/approvals/{ids['fund_plan']}/"),
    Visit("olga.admin", "users", lambda ids: "/accounts/members/"),
    Visit("olga.admin", "audit-log", lambda ids: "/audit/"),
    Visit("sys.admin", "organisations", lambda ids: "/accounts/organisations/"),
)

# Runs in the page: the layout problems a person would see.
LAYOUT_CHECK = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    let widest = null;
    for (const element of document.querySelectorAll("main *")) {
      const box = element.getBoundingClientRect();
      if (box.right > width + 1 && !element.closest(".table-wrap")) { widest = element; break; }
    }
    problems.push("page wider than the screen (" + document.documentElement.scrollWidth + " > "
      + width + ")" + (widest ? ": " + widest.tagName + "." + widest.className : ""));
  }
  for (const term of document.querySelectorAll("main dl dt")) {
    let value = term.nextElementSibling;
    if (!value || value.tagName !== "DD") {
      problems.push("label without value: " + term.innerText.trim());
      continue;
    }
    const box = value.getBoundingClientRect();
    const card = value.closest(".card") || document.querySelector("main");
    const limit = card.getBoundingClientRect();
    if (!value.innerText.trim() && !value.querySelector("progress,img,svg")) {
      problems.push("empty value for: " + term.innerText.trim());
    } else if (box.width < 8 || box.right > limit.right + 1 || box.left < limit.left - 1) {
      problems.push("value hidden or outside its card for: " + term.innerText.trim());
    }
  }
  return problems;
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): "
      + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


def _demo_ids() -> dict[str, Any]:
    from cases.models import Case
    from plans.models import Plan

    manager_case = (
        Case.objects.filter(case_manager__username="ana.case", plan__isnull=False)
        .order_by("pk")
        .first()
    )
    fund_plan = (
        Plan.objects.filter(case__organisation__policy_pack="ge-fund", submitted_at__isnull=False)
        .order_by("pk")
        .first()
    )
    assert manager_case is not None, "the demo has a case with a plan managed by ana.case"
    assert fund_plan is not None, "the demo has a plan submitted to the Georgian fund"
    return {"case": manager_case.pk, "fund_plan": fund_plan.pk, "fund_case": fund_plan.case_id}


def _visible_text(page: Any) -> str:
    return str(page.evaluate("() => document.querySelector('main').innerText"))


def _check(page: Any, label: str, *, with_axe: bool) -> list[str]:
    problems = [f"{label}: {problem}" for problem in page.evaluate(LAYOUT_CHECK)]
    text = _visible_text(page)
    for pattern in RAW_CODE_PATTERNS:
        for found in sorted(set(match.group(0) for match in pattern.finditer(text))):
            problems.append(f"{label}: raw code on screen: {found!r}")
    if with_axe:
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
        problems += [f"{label}: axe {violation}" for violation in page.evaluate(AXE_RUN)]
    return problems


def test_main_pages_hold_in_every_language_and_width(
    chromium_browser: Any, live_server: Any, settings: Any
) -> None:
    from django.core.management import call_command

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User

    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ids = _demo_ids()
    out = ARTIFACTS / "walk"
    out.mkdir(parents=True, exist_ok=True)

    pages: dict[str, Any] = {}
    problems: list[str] = []
    try:
        for language in LANGUAGES:
            User.objects.filter(username__in={visit.account for visit in PAGES}).update(
                language=language
            )
            for width in WIDTHS:
                for visit in PAGES:
                    page = pages.get(visit.account)
                    if page is None:
                        context = chromium_browser.new_context(
                            viewport={"width": width, "height": 900}, locale="en-GB"
                        )
                        page = context.new_page()
                        page.goto(f"{live_server.url}/accounts/login/")
                        page.fill("#id_username", visit.account)
                        page.fill("#id_password", DEMO_PASSWORD)
                        page.click("main button[type=submit]")
                        page.wait_for_load_state()
                        if page.locator(".choice-list").count():
                            # Several organisations: the coordinator acts for the State Fund.
                            page.click(".choice-list button >> text=State Fund")
                            page.wait_for_load_state()
                        pages[visit.account] = page
                    page.set_viewport_size({"width": width, "height": 900})
                    urls = [(visit.name, visit.path(ids))]
                    response = page.goto(live_server.url + urls[0][1])
                    page.wait_for_load_state("networkidle")
                    if response is None or response.status >= 400:
                        problems.append(f"{visit.account} {visit.name}: HTTP error")
                    if visit.case_sections:
                        urls += [
                            (f"{visit.name}-{index}", href)
                            for index, href in enumerate(
                                page.eval_on_selector_all(
                                    "nav.tabs a",
                                    "links => links.map(a => a.getAttribute('href'))",
                                )
                            )
                            if href != urls[0][1]
                        ]
                    for name, path in urls:
                        if page.url != live_server.url + path:
                            page.goto(live_server.url + path)
                            page.wait_for_load_state("networkidle")
                        label = f"{visit.account} {name} {language} {width}px"
                        # Contrast and landmarks do not change with the width: axe once a language.
                        problems += _check(page, label, with_axe=width == WIDTHS[0])
                        page.screenshot(
                            path=str(out / f"{language}-{width}-{visit.account}-{name}.png"),
                            full_page=True,
                        )
    finally:
        for page in pages.values():
            page.context.close()
    assert not problems, "\n".join(problems)
