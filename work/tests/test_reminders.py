"""send_reminders: one digest per user and day, never twice, even with two runs at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections

from policies.tests.factories import make_case
from work import reminders
from work.models import MilestoneKind, ReminderDigest
from work.reminders import send_reminders
from work.services import milestone_record

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel("2026-03-02 07:00:00+02:00", tick=False):
        yield


def with_work(actors) -> None:
    for user in (actors.case_manager, actors.supervisor, actors.other_worker):
        user.email = f"{user.username}@example.org"
        user.save()
    for manager, organisation in (
        (actors.case_manager, actors.home_org),
        (actors.case_manager, actors.home_org),
        (actors.supervisor, actors.home_org),
        (actors.other_worker, actors.other_org),
    ):
        case = make_case(organisation, manager=manager, received_at=TODAY - timedelta(days=25))
        milestone_record(
            case=case, kind=MilestoneKind.RECEPTION, occurred_on=case.received_at, actor=manager
        )
        if organisation == actors.home_org:
            # md-nrs: the plan's 20 days run from the detailed evaluation (000 L76).
            milestone_record(
                case=case,
                kind=MilestoneKind.ASSESSMENT_COMPLETED,
                occurred_on=case.received_at,
                actor=manager,
            )


@pytest.mark.django_db
def test_one_digest_per_user_with_due_work(actors, django_capture_on_commit_callbacks):
    with_work(actors)
    actors.specialist.email = "sami@example.org"
    actors.specialist.save()
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(day=TODAY)
    assert (run.sent, run.already_claimed) == (3, 0)
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "cara_manager@example.org",
        "otto_worker@example.org",
        "suri_supervisor@example.org",
    ]
    digest = next(m for m in mail.outbox if m.to == ["cara_manager@example.org"])
    assert digest.subject == "Reintegra: 2 items due, 2 overdue"
    assert "Plan draft" in digest.body and "[Overdue]" in digest.body
    assert ReminderDigest.objects.get(user=actors.case_manager, day=TODAY).item_count == 2
    assert ReminderDigest.objects.get(user=actors.case_manager, day=TODAY).sent_at is not None


@pytest.mark.django_db
def test_digest_names_cases_by_code_only(actors, django_capture_on_commit_callbacks):
    with_work(actors)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(day=TODAY)
    digest = next(m for m in mail.outbox if m.to == ["otto_worker@example.org"])
    case = actors.other_worker.managed_cases.get()
    assert case.code in digest.body
    assert case.number not in digest.body


@pytest.mark.django_db
def test_digest_in_the_users_language(actors, django_capture_on_commit_callbacks):
    with_work(actors)
    actors.other_worker.language = "sq"
    actors.other_worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(day=TODAY)
    assert any(m.to == ["otto_worker@example.org"] for m in mail.outbox)


@pytest.mark.django_db
def test_a_second_run_the_same_day_sends_nothing(actors, django_capture_on_commit_callbacks):
    with_work(actors)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(day=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(day=TODAY)
    assert (run.sent, run.already_claimed) == (0, 3)
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_a_digest_claimed_by_another_run_is_not_sent_again(
    actors, django_capture_on_commit_callbacks
):
    with_work(actors)
    ReminderDigest.objects.create(
        user=actors.case_manager, day=TODAY, claimed_at="2026-03-02T05:00:00Z"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(day=TODAY)
    assert (run.sent, run.already_claimed) == (2, 1)
    assert "cara_manager@example.org" not in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_no_digest_for_work_in_an_organisation_the_user_left(
    actors, django_capture_on_commit_callbacks
):
    with_work(actors)
    actors.other_worker.memberships.update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(day=TODAY)
    assert "otto_worker@example.org" not in [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim(actors, monkeypatch, django_capture_on_commit_callbacks):
    with_work(actors)

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(day=TODAY)
    assert not ReminderDigest.objects.filter(claimed_at__isnull=False).exists()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(day=TODAY)
    assert run.sent == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_command_reports_and_checks_its_day(actors, django_capture_on_commit_callbacks):
    with_work(actors)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "3 digest(s) sent for 2026-03-02" in out.getvalue()
    with pytest.raises(CommandError, match="--day"):
        call_command("send_reminders", "--day", "tomorrow")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "SQLite serialises every write with one database-wide lock, so two claims cannot "
        "overlap there; the race is exercised on PostgreSQL"
    ),
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_digest_once(actors):
    with_work(actors)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            call_command("send_reminders", stdout=StringIO())
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == [
        "cara_manager@example.org",
        "otto_worker@example.org",
        "suri_supervisor@example.org",
    ]
    assert ReminderDigest.objects.filter(sent_at__isnull=False).count() == 3
