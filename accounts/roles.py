"""Roles (SPEC §2) and the capabilities they grant.

Views and services never compare role strings; they ask for a capability through
``accounts.access.require``. The matrix below is the only place where a role's powers are
written down.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Capability(models.TextChoices):
    # Case work inside the user's own organisation.
    CASE_CREATE = "case.create", _("Register persons and open cases")
    CASE_WORK_OWN = "case.work_own", _("Work on cases they manage")
    CASE_WORK_TEAM = "case.work_team", _("Work on cases where they are on the team")
    CASE_VIEW_ALL_IN_ORGANISATION = "case.view_org", _("See every case of the organisation")
    CASE_ASSIGN = "case.assign", _("Assign and reassign case managers")
    CONSENT_OVERRIDE = "consent.override", _("Override a missing consent, with a reason")
    PLAN_APPROVE = "plan.approve", _("Approve plans and closures within the organisation")
    PLAN_APPROVE_FUNDED = (
        "plan.approve_funded",
        _("Approve final plans and budgets submitted to it"),
    )
    CASELOAD_VIEW = "caseload.view", _("See caseloads and the team's overdue work")
    DIRECTORY_MANAGE = "directory.manage", _("Maintain the service directory")
    DIRECTORY_OWN_SERVICES = (
        "directory.own",
        _("Keep the organisation's own services in the directory up to date"),
    )
    STATISTICS_NATIONAL = "statistics.national", _("See national statistics")
    STATISTICS_DEIDENTIFIED = "statistics.deidentified", _("See de-identified statistics")
    ORGANISATION_USERS_MANAGE = "organisation.users", _("Manage the organisation's users")
    ORGANISATION_SETTINGS_MANAGE = "organisation.settings", _("Manage the organisation's settings")
    ORGANISATIONS_MANAGE = "system.organisations", _("Manage organisations")
    POLICY_PACKS_MANAGE = "system.policies", _("Manage policy packs")
    KEYS_MANAGE = "system.keys", _("Manage encryption keys")
    AUDIT_VIEW = "audit.view", _("Read the audit log")
    API_TOKENS = "api.tokens", _("Create personal API tokens")
    WORK_QUEUE = "work.queue", _("See their own work queue")
    POLICY_VIEW = "policy.view", _("See the organisation's policy rules")
    CASE_POLICY_MIGRATE = "case.policy_migrate", _("Move cases to a newer policy pack version")
    COMPLAINTS_HANDLE = "complaints.handle", _("Read and answer the organisation's complaints")


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager / social worker")
    SPECIALIST = "specialist", _("Specialist")
    SUPERVISOR = "supervisor", _("Supervisor")
    COORDINATOR = "coordinator", _("Coordinator")
    ANALYST = "analyst", _("Analyst")
    ORGANISATION_ADMIN = "org_admin", _("Organisation administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    COMPLAINTS_OFFICER = "complaints_officer", _("Complaints officer")

    @property
    def capabilities(self) -> frozenset[Capability]:
        return ROLE_CAPABILITIES[self]

    @property
    def sees_identity(self) -> bool:
        """Analysts and administrators never see who a person is (SPEC §2)."""
        return self in {Role.CASE_MANAGER, Role.SPECIALIST, Role.SUPERVISOR}

    @property
    def does_case_work(self) -> bool:
        return Capability.CASE_WORK_TEAM in self.capabilities


class Discipline(models.TextChoices):
    """The profession of a staff member; decides which assessment domains they do (002 L673-677)."""

    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    DOCTOR = "doctor", _("Doctor")
    LAWYER = "lawyer", _("Lawyer")
    TEACHER = "teacher", _("Teacher")
    OTHER = "other", _("Other")


_C = Capability
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    # SPEC §2: own cases — intake, assessments, plans, referrals, monitoring, closure.
    Role.CASE_MANAGER: frozenset(
        {_C.CASE_CREATE, _C.CASE_WORK_OWN, _C.CASE_WORK_TEAM, _C.API_TOKENS, _C.WORK_QUEUE}
    ),
    # SPEC §2: only cases where they are on the multidisciplinary team.
    Role.SPECIALIST: frozenset({_C.CASE_WORK_TEAM, _C.API_TOKENS, _C.WORK_QUEUE}),
    # SPEC §2: everything in the organisation's cases; approve; reassign; caseloads.
    Role.SUPERVISOR: frozenset(
        {
            _C.CASE_CREATE,
            _C.CASE_WORK_OWN,
            _C.CASE_WORK_TEAM,
            _C.CASE_VIEW_ALL_IN_ORGANISATION,
            _C.CASE_ASSIGN,
            _C.CONSENT_OVERRIDE,
            _C.PLAN_APPROVE,
            _C.CASELOAD_VIEW,
            _C.AUDIT_VIEW,
            _C.API_TOKENS,
            _C.WORK_QUEUE,
            _C.POLICY_VIEW,
            _C.CASE_POLICY_MIGRATE,
            # 001 §4.3 L45: providers report changes to their own services.
            _C.DIRECTORY_OWN_SERVICES,
            # 002 L1471-1472: complaints go to the programme manager, among others.
            _C.COMPLAINTS_HANDLE,
        }
    ),
    # SPEC §2: approves what is submitted to it, keeps the directory, national statistics;
    # sees no identity.
    Role.COORDINATOR: frozenset(
        {
            _C.PLAN_APPROVE_FUNDED,
            _C.DIRECTORY_MANAGE,
            _C.STATISTICS_NATIONAL,
            _C.STATISTICS_DEIDENTIFIED,
            _C.API_TOKENS,
            _C.WORK_QUEUE,
        }
    ),
    # SPEC §2: de-identified statistics only.
    Role.ANALYST: frozenset({_C.STATISTICS_DEIDENTIFIED, _C.API_TOKENS}),
    Role.ORGANISATION_ADMIN: frozenset(
        {
            _C.ORGANISATION_USERS_MANAGE,
            _C.ORGANISATION_SETTINGS_MANAGE,
            _C.AUDIT_VIEW,
            _C.POLICY_VIEW,
            _C.DIRECTORY_OWN_SERVICES,
        }
    ),
    # 002 L1468-1478: a designated person receives and answers complaints, apart from the
    # case files (sees no case file; a complaint linked to a case shows its code only).
    Role.COMPLAINTS_OFFICER: frozenset({_C.COMPLAINTS_HANDLE, _C.API_TOKENS}),
    # SPEC §2: organisations, policy packs, keys; no case content by default.
    Role.SYSTEM_ADMIN: frozenset(
        {
            _C.ORGANISATIONS_MANAGE,
            _C.POLICY_PACKS_MANAGE,
            _C.KEYS_MANAGE,
            _C.ORGANISATION_USERS_MANAGE,
            _C.AUDIT_VIEW,
            _C.POLICY_VIEW,
        }
    ),
}
