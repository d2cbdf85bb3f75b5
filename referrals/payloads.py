"""The shapes the API and the pages share: a referral as its sender sees it, as its
recipient sees it, and what was shared. Plain dictionaries so both the API schemas and the
templates read them."""

from __future__ import annotations

import dataclasses
from typing import Any

from referrals.models import Referral
from referrals.selectors import section_codes, shared_content


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def referral_row(referral: Referral) -> dict[str, Any]:
    """What lists show: codes, organisations, dates and status; no free text."""
    return {
        "id": referral.pk,
        "case_id": referral.case_id,
        "case_code": referral.case.code,
        "sender_id": referral.sender_id,
        "sender_name": referral.sender.name,
        "recipient_id": referral.recipient_id,
        "recipient_name": referral.recipient.name,
        "service_id": referral.service_id,
        "service_name": referral.service.name if referral.service is not None else "",
        "category": referral.category,
        "urgency": referral.urgency,
        "status": referral.status,
        "respond_by": referral.respond_by,
        "sent_at": referral.sent_at,
        "answered_at": referral.answered_at,
        "ended_at": referral.ended_at,
        "version": referral.version,
    }


def _terms(referral: Referral) -> dict[str, Any]:
    return {
        "purpose": referral.get_plain_or_erased("purpose"),
        "contact_person": referral.contact_person,
        "responsibilities": referral.get_plain_or_erased("responsibilities"),
        "monitoring": referral.get_plain_or_erased("monitoring"),
        "decline_reason": referral.decline_reason,
        "answer": referral.get_plain_or_erased("answer"),
        "feedback": referral.get_plain_or_erased("feedback"),
    }


def referral_for_sender(referral: Referral) -> dict[str, Any]:
    return {
        **referral_row(referral),
        **_terms(referral),
        "options_offered": referral.get_plain_or_erased("options_offered"),
        "chosen_by_person": referral.chosen_by_person,
        "sections": section_codes(referral),
        "consent_override": referral.consent_override_id is not None,
    }


def shared_payload(content: dict[str, Any]) -> dict[str, Any]:
    """``shared_content`` with its records as plain dictionaries."""
    payload = dict(content)
    for key in ("notes", "documents"):
        if key in payload:
            payload[key] = [
                {k: _iso(v) for k, v in dataclasses.asdict(row).items()} for row in payload[key]
            ]
    return payload


def referral_for_recipient(referral: Referral) -> dict[str, Any]:
    """The referral's terms and exactly the sections shared; nothing else of the case."""
    sections = section_codes(referral)
    return {
        **referral_row(referral),
        **_terms(referral),
        "sections": sections,
        "shared": shared_payload(shared_content(referral.case, sections)),
    }
