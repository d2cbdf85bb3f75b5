from __future__ import annotations

from datetime import datetime

from ninja import Schema


class Problem(Schema):
    detail: str


class ValidationProblem(Schema):
    detail: str
    errors: dict[str, list[str]]


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


class OrganisationPatch(Schema):
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
