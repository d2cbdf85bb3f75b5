from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.utils.translation import gettext
from ninja import Schema
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


class Problem(Schema):
    detail: str


class ValidationProblem(Schema):
    detail: str
    errors: dict[str, list[str]]


class PatchIn(Schema):
    """A PATCH body (issue 15, item 3): the fields sent change, the fields left out keep their
    value — ``changes()`` reads pydantic's record of the fields actually sent, never the
    defaults. ``null`` is taken only for the fields listed in ``clearable`` (where a read
    answers null for "empty": optional dates, links and free text); for any other field it
    is a 422 naming the field, and nothing changes."""

    clearable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_clearable(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.clearable:
            raise PydanticCustomError(
                "null_not_allowed",
                gettext("%(field)s cannot be null; leave the field out to keep its value.")
                % {"field": info.field_name},
            )
        return value

    def changes(self) -> dict[str, Any]:
        """The fields sent, without the version they were read at."""
        return self.model_dump(exclude_unset=True, exclude={"version", "expected_version"})


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    type: str
    country: str
    policy_pack: str
    case_prefix: str
    is_active: bool
    version: int


class RoleOut(Schema):
    role: str
    label: str
    discipline: str


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    language: str
    organisation: OrganisationOut
    roles: list[RoleOut]
    capabilities: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    organisation_id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: str
    days: int = 30


class OrganisationIn(Schema):
    name: str
    short_name: str = ""
    type: str
    country: str
    policy_pack: str = "default"
    case_prefix: str
    is_active: bool = True


class OrganisationPatch(PatchIn):
    version: int
    name: str | None = None
    short_name: str | None = None
    type: str | None = None
    country: str | None = None
    policy_pack: str | None = None
    case_prefix: str | None = None
    is_active: bool | None = None


class MemberRoleOut(Schema):
    id: int
    role: str
    discipline: str
    is_active: bool


class MemberOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    is_active: bool
    roles: list[MemberRoleOut]


class MemberIn(Schema):
    username: str
    first_name: str
    last_name: str
    email: str = ""
    role: str
    discipline: str = ""
    language: str = "en"


class RoleGrantIn(Schema):
    role: str
    discipline: str = ""


class MemberCreatedOut(MemberOut):
    set_password_link: str


class RoleGrantRequestOut(Schema):
    """A role grant that awaits a second administrator (accounts.grants)."""

    id: int
    organisation_id: int
    user_id: int
    role: str
    discipline: str
    reason: str
    reason_label: str
    status: str
    requested_by_id: int
    requested_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
