"""Indexes for the quarterly report at 100,000 cases (SPEC C12: at most 2 s on PostgreSQL).

They live here, as plain SQL, because the statistics are their only reader: the models of the
apps they index stay as they are. Each says which query of ``reports.sections`` it serves.
``IF NOT EXISTS`` and partial indexes work on PostgreSQL and SQLite alike.
"""

from django.db import migrations

INDEXES = [
    # sections/cases.case_flags: closures in (and since) the quarter, an uncorrelated
    # subquery evaluated for every case of the scope; only closure milestones are read.
    (
        "report_milestone_closure_day",
        "work_casemilestone (occurred_on, case_id) WHERE kind = 'closure'",
    ),
    # sections/cases, access, expenditure, outcomes: cases received in the quarter, and
    # received by its end (new and active cases, entry cohorts).
    ("report_case_received", "cases_case (received_at, organisation_id)"),
    # sections/outcomes._change_rows: the scores taken in the quarter, other than the baseline.
    (
        "report_measurement_day",
        "monitoring_outcomemeasurement (taken_on, case_id) WHERE occasion <> 'baseline'",
    ),
    # sections/outcomes._change_rows: the baseline score of the same case and domain.
    ("report_score_case_domain", "monitoring_outcomescore (case_id, domain)"),
    # sections/outcomes._contacts_made: contacts in the quarter, by purpose and mode.
    ("report_contact_day", "monitoring_monitoringcontact (occurred_on, case_id)"),
    # sections/timeliness and outcomes._contacts_on_time: deadlines due in the quarter.
    ("report_work_item_due", "work_workitem (due_on, kind)"),
    # sections/expenditure: the ledger items given in the quarter, whatever the organisation.
    ("report_ledger_day", "assistance_ledgeritem (given_on, case_id)"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("cases", "0006_value_constraints"),
        ("monitoring", "0001_initial"),
        ("work", "0002_plan_decided"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES
    ]
