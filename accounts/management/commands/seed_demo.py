from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_accounts
from assessments.demo import seed_assessments
from assistance.demo import seed_assistance
from cases.demo import seed_cases
from complaints.demo import seed_complaints
from monitoring.demo import seed_monitoring
from plans.demo import seed_plans
from referrals.demo import seed_referrals
from services.demo import seed_services
from work.demo import seed_work


class Command(BaseCommand):
    help = "Load the demo organisations, accounts and cases. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = seed_accounts()
        demo_cases = seed_cases(organisations)
        seed_services(organisations)
        # After the cases: gives each demo case a history of milestones and work items.
        seed_work()
        # After the work history: assessments record their own milestones.
        seed_assessments()
        seed_referrals(organisations)
        # After the milestones: plans add their own (submission, approval).
        seed_plans(organisations)
        # After the plans: a Georgian case's ledger and a monthly report submitted to the fund.
        seed_assistance(organisations)
        # After the plans: phases, contacts, scores and setbacks; then the complaints.
        seed_monitoring(organisations)
        seed_complaints(organisations)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if demo_cases:
            self.stdout.write(f"{demo_cases} demo cases added.")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<15} {account.description}")
        self.stdout.write("")
        self.stdout.write(
            "Every demo account has an enrolled authenticator app with the key "
            f"{DEMO_TOTP_SECRET} (add it to any authenticator app to sign a plan on screen)."
        )
        if not settings.DEMO_MODE:
            self.stdout.write(
                "Demo mode is off: the demo accounts sign in with a code from that key."
            )
