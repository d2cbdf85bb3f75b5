"""The daily e-mail digest of due work (SPEC C10 notifications).

Each digest is claimed before it is sent: a ``ReminderDigest`` row per user and day is
inserted (conflicts ignored) and then claimed with ``UPDATE … SET claimed_at = now WHERE
claimed_at IS NULL``. Only the run whose UPDATE changed the row sends; on PostgreSQL the row
lock makes the second UPDATE wait and then match nothing, on SQLite the database-wide write
lock serialises the two UPDATEs the same way. The e-mail goes out on commit, and a failed
send releases the claim so that the next run retries.

The digest names cases by their pseudonymous code only: e-mail leaves the system.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership, User
from work.models import ReminderDigest, WorkItem
from work.selectors import bucket_of, week_end

logger = logging.getLogger(__name__)


def _open_items(day: date) -> QuerySet[WorkItem]:
    # Only items of organisations where the user still holds an active role: someone who
    # left an organisation gets no news of its cases.
    still_member = Membership.objects.active().filter(
        user_id=OuterRef("responsible_id"), organisation_id=OuterRef("organisation_id")
    )
    return WorkItem.objects.filter(
        done_on__isnull=True, due_on__lte=week_end(day), responsible__isnull=False
    ).filter(Exists(still_member))


def digest_recipients(day: date) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(pk__in=_open_items(day).values("responsible_id"))
        .order_by("pk")
    )


@dataclass(frozen=True)
class ReminderRun:
    sent: int
    already_claimed: int


def send_reminders(*, day: date) -> ReminderRun:
    recipients = list(digest_recipients(day))
    ReminderDigest.objects.bulk_create(
        [ReminderDigest(user=user, day=day) for user in recipients], ignore_conflicts=True
    )
    sent = already_claimed = 0
    for user in recipients:
        if _claim_and_queue(user=user, day=day):
            sent += 1
        else:
            already_claimed += 1
    return ReminderRun(sent=sent, already_claimed=already_claimed)


@transaction.atomic
def _claim_and_queue(*, user: User, day: date) -> bool:
    claimed = ReminderDigest.objects.filter(user=user, day=day, claimed_at__isnull=True).update(
        claimed_at=timezone.now()
    )
    if not claimed:
        return False
    items = list(
        _open_items(day)
        .filter(responsible=user)
        .select_related("case", "organisation")
        .order_by("due_on", "id")
    )
    ReminderDigest.objects.filter(user=user, day=day).update(item_count=len(items))
    subject, body = _compose(user=user, day=day, items=items)
    transaction.on_commit(lambda: _deliver(user=user, day=day, subject=subject, body=body))
    return True


def _compose(*, user: User, day: date, items: list[WorkItem]) -> tuple[str, str]:
    with translation.override(user.language):
        buckets = [bucket_of(item.due_on, day) for item in items]
        overdue = buckets.count("overdue")
        subject = ngettext(
            "Reintegra: %(count)d item due, %(overdue)d overdue",
            "Reintegra: %(count)d items due, %(overdue)d overdue",
            len(items),
        ) % {"count": len(items), "overdue": overdue}
        body = render_to_string(
            "work/reminder_digest.txt",
            {
                "user": user,
                "day": day,
                "rows": list(zip(items, buckets, strict=True)),
                "signature": _("Open “My work” in Reintegra for the details."),
            },
        )
    return subject, body


def _deliver(*, user: User, day: date, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        # Release the claim so that the next run sends the digest; the error is logged
        # without the message, which names cases.
        ReminderDigest.objects.filter(user=user, day=day).update(claimed_at=None)
        logger.exception("reminder digest for user %s on %s not sent", user.pk, day)
        return
    ReminderDigest.objects.filter(user=user, day=day).update(sent_at=timezone.now())
