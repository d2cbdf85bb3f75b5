"""Stored versions of the policy packs.

A pack file can change; a case must keep the rules it started under until someone migrates
it on purpose (SPEC C11). Each distinct content of a pack is therefore kept as an immutable
version row, and cases point at ``(code, version)``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policies.schema import PolicyRules


class PolicyPackVersion(models.Model):
    code = models.CharField(_("policy pack"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    # The validated rules (policies.schema.PolicyRules) as JSON: pack rules are the one
    # place besides questionnaire answers where DESIGN allows JSON.
    rules = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="policy_pack_version_unique"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="policy_pack_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parsed: PolicyRules | None = None

    @property
    def parsed(self) -> PolicyRules:
        if self._parsed is None:
            self._parsed = PolicyRules.model_validate(self.rules)
        return self._parsed

    @property
    def label(self) -> str:
        return f"{self.code} v{self.version}"
