"""The case: one person's path from first contact to follow-up, owned by one organisation.

Free text that can identify anyone (traffickers, places, notes, interview records) is encrypted
with the person's data key (``data_key`` repeats the person's key on each row so that one
``crypto_erase`` of the person makes all of it unreadable). Codes, dates and flags stay plain:
they carry the statistics and the case logic.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.codes import (
    AssignmentReason,
    ChangeRequestStatus,
    ChecklistItem,
    CompensationStatus,
    IdentificationStatus,
    IdentifyingBody,
    InterviewPrinciple,
    NoteKind,
    ProceedingsRole,
    ProceedingsStatus,
    ProfileCodeList,
    RelationshipToTrafficker,
    RiskLevel,
)
from crypto.models import EncryptedFieldsMixin


def _data_key_field() -> models.ForeignKey:
    return models.ForeignKey("crypto.DataKey", on_delete=models.PROTECT, related_name="+")


def _uuid_field() -> models.UUIDField:
    return models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Case(EncryptedFieldsMixin, models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    # Human-friendly, unique per organisation: "<prefix>-<year>-<serial>".
    number = models.CharField(_("case number"), max_length=32)
    # Pseudonymous code shown everywhere outside the case file.
    code = models.CharField(_("code"), max_length=16, unique=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_cases",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    received_at = models.DateField(_("received on"), default=timezone.localdate)
    # The jurisdiction policy pack and version the case runs under; changing the
    # organisation's pack never changes an open case silently (SPEC C11).
    policy_pack = models.CharField(_("policy pack"), max_length=32)
    policy_pack_version = models.PositiveIntegerField(_("policy pack version"), default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    uuid = _uuid_field()
    data_key = _data_key_field()
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Referral into the organisation (the report itself is checklist item "referral_report").
    referring_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
        verbose_name=_("referring organisation"),
    )
    # Who referred the person when it is not an organisation on the system: it can name a
    # person, so it is encrypted like other free text (issue 15, item 7).
    referring_party_enc = models.BinaryField(null=True)
    # Key dates.
    first_contact_on = models.DateField(_("first contact"), null=True, blank=True)
    identified_on = models.DateField(_("formally identified on"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    immediate_needs_met_on = models.DateField(_("immediate needs met on"), null=True, blank=True)
    case_manager_assigned_on = models.DateField(
        _("case manager assigned on"), null=True, blank=True
    )
    identification_status = models.CharField(
        _("identification status"),
        max_length=16,
        choices=IdentificationStatus.choices,
        default=IdentificationStatus.AT_RISK,
    )
    # Flags (SPEC C1).
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    security_alert = models.BooleanField(_("security alert"), default=False)
    # Minor at reception is kept for statistics and filtering; the current minor status is
    # derived from the date of birth and the policy's age of majority (cases.policy).
    minor_at_reception = models.BooleanField(_("minor at reception"), default=False)
    foreign_national = models.BooleanField(_("foreign national"), default=False)
    in_proceedings = models.BooleanField(_("in criminal proceedings"), default=False)
    # Intake (003 L150-L151: emergency needs are met before the interview).
    emergency_needs_enc = models.BinaryField(null=True)
    immediate_assistance_enc = models.BinaryField(null=True)

    ENCRYPTED = ("emergency_needs", "immediate_assistance", "referring_party")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="case_number_per_org"),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(identification_status__in=IdentificationStatus.values),
                name="case_identification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(risk_level__in=RiskLevel.values), name="case_risk_level_valid"
            ),
        ]
        indexes = [
            # Serves "my cases" for a case manager.
            models.Index(fields=["case_manager", "status"], name="case_manager_status"),
            # Serves the organisation's case list, newest first.
            models.Index(
                fields=["organisation", "status", "-received_at"], name="case_org_status_received"
            ),
            # Serves the case list of an organisation, newest first, one page at a time
            # (ORDER BY received_at DESC, id DESC LIMIT n).
            models.Index(
                fields=["organisation", "-received_at", "-id"], name="case_org_received_id"
            ),
            # Serves the case list filtered by identification status.
            models.Index(
                fields=["organisation", "identification_status"], name="case_org_identification"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def referring_party(self) -> str:
        """The decrypted referring party; empty when none, or when the person was erased."""
        return self.get_plain_or_erased("referring_party") or ""


class CaseNumberSequence(models.Model):
    """The last serial used per organisation and year; incremented under a row lock so that
    two registrations at the same moment never get the same number."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="case_number_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class TraffickingProfile(EncryptedFieldsMixin, models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="profile")
    uuid = _uuid_field()
    data_key = _data_key_field()
    recruitment_country = models.CharField(_("country of recruitment"), max_length=2, blank=True)
    exploitation_started_on = models.DateField(_("exploitation started"), null=True, blank=True)
    exploitation_ended_on = models.DateField(_("exploitation ended"), null=True, blank=True)
    relationship_to_trafficker = models.CharField(
        _("relationship to trafficker"),
        max_length=16,
        choices=RelationshipToTrafficker.choices,
        blank=True,
    )
    places_enc = models.BinaryField(null=True)
    routes_enc = models.BinaryField(null=True)
    traffickers_enc = models.BinaryField(null=True)
    has_debts = models.BooleanField(_("debts to the traffickers"), default=False)
    debts_enc = models.BinaryField(null=True)
    other_victims_known = models.BooleanField(_("other victims known"), default=False)
    other_victims_count = models.PositiveIntegerField(
        _("number of other victims"), null=True, blank=True
    )
    other_victims_enc = models.BinaryField(null=True)
    criminal_proceedings = models.CharField(
        _("criminal proceedings"),
        max_length=16,
        choices=ProceedingsStatus.choices,
        default=ProceedingsStatus.NONE,
    )
    civil_proceedings = models.BooleanField(_("civil proceedings"), default=False)
    role_in_proceedings = models.CharField(
        _("the person's role"), max_length=16, choices=ProceedingsRole.choices, blank=True
    )
    compensation = models.CharField(
        _("compensation"),
        max_length=16,
        choices=CompensationStatus.choices,
        default=CompensationStatus.NONE,
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    ENCRYPTED = ("places", "routes", "traffickers", "debts", "other_victims")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(exploitation_ended_on__isnull=True)
                | Q(exploitation_started_on__isnull=True)
                | Q(exploitation_ended_on__gte=models.F("exploitation_started_on")),
                name="profile_exploitation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class ProfileCode(models.Model):
    """One chosen value of a multi-select code list of the trafficking profile."""

    profile = models.ForeignKey(TraffickingProfile, on_delete=models.CASCADE, related_name="codes")
    list = models.CharField(max_length=24, choices=ProfileCodeList.choices)
    code = models.CharField(max_length=48)

    class Meta:
        ordering = ["list", "code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "list", "code"], name="profile_code_unique"),
            models.CheckConstraint(
                condition=Q(list__in=ProfileCodeList.values), name="profile_code_list_valid"
            ),
        ]
        indexes = [
            # Serves statistics by form of exploitation.
            models.Index(fields=["list", "code"], name="profile_code_lookup"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class CaseDocument(EncryptedFieldsMixin, models.Model):
    """A document of the case-file checklist (002 L1545-L1594), stored encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    uuid = _uuid_field()
    data_key = _data_key_field()  # TMPNULL
    item = models.CharField(_("checklist item"), max_length=40, choices=ChecklistItem.choices)
    # Storage name of the ciphertext (random); the original name is encrypted.
    file = models.CharField(max_length=200)
    file_name_enc = models.BinaryField(null=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("file_name",)

    class Meta:
        ordering = ["item", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__in=ChecklistItem.values), name="case_document_item_valid"
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class TraffickingIndicator(models.Model):
    """A screening indicator; the 003 §5.1 list is loaded by migration (configurable)."""

    code = models.SlugField(max_length=48, unique=True)
    label = models.CharField(_("indicator"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        # The shipped labels are in the catalogues; labels added locally show as written.
        return gettext(self.label)


class Screening(EncryptedFieldsMixin, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    uuid = _uuid_field()
    data_key = _data_key_field()  # TMPNULL
    screened_on = models.DateField(_("screened on"), default=timezone.localdate)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    indicators = models.ManyToManyField(TraffickingIndicator, related_name="+", blank=True)
    notes_enc = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("notes",)

    class Meta:
        ordering = ["-screened_on", "-id"]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class IdentificationInterview(EncryptedFieldsMixin, models.Model):
    """The initial identification interview record (003 L152-L155)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews")
    uuid = _uuid_field()
    data_key = _data_key_field()  # TMPNULL
    held_on = models.DateField(_("held on"), default=timezone.localdate)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language of the interview"), max_length=3, blank=True)
    interpreter_present = models.BooleanField(_("interpreter present"), default=False)
    personal_information_enc = models.BinaryField(null=True)
    medical_history_enc = models.BinaryField(null=True)
    trafficking_information_enc = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("personal_information", "medical_history", "trafficking_information")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class InterviewPrincipleCheck(models.Model):
    """A WHO interview principle that was observed (003 L156-L179)."""

    interview = models.ForeignKey(
        IdentificationInterview, on_delete=models.CASCADE, related_name="principles"
    )
    principle = models.CharField(max_length=24, choices=InterviewPrinciple.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "principle"], name="interview_principle_unique"
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class IdentificationDecision(EncryptedFieldsMixin, models.Model):
    """One change of identification status; the history of the case's status."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="identification_decisions"
    )
    uuid = _uuid_field()
    data_key = _data_key_field()  # TMPNULL
    from_status = models.CharField(max_length=16, choices=IdentificationStatus.choices)
    to_status = models.CharField(max_length=16, choices=IdentificationStatus.choices)
    decided_on = models.DateField(_("decided on"))
    identifying_body = models.CharField(
        _("identified by (body)"), max_length=40, choices=IdentifyingBody.choices, blank=True
    )
    identifying_authority = models.CharField(_("identifying authority"), max_length=200, blank=True)
    decision_file = models.CharField(max_length=200, blank=True)
    decision_file_name_enc = models.BinaryField(null=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    reason_enc = models.BinaryField(null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("decision_file_name", "reason")

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    from_status__in=IdentificationStatus.values,
                    to_status__in=IdentificationStatus.values,
                ),
                name="identification_decision_statuses_valid",
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class TeamMember(models.Model):
    """A member of the case's multidisciplinary team (002 L673-L677), with their role."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_teams"
    )
    role = models.CharField(_("role on the team"), max_length=32)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(removed_at__isnull=True),
                name="team_member_active_unique",
            ),
        ]
        indexes = [
            # Serves the "team" access rule: cases where the user is an active member.
            models.Index(
                fields=["user", "case"],
                condition=Q(removed_at__isnull=True),
                name="team_active_user",
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class CaseManagerAssignment(models.Model):
    """Assignment history; the current one has ``ended_at`` null."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=AssignmentReason.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=AssignmentReason.values), name="assignment_reason_valid"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="one_current_case_manager"
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class CaseManagerChangeRequest(EncryptedFieldsMixin, models.Model):
    """The person's own request for another case manager (002 L1007-L1017)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="change_requests")
    uuid = _uuid_field()
    data_key = _data_key_field()  # TMPNULL
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    reason_enc = models.BinaryField(null=True)
    status = models.CharField(
        max_length=16, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    ENCRYPTED = ("reason",)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeRequestStatus.values),
                name="change_request_status_valid",
            ),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"


class CaseNote(EncryptedFieldsMixin, models.Model):
    """Contact log and case notes (SPEC C7); the text is encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    uuid = _uuid_field()
    data_key = _data_key_field()  # TMPNULL
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participants_enc = models.BinaryField(null=True)
    text_enc = models.BinaryField(null=True)
    follow_up_enc = models.BinaryField(null=True)
    follow_up_on = models.DateField(_("follow up by"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = ("participants", "text", "follow_up")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoteKind.values), name="case_note_kind_valid"
            ),
        ]
        indexes = [
            # Serves the case's notes page, newest first.
            models.Index(fields=["case", "-occurred_at"], name="case_note_case_time"),
        ]

    def __str__(self) -> str:
        # Identifies the row without any decrypted value.
        return f"{self._meta.verbose_name} {self.pk}"
