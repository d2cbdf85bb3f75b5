"""Fixtures of the assistance tests: the plan fixtures (cases with consent, a Georgian NGO
under the fund's pack, plans with budget lines), and a Georgian case whose plan the fund
approved, with its two budget lines."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from plans.tests.conftest import (  # noqa: F401  (fixtures shared with the plan tests)
    PDF,
    _attachments_in_tmp,
    acting,
    build_plan,
    ge_ngo,
    open_case,
    pdf_upload,
)


@dataclass
class FundedCase:
    case: Any
    plan: Any
    lines: list[Any]
    activities: list[Any]
    organisation: Any
    case_manager: Any
    supervisor: Any


@pytest.fixture
def funded_case(
    actors: Any,
    ge_ngo: Any,  # noqa: F811  (pytest fixture)
    open_case: Any,  # noqa: F811  (pytest fixture)
    build_plan: Any,  # noqa: F811  (pytest fixture)
    acting: Any,  # noqa: F811  (pytest fixture)
) -> Callable[..., FundedCase]:
    """A Georgian case (ge-fund, cap GEL 2,000) formally identified, with written consent to
    assistance (001 §3.1-§3.2) and a plan of two budget lines (GEL 1,200 and GEL 700) taken
    through the fund's two stages (001 §3.4) and signed by everyone, so it is in force
    (001 §7.8). ``sign=False`` leaves the approved plan unsigned, not yet in force."""
    from plans.demo import plan_sign_on_paper, plan_through_approval
    from plans.models import BudgetLine, Plan

    def make(
        *,
        given_name: str = "Tamar",
        case_manager: Any = None,
        approve: bool = True,
        sign: bool = True,
        languages: tuple[str, ...] = ("ka",),
    ) -> FundedCase:
        manager = case_manager or ge_ngo.case_manager
        case = open_case(
            organisation=ge_ngo.organisation,
            supervisor=ge_ngo.supervisor,
            case_manager=manager,
            given_name=given_name,
            family_name="Beridze",
            languages=languages,
            written=True,
            identified=True,
        )
        plan = build_plan(case, by=manager, amounts=(("1200", "necessary"), ("700", "desired")))
        worker = acting(manager, ge_ngo.organisation)
        if approve:
            plan = plan_through_approval(
                plan,
                worker=worker,
                approver=acting(actors.coordinator, actors.coordinator_org),
                confirmed_on=datetime.date(2026, 3, 20),
            )
            if sign:
                plan = plan_sign_on_paper(plan, acting=worker, signed_on=datetime.date(2026, 4, 1))
        plan = Plan.objects.select_related("data_key", "case").get(pk=plan.pk)
        lines = list(
            BudgetLine.objects.filter(activity__objective__plan=plan)
            .select_related("activity__objective__plan__case")
            .order_by("id")
        )
        return FundedCase(
            case=case,
            plan=plan,
            lines=lines,
            activities=[line.activity for line in lines],
            organisation=ge_ngo.organisation,
            case_manager=manager,
            supervisor=ge_ngo.supervisor,
        )

    return make


@pytest.fixture
def give(acting: Any) -> Callable[..., Any]:  # noqa: F811  (pytest fixture)
    """Record a paid ledger item on a funded case's budget line (or off the plan)."""
    from assistance.services import ledger_item_record

    def make(
        funded: FundedCase,
        amount: str,
        *,
        line: int | None = 0,
        on: datetime.date = datetime.date(2026, 11, 10),
        by: Any = None,
        category: str = "food_hygiene",
        provision: str = "paid",
        **extra: Any,
    ) -> Any:
        budget_line = funded.lines[line] if line is not None else None
        values = {
            "category": category,
            "given_on": on,
            "quantity": Decimal(1),
            "unit": "package",
            "amount": Decimal(amount),
            "currency": "GEL",
            "provision": provision,
            "budget_line": budget_line,
        }
        if budget_line is None:
            values["funding_source_name"] = "State Fund"
        return ledger_item_record(
            acting=acting(by or funded.case_manager, funded.organisation),
            case=funded.case,
            values=values,
            **extra,
        )

    return make
